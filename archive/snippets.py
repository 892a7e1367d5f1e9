"""Snippets: the best passages of a hit's body with the matched words marked, and the lead of
a body for hits without matched words.

Marks are the control characters :data:`MATCH_START`/:data:`MATCH_END`; the renderers turn
them into colour, brackets or HTML.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from ._light import import_whoosh

import_whoosh()  # before any other Whoosh import: see archive._light

from whoosh import highlight
from whoosh.lang.porter import stem as porter_stem

from .models import MATCH_END, MATCH_START

SNIPPET_CHARS = 240


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
    and formatter run), but the text is tokenized here with the field analyzer's own regular
    expression, stop list and cached stemmer in one loop instead of Whoosh's chain of
    generator filters, several times faster; only the first :data:`SNIPPET_CHARLIMIT`
    characters are analysed. An analyzer of another shape falls back to Whoosh's highlighter.
    """

    def __init__(self, results: Any, field_name: str) -> None:
        self.results = results
        self.field_name = field_name
        field_object = results.searcher.schema[field_name]
        if results.has_matched_terms():
            raw_terms = [term for name, term in results.matched_terms() if name == field_name]
        else:
            raw_terms = [term for name, term in results.query_terms(expand=True, fieldname=field_name) if name == field_name]
        self.words = frozenset(field_object.from_bytes(term) for term in raw_terms)
        self.parts = _analyzer_parts(field_object.analyzer)
        self.stemmed: dict[str, str] = {}  # lower-case word -> its indexed form, for this search
        # The Porter stemmer never changes a word's first letter, so a word whose first
        # letter starts no matched term cannot match and need not be stemmed.
        self.initials = frozenset(word[:1] for word in self.words) if self.parts and self.parts[4] is porter_stem else None
        self.fragmenter = highlight.ContextFragmenter(
            maxchars=SNIPPET_CHARS, surround=SNIPPET_SURROUND, charlimit=SNIPPET_CHARLIMIT
        )
        self.scorer = highlight.BasicFragmentScorer()
        self.formatter = _MarkFormatter()

    def of(self, hit: Any, text: str) -> str:
        """The snippet of ``text`` (the hit's stored field), or "" when no word matches in it."""
        if not text or not self.words:
            return ""
        if self.parts is None:
            self.results.fragmenter = self.fragmenter
            self.results.formatter = self.formatter
            return hit.highlights(self.field_name, text=text, top=SNIPPET_FRAGMENTS)
        best = highlight.top_fragments(self._fragments(text), SNIPPET_FRAGMENTS, self.scorer, highlight.FIRST, 1)
        return self.formatter(text, best) if best else ""

    def _fragments(self, text: str) -> list[Any]:
        """The passages of ``text`` around matched words, exactly as Whoosh's
        ``ContextFragmenter.fragment_tokens`` cuts them from the analyzer's tokens (stop words
        included, as Whoosh highlights), tokenizing and fragmenting in one loop."""
        pattern, stops, minsize, maxsize, stem, ignore = self.parts  # type: ignore[misc]
        words, stemmed, initials = self.words, self.stemmed, self.initials
        maxchars, surround, charlimit = SNIPPET_CHARS, SNIPPET_SURROUND, SNIPPET_CHARLIMIT
        fragments: list[Any] = []
        first: int | None = None
        firsts: deque[int] = deque()
        countdown = -1  # >= 0 while inside a fragment
        matches: list[_Token] = []
        endchar = 0
        length = 0
        for match in pattern.finditer(text):
            startchar, endchar = match.span()
            if endchar > charlimit:
                break
            word = match.group().lower()
            if initials is not None and word[:1] not in initials:
                matched = False
            else:
                found = stemmed.get(word)
                if found is None:
                    size = len(word)
                    keep = size < minsize or (maxsize is not None and size > maxsize) or word in stops or word in ignore
                    found = stemmed[word] = word if keep else stem(word)
                matched = found in words
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
                matches.append(_Token(found, startchar, endchar, True))
            if countdown >= 0:
                length += size
                countdown -= size
                if countdown <= 0:
                    fragments.append(highlight.mkfrag(text, matches, startchar=first, endchar=endchar))
                    matches, firsts, first, length = [], deque(), None, 0
        if matches:
            fragments.append(highlight.mkfrag(text, matches, startchar=first, endchar=endchar))
        return fragments


def _analyzer_parts(analyzer: Any) -> tuple[Any, ...] | None:
    """(regex, stop words, min size, max size, stem function, unstemmed words) of a
    tokenizer-lowercase-stop-stem analyzer such as Whoosh's ``StemmingAnalyzer``, else None."""
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter

    items = list(getattr(analyzer, "items", ()))
    kinds = [type(item) for item in items]
    if kinds != [RegexTokenizer, LowercaseFilter, StopFilter, StemFilter] or items[0].gaps or items[3].lang:
        return None
    tokenizer, _, stop, stemmer = items
    return tokenizer.expression, stop.stops, stop.min, stop.max, stemmer.stemfn, stemmer.ignore


class _MarkFormatter(highlight.Formatter):
    """Marks matched words with control characters that the renderer turns into colour or brackets."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{MATCH_START}{highlight.get_text(text, token, replace)}{MATCH_END}"
