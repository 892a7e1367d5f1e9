"""Topic facet: what an article is mostly about, from the IPTC Media Topics top level.

The taxonomy is the 17 top-level IPTC Media Topics (``medtop:01000000`` … ``medtop:17000000``),
each given a short, lowercase display name that is easy to type as a facet value on the command
line ("economy", "politics", "science and technology", …). The names, codes, descriptions and a
weighted keyword lexicon live in ``archive/facets/data/topics.json``; see ``docs/topics.md``.

Method (no training, standard library only):

1. Tokenize title and body into lower-case runs of ASCII letters and digits, apostrophes
   dropped (so the possessive "party's" reads "partys").
2. Count weighted keyword hits per topic. Keywords are single words or two-word phrases; each is
   also matched in its regular plural and possessive forms, so "election" matches "elections",
   "party" matches "parties" and "Labour's" matches "labour". A few keywords are
   case-sensitive (``"Labour"`` the UK party counts for politics, lower-case ``"labour"`` for
   the labour topic). Title hits count :data:`TITLE_WEIGHT` times.
3. Normalise by length (score points per 100 weighted tokens).
4. Return the top topic, then any other topic whose score is at least
   :data:`RELATIVE_THRESHOLD` of the top's and whose density reaches
   :data:`MIN_SECONDARY_DENSITY`; nothing when the evidence is below :data:`MIN_EVIDENCE` or
   :data:`MIN_DENSITY`.

The lexicon is loaded lazily on first use (:func:`functools.lru_cache`); importing this module
does no work.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "MIN_DENSITY",
    "MIN_EVIDENCE",
    "MIN_SECONDARY_DENSITY",
    "RELATIVE_THRESHOLD",
    "TITLE_WEIGHT",
    "TopicRecord",
    "classify_topics",
    "describe_topics",
    "score_topics",
    "topic_names",
]

#: How many times a keyword in the title counts compared with one in the body.
TITLE_WEIGHT = 3
#: A secondary topic must score at least this fraction of the main topic's score.
RELATIVE_THRESHOLD = 0.5
#: The main topic needs at least this raw weighted score (one specific keyword in the title, or
#: a few in the body); below it the article gets no topic.
MIN_EVIDENCE = 3.0
#: The main topic needs at least this many score points per 100 (weighted) tokens.
MIN_DENSITY = 0.5
#: A secondary topic needs at least this many score points per 100 (weighted) tokens.
MIN_SECONDARY_DENSITY = 2.0
#: Texts shorter than this many weighted tokens are normalised as if they had this many, so a
#: headline alone does not get an inflated density.
MIN_LENGTH = 40

_DATA_PACKAGE = "archive.facets"
_DATA_FILE = "data/topics.json"

# Runs of ASCII letters and digits ("mp3", "co2", "f1" stay single tokens), matched after
# lower-casing and deleting apostrophes: "Labour's" gives "labours", "women's rights" gives
# "womens rights", and the lexicon holds those "-s" forms. Keywords are ASCII, so a non-ASCII
# letter simply ends a token.
_TOKEN_RE = re.compile(r"[a-z0-9]+")
_APOSTROPHES = ("'", "\u2019")

_Hits = tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class TopicRecord:
    """One taxonomy entry as described to users (``--help``, docs).

    ``name`` is the display name used as facet value; ``code`` the IPTC Media Topic qcode
    (``medtop:04000000``); ``iptc_label`` IPTC's own English label; ``keyword_count`` the
    number of keywords listed for the topic in the data file.
    """

    name: str
    code: str
    iptc_label: str
    description: str
    keyword_count: int


@dataclass(frozen=True)
class _Lexicon:
    """The compiled keyword tables (internal)."""

    names: tuple[str, ...]
    records: tuple[TopicRecord, ...]
    # token (or token pair) -> ((topic index, weight), ...), matched on lower-cased text
    unigrams: dict[str, _Hits]
    bigrams: dict[tuple[str, str], _Hits]
    # case-sensitive single words: exact form -> hits, found with ``cased_re`` in the original
    # text, which is only scanned when a lower-cased token is in ``cased_triggers``
    cased: dict[str, _Hits]
    cased_re: re.Pattern[str] | None
    cased_triggers: frozenset[str]


def _plural(word: str) -> str:
    """The regular English plural of ``word`` (good enough for lexicon expansion)."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 2 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _forms(word: str) -> set[str]:
    """``word`` and its regular plural.

    Only plurals are derived: singulars are not, because many plurals have a singular of quite
    another sense ("aids"/"aid", "shares"/"share", "rights"/"right"). A keyword listed in the
    plural matches only the plural; list the singular too where it is meant.
    """
    if word[-1:].isalpha():
        return {word, _plural(word)}
    return {word}


def _with_possessives(forms: set[str]) -> set[str]:
    """``forms`` plus their possessive spellings once apostrophes are dropped ("partys")."""
    return forms | {form + "s" for form in forms if form[-1:].isalpha()}


def _keyword_tokens(keyword: str) -> list[str]:
    """The plain tokens of a keyword (one or two); raises ``ValueError`` otherwise."""
    tokens = re.findall(r"[A-Za-z0-9]+", keyword)
    if not 1 <= len(tokens) <= 2 or not keyword.isascii():
        raise ValueError(f"topic keyword must be one or two ASCII words: {keyword!r}")
    return tokens


def _add(table: dict[Any, dict[int, float]], key: Any, index: int, weight: float) -> None:
    entry = table.setdefault(key, {})
    # A form reached from two listed keywords of one topic keeps the larger weight.
    entry[index] = max(entry.get(index, 0.0), weight)


def _freeze(table: dict[Any, dict[int, float]]) -> dict[Any, _Hits]:
    return {key: tuple(sorted(hits.items())) for key, hits in table.items()}


@lru_cache(maxsize=1)
def _raw_data() -> dict[str, Any]:
    """The parsed ``topics.json`` (read once)."""
    text = resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Compile the keyword tables from ``topics.json`` (once, on first use)."""
    data = _raw_data()
    names: list[str] = []
    records: list[TopicRecord] = []
    unigrams: dict[str, dict[int, float]] = {}
    bigrams: dict[tuple[str, str], dict[int, float]] = {}
    cased: dict[str, dict[int, float]] = {}
    for index, topic in enumerate(data["topics"]):
        keywords: dict[str, float] = topic.get("keywords", {})
        cased_keywords: dict[str, float] = topic.get("cased_keywords", {})
        names.append(topic["name"])
        records.append(
            TopicRecord(
                name=topic["name"],
                code=topic["code"],
                iptc_label=topic["iptc_label"],
                description=topic["description"],
                keyword_count=len(keywords) + len(cased_keywords),
            )
        )
        for keyword, weight in keywords.items():
            tokens = _keyword_tokens(keyword.lower())
            lasts = _with_possessives(_forms(tokens[-1]))
            if len(tokens) == 1:
                for form in lasts:
                    _add(unigrams, form, index, float(weight))
            else:
                for first in _with_possessives({tokens[0]}):
                    for form in lasts:
                        _add(bigrams, (first, form), index, float(weight))
        for keyword, weight in cased_keywords.items():
            tokens = _keyword_tokens(keyword)
            if len(tokens) != 1:
                raise ValueError(f"case-sensitive topic keywords are single words: {keyword!r}")
            for form in _forms(tokens[0]):
                _add(cased, form, index, float(weight))
    cased_re = None
    if cased:
        ordered = sorted(cased, key=lambda form: (-len(form), form))
        alternatives = "|".join(re.escape(form) for form in ordered)
        cased_re = re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")
    return _Lexicon(
        names=tuple(names),
        records=tuple(records),
        unigrams=_freeze(unigrams),
        bigrams=_freeze(bigrams),
        cased=_freeze(cased),
        cased_re=cased_re,
        cased_triggers=frozenset(_with_possessives({form.lower() for form in cased})),
    )


def topic_names() -> list[str]:
    """All taxonomy display names, in IPTC code order."""
    return list(_lexicon().names)


def describe_topics() -> list[TopicRecord]:
    """The taxonomy records (name, IPTC code and label, description), in IPTC code order."""
    return list(_lexicon().records)


def _accumulate(text: str, lex: _Lexicon, scores: list[float], factor: float) -> int:
    """Add ``factor`` × the keyword weights found in ``text`` to ``scores``.

    Returns the number of tokens in ``text``.
    """
    if not text:
        return 0
    lowered = text.lower()
    for apostrophe in _APOSTROPHES:
        if apostrophe in lowered:
            lowered = lowered.replace(apostrophe, "")
    tokens = _TOKEN_RE.findall(lowered)
    if not tokens:
        return 0
    unigrams = lex.unigrams
    for token in filter(unigrams.__contains__, tokens):
        for index, weight in unigrams[token]:
            scores[index] += weight * factor
    bigrams = lex.bigrams
    for pair in filter(bigrams.__contains__, zip(tokens, tokens[1:])):
        for index, weight in bigrams[pair]:
            scores[index] += weight * factor
    if lex.cased_re is not None and not lex.cased_triggers.isdisjoint(tokens):
        cased = lex.cased
        for form in lex.cased_re.findall(text):
            for index, weight in cased[form]:
                scores[index] += weight * factor
    return len(tokens)


def _score(title: str, body: str, lex: _Lexicon) -> tuple[list[float], int]:
    scores = [0.0] * len(lex.names)
    length = TITLE_WEIGHT * _accumulate(title, lex, scores, float(TITLE_WEIGHT))
    length += _accumulate(body, lex, scores, 1.0)
    return scores, length


def score_topics(title: str, body: str) -> tuple[dict[str, float], int]:
    """Raw weighted keyword scores per topic (only topics with a hit) and the weighted length.

    The weighted length is ``TITLE_WEIGHT`` × title tokens + body tokens. Meant for debugging
    and benchmarks; :func:`classify_topics` is the normal entry point.
    """
    lex = _lexicon()
    scores, length = _score(title or "", body or "", lex)
    return {lex.names[i]: s for i, s in enumerate(scores) if s > 0.0}, length


def classify_topics(title: str, body: str, *, max_topics: int = 3) -> list[str]:
    """The display names of the topics an article is mostly about, the main topic first.

    Returns at most ``max_topics`` names: an empty list when ``max_topics`` < 1, or when the
    text is empty or gives too little keyword evidence. Secondary topics must reach
    :data:`RELATIVE_THRESHOLD` of the main topic's score and :data:`MIN_SECONDARY_DENSITY`
    points per 100 tokens. Ties are broken by taxonomy (IPTC code) order.
    """
    if max_topics < 1 or not (title or body):
        return []
    lex = _lexicon()
    scores, length = _score(title or "", body or "", lex)
    top = max(scores)
    if top < MIN_EVIDENCE:
        return []
    per_100 = 100.0 / max(length, MIN_LENGTH)
    if top * per_100 < MIN_DENSITY:
        return []
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    result = [lex.names[ranked[0]]]
    floor = max(RELATIVE_THRESHOLD * top, MIN_SECONDARY_DENSITY / per_100)
    for index in ranked[1:max_topics]:
        if scores[index] < floor:
            break
        result.append(lex.names[index])
    return result
