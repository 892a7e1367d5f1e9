"""Snippets: the best passages of a hit's body with the matched words marked, and the lead of
a body for hits without matched words.

Marks are the control characters :data:`MATCH_START`/:data:`MATCH_END`; the renderers turn
them into colour, brackets or HTML.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import deque
from functools import lru_cache
from typing import Any

from ._light import import_whoosh

import_whoosh()  # before any other Whoosh import: see archive._light

from whoosh import highlight

from .analysis import CJK, FLAT_WORDS, NUMBER, WORDS, ArchiveAnalyzer, fold, stemmer, tokens
from .models import MATCH_END, MATCH_START

SNIPPET_CHARS = 240
CJK_CHARACTER = re.compile(rf"[{CJK}]")


def lead(body: str) -> str:
    """The opening of a body, for hits without matched words."""
    flat = " ".join(body.split())
    if len(flat) <= SNIPPET_CHARS:
        return flat
    return flat[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


SNIPPET_SURROUND = 80
SNIPPET_FRAGMENTS = 2
# Only the first this many characters of a body are looked at for a snippet (Whoosh's
# default limit is 32 768); matches further on give the opening as the snippet instead.
SNIPPET_CHARLIMIT = 20_000


class _Token:
    """The little of a Whoosh token that fragmenting, scoring and formatting read."""

    __slots__ = ("text", "startchar", "endchar", "matched", "boost")

    def __init__(self, text: str, startchar: int, endchar: int, matched: bool) -> None:
        self.text = text
        self.startchar = startchar
        self.endchar = endchar
        self.matched = matched
        self.boost = 1.0

    def copy(self) -> "_Token":
        return _Token(self.text, self.startchar, self.endchar, self.matched)


class Snippets:
    """Snippets of one field for the hits of one search: the best ``SNIPPET_FRAGMENTS``
    passages holding matched words, marked with :data:`MATCH_START`/:data:`MATCH_END`.

    The result equals Whoosh's ``hit.highlights(field, top=2)`` with a
    ``ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80)`` (the same fragmenter, scorer
    and formatter run), but the text is tokenized by :func:`archive.analysis.tokens` in the
    hit's language, in one loop with the fragmenting instead of Whoosh's chain of generators,
    several times faster; only the first :data:`SNIPPET_CHARLIMIT` characters are analysed.
    A field with another analyzer falls back to Whoosh's highlighter.
    """

    def __init__(self, results: Any, field_name: str, stems: dict[str | None, dict[str, str]] | None = None, *, arrays: bool = False) -> None:
        """``stems``: each language's words already folded and stemmed, shared by the searches
        of a long-lived reader (a pure cache: by default, one per search); ``arrays``: cut
        the words out with numpy (:func:`word_spans`), for readers that have it loaded."""
        self.results = results
        self.field_name = field_name
        field_object = results.searcher.schema[field_name]
        if results.has_matched_terms():
            raw_terms = [term for name, term in results.matched_terms() if name == field_name]
        else:
            raw_terms = [term for name, term in results.query_terms(expand=True, fieldname=field_name) if name == field_name]
        self.words = frozenset(field_object.from_bytes(term) for term in raw_terms)
        self.fast = isinstance(field_object.analyzer, ArchiveAnalyzer)
        self.fragmenter = highlight.ContextFragmenter(
            maxchars=SNIPPET_CHARS, surround=SNIPPET_SURROUND, charlimit=SNIPPET_CHARLIMIT
        )
        self.scorer = highlight.BasicFragmentScorer()
        self.formatter = _MarkFormatter()
        self._stems: dict[str | None, dict[str, str]] = {} if stems is None else stems
        self.arrays = arrays
        self._checked: dict[str | None, tuple[set[str], set[str]]] = {}  # per language: words looked at, those that match
        self._patterns: dict[str | None, tuple[int, re.Pattern[str]]] = {}  # per language: the matching words' pattern

    def of(self, hit: Any, text: str, occurrences: int | None = None) -> str:
        """The snippet of ``text`` (the hit's stored field), or "" when no word matches in it;
        ``occurrences``: how many of the text's words the index holds as matched words (the
        term frequencies), when known."""
        if not text or not self.words:
            return ""
        if not self.fast:
            self.results.fragmenter = self.fragmenter
            self.results.formatter = self.formatter
            return hit.highlights(self.field_name, text=text, top=SNIPPET_FRAGMENTS)
        fragments = self._fragments(text, hit.get("language") or None, occurrences)
        best = highlight.top_fragments(fragments, SNIPPET_FRAGMENTS, self.scorer, highlight.FIRST, 1)
        return self.formatter(text, best) if best else ""

    def _fragments(self, text: str, language: str | None, occurrences: int | None = None) -> list[Any]:
        """The passages of ``text`` around matched words, exactly as Whoosh's
        ``ContextFragmenter.fragment_tokens`` cuts them from the analyzer's tokens.

        The tokens are listed first (each distinct word stemmed once per search); the
        fragmenter's state machine then runs token by token only inside passages, and jumps
        from the end of one passage to the next matched word, setting its queue of recent
        token starts to what the skipped tokens would have left in it (the starts within
        ``surround`` characters of the last skipped token's end).
        """
        maxchars, surround, charlimit = SNIPPET_CHARS, SNIPPET_SURROUND, SNIPPET_CHARLIMIT
        founds, starts, ends, last_end, matched_at = self._token_lists(text, language, charlimit, occurrences)
        flags = set(matched_at)
        fragments: list[Any] = []
        if not matched_at:
            return fragments
        first: int | None = None
        firsts: deque[int] = deque()
        countdown = -1  # >= 0 while inside a fragment
        matches: list[_Token] = []
        length = 0
        count = len(starts)
        position = 0
        following = 0  # index into matched_at of the next matched token at or after position
        while position < count:
            if countdown < 0:
                while following < len(matched_at) and matched_at[following] < position:
                    following += 1
                target = matched_at[following] if following < len(matched_at) else count
                if target > position:  # unmatched tokens outside a passage: only the queue changes
                    floor = ends[target - 1] - surround
                    while firsts and firsts[0] < floor:
                        firsts.popleft()
                    firsts.extend(start for start in starts[max(position, bisect_left(starts, floor, position, target)) : target])
                    position = target
                    if position >= count:
                        break
            startchar, endchar = starts[position], ends[position]
            matched = position in flags
            size = endchar - startchar
            if countdown < 0 and not matched:
                firsts.append(startchar)
                while firsts and endchar - firsts[0] > surround:
                    firsts.popleft()
            elif length + size > maxchars:
                countdown = 0
            elif matched:
                countdown = surround
                if first is None:
                    if firsts:
                        first = firsts[0]
                    else:
                        first = startchar
                        countdown += surround
                matches.append(_Token(founds[position], startchar, endchar, True))
            if countdown >= 0:
                length += size
                countdown -= size
                if countdown <= 0:
                    fragments.append(highlight.mkfrag(text, matches, startchar=first, endchar=endchar))
                    matches, firsts, first, length = [], deque(), None, 0
            position += 1
        if matches:
            fragments.append(highlight.mkfrag(text, matches, startchar=first, endchar=last_end))
        return fragments

    def _token_lists(self, text: str, language: str | None, charlimit: int, occurrences: int | None = None) -> tuple[Any, list[int], list[int], int, list[int]]:
        """The tokens of ``text`` that end within ``charlimit``: their terms (indexable by
        position), starts and ends, the end of the last token looked at (the first one past the
        limit, if any, as the fragmenter's loop leaves it), and the positions of matched ones.

        Text without CJK characters is cut into words by one regular expression (all tokens
        are then single runs) and each distinct run is folded and stemmed once per search;
        only the positions of matched runs are looked for in Python."""
        stems = self._stems.setdefault(language, {})
        if CJK_CHARACTER.search(text) is not None:
            return self._token_lists_by_token(text, language, charlimit, stems)
        if occurrences is not None and self.arrays:
            found = self._token_lists_by_forms(text, language, charlimit, occurrences, stems)
            if found is not None:
                return found
        spans = word_spans(text) if self.arrays else None
        if spans is None:
            found = list(FLAT_WORDS.finditer(text))
            starts, ends = [match.start() for match in found], [match.end() for match in found]
        else:
            starts, ends = spans
        count = bisect_right(ends, charlimit)
        last_end = ends[count] if count < len(ends) else (ends[-1] if ends else 0)
        del starts[count:], ends[count:]
        runs = [text[start:end] for start, end in zip(starts, ends)]
        distinct = set(runs)
        checked, matching_runs = self._checked.setdefault(language, (set(), set()))
        unchecked = distinct.difference(checked)  # words no earlier hit of this search had
        if unchecked:
            stem_word = stemmer(language)
            for run in unchecked.difference(stems):
                stems[run] = run.replace(",", "") if "," in run else stem_word(fold(run))  # a number with separators, or a word
            words = self.words
            matching_runs.update(run for run in unchecked if stems[run] in words)
            checked.update(unchecked)
        matching = distinct & matching_runs
        matched_at = [position for position, run in enumerate(runs) if run in matching] if matching else []
        return _Stems(runs, stems), starts, ends, last_end, matched_at

    def _token_lists_by_forms(
        self, text: str, language: str | None, charlimit: int, occurrences: int, stems: dict[str, str]
    ) -> tuple[Any, list[int], list[int], int, list[int]] | None:
        """:meth:`_token_lists` when the matched words of ``text`` are all spelled as words
        the search's earlier hits matched: those spellings are found with one pattern, and
        when they are as many as the index holds matched words in the text (``occurrences``)
        they are all of them, so the other words need not be looked up (None otherwise, or
        when a spelling holds a digit: a number's separators change where words start)."""
        _, matching_runs = self._checked.get(language, (None, None))
        if not matching_runs or any(not run.isalpha() for run in matching_runs):
            return None
        pattern = self._patterns.get(language)
        if pattern is None or pattern[0] != len(matching_runs):
            alternatives = "|".join(re.escape(run) for run in sorted(matching_runs, key=len, reverse=True))
            pattern = self._patterns[language] = (len(matching_runs), re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])"))
        found = [match.start() for match in pattern[1].finditer(text)]
        if len(found) != occurrences:
            return None
        spans = word_spans(text)
        if spans is None:
            return None
        starts, ends = spans
        count = bisect_right(ends, charlimit)
        last_end = ends[count] if count < len(ends) else (ends[-1] if ends else 0)
        del starts[count:], ends[count:]
        founds: dict[int, str] = {}
        for start in found:
            position = bisect_left(starts, start)
            if position < count:
                if starts[position] != start:  # (a spelling of letters found by the pattern is a word: never)
                    return None
                founds[position] = stems[text[start : ends[position]]]
        return founds, starts, ends, last_end, list(founds)

    def _token_lists_by_token(self, text: str, language: str | None, charlimit: int, stems: dict[str, str]) -> tuple[Any, list[int], list[int], int, list[int]]:
        """:meth:`_token_lists` for text with CJK characters (a run gives several tokens)."""
        founds: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        stem_word = stemmer(language)
        last_end = 0
        for match in WORDS.finditer(text):
            if match.lastgroup is None:
                run = match.group()
                term = stems.get(run)
                if term is None:
                    term = stems[run] = stem_word(fold(run))
                startchar, endchar = match.span()
                pieces = [(term, startchar, endchar)]
            else:
                start = match.start()
                pieces = [(term, start + first, start + last) for term, first, last in tokens(match.group(), language)]
            for term, startchar, endchar in pieces:
                last_end = endchar
                if endchar > charlimit:
                    return founds, starts, ends, last_end, [at for at, term in enumerate(founds) if term in self.words]
                founds.append(term)
                starts.append(startchar)
                ends.append(endchar)
        return founds, starts, ends, last_end, [at for at, term in enumerate(founds) if term in self.words]

    def tokens(self, text: str, language: str | None) -> Any:
        """:func:`archive.analysis.tokens` of ``text``, each distinct word folded and stemmed
        once for all the hits of the search (the hits' bodies share most of their words)."""
        stems = self._stems.setdefault(language, {})
        stem_word = stemmer(language)
        for match in WORDS.finditer(text):
            if match.lastgroup is None:  # a word (numbers and CJK runs as analysis does them)
                run = match.group()
                found = stems.get(run)
                if found is None:
                    found = stems[run] = stem_word(fold(run))
                start, end = match.span()
                yield found, start, end
            else:
                start = match.start()
                for found, first, last in tokens(match.group(), language):
                    yield found, start + first, start + last


NUMBER_TOKEN = re.compile(rf"(?<![^\W_]){NUMBER}")  # a number with separators, where a token can start
ALPHANUMERIC, DECIMAL = 1, 2  # character classes (bits) of character_classes()
COMMA = ord(",")


def word_spans(text: str) -> tuple[list[int], list[int]] | None:
    r"""The start and end of each match of :data:`archive.analysis.FLAT_WORDS` in ``text`` (a
    text without CJK characters), found with array operations: runs of alphanumeric
    characters (``[^\W_]``), with numbers written with thousands separators ("3,000") joined
    as the pattern joins them. None when ``text`` has characters beyond the Basic Multilingual
    Plane (or lone surrogates): the caller cuts those with the pattern."""
    import numpy as np  # the array path's readers only: one-shot command-line searches do not load numpy

    try:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:
        return None
    if codes.size and int(codes.max()) > 0xFFFF:
        return None
    classes = character_classes()[codes]
    is_word = np.zeros(codes.size + 2, dtype=np.bool_)
    is_word[1:-1] = classes.astype(np.bool_)
    edges = np.flatnonzero(is_word[1:] != is_word[:-1])
    starts, ends = edges[0::2].tolist(), edges[1::2].tolist()
    if "," in text:
        digits = (classes & DECIMAL).astype(np.bool_)
        # A number token starts where a run of digits ends at a comma followed by a digit.
        commas = (np.flatnonzero((codes[1:-1] == COMMA) & digits[:-2] & digits[2:]) + 1).tolist()
        taken = 0
        for comma in commas:
            if comma < taken:  # inside a number already joined
                continue
            first = bisect_right(starts, comma) - 1
            match = NUMBER_TOKEN.match(text, starts[first])
            if match is None:
                continue
            start, taken = match.span()
            after = bisect_left(starts, taken)
            last_end = ends[after - 1]
            joined = ([start, taken], [taken, last_end]) if last_end > taken else ([start], [taken])  # "1,000abc": the number, then "abc"
            starts[first:after], ends[first:after] = joined
    return starts, ends


@lru_cache(maxsize=1)
def character_classes() -> Any:
    r"""Each character of the Basic Multilingual Plane's class: :data:`ALPHANUMERIC` when
    ``str.isalnum`` (what ``[^\W_]`` matches), plus :data:`DECIMAL` when ``str.isdecimal``
    (what ``\d`` matches)."""
    import numpy as np  # see word_spans

    characters = [chr(code) for code in range(0x10000)]
    alphanumeric = np.fromiter((character.isalnum() for character in characters), dtype=np.uint8, count=0x10000)
    decimal = np.fromiter((character.isdecimal() for character in characters), dtype=np.uint8, count=0x10000)
    return alphanumeric * ALPHANUMERIC | decimal * DECIMAL


class _Stems:
    """The terms of a list of word runs, by position (each run's stem, looked up when asked)."""

    __slots__ = ("runs", "stems")

    def __init__(self, runs: list[str], stems: dict[str, str]) -> None:
        self.runs = runs
        self.stems = stems

    def __getitem__(self, position: int) -> str:
        return self.stems[self.runs[position]]


class _MarkFormatter(highlight.Formatter):
    """Marks matched words with control characters that the renderer turns into colour or brackets."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{MATCH_START}{highlight.get_text(text, token, replace)}{MATCH_END}"
