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
from functools import lru_cache
from typing import Any

from ._light import import_whoosh

import_whoosh()  # before any other Whoosh import: see archive._light

from whoosh.qparser import FuzzyTermPlugin, MultifieldParser
from whoosh.query import And, AndNot, DateRange, Every, FuzzyTerm, NullQuery, Or, Phrase, Prefix, Query, Require, Term, Wildcard
from whoosh.searching import Searcher

from .analysis import STOP_WORD_BOOST, fold, stemmer, stemming_language, stop_words
from .errors import BadQuery
from .facetstore import folded_values
from .facetstore import person_spellings as stored_spellings
from .fields import FIELD_NAMES, FIELDS, PERSON_FIELDS
from .folding import fold_key
from .models import SURROGATES

TEXT_FIELDS = ("title", "body")
ANALYSED_FIELDS = ("title", "body", "author")
SINGLE_VALUE_FIELDS = frozenset(field.name for field in FIELDS if not field.is_list)
EXACT_PHRASE = re.compile(r'=\s*"([^"]*)"')
QUOTED = re.compile(r'"[^"]*"')
FIELD_PREFIX = re.compile(r'(?<![\w:/.])([A-Za-z_]+):(?=[^\s/])')
FIELD_ALIASES = {field.option: field.name for field in FIELDS if field.option != field.name}
QUERY_FIELDS = (*ANALYSED_FIELDS, "date", *FIELD_NAMES)


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
    check_text(text, "query")
    text = _checked_fields(text)
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


def _checked_fields(text: str) -> str:
    """The query with quotes and parentheses checked, and the filter options' names used as
    fields (``person:gantz`` is ``people:gantz``); an unknown field is an error."""
    if text.count('"') % 2:
        raise BadQuery(f"unbalanced quote in the query {text!r}: close the phrase with \"")
    outside = QUOTED.sub(lambda match: '"' + " " * (len(match.group()) - 2) + '"', text)  # phrases blanked
    depth = 0
    for char in outside:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth:
        raise BadQuery(f"unbalanced parentheses in the query {text!r}")
    pieces, last = [], 0
    for match in FIELD_PREFIX.finditer(outside):
        name = match.group(1)
        if name not in QUERY_FIELDS and name not in FIELD_ALIASES:
            known = ", ".join(QUERY_FIELDS)
            raise BadQuery(f"unknown field {name!r} in the query {text!r}: use one of {known} (or a filter option's name, such as person)")
        if name in FIELD_ALIASES:
            pieces += [text[last : match.start(1)], FIELD_ALIASES[name]]
            last = match.end(1)
    return "".join(pieces) + text[last:]


def analyse_query(
    query: Query, languages: dict[str | None, tuple[str, ...]], resolve: Callable[[str, str], list[str]]
) -> Query:
    """The parsed query as the index holds terms.

    Each article's words are stemmed in its own language, so the query is analysed once per
    stemming language of the index (``languages`` maps each to the language values of its
    articles, ``""`` standing for articles of unknown language) and each analysis is held to
    the articles of that language: a word's German stem never matches an English article. With
    one language, as most archives have, no language condition is added. Prefixes, wildcards
    and fuzzy words are folded; facet fields (``people:gantz``) are resolved like the filter
    options (``resolve`` maps a field and a value to the indexed values).
    """
    resolved: dict[tuple[str, str], Query] = {}

    def facet(fieldname: str, value: str) -> Query:
        if (fieldname, value) not in resolved:
            terms = resolve(fieldname, value)
            resolved[fieldname, value] = Or([Term(fieldname, term) for term in terms]) if terms else NullQuery
        return resolved[fieldname, value]

    def analysed(language: str | None) -> Query:
        stem = stemmer(language)

        def leaf(node: Query) -> Query:
            fieldname = getattr(node, "fieldname", None)
            if fieldname in FIELD_NAMES:
                value = " ".join(node.words) if isinstance(node, Phrase) else getattr(node, "text", None)
                return facet(fieldname, value) if isinstance(value, str) else node
            if fieldname not in ANALYSED_FIELDS:
                return node
            if isinstance(node, FuzzyTerm):
                return FuzzyTerm(fieldname, fold(node.text), boost=node.boost, maxdist=node.maxdist, prefixlength=node.prefixlength)
            if isinstance(node, (Prefix, Wildcard)):
                return type(node)(fieldname, fold(node.text), boost=node.boost)
            if isinstance(node, Term):
                low = STOP_WORD_BOOST if fold(node.text) in stop_words() else 1.0
                return Term(fieldname, stem(node.text), boost=node.boost * low)
            if isinstance(node, Phrase):
                return Phrase(fieldname, [stem(word) for word in node.words], slop=node.slop, boost=node.boost)
            return node

        def walk(node: Query) -> Query:
            return leaf(node) if node.is_leaf() else node.apply(walk)

        return walk(query)

    groups: list[tuple[Query, list[str]]] = []  # languages whose analyses are the same query share it
    for language, values in languages.items():
        query_of_language = analysed(language)
        for known, covered in groups:
            if known == query_of_language:
                covered.extend(values)
                break
        else:
            groups.append((query_of_language, list(values)))
    if len(groups) == 1:
        return groups[0][0]
    every = [value for values in languages.values() for value in values if value]
    parts = []
    for known, covered in groups:
        if "" in covered:  # articles of unknown language are among these: "not any other language"
            others = [Term("language", value) for value in every if value not in covered]
            parts.append(AndNot(known, Or(others)))
        else:
            parts.append(Require(known, Or([Term("language", value) for value in covered])))
    return Or(parts)


def stemming_languages(values: list[str]) -> dict[str | None, tuple[str, ...]]:
    """The stemming languages of articles whose language values are ``values``, each with its
    values (None: words not stemmed); articles of unknown language (``""``) are stemmed as
    English."""
    found: dict[str | None, list[str]] = {stemming_language(None): [""]}
    for value in values:
        if value:
            found.setdefault(stemming_language(value), []).append(value)
    return {language: tuple(group) for language, group in found.items()}


def _exact(text: str) -> str:
    """Text with typographic apostrophes as ``'``, as exact phrases are compared."""
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as whole words, any case, any whitespace between them."""
    words = _exact(phrase).split()
    return re.compile(r"(?<!\w)" + r"\W+".join(re.escape(word) for word in words) + r"(?!\w)", re.IGNORECASE)


def has_phrases(fields: dict[str, Any], phrases: list[str]) -> bool:
    """Whether every phrase is written word for word within the stored title or within the
    stored body (not across the two); ’ and ' are the same letter."""
    texts = [_exact(fields.get("title", "") or ""), _exact(fields.get("body", "") or "")]
    return all(any(pattern.search(text) for text in texts) for pattern in map(_phrase_pattern, phrases))


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
    from .facets.lexicon import load_lexicon  # the word lists load only when a filter value is looked up

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
    from .facets import gazetteer as places  # extraction code: loaded only when a place filter is looked up

    if places.load_gazetteer.cache_info().currsize:
        return places.load_gazetteer()
    return _lean_gazetteer(value)


@lru_cache(maxsize=1)
def _lean_tables() -> tuple[dict[str, str], dict[str, str], str]:
    """The gazetteer's countries and demonyms, and the text of its places file (2.4 MB: kept
    by a long-lived process, whose filters then cost no file reading)."""
    from .facets import gazetteer as places  # as in _gazetteer_for: only a filter value looked up loads it

    countries = {}
    for line in places._rows(places._read_data("countries.tsv")):
        iso2, name, _ = line.split("\t", 2)
        countries[iso2] = name
    demonyms = {}
    for line in places._rows(places._read_data("demonyms.tsv")):
        word, iso2 = line.split("\t")
        demonyms[places.fold(word)] = iso2
    return countries, demonyms, places._read_data("places.tsv")


def _lean_gazetteer(value: str) -> Any:
    """The gazetteer's countries and demonyms with only the places rows for ``value``."""
    from .facets import gazetteer as places  # as in _gazetteer_for

    countries, demonyms, text = _lean_tables()
    key = places.fold(value)
    keys = {key, places._strip_possessive(key) or key}
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
