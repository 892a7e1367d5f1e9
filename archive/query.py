"""Queries: the query language, facet filters and date ranges, turned into Whoosh queries.

Full text uses Whoosh's query language over title and body (AND/OR/NOT, "phrases",
``field:value``), with additions:

* ``netanyahu~`` (fuzzy, one edit; ``netanyahu~2`` two edits), ``gant*`` and ``g?ntz``
  (prefix and wildcard), ``"gantz harris"~5`` (the words within five positions), and
  ``title:ceasefire`` / ``body:ceasefire`` (one field only);
* ``="peace talks"``: an exact phrase, matched word for word without stemming (plain
  ``"peace talks"`` is stemmed and also finds "peace talk"). Such phrases are checked against
  the stored title and body of each candidate (:func:`has_phrases`).

Facet filters are resolved against the values in the index, case- and accent-insensitively
and alias-aware: ``--person gantz`` finds "Benny Gantz", ``--country us`` finds "United States".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ._light import import_whoosh

import_whoosh()  # before any other Whoosh import: see archive._light

from whoosh.query import And, DateRange, Every, NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from .errors import BadQuery
from .facetstore import folded_values
from .facetstore import person_spellings as stored_spellings
from .fields import FIELD_NAMES, FIELDS, PERSON_FIELDS
from .folding import fold_key
from .models import SURROGATES

TEXT_FIELDS = ("title", "body")
SINGLE_VALUE_FIELDS = frozenset(field.name for field in FIELDS if not field.is_list)
EXACT_PHRASE = re.compile(r'=\s*"([^"]*)"')


@dataclass(frozen=True)
class Filters:
    """Facet and date filters: values across fields AND together, and so do several values of a
    list field (people); several values of a single-value field (language, source) OR, since
    an article has only one. ``since``/``until`` are days, or datetimes when a time was given."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    since: date | None = None
    until: date | None = None

    def is_empty(self) -> bool:
        """Whether no filter is set."""
        return not any(self.values.values()) and self.since is None and self.until is None


def parse_query(schema: Any, text: str) -> tuple[Query, list[str]]:
    """Parse the query language with fuzzy terms; ``="..."`` phrases are also returned to be checked exactly."""
    from whoosh.qparser import FuzzyTermPlugin, MultifieldParser

    check_text(text, "query")
    phrases = [" ".join(found.split()) for found in EXACT_PHRASE.findall(text) if found.strip()]
    plain = EXACT_PHRASE.sub(lambda match: f'"{match.group(1)}"', text)
    parser = MultifieldParser(list(TEXT_FIELDS), schema=schema)
    parser.add_plugin(FuzzyTermPlugin())
    try:
        query = parser.parse(plain)
    except Exception as error:  # the parser raises assorted errors on odd input
        raise BadQuery(f"cannot parse query {text!r}: {error}") from error
    if query is NullQuery:
        raise BadQuery(f"query {text!r} has no searchable words")
    return query, phrases


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as whole words, any case, any whitespace between them."""
    words = phrase.split()
    return re.compile(r"(?<!\w)" + r"\W+".join(re.escape(word) for word in words) + r"(?!\w)", re.IGNORECASE)


def has_phrases(fields: dict[str, Any], phrases: list[str]) -> bool:
    """Whether the stored title or body holds every phrase word for word."""
    text = f"{fields.get('title', '')}\n{fields.get('body', '')}"
    return all(_phrase_pattern(phrase).search(text) for phrase in phrases)


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
    return folded_values(searcher, field_name)


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
        if field_name in SINGLE_VALUE_FIELDS:  # an article has one language: repeating means any of them
            terms = [term for value in values for term in resolve(field_name, value)]
            unmatched.extend((field_name, value) for value in values if not terms)
            parts.append(Or([Term(field_name, term) for term in terms]) if terms else NullQuery)
            continue
        for value in values:
            terms = resolve(field_name, value)
            if not terms:
                unmatched.append((field_name, value))
                parts.append(NullQuery)
            else:
                parts.append(Or([Term(field_name, term) for term in terms]))
    if filters.since or filters.until:
        start = _moment(filters.since, datetime.min.time()) if filters.since else None
        end = _moment(filters.until, datetime.max.time()) if filters.until else None
        parts.append(DateRange("date", start, end))
    if not parts:
        return Every(), unmatched
    return (parts[0] if len(parts) == 1 else And(parts)), unmatched


def _moment(bound: date, at: Any) -> datetime:
    """A date bound as a moment: a datetime (a time of day was given) as it is, a day at ``at``."""
    return bound if isinstance(bound, datetime) else datetime.combine(bound, at)


def check_text(value: str, what: str) -> str:
    """``value`` if it is valid text; bytes that were not UTF-8 (command-line arguments keep
    them as lone surrogates) cannot be searched for and are refused."""
    if SURROGATES.search(value):
        raise BadQuery(f"{what} {value!r} is not valid text: it holds bytes that are not UTF-8")
    return value


def person_spellings(searcher: Searcher) -> dict[str, str]:
    """Each indexed person name mapped to the archive-wide spelling its group is shown under.

    Computed once per index state and kept beside the facet sidecars (see
    :func:`archive.facetstore.person_spellings`).
    """
    return stored_spellings(searcher)


def check_field(field_name: str) -> None:
    """Refuse a field that is not a facet."""
    if field_name not in FIELD_NAMES:
        raise BadQuery(f"unknown facet {field_name!r}: choose from {', '.join(FIELD_NAMES)}")
