"""Text analysis for the index: what a title or body becomes as searchable terms.

One pass over the text (:func:`tokens`), in the manner of Lucene's standard analysers:

* **Words** are runs of letters and digits (Unicode); everything else separates them, so
  ``government-backed`` is the two words *government backed* at consecutive positions (a
  query for it is the phrase of its parts), ``market's`` is *market s*, ``3-1`` is *3 1*,
  and ’ and ' separate alike.
* **Numbers** written with thousands separators are one word without them: ``3,000`` and
  ``3000`` are both *3000*.
* **Letters** are folded: lower case, accents removed, and ø, ł, ı, ß, æ written in plain
  Latin (:func:`archive.folding.strip_accents`), so ``São``, ``Sao`` and ``SAO`` are one word.
* **Stop words are kept** (phrases such as "in the air" stay exact) and so are one-character
  words; as query words they rank low (:data:`STOP_WORD_BOOST`).
* **Stems** come from the Snowball stemmer of the article's language (PyStemmer, C), when
  Snowball has one for it; English when the language is unknown. Queries are not stemmed
  here: :func:`archive.query.analyse_query` stems them once per language of the index, each
  held to the articles of its language.
* **Chinese, Japanese and Korean** text, which has no spaces between words, is indexed as
  overlapping pairs of characters (a lone character as itself), so a word inside unsegmented
  text is found as the phrase of its pairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ._light import import_whoosh

import_whoosh()  # before any other Whoosh import: see archive._light

from whoosh.analysis import STOP_WORDS, Analyzer, Token

from .folding import strip_accents

DEFAULT_LANGUAGE = "en"
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_RUN = rf"[{CJK}]+"
NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)"  # thousands separators: "3,000"
_WORD = rf"[^\W_{CJK}]+"
# What a term is made from: a CJK run, a number with thousands separators, or a word. A word's
# group is unnamed (``lastgroup`` None); ``findall`` gives one tuple a match, the matched group set.
WORDS = re.compile(rf"(?P<cjk>{_CJK_RUN})|(?P<number>{NUMBER})|({_WORD})")
# The same matches without groups, where only the spans are read (faster to find).
FLAT_WORDS = re.compile(f"{_CJK_RUN}|{NUMBER}|{_WORD}")
# ISO 639-1 codes of the languages Snowball stems (PyStemmer's algorithm names).
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "et": "estonian", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch", "nn": "norwegian", "no": "norwegian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}


# Stop words are indexed and searchable, but a query word among them weighs this much of an
# ordinary word in the ranking: Whoosh's BM25F gives a word in every article about half the
# weight of a word in a third of them, so without it an article saying only "the" could rank
# above one holding the other word of "the OR harbour". The words are Whoosh's English stop
# list (whoosh.analysis.STOP_WORDS), the ones its analyser dropped before schema 3.
STOP_WORD_BOOST = 0.1


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The query words ranked low (:data:`STOP_WORD_BOOST`): Whoosh's English stop list."""
    return frozenset(STOP_WORDS)


def stemming_language(language: str | None) -> str | None:
    """The language whose stemmer applies to an article in ``language`` (None: no stemming)."""
    code = (language or DEFAULT_LANGUAGE).strip().lower().replace("_", "-").split("-")[0]
    return code if code in SNOWBALL else None


@lru_cache(maxsize=64)
def stemmer(language: str | None) -> Any:
    """The stemming function for a language (words unchanged when Snowball has none); the
    stemmer keeps a cache of the words it has seen."""
    code = stemming_language(language)
    if code is None:
        return lambda word: word
    import Stemmer  # PyStemmer loads when a language is first stemmed, not at start-up

    return Stemmer.Stemmer(SNOWBALL[code], 100_000).stemWord


def fold(word: str) -> str:
    """A word as indexed before stemming: accents removed, lower case."""
    return word.lower() if word.isascii() else strip_accents(word).casefold()


def tokens(text: str, language: str | None = None, *, stem: bool = True) -> Iterator[tuple[str, int, int]]:
    """The terms of ``text`` with the character span each comes from, in order (one position
    each): folded words, stemmed in ``language`` when ``stem``, and pairs of CJK characters."""
    stem_word = stemmer(language) if stem else None
    for match in WORDS.finditer(text):
        start, end = match.span()
        run = match.group()
        if match.lastgroup == "cjk":
            if len(run) == 1:
                yield run, start, end
            for offset in range(len(run) - 1):
                yield run[offset : offset + 2], start + offset, start + offset + 2
        elif match.lastgroup == "number":
            yield run.replace(",", ""), start, end
        else:
            word = fold(run)
            yield (stem_word(word) if stem_word else word), start, end


def index_terms(text: str, language: str | None = None) -> list[str]:
    """The terms of ``text`` as :func:`tokens` gives them (stemmed), in order, without their
    spans: the same list, at about twice the speed, for the index writer's analysis."""
    stem_word = stemmer(language)
    seen: dict[str, str] = {}  # a word and its term: most words of an article come again
    terms: list[str] = []
    for cjk, number, word in WORDS.findall(text):
        if word:
            term = seen.get(word)
            if term is None:
                term = seen[word] = stem_word(fold(word))
            terms.append(term)
        elif number:
            terms.append(number.replace(",", ""))
        else:
            if len(cjk) == 1:
                terms.append(cjk)
            terms.extend(cjk[offset : offset + 2] for offset in range(len(cjk) - 1))
    return terms


class ArchiveAnalyzer(Analyzer):  # type: ignore[misc]
    """:func:`tokens` as a Whoosh analyser. Indexing takes the article's language as the
    ``lang`` keyword (``store.analyse`` passes it); queries (``mode="query"``) are folded but
    not stemmed."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
        removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
        mode: str = "", lang: str | None = None, **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = fold(value)
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for position, (text, start, end) in enumerate(tokens(value, lang, stem=mode != "query"), start_pos):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token
