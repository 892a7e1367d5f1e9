"""An independent oracle for `archive search`: SQLite FTS5 and regular expressions over the same
titles and bodies, and a seeded generator of queries by class.

Used by ``tests/test_retrieval_oracle.py`` (a small pile) and ``benchmarks/bench_retrieval.py``
(a 5,000-article pile). The oracle is nobody's code on this project: FTS5 with the tokenizer
``unicode61 remove_diacritics 2`` (no stemming) and ``porter unicode61 remove_diacritics 2``
(Porter's stemmer), queried through its own query syntax, and Python's ``re`` for exact
phrases and numbers.

Where the product defines a word differently from FTS5, the class says so and uses the
product's definition, checked with FTS5 or a regex:

* stemmed words are compared with the Porter oracle, and, exactly, with the unstemmed
  oracle asked for every vocabulary word of the same Snowball stem (the product's stemmer);
  words whose Porter and Snowball groups differ are listed by :func:`stemmer_differences`;
* numbers with thousands separators are one number (``3,000`` = ``3000``): an unstemmed FTS5
  table over the texts with the separators taken out (``numbers``);
* exact phrases (``="..."``) are matched within the title or within the body, case-insensitively,
  ’ and ' alike: a regex oracle.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

UNSTEMMED = "unicode61 remove_diacritics 2"
PORTER = "porter unicode61 remove_diacritics 2"
WORD = re.compile(r"[^\W_]+")
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # the separators of 3,000 and 12,345,678
CLASSES = (
    "common word", "rare word", "word, own stems", "hyphenated", "apostrophe", "number", "AND", "OR", "NOT",
    "phrase", "phrase with stop words", "exact phrase",
)
STOP_WORDS = ("the", "of", "in", "a", "to", "and", "on", "for", "by", "with", "at", "not", "were", "was", "is")


@dataclass(frozen=True)
class Query:
    """One generated query: its class, the text given to `archive search`, and how the oracle
    answers it (``fts`` in FTS5 syntax for ``table``, or a ``regex`` over title and body)."""

    kind: str
    text: str
    fts: str | None = None
    table: str = "porter"
    regex: str | None = None
    words: tuple[str, ...] = ()  # the words the query is made of (for stemmer differences)


class Oracle:
    """FTS5 tables (unstemmed and Porter) and the raw texts of a set of articles."""

    def __init__(self, articles: Iterable[tuple[str, str, str]], languages: dict[str, str] | None = None) -> None:
        self.languages = languages or {}  # article id -> its language, where known
        self.db = sqlite3.connect(":memory:")
        self.db.execute(f"CREATE VIRTUAL TABLE plain USING fts5(title, body, tokenize='{UNSTEMMED}')")
        self.db.execute(f"CREATE VIRTUAL TABLE porter USING fts5(title, body, tokenize='{PORTER}')")
        self.db.execute(f"CREATE VIRTUAL TABLE numbers USING fts5(title, body, tokenize='{UNSTEMMED}')")
        self.ids: list[str] = []
        self.texts: list[tuple[str, str]] = []
        for number, (article_id, title, body) in enumerate(articles, 1):
            self.ids.append(article_id)
            self.texts.append((title, body))
            for table in ("plain", "porter"):
                self.db.execute(f"INSERT INTO {table}(rowid, title, body) VALUES (?, ?, ?)", (number, title, body))
            grouped = (THOUSANDS.sub("", title), THOUSANDS.sub("", body))
            self.db.execute("INSERT INTO numbers(rowid, title, body) VALUES (?, ?, ?)", (number, *grouped))

    def fts(self, table: str, expression: str) -> set[str]:
        """Ids of the articles an FTS5 query matches."""
        rows = self.db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (expression,))
        return {self.ids[rowid - 1] for (rowid,) in rows}

    def regex(self, pattern: str) -> set[str]:
        """Ids of the articles whose title or body (each on its own) a regex matches."""
        compiled = re.compile(pattern, re.IGNORECASE)
        return {
            self.ids[number] for number, (title, body) in enumerate(self.texts)
            if compiled.search(apostrophes(title)) or compiled.search(apostrophes(body))
        }

    def answer(self, query: Query) -> set[str]:
        """The oracle's set for a generated query."""
        if query.regex is not None:
            return self.regex(query.regex)
        assert query.fts is not None
        return self.fts(query.table, query.fts)

    def vocabulary(self) -> dict[str, int]:
        """Every word of the texts (lower case, as written) with the number of articles holding it."""
        counts: dict[str, int] = {}
        for title, body in self.texts:
            for word in {match.group().lower() for match in WORD.finditer(f"{title} {body}")}:
                counts[word] = counts.get(word, 0) + 1
        return counts


def apostrophes(text: str) -> str:
    """Typographic apostrophes as ``'``."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def quoted(words: Iterable[str]) -> str:
    """An FTS5 phrase of words."""
    return '"' + " ".join(word.replace('"', "") for word in words) + '"'


def stemmer_differences(oracle: Oracle, words: Iterable[str], stem: Callable[[str], str]) -> dict[str, tuple[set[str], set[str]]]:
    """Words whose articles under Porter's stemmer (FTS5) differ from those under ``stem``
    (every vocabulary word with the same stem, asked of the unstemmed table): word →
    (Porter's set, the product stemmer's set)."""
    by_stem: dict[str, list[str]] = {}
    for word in oracle.vocabulary():
        if word.isalpha():
            by_stem.setdefault(stem(word), []).append(word)
    found = {}
    for word in words:
        porter = oracle.fts("porter", quoted([word]))
        snowball = oracle.fts("plain", " OR ".join(quoted([form]) for form in by_stem.get(stem(word), [word])))
        if porter != snowball:
            found[word] = (porter, snowball)
    return found


def generate(oracle: Oracle, seed: int, per_class: int, stem: Callable[[str], str]) -> list[Query]:
    """``per_class`` queries of every class in :data:`CLASSES`, drawn from the texts with
    ``seed``; ``stem`` is the product's stemmer (for the "word, own stems" class: every
    vocabulary word with the stem of the query word, asked of the unstemmed table)."""
    rng = random.Random(seed)
    vocabulary = oracle.vocabulary()
    by_stem: dict[str, list[str]] = {}
    for known in vocabulary:
        if known.isalpha():
            by_stem.setdefault(stem(known), []).append(known)
    alpha = sorted(word for word in vocabulary if word.isalpha() and len(word) > 2 and word not in STOP_WORDS)
    common = [word for word in alpha if vocabulary[word] >= max(3, len(oracle.ids) // 20)] or alpha
    rare = [word for word in alpha if vocabulary[word] <= 2] or alpha
    texts = [apostrophes(f"{title}\n{body}") for title, body in oracle.texts]
    hyphenated = sorted({match.group() for text in texts for match in re.finditer(r"\b[A-Za-z]+-[A-Za-z]+\b", text)})
    possessive = sorted({match.group() for text in texts for match in re.finditer(r"\b[A-Za-z]{3,}'[st]\b", text)})
    numbers = sorted({match.group() for text in texts for match in re.finditer(r"(?<![\w,.])\d{1,3}(?:,\d{3})+(?![\w,]|\.\d)|(?<![\w,.-])\d+(?![\w,.-])", text)})
    runs = [WORD.findall(text) for text in texts]

    def window(size: int, stop_words: bool) -> list[str]:
        for _ in range(200):
            words = rng.choice(runs)
            if len(words) <= size:
                continue
            start = rng.randrange(len(words) - size)
            chosen = words[start : start + size]
            has_stop = any(word.lower() in STOP_WORDS for word in chosen)
            if has_stop == stop_words and all(word.isalpha() for word in chosen):
                return chosen
        return []

    queries: list[Query] = []
    for _ in range(per_class):
        word = rng.choice(common)
        queries.append(Query("common word", word, quoted([word]), words=(word,)))
        word = rng.choice(rare)
        queries.append(Query("rare word", word, quoted([word]), words=(word,)))
        word = rng.choice(rng.choice((common, rare)))
        forms = " OR ".join(quoted([form]) for form in sorted(by_stem.get(stem(word), [word])))
        queries.append(Query("word, own stems", word, forms, table="plain", words=(word,)))
        if hyphenated:
            compound = rng.choice(hyphenated)
            parts = compound.lower().split("-")
            queries.append(Query("hyphenated", compound, quoted(parts), words=tuple(parts)))
        if possessive:
            written = rng.choice(possessive)
            parts = written.lower().split("'")
            queries.append(Query("apostrophe", written, quoted(parts), words=tuple(parts)))
        if numbers:
            number = rng.choice(numbers)
            queries.append(Query("number", number, quoted([number.replace(",", "")]), table="numbers"))
        first, second = rng.sample(common, 2)
        queries.append(Query("AND", f"{first} AND {second}", f"{quoted([first])} AND {quoted([second])}", words=(first, second)))
        first, second = rng.choice(common), rng.choice(rare)
        queries.append(Query("OR", f"{first} OR {second}", f"{quoted([first])} OR {quoted([second])}", words=(first, second)))
        first, second = rng.sample(common, 2)
        queries.append(Query("NOT", f"{first} AND NOT {second}", f"{quoted([first])} NOT {quoted([second])}", words=(first, second)))
        words = window(rng.choice((2, 3)), stop_words=False)
        if words:
            queries.append(Query("phrase", quoted(words), quoted(words), words=tuple(word.lower() for word in words)))
        words = window(rng.choice((3, 4)), stop_words=True)
        if words:
            queries.append(Query("phrase with stop words", quoted(words), quoted(words), words=tuple(word.lower() for word in words)))
        words = window(rng.choice((2, 3)), stop_words=rng.random() < 0.5)
        if words:
            pattern = r"(?<!\w)" + r"\W+".join(re.escape(word) for word in words) + r"(?!\w)"
            queries.append(Query("exact phrase", "=" + quoted(words), regex=pattern))
    return queries


@dataclass
class ClassFigures:
    """How one class of queries compared with the oracle."""

    queries: int = 0
    equal: int = 0
    found: int = 0  # articles both found
    product: int = 0  # articles the product found
    oracle: int = 0  # articles the oracle found
    unstemmed_missed: int = 0  # articles the unstemmed oracle found and the product did not
    explained: dict[str, int] = field(default_factory=dict)  # unequal queries by the reason they differ
    differing: list[str] = field(default_factory=list)
    # every unequal query: (text, reason or "unexplained", articles only the product found, only the oracle found)
    unequal: list[tuple[str, str, int, int]] = field(default_factory=list)

    def row(self, name: str) -> str:
        """One line of the table."""
        recall = self.found / self.oracle if self.oracle else 1.0
        precision = self.found / self.product if self.product else 1.0
        return (
            f"{name:<24} {self.queries:>7} {self.equal:>7} {self.equal / max(self.queries, 1):>7.3f} "
            f"{recall:>7.3f} {precision:>9.3f} {self.unstemmed_missed:>9} {len(self.differing):>9}  "
            + ", ".join(f"{reason} {count}" for reason, count in sorted(self.explained.items()))
        )


HEADER = (
    f"{'class':<24} {'queries':>7} {'equal':>7} {'share':>7} {'recall':>7} {'precision':>9} {'unst.miss':>9} "
    f"{'unexpl.':>9}  explained"
)
FOLDED_LETTERS = re.compile("[ßẞøØłŁıđĐðÐħĦþÞæÆœŒ]")  # letters archive folds and FTS5's remove_diacritics keeps
REASONS = {
    "stemmers": "a word whose Porter (FTS5) and Snowball (archive) groups differ",
    "language": "only articles detected as another language differ (archive stems each article in its language)",
    "folding": "only articles with letters archive folds and FTS5 keeps (ß, ø, ł, ı, æ...) differ",
}


def compare(
    oracle: Oracle, queries: list[Query], search: Callable[[str], set[str]], explained: set[str] = frozenset()
) -> dict[str, ClassFigures]:
    """Run every query through ``search`` (text → ids) and the oracle; per class figures.

    An unequal query is never counted as equal; it is counted as explained when a reason of
    :data:`REASONS` covers it (a word in ``explained``, whose Porter and Snowball groups differ,
    see :func:`stemmer_differences`; or every article in the difference is of another language,
    or holds a letter archive folds and FTS5 keeps), else listed in ``differing``.
    ``unst.miss`` counts articles the unstemmed oracle finds for a query of words (not NOT)
    that the product misses: recall against it must be 1.
    """
    figures: dict[str, ClassFigures] = {}
    for query in queries:
        got = search(query.text)
        expected = oracle.answer(query)
        row = figures.setdefault(query.kind, ClassFigures())
        row.queries += 1
        row.found += len(got & expected)
        row.product += len(got)
        row.oracle += len(expected)
        if query.fts is not None and query.table == "porter" and query.kind != "NOT":
            unstemmed = oracle.fts("plain", query.fts)
            row.unstemmed_missed += len(unstemmed - got)
        if got == expected:
            row.equal += 1
            continue
        reason = _reason(oracle, got ^ expected, query, explained)
        row.unequal.append((query.text, reason or "unexplained", len(got - expected), len(expected - got)))
        if reason is None:
            row.differing.append(query.text)
        else:
            row.explained[reason] = row.explained.get(reason, 0) + 1
    return figures


def _reason(oracle: Oracle, difference: set[str], query: Query, explained: set[str]) -> str | None:
    """Which of :data:`REASONS` explains the articles one side found and the other did not."""
    if explained & set(query.words):
        return "stemmers"
    if oracle.languages and all(oracle.languages.get(article, "en") not in ("en", "") for article in difference):
        return "language"
    texts = dict(zip(oracle.ids, oracle.texts))
    if all(FOLDED_LETTERS.search(" ".join(texts[article])) for article in difference):
        return "folding"
    return None
