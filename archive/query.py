"""Queries: parsing the query language, facet filters, date ranges, hits, facet counts.

Full text uses Whoosh's query language over title and body (AND/OR/NOT, "phrases",
``field:value``). Facet filters are resolved against the values in the index, case- and
accent-insensitively and alias-aware: ``--person gantz`` finds "Benny Gantz", ``--country us``
finds "United States".
"""

from __future__ import annotations

import calendar
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ._light import import_whoosh

import_whoosh()  # before any other Whoosh import: see archive._light

from whoosh import highlight
from whoosh.lang.porter import stem as porter_stem
from whoosh.query import And, AndNot, DateRange, Every, NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from .errors import ArchiveError
from .facets.lexicon import fold_key
from .store import KEYWORD_FIELDS, SURROGATES, split_values

MATCH_START, MATCH_END = "\x02", "\x03"
FILTER_FIELDS: dict[str, str] = {
    "people": "person",
    "organizations": "org",
    "actors": "actor",
    "places": "place",
    "countries": "country",
    "topics": "topic",
    "source": "source",
    "language": "language",
}
SNIPPET_CHARS = 240
PERSON_FIELDS = frozenset({"people", "actors"})
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@dataclass(frozen=True)
class Filters:
    """Facet and date filters; values within one field and across fields all AND together."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    since: date | None = None
    until: date | None = None

    def is_empty(self) -> bool:
        """Whether no filter is set."""
        return not any(self.values.values()) and self.since is None and self.until is None


@dataclass(frozen=True)
class Hit:
    """One search result: stored fields, score and a snippet with matches marked."""

    fields: dict[str, Any]
    score: float | None
    snippet: str


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the total number of matches, and filter values that matched nothing."""

    hits: list[Hit]
    total: int
    unmatched: list[tuple[str, str]]


def parse_date(value: str, *, end: bool = False) -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a date: the first day, or the last if ``end``."""
    match = DATE_PATTERN.match(value.strip())
    if not match:
        raise ArchiveError(f"bad date {value!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if day:
            return date(year, int(month), int(day))
        if month:
            first = date(year, int(month), 1)
            return first.replace(day=calendar.monthrange(year, first.month)[1]) if end else first
        return date(year, 12, 31) if end else date(year, 1, 1)
    except ValueError as error:
        raise ArchiveError(f"bad date {value!r}: {error}") from error


def resolve_filter_values(searcher: Searcher, field_name: str, value: str) -> list[str]:
    """The indexed values of ``field_name`` that a user's ``value`` means.

    Exact matches (ignoring case and accents) win; aliases come from the gazetteer (places,
    countries) and the organization table; otherwise a value matching the start or end of an
    indexed name's words ("gantz" → "Benny Gantz") selects every such name.
    """
    wanted = {fold_key(value)}
    wanted |= {fold_key(alias) for alias in _aliases(field_name, value)}
    terms = _field_terms(searcher, field_name)
    found = [term for term, key in terms if key in wanted]
    if not found:
        parts = fold_key(value).split()
        size = len(parts)
        found = [term for term, key in terms if size and (key.split()[:size] == parts or key.split()[-size:] == parts)]
    if found and field_name in PERSON_FIELDS:  # every spelling of the same person
        shown = person_spellings(searcher)
        groups = {shown[term] for term in found if term in shown}
        found = sorted(set(found) | {term for term, _ in terms if shown.get(term) in groups})
    return found


def _aliases(field_name: str, value: str) -> list[str]:
    """Canonical names a value is an alias of, from the gazetteer and the organization table."""
    from .facets.lexicon import load_lexicon

    aliases: list[str] = []
    if field_name in ("places", "countries"):
        gazetteer = _gazetteer_for(value)
        place = gazetteer.lookup(value)
        if place is not None:
            aliases.append(place.country if field_name == "countries" and place.country else place.name)
        demonym = gazetteer.country_of_demonym(value)
        if demonym and field_name == "countries":
            aliases.append(demonym)
    if field_name in ("organizations", "actors"):
        organization = load_lexicon().organization(value)
        if organization:
            aliases.append(organization)
    return aliases


def _gazetteer_for(value: str) -> Any:
    """A gazetteer that answers ``lookup`` and ``country_of_demonym`` for ``value``.

    The packaged gazetteer once loaded (as in a long-running process) is used as it is;
    otherwise one holding only the rows for ``value`` is built, which reads the places file
    once instead of parsing its 70 000 rows (about 80 ms) for a single name.
    """
    from .facets import gazetteer as places

    if places.load_gazetteer.cache_info().currsize:
        return places.load_gazetteer()
    return _lean_gazetteer(value)


def _lean_gazetteer(value: str) -> Any:
    """The gazetteer's countries and demonyms with only the places rows for ``value``."""
    from .facets import gazetteer as places

    countries = {}
    for line in places._rows(places._read_data("countries.tsv")):
        iso2, name, _ = line.split("\t", 2)
        countries[iso2] = name
    demonyms = {}
    for line in places._rows(places._read_data("demonyms.tsv")):
        word, iso2 = line.split("\t")
        demonyms[places.fold(word)] = iso2
    key = places.fold(value)
    keys = {key, places._strip_possessive(key) or key}
    text = places._read_data("places.tsv")
    rows = {}
    for wanted in keys:
        start = 0 if text.startswith(f"{wanted}\t") else text.find(f"\n{wanted}\t") + 1
        if wanted and (start or text.startswith(f"{wanted}\t")):
            end = text.find("\n", start)
            found, row = text[start : end if end >= 0 else len(text)].split("\t", 1)
            rows[found] = row
    return places.Gazetteer(rows, countries, demonyms, {})


def _field_terms(searcher: Searcher, field_name: str) -> list[tuple[str, str]]:
    """Every value indexed in a keyword field, with its folded key (kept per index state,
    see :func:`archive.facetstore.folded_values`)."""
    from .facetstore import folded_values

    return folded_values(searcher, field_name)


def build_query(searcher: Searcher, text: str | None, filters: Filters) -> tuple[Query, list[tuple[str, str]]]:
    """The Whoosh query for full text and filters, and the filters that matched no value."""
    text_query = parse_text_query(searcher, text) if text and text.strip() else None
    return combine_query(text_query, filters, lambda field_name, value: resolve_filter_values(searcher, field_name, value))


def combine_query(
    text_query: Query | None, filters: Filters, resolve: Callable[[str, str], list[str]]
) -> tuple[Query, list[tuple[str, str]]]:
    """AND a parsed text query with the filters; ``resolve`` maps a filter value to indexed terms.

    Returns the query and the filter values that matched nothing (those make the query match
    nothing).
    """
    parts: list[Query] = [] if text_query is None else [text_query]
    unmatched: list[tuple[str, str]] = []
    for field_name, values in filters.values.items():
        for value in values:
            terms = resolve(field_name, value)
            if not terms:
                unmatched.append((field_name, value))
                parts.append(NullQuery)
            else:
                parts.append(Or([Term(field_name, term) for term in terms]))
    if filters.since or filters.until:
        start = datetime.combine(filters.since, datetime.min.time()) if filters.since else None
        end = datetime.combine(filters.until, datetime.max.time()) if filters.until else None
        parts.append(DateRange("date", start, end))
    if not parts:
        return Every(), unmatched
    return (parts[0] if len(parts) == 1 else And(parts)), unmatched


def check_text(value: str, what: str) -> str:
    """``value`` if it is valid text; bytes that were not UTF-8 (command-line arguments keep
    them as lone surrogates) cannot be searched for and are refused."""
    if SURROGATES.search(value):
        raise ArchiveError(f"{what} {value!r} is not valid text: it holds bytes that are not UTF-8")
    return value


def parse_text_query(searcher: Searcher, text: str) -> Query:
    """Parse the query language (see :func:`archive.explore.parse_query`); terms AND together
    unless OR is written."""
    from .explore import parse_query

    return parse_query(searcher.schema, text)[0]


def match_count(searcher: Searcher, query: Query, results: Any = None) -> int:
    """How many live documents match ``query``: ``len(results)`` when the search already
    knows it, else counted per segment from sets of document numbers.

    A search for the top hits skips blocks of postings that cannot make the top, so Whoosh
    counts the matches with a second pass over every matching document, one Python call per
    document. Here a term's documents come from its posting blocks as arrays, ``And``/``Or``
    are set operations, and any other query (phrases, ranges, fuzzy terms) is matched as
    Whoosh would, so the count is the same, two to five times faster for terms and
    filters. Queries with phrases, ranges or expanded terms keep Whoosh's count.
    """
    if results is not None and (results.has_exact_length() or not _countable(query)):
        return len(results)
    total = 0
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        found = _docset(leaf, reader, query)
        if reader.has_deletions():
            found = found - reader.deleted_docs_set
        total += len(found)
    return total


def leaf_matches(leaf: Any, query: Query) -> list[int]:
    """The live documents of one segment's searcher matching ``query``, in order: from sets
    of posting ids (see :func:`match_count`) when the query is made of terms, else as
    Whoosh matches them."""
    if not _countable(query):
        return list(query.docs(leaf))
    reader = leaf.reader()
    found = _docset(leaf, reader, query)
    if reader.has_deletions():
        found -= reader.deleted_docs_set
    return sorted(found)


def _countable(query: Query) -> bool:
    """Whether ``query`` is made of terms with ``And``, ``Or`` and ``AndNot`` only."""
    if isinstance(query, Term) or query is NullQuery:
        return True
    if isinstance(query, AndNot):
        return _countable(query.a) and _countable(query.b)
    if type(query) in (And, Or):
        return all(_countable(sub) for sub in query.subqueries)
    return False


def _docset(leaf: Any, reader: Any, query: Query) -> set[int]:
    """Document numbers of one segment matching ``query`` (deleted ones possibly included)."""
    if isinstance(query, Term):
        try:
            if (query.fieldname, query.text) not in reader:
                return set()
            matcher = reader.postings(query.fieldname, query.text)
        except Exception:  # an unknown field or a value the field cannot encode
            return set(query.docs(leaf))
        return _posting_ids(getattr(matcher, "child", matcher))
    if isinstance(query, AndNot):
        return _docset(leaf, reader, query.a) - _docset(leaf, reader, query.b)
    if isinstance(query, And) and query.subqueries:
        sets = sorted((_docset(leaf, reader, sub) for sub in query.subqueries), key=len)
        return sets[0].intersection(*sets[1:])
    if isinstance(query, Or) and type(query) is Or:
        found: set[int] = set()
        for sub in query.subqueries:
            found |= _docset(leaf, reader, sub)
        return found
    if query is NullQuery:
        return set()
    return set(query.docs(leaf))


def _posting_ids(matcher: Any) -> set[int]:
    """Every id of a term's raw posting list, a block at a time when it is Whoosh 3's format."""
    found: set[int] = set()
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        while matcher.is_active():
            matcher._read_ids()
            found.update(matcher._ids)
            matcher._next_block()
        return found
    found.update(matcher.all_ids())
    return found


def _lead(body: str) -> str:
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
        from collections import deque

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


def facet_counts(
    searcher: Searcher, field_name: str, text: str | None, filters: Filters, folder: str | os.PathLike[str] | None = None
) -> list[tuple[str, int]]:
    """How many matching articles carry each value of ``field_name``, most frequent first.

    Counted from the facet sidecar of each segment (see :mod:`archive.facetstore`), kept in
    the index ``folder`` when given, never from stored fields.
    """
    from .facetstore import count_values

    check_field(field_name)
    query, _ = build_query(searcher, text, filters)
    shown = person_spellings(searcher) if field_name in PERSON_FIELDS else None
    return _sorted_counts(count_values(searcher, query, field_name, folder, shown))


def facet_counts_from_stored(searcher: Searcher, field_name: str, text: str | None, filters: Filters) -> list[tuple[str, int]]:
    """The same counts as :func:`facet_counts`, from every hit's stored fields (slow; the
    reference the sidecar is tested against)."""
    check_field(field_name)
    query, _ = build_query(searcher, text, filters)
    shown = person_spellings(searcher) if field_name in PERSON_FIELDS else {}
    counts: Counter[str] = Counter()
    for fields in _matching_fields(searcher, query):
        counts.update({shown.get(value, value) for value in split_values(fields.get(field_name))})
    return _sorted_counts(counts)


def _sorted_counts(counts: Counter[str]) -> list[tuple[str, int]]:
    """Counts most frequent first, ties by name."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))


def person_spellings(searcher: Searcher) -> dict[str, str]:
    """Each indexed person name mapped to the archive-wide spelling its group is shown under.

    Computed once per index state and kept beside the facet sidecars (see
    :func:`archive.facetstore.person_spellings`).
    """
    from .facetstore import person_spellings as stored_spellings

    return stored_spellings(searcher)


def _matching_fields(searcher: Searcher, query: Query) -> list[dict[str, Any]]:
    """Stored fields of every article matching ``query``."""
    return [searcher.stored_fields(number) for number in searcher.docs_for_query(query)]


def check_field(field_name: str) -> None:
    """Refuse a field that is not a facet."""
    if field_name not in KEYWORD_FIELDS:
        raise ArchiveError(f"unknown facet {field_name!r}: choose from {', '.join(KEYWORD_FIELDS)}")
