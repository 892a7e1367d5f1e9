"""Learned entity recogniser: a linear-chain CRF over tokens, with the rules' tables as features.

Each line of an article is tokenised (:func:`archive.facets.mentions.tokenize`) and every token
gets features from its own form (lower case, shape, affixes, capitalisation), its context
(neighbouring words and shapes, sentence start, headline and results-table lines, its place in
a run of capitalised words), everything the rules' word lists know (given names, roles and
titles, organization and place cue words, demonyms, the gazetteer, the known-organizations
table, said-type verbs) and the document (whether the word is also written in lower case,
whether it ends or starts a longer name elsewhere). A CRF trained by ``scripts/train_entities.py``
on the shared entity gold's training documents weighs that evidence and tags each token with
``B-``/``I-`` of ``PER``, ``ORG``, ``LOC`` or ``O``.

The model file (``data/entities.crfsuite``) is opened on first use (:func:`load_tagger`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .gazetteer import Gazetteer, load_gazetteer
from .lexicon import Lexicon, fold_key, load_lexicon
from .mentions import SENTENCE_END, Token, TokenRun, tokenize

MODEL_FILE = "entities.crfsuite"
SAID_VERBS = frozenset(
    {"said", "says", "told", "added", "wrote", "argued", "noted", "insisted", "stated", "announced",
     "asked", "replied", "warned", "explained", "tweeted", "posted", "confirmed", "denied", "urged"}
)
MAX_NGRAM = 4
WORD_CACHE_SIZE = 65_536
WINDOW = 1
NO_WORD = {delta: (f"{delta}w=<none>",) for delta in (-2, -1, 1, 2)}
SHAPE_REPEAT = re.compile(r"(.)\1+")
NGRAM_BREAK = frozenset(",;:()\"“”")
PERSON_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "dos", "das", "ter", "zu", "bin", "ibn", "al", "el", "le", "la"}
)
MAX_BRIDGE = 2


@dataclass(frozen=True)
class TaggedSpan(TokenRun):
    """A run of tokens the model tagged as one entity: ``label`` is PER, ORG or LOC."""

    label: str
    tokens: tuple[Token, ...]
    line: int
    headline: bool



@dataclass(frozen=True)
class Line:
    """One tokenised line and what kind of line it is."""

    number: int
    tokens: list[Token]
    headline: bool
    table: bool
    capitalised: list[bool]
    positions: dict[int, int]
    bridged: list[bool]

    def before(self, span: TaggedSpan) -> str:
        """The token text just before a span of this line ('' at the start)."""
        index = self.positions[span.tokens[0].start]
        return self.tokens[index - 1].text if index else ""

    def after(self, span: TaggedSpan) -> str:
        """The token text just after a span of this line ('' at the end)."""
        index = self.positions[span.tokens[-1].start] + 1
        return self.tokens[index].text if index < len(self.tokens) else ""


def split_lines(text: str) -> list[Line]:
    """The non-empty tokenised lines of ``text``."""
    lines = []
    offset = 0
    for number, raw in enumerate(text.split("\n")):
        tokens = tokenize(raw, offset)
        offset += len(raw) + 1
        if tokens:
            table, headline = _line_kinds(tokens)
            capitalised = [token.text[0].isalpha() and token.capitalised for token in tokens]
            positions = {token.start: index for index, token in enumerate(tokens)}
            bridged = particle_bridges(tokens, capitalised)
            lines.append(Line(number, tokens, headline and not table, table, capitalised, positions, bridged))
    return lines


def particle_bridges(tokens: Sequence[Token], capitalised: Sequence[bool]) -> list[bool]:
    """Which tokens are lower-case name particles between two capitalised words.

    "Nikolaus van der Pas", "Osama bin Laden", "Frank de Boer": up to two particles after a
    capitalised word (not a possessive) and before another one join the two into one run of
    name words, as a capitalisation run would if the particles were capitalised.
    """
    bridged = [False] * len(tokens)
    count = len(tokens)
    index = 1
    while index < count:
        if capitalised[index - 1] and not tokens[index - 1].possessive and tokens[index].text in PERSON_PARTICLES:
            end = index
            while end < count and end - index < MAX_BRIDGE and tokens[end].text in PERSON_PARTICLES:
                end += 1
            if end < count and capitalised[end] and tokens[end].text[:1].isupper():
                for position in range(index, end):
                    bridged[position] = True
            index = end
        index += 1
    return bridged


def _line_kinds(tokens: list[Token]) -> tuple[bool, bool]:
    """(results-table row, headline) as :func:`is_table_row` and :func:`is_headline` decide, in one pass."""
    words = [token.text for token in tokens if token.text[0].isalpha()]
    numbers = sum(1 for token in tokens if token.text[0].isdigit())
    lower = sum(1 for word in words if word[0].islower())
    table = numbers >= 1 and bool(words) and lower <= max(1, len(words) // 4)
    long_words = [word for word in words if len(word) > 1]
    if len(long_words) < 2:
        headline = bool(long_words) and long_words[0].isupper() and len(long_words[0]) > 3
    else:
        headline = sum(1 for word in long_words if word.isupper()) / len(long_words) >= 0.6
    return table, headline


def word_shape(word: str) -> str:
    """Xxxx-style shape with repeated classes collapsed ("McDonald" → "XxXx", "U.S." → "X.X.")."""
    shape = "".join("X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c for c in word)
    return SHAPE_REPEAT.sub(r"\1", shape)


class FeatureExtractor:
    """Builds the CRF features of the tokens of one document."""

    def __init__(self, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.word_info = lru_cache(maxsize=WORD_CACHE_SIZE)(self._word_info)
        self.ngram_labels = lru_cache(maxsize=WORD_CACHE_SIZE)(self._ngram_labels)

    def _word_info(self, word: str) -> tuple:
        """A word's own features and the features it lends its neighbours, computed once.

        (own, seen from the next word, seen from the previous word, seen two words after,
        seen two words before, its shape, its lower case form).
        """
        own = self.word_features(word)
        lower, shape = own[0][2:], own[1][3:]
        flags = [flag for flag in own[5:] if not flag.startswith("gazpop")]
        return (
            tuple(own),
            ("-1w=" + lower, "-1sh=" + shape, *("-1" + flag for flag in flags)),
            ("1w=" + lower, "1sh=" + shape, *("1" + flag for flag in flags)),
            ("-2w=" + lower,),
            ("2w=" + lower,),
            shape,
            lower,
        )

    def word_features(self, word: str) -> list[str]:
        """Features of a word on its own: form, shape, affixes and word-list membership."""
        lexicon, gazetteer = self.lexicon, self.gazetteer
        lower = word.lower()
        key = fold_key(word)
        features = ["w=" + lower, "sh=" + word_shape(word), "p3=" + lower[:3], "s3=" + lower[-3:], "s2=" + lower[-2:]]
        if word[:1].isupper():
            features.append("upper" if word.isupper() and len(word) > 1 else "title")
        elif word[:1].isalpha():
            features.append("lower")
        if len(word) == 1:
            features.append("len1")
        elif len(word) <= 3:
            features.append("len3")
        if key in lexicon.given_names and word[:1].isupper():
            features.append("given")
        if key in lexicon.roles:
            features.append("role")
        if word in lexicon.org_cues:
            features.append("orgcue")
        if word in lexicon.place_cues:
            features.append("placecue")
        if key in lexicon.not_names:
            features.append("notname")
        if key in lexicon.non_person_words:
            features.append("nonperson")
        if lower in SAID_VERBS:
            features.append("said")
        if word[:1].isupper() or word.isupper():
            if gazetteer.country_of_demonym(word):
                features.append("demonym")
            place = gazetteer.lookup(word) if len(word) > 1 else None
            if place is not None:
                features.append("gaz=" + place.kind)
                features.append("gazpop=" + _population_band(place.population))
            if lexicon.organization(word):
                features.append("knownorg")
        return features

    def document_segments(self, lines: Sequence[Line]) -> list[Segment]:
        """The stretches of each line the model tags, with their tokens' features.

        Only the tokens within one word of a capitalised word are tagged (the rest of a line
        cannot hold a name); features still look two words either side.
        """
        lower_words: set[str] = set()
        run_last: set[str] = set()
        run_first: set[str] = set()
        for line in lines:
            if line.headline or line.table:
                continue
            run: list[str] = []
            for index, token in enumerate(line.tokens):
                text = token.text
                if text[:1].islower() and index > 0:
                    lower_words.add(text)
                if line.bridged[index]:
                    continue  # "van der" inside "Nikolaus van der Pas": the run goes on
                if line.capitalised[index] and not text.isupper():
                    run.append(text)
                    if not token.possessive:
                        continue
                if len(run) > 1:
                    run_first.add(run[0])
                    run_last.add(run[-1])
                run = []
            if len(run) > 1:
                run_first.add(run[0])
                run_last.add(run[-1])
        segments = []
        for line in lines:
            windows = _windows(line, self.lexicon.not_names)
            if windows:
                segments.extend(self._line_segments(line, windows, lower_words, run_first, run_last))
        return segments

    def _line_segments(
        self, line: Line, windows: list[tuple[int, int]], lower_words: set[str], run_first: set[str], run_last: set[str]
    ) -> Iterator[Segment]:
        """Features of one line's tagged stretches."""
        tokens = line.tokens
        words = [token.text for token in tokens]
        count = len(words)
        word_info = self.word_info
        info: list = [None] * count  # only the words within two of a tagged stretch are looked at
        for first, last in windows:
            for index in range(max(0, first - 2), min(count, last + 2)):
                if info[index] is None:
                    info[index] = word_info(words[index])
        ngrams = self._ngram_features(words, line.capitalised)
        runs = _run_positions(tokens, [flag or bridge for flag, bridge in zip(line.capitalised, line.bridged)])
        line_features = ("line=hl" if line.headline else "line=tbl" if line.table else "line=txt",)
        for first, last in windows:
            sequence = []
            for index in range(first, last):
                word = words[index]
                own = info[index]
                features = list(own[0])
                features.extend(line_features)
                if index == 0 or words[index - 1] in SENTENCE_END:
                    features.append("bos")
                if index == count - 1:
                    features.append("eol")
                if tokens[index].possessive:
                    features.append("poss")
                if line.bridged[index]:
                    features.append("particle")
                features.extend(ngrams[index])
                run = runs[index]
                if run:
                    features.append("run=" + run)
                if word[:1].isupper():
                    if own[6] in lower_words:
                        features.append("doc_lower")
                    if word in run_last:
                        features.append("doc_last")
                    if word in run_first:
                        features.append("doc_first")
                if index > 0:
                    features.extend(info[index - 1][1])
                    features.append(f"-1w|sh={info[index - 1][6]}|{own[5]}")
                    features.extend(info[index - 2][3] if index > 1 else NO_WORD[-2])
                else:
                    features.extend(NO_WORD[-1])
                    features.extend(NO_WORD[-2])
                if index + 1 < count:
                    features.extend(info[index + 1][2])
                    features.append(f"sh|+1w={own[5]}|{info[index + 1][6]}")
                    features.extend(info[index + 2][4] if index + 2 < count else NO_WORD[2])
                else:
                    features.extend(NO_WORD[1])
                    features.extend(NO_WORD[2])
                sequence.append(features)
            yield Segment(line, first, last, sequence)

    def _ngram_labels(self, text: str) -> tuple[str, ...]:
        """What the word lists know of a multi-word name: org, gaz=<kind>, role."""
        labels = []
        if self.lexicon.organization(text):
            labels.append("org")
        place = self.gazetteer.lookup(text)
        if place is not None:
            labels.append("gaz=" + place.kind)
        if fold_key(text) in self.lexicon.roles:
            labels.append("role")
        return tuple(labels)

    def _ngram_features(self, words: list[str], capitalised: list[bool]) -> list[list[str]]:
        """B-/I- features for multi-word gazetteer places, known organizations and roles."""
        found: list[list[str]] = [[] for _ in words]
        count = len(words)
        unbroken = [0] * (count + 1)  # how many words from here on hold no break (",", "(", ...)
        for index in range(count - 1, -1, -1):
            unbroken[index] = 0 if words[index] in NGRAM_BREAK else unbroken[index + 1] + 1
        for start in range(count):
            if not capitalised[start] or not words[start][0].isupper():
                continue
            for size in range(min(MAX_NGRAM, unbroken[start]), 1, -1):
                piece = words[start:start + size]
                if not piece[-1][:1].isupper():
                    continue
                labels = self.ngram_labels(" ".join(piece))
                if labels:
                    for offset in range(size):
                        prefix = "B" if offset == 0 else "I"
                        found[start + offset].extend(f"ng{prefix}-{label}" for label in labels)
                    break
        return found


class Segment(NamedTuple):
    """Tokens ``first`` to ``last`` (exclusive) of a line, with their features."""

    line: Line
    first: int
    last: int
    features: list[list[str]]


def _windows(line: Line, not_names: frozenset[str]) -> list[tuple[int, int]]:
    """Merged stretches of the line within WINDOW tokens of a capitalised word.

    A capitalised word that is never a name by itself ("The", "But", "Monday") opens no
    stretch of its own (it is still tagged when next to another capitalised word).
    """
    windows: list[tuple[int, int]] = []
    count = len(line.tokens)
    everything = line.headline or line.table
    for index, token in enumerate(line.tokens):
        if everything and token.is_word or line.capitalised[index] and not (
            token.text.lower() in not_names and not token.text.isupper()
        ):
            first, last = max(0, index - WINDOW), min(count, index + WINDOW + 1)
            if windows and first <= windows[-1][1]:
                windows[-1] = (windows[-1][0], last)
            else:
                windows.append((first, last))
    return windows


def _run_positions(tokens: list[Token], flags: list[bool]) -> list[str]:
    """Position of each token in its run of capitalised words: S, B, I, E or '' outside."""
    positions = []
    for index, flag in enumerate(flags):
        if not flag:
            positions.append("")
            continue
        before = index > 0 and flags[index - 1] and not tokens[index - 1].possessive
        after = index + 1 < len(flags) and flags[index + 1] and not tokens[index].possessive
        positions.append("I" if before and after else "E" if before else "B" if after else "S")
    return positions


def _population_band(population: int) -> str:
    """A coarse population band of a place (0 when unknown)."""
    if population <= 0:
        return "0"
    if population < 100_000:
        return "s"
    if population < 1_000_000:
        return "m"
    return "l"


def spans_from_tags(segment: Segment, tags: Sequence[str]) -> Iterator[TaggedSpan]:
    """The entity spans of one segment given its BIO tags."""
    line = segment.line
    current: list[Token] = []
    label = ""
    for token, tag in zip(line.tokens[segment.first:segment.last], tags):
        if tag == "O" or tag.startswith("B-") or tag[2:] != label:
            if current:
                yield TaggedSpan(label, tuple(current), line.number, line.headline)
            current, label = [], ""
        if tag != "O":
            if not current:
                label = tag[2:]
            current.append(token)
    if current:
        yield TaggedSpan(label, tuple(current), line.number, line.headline)


class EntityTagger:
    """A trained CRF with its feature extractor."""

    def __init__(self, model_path: Path, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        import pycrfsuite  # loaded with the model, on first extraction

        self.features = FeatureExtractor(lexicon, gazetteer)
        self.crf = pycrfsuite.Tagger()
        self.crf.open(str(model_path))

    def tag_lines(self, lines: Sequence[Line]) -> list[TaggedSpan]:
        """The entity spans of a document's lines, in order."""
        spans: list[TaggedSpan] = []
        for segment in self.features.document_segments(lines):
            spans.extend(spans_from_tags(segment, self.crf.tag(segment.features)))
        return spans

    def tag(self, text: str) -> list[TaggedSpan]:
        """The entity spans of ``text``."""
        return self.tag_lines(split_lines(text))


def model_path() -> Path:
    """Where the shipped model file lives."""
    return Path(str(resources.files(__package__).joinpath("data", MODEL_FILE)))


@lru_cache(maxsize=1)
def load_tagger() -> EntityTagger:
    """The shipped tagger, opened once on first use."""
    return EntityTagger(model_path(), load_lexicon(), load_gazetteer())
