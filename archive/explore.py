"""Exploring the archive: curated search, richer queries, did-you-mean, timelines, export, completion.

This module is the library behind ``archive search``, ``facets``, ``related``, ``timeline``,
``export``, ``entities``, ``saved``, shell completion and the web view. It reads the index
through :mod:`archive.query` and applies the index's curation file (see
:mod:`archive.curation`) as it reads, so merged, renamed and dropped entities show at once.

Query language additions over :func:`archive.query.parse_text_query`:

* ``netanyahu~`` (fuzzy, one edit; ``netanyahu~2`` two edits), ``gant*`` and ``g?ntz``
  (prefix and wildcard), ``"gantz harris"~5`` (the words within five positions), and
  ``title:ceasefire`` / ``body:ceasefire`` (one field only);
* ``="peace talks"``: an exact phrase, matched word for word without stemming (plain
  ``"peace talks"`` is stemmed and also finds "peace talk"). Such phrases are checked against
  the stored title and body of each candidate, so they cost a pass over the matches.

Example::

    from archive.explore import search, suggest, timeline
    result = search("netanyahu~", index_path="index")
    for item in suggest("ceasfire", index_path="index"):
        print(item.message())
    print(timeline("gaza", by="month", index_path="index").periods)
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .curation import Curation, load_curation
from .errors import ArchiveError
from .query import FILTER_FIELDS, PERSON_FIELDS, Filters, Hit, SearchResult, check_field, check_text

TEXT_FIELDS = ("title", "body")
PERIODS = ("day", "week", "month", "year")
EXACT_PHRASE = re.compile(r'=\s*"([^"]*)"')
HIT_FIELDS = ("people", "organizations", "actors", "places", "countries", "topics", "source", "language")


@dataclass(frozen=True)
class Suggestion:
    """A query word or filter value with no match, and the closest names in the index."""

    field: str | None  # None for a word of the query
    value: str
    options: list[str]

    def message(self) -> str:
        """One line for people: ``No articles for --person 'Netanyhu'. Did you mean: Benjamin Netanyahu?``."""
        where = f"--{FILTER_FIELDS.get(self.field, self.field)} " if self.field else ""
        text = f"No articles for {where}{self.value!r}."
        if self.options:
            text += f" Did you mean: {', '.join(self.options)}?"
        return text

    def as_dict(self) -> dict[str, Any]:
        """For JSON output."""
        return {"field": self.field, "value": self.value, "suggestions": self.options}


@dataclass(frozen=True)
class Timeline:
    """Counts of matching articles per period (oldest first, empty periods included)."""

    by: str
    periods: list[tuple[str, int]]
    undated: int
    total: int


class _Reader:
    """An open searcher with the index's curation and the display names of its facet values."""

    def __init__(self, searcher: Any, curation: Curation, folder: str | os.PathLike[str] | None = None) -> None:
        self.searcher = searcher
        self.curation = curation
        self.folder = folder
        self._displays: dict[str, dict[str, str | None]] = {}

    def displays(self, field_name: str) -> dict[str, str | None]:
        """Every indexed value of a field mapped to the name it is shown as (None when dropped)."""
        if field_name not in self._displays:
            from .facetstore import folded_values
            from .query import person_spellings

            terms = [value for value, _ in folded_values(self.searcher, field_name, self.folder)]
            spelled = person_spellings(self.searcher) if field_name in PERSON_FIELDS else {}
            if self.curation.applies_to(field_name):
                shown = {term: self.curation.display(field_name, spelled.get(term, term), term) for term in terms}
            else:  # no rule touches the field: each value is shown as its spelling
                shown = {term: spelled.get(term, term) for term in terms}
            self._displays[field_name] = shown
        return self._displays[field_name]

    def show(self, field_name: str, values: list[str]) -> list[str]:
        """Values as shown: curated, dropped ones left out, duplicates merged."""
        if not self.curation.applies_to(field_name):
            return values
        shown: list[str] = []
        displays = self.displays(field_name)
        for value in values:
            name = displays.get(value, self.curation.display(field_name, value))
            if name is not None and name not in shown:
                shown.append(name)
        return shown

    def resolve(self, field_name: str, value: str) -> list[str]:
        """The indexed values a user's filter value means, curation included."""
        from .facets.lexicon import fold_key
        from .query import resolve_filter_values

        found = set(resolve_filter_values(self.searcher, field_name, value))
        if not self.curation.applies_to(field_name):
            return sorted(found)
        displays = self.displays(field_name)
        key = fold_key(value)
        found |= {term for term, shown in displays.items() if shown is not None and fold_key(shown) == key}
        wanted = {displays.get(term) for term in found} - {None}
        return sorted(term for term, shown in displays.items() if shown in wanted)

    def query(self, text: str | None, filters: Filters) -> tuple[Any, list[tuple[str, str]], list[str]]:
        """The Whoosh query, filter values that matched nothing, and exact phrases to check."""
        from .query import combine_query

        parsed, phrases = parse_query(self.searcher.schema, text) if text and text.strip() else (None, [])
        query, unmatched = combine_query(
            parsed, filters, lambda field_name, value: self.resolve(field_name, check_text(value, field_name))
        )
        return query, unmatched, phrases

    def matching(self, text: str | None, filters: Filters) -> list[int]:
        """Document numbers of every matching article."""
        query, _, phrases = self.query(text, filters)
        numbers = list(self.searcher.docs_for_query(query))
        if phrases:
            numbers = [number for number in numbers if _has_phrases(self.searcher.stored_fields(number), phrases)]
        return numbers

    def counts(self, field_name: str, text: str | None, filters: Filters, extra: Any = None, leave_out: set[str] = frozenset()) -> list[tuple[str, int]]:
        """Matching articles per shown value of a field, most frequent first (an article counts once per name).

        Counted from the facet sidecar (:mod:`archive.facetstore`), or from stored fields when
        exact phrases have to be checked.
        """
        from whoosh.query import And

        from .store import split_values

        displays = self.displays(field_name)
        query, _, phrases = self.query(text, filters)
        if extra is not None:
            query = And([query, extra])
        counts: Counter[Any] = Counter()
        if phrases:
            for number in self.searcher.docs_for_query(query):
                fields = self.searcher.stored_fields(number)
                if _has_phrases(fields, phrases):
                    counts.update({displays.get(value, value) for value in split_values(fields.get(field_name))})
        else:
            from .facetstore import count_values

            counts = count_values(self.searcher, query, field_name, self.folder, displays)
        for name in {None, *leave_out}:
            counts.pop(name, None)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))


def _open(index_path: str | os.PathLike[str] | None) -> tuple[Any, Curation]:
    """The index and its curation."""
    from .api import index_location
    from .store import open_index

    location = index_location(index_path)
    return open_index(location), load_curation(location)


@contextmanager
def _searching(index_path: Any) -> Iterator[tuple[Any, Curation, Any]]:
    """An open searcher, the curation and the index folder for one call.

    ``index_path`` may be an open :class:`archive.api.Archive`, whose searcher (refreshed
    when the index has changed) and curation are reused; otherwise the index is opened for
    this call only.
    """
    reading = getattr(index_path, "reading", None)
    if reading is not None:
        with reading() as opened:
            yield opened
        return
    from .api import index_location

    index, curation = _open(index_path)
    with index.searcher() as searcher:
        yield searcher, curation, index_location(index_path)


def _reader(searcher: Any, curation: Curation, index_path: str | os.PathLike[str] | None) -> _Reader:
    """A reader over an open searcher, knowing the index folder (for the facet sidecar)."""
    from .api import index_location

    return _Reader(searcher, curation, index_location(index_path))


def parse_query(schema: Any, text: str) -> tuple[Any, list[str]]:
    """Parse the query language with fuzzy terms; ``="..."`` phrases are also returned to be checked exactly."""
    from whoosh.qparser import FuzzyTermPlugin, MultifieldParser
    from whoosh.query import NullQuery

    check_text(text, "query")
    phrases = [" ".join(found.split()) for found in EXACT_PHRASE.findall(text) if found.strip()]
    plain = EXACT_PHRASE.sub(lambda match: f'"{match.group(1)}"', text)
    parser = MultifieldParser(list(TEXT_FIELDS), schema=schema)
    parser.add_plugin(FuzzyTermPlugin())
    try:
        query = parser.parse(plain)
    except Exception as error:  # the parser raises assorted errors on odd input
        raise ArchiveError(f"cannot parse query {text!r}: {error}") from error
    if query is NullQuery:
        raise ArchiveError(f"query {text!r} has no searchable words")
    return query, phrases


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as whole words, any case, any whitespace between them."""
    words = phrase.split()
    return re.compile(r"(?<!\w)" + r"\W+".join(re.escape(word) for word in words) + r"(?!\w)", re.IGNORECASE)


def _has_phrases(fields: dict[str, Any], phrases: list[str]) -> bool:
    """Whether the stored title or body holds every phrase word for word."""
    text = f"{fields.get('title', '')}\n{fields.get('body', '')}"
    return all(_phrase_pattern(phrase).search(text) for phrase in phrases)


def search(
    text: str | None = None,
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
    sort: str = "relevance",
    limit: int | None = 10,
    offset: int = 0,
    exclude: frozenset[str] | set[str] = frozenset(),
) -> SearchResult:
    """Like :func:`archive.api.search`, with curation, fuzzy terms and exact phrases.

    Articles whose ids are in ``exclude`` are left out (``archive saved NAME --new``).
    """
    from .query import Snippets, _lead

    filters = filters or Filters()
    with _searching(index_path) as (searcher, curation, location):
        reader = _Reader(searcher, curation, location)
        query, unmatched, phrases = reader.query(text, filters)
        by_date = sort == "date" or not (text and text.strip())
        wanted = None if (limit is None or phrases or exclude) else offset + limit
        options: dict[str, Any] = {"sortedby": "date", "reverse": True} if by_date else {}
        results = searcher.search(query, limit=wanted, terms=True, **options)
        snippets = Snippets(results, "body") if text else None
        if phrases or exclude:
            matched = [
                hit for hit in results
                if hit.get("id") not in exclude and (not phrases or _has_phrases(hit.fields(), phrases))
            ]
            total = len(matched)
            page = matched[offset:] if limit is None else matched[offset : offset + limit]
        else:
            from .query import match_count

            total = match_count(searcher, query, results)
            page = list(results[offset:])
        hits = []
        for hit in page:
            stored = hit.fields()
            fields = dict(stored)
            for name in HIT_FIELDS:
                if name in fields and curation.applies_to(name):
                    from .store import split_values

                    fields[name] = ",".join(reader.show(name, split_values(fields[name])))
            body = stored.get("body", "")
            snippet = snippets.of(hit, body) if snippets else ""
            hits.append(Hit(fields, None if by_date else hit.score, snippet or _lead(body)))
        return SearchResult(hits, total, unmatched)


def matching_ids(
    text: str | None = None,
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
) -> list[str]:
    """Ids of every article matching the query and filters."""
    with _searching(index_path) as (searcher, curation, location):
        reader = _Reader(searcher, curation, location)
        return [searcher.stored_fields(number)["id"] for number in reader.matching(text, filters or Filters())]


def suggest(
    text: str | None = None,
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
    limit: int = 3,
) -> list[Suggestion]:
    """Did you mean: for each filter value and query word that matches nothing, the closest names or words.

    Filter values are compared with the facet values shown in the index (whole names and their
    words, so "Netanyhu" finds "Benjamin Netanyahu"); query words with the indexed words of
    title and body through Whoosh's spelling corrector, shown as written in an article.
    """
    filters = filters or Filters()
    suggestions: list[Suggestion] = []
    with _searching(index_path) as (searcher, curation, location):
        reader = _Reader(searcher, curation, location)
        for field_name, values in filters.values.items():
            for value in values:
                check_text(value, field_name)
                if not reader.resolve(field_name, value):
                    suggestions.append(Suggestion(field_name, value, _close_names(reader, field_name, value, limit)))
        if text and text.strip():
            suggestions.extend(_word_suggestions(searcher, text, limit))
    return suggestions


def _close_names(reader: _Reader, field_name: str, value: str, limit: int) -> list[str]:
    """Shown names of a field closest to ``value``, as whole names or by one of their words."""
    from .facets.lexicon import fold_key

    frequency: Counter[str] = Counter()
    for term, shown in reader.displays(field_name).items():
        if shown is not None:
            frequency[shown] += reader.searcher.doc_frequency(field_name, term)
    wanted = fold_key(value)
    scored: list[tuple[float, int, str]] = []
    for name, count in frequency.items():
        key = fold_key(name)
        score = difflib.SequenceMatcher(None, wanted, key).ratio()
        for word in key.split():
            if len(word) > 2:
                score = max(score, difflib.SequenceMatcher(None, wanted, word).ratio())
        if score >= 0.75:
            scored.append((score, count, name))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2].casefold()))
    return [name for _, _, name in scored[:limit]]


def _word_suggestions(searcher: Any, text: str, limit: int) -> list[Suggestion]:
    """Query words found in no title or body, with the closest indexed words."""
    from whoosh.query import FuzzyTerm, Term

    query, _ = parse_query(searcher.schema, text)
    seen: set[str] = set()
    suggestions = []
    corrector = searcher.corrector("body")
    for leaf in query.leaves():
        if type(leaf) is not Term or leaf.fieldname not in TEXT_FIELDS or isinstance(leaf, FuzzyTerm):
            continue
        word = leaf.text
        if word in seen or any(searcher.doc_frequency(name, word) for name in TEXT_FIELDS):
            continue
        seen.add(word)
        options = []
        for stem in corrector.suggest(word, limit=limit, maxdist=2):
            written = _written_form(searcher, stem)
            if written and written not in options:
                options.append(written)
        suggestions.append(Suggestion(None, _typed_word(text, word), options))
    return suggestions


def _typed_word(text: str, stem: str) -> str:
    """The word of the query that gave ``stem`` (the stem itself if none is found)."""
    for word in re.findall(r"\w+", text):
        if word.lower().startswith(stem[: max(3, len(stem) - 2)]):
            return word
    return stem


def _written_form(searcher: Any, stem: str) -> str | None:
    """An indexed (stemmed) word as it is written in the first article that holds it."""
    from whoosh.query import Term

    analyzer = searcher.schema["body"].analyzer
    for number in searcher.docs_for_query(Term("body", stem)):
        body = searcher.stored_fields(number).get("body", "")
        for token in analyzer(body, chars=True):
            if token.text == stem:
                return body[token.startchar : token.endchar].lower()
        break
    return stem


def facet_counts(
    field_name: str,
    text: str | None = None,
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
) -> list[tuple[str, int]]:
    """Like :func:`archive.api.facets`, with curation, fuzzy terms and exact phrases."""
    check_field(field_name)
    filters = filters or Filters()
    with _searching(index_path) as (searcher, curation, location):
        reader = _Reader(searcher, curation, location)
        return reader.counts(field_name, text, filters)


def related(
    name: str,
    field_name: str = "actors",
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
) -> tuple[str, list[str], list[tuple[str, int]]]:
    """Like :func:`archive.api.related`, with curation: (field found in, names matched, counts)."""
    from whoosh.query import Or, Term

    check_field(field_name)
    filters = filters or Filters()
    with _searching(index_path) as (searcher, curation, location):
        reader = _Reader(searcher, curation, location)
        for source_field in ("people", "organizations", "places", "countries", "topics"):
            terms = reader.resolve(source_field, name)
            if terms:
                break
        else:
            raise ArchiveError(f"no person, organization, place, country or topic called {name!r} in the index")
        shown = reader.show(source_field, terms)
        itself = set(shown) | set(reader.show(field_name, terms)) | {reader.displays(field_name).get(term) or term for term in terms}
        counts = reader.counts(field_name, None, filters, Or([Term(source_field, term) for term in terms]), itself)
        return source_field, terms if curation.is_empty() else shown, counts


def timeline(
    text: str | None = None,
    *,
    filters: Filters | None = None,
    by: str = "month",
    index_path: str | os.PathLike[str] | None = None,
) -> Timeline:
    """How many matching articles there are per day, week (ISO, ``2024-W09``), month or year."""
    if by not in PERIODS:
        raise ArchiveError(f"unknown period {by!r}: choose from {', '.join(PERIODS)}")
    with _searching(index_path) as (searcher, curation, location):
        reader = _Reader(searcher, curation, location)
        numbers = reader.matching(text, filters or Filters())
        dates: list[date] = []
        undated = 0
        for number in numbers:
            found = _day(searcher.stored_fields(number).get("date_iso"))
            if found is None:
                undated += 1
            else:
                dates.append(found)
    counts = Counter(period_label(day, by) for day in dates)
    periods: list[tuple[str, int]] = []
    if dates:
        day, last = min(dates), max(dates)
        while day <= last:
            label = period_label(day, by)
            if not periods or periods[-1][0] != label:
                periods.append((label, counts.get(label, 0)))
            day = _next_period(day, by)
        last_label = period_label(last, by)
        if periods[-1][0] != last_label:
            periods.append((last_label, counts.get(last_label, 0)))
    return Timeline(by, periods, undated, len(numbers))


def _day(value: str | None) -> date | None:
    """The calendar day of a stored ISO date."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def period_label(day: date, by: str) -> str:
    """The period a day falls in: ``2024-03-05``, ``2024-W10``, ``2024-03`` or ``2024``."""
    if by == "day":
        return day.isoformat()
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def _next_period(day: date, by: str) -> date:
    """The first day of the period after the one ``day`` is in."""
    if by == "day":
        return day + timedelta(days=1)
    if by == "week":
        return day + timedelta(days=7 - day.weekday())
    if by == "month":
        return date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return date(day.year + 1, 1, 1)


def export(
    text: str | None = None,
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
) -> tuple[int, Iterator[dict[str, Any]]]:
    """Every matching article with all its fields (curated facets), oldest first, undated last.

    Returns the number of articles and an iterator over their records, which keeps the index
    open until it is used up.
    """
    from .api import stored_article

    index, curation = _open(index_path)
    searcher = index.searcher()
    try:
        reader = _reader(searcher, curation, index_path)
        numbers = reader.matching(text, filters or Filters())
        dated = {number: searcher.stored_fields(number).get("date_iso") or "" for number in numbers}
        numbers.sort(key=lambda number: (not dated[number], dated[number], number))
    except BaseException:
        searcher.close()
        raise

    def records() -> Iterator[dict[str, Any]]:
        try:
            for number in numbers:
                record = stored_article(searcher.stored_fields(number))
                for name in HIT_FIELDS:
                    if isinstance(record.get(name), list):
                        record[name] = reader.show(name, record[name])
                yield record
        finally:
            searcher.close()

    return len(numbers), records()


def completions(
    field_name: str,
    incomplete: str = "",
    *,
    index_path: str | os.PathLike[str] | None = None,
    limit: int = 50,
) -> list[str]:
    """Shown values of a facet that start with ``incomplete`` (or have a word that does), most frequent first."""
    from .facets.lexicon import fold_key

    check_field(field_name)
    wanted = fold_key(incomplete) if incomplete.strip() else ""
    with _searching(index_path) as (searcher, curation, location):
        reader = _Reader(searcher, curation, location)
        frequency: Counter[str] = Counter()
        for term, shown in reader.displays(field_name).items():
            if shown is not None:
                frequency[shown] += searcher.doc_frequency(field_name, term)
    ranked = []
    for name, count in frequency.items():
        key = fold_key(name)
        if not wanted or key.startswith(wanted):
            ranked.append((0, -count, name))
        elif any(word.startswith(wanted) for word in key.split()):
            ranked.append((1, -count, name))
    ranked.sort(key=lambda item: (item[0], item[1], item[2].casefold()))
    return [name for _, _, name in ranked[:limit]]


def article(article_id: str, *, index_path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Like :func:`archive.api.show`, with curated facets."""
    from .api import index_location, show

    record = show(article_id, index_path=index_path)
    curation = load_curation(index_location(index_path))
    if curation.is_empty():
        return record
    index, _ = _open(index_path)
    with index.searcher() as searcher:
        reader = _reader(searcher, curation, index_path)
        for name in HIT_FIELDS:
            if isinstance(record.get(name), list):
                record[name] = reader.show(name, record[name])
    return record
