"""Reading the archive: search, facet counts, related names, did-you-mean, timelines, export,
completion, one article and statistics.

Every operation takes a :class:`Reader`: an open searcher with the index's curation (see
:mod:`archive.curation`) and the display names of its facet values, so merged, renamed and
dropped entities show at once. :class:`archive.api.Archive` owns the reader of an open index;
the query language is :mod:`archive.query`.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ._light import import_whoosh

import_whoosh()  # before any other Whoosh import: see archive._light

from whoosh.query import And, AndNot, FuzzyTerm, Not, Or, Term
from whoosh.sorting import FieldFacet

from . import completions as completion_cache
from .curation import Curation
from .dates import article_datetime, article_day
from .errors import BadQuery, NotFound
from .facetstore import count_values, folded_values
from .fields import BY_NAME, FIELD_NAMES, PERSON_FIELDS, RELATED_SOURCES, option_of
from .analysis import stemmer
from .folding import fold_key
from .models import Hit, SearchResult
from .postings import match_count, matching_numbers
from .query import (
    TEXT_FIELDS,
    Filters,
    analyse_query,
    check_field,
    check_text,
    combine_query,
    has_phrases,
    parse_query,
    person_spellings,
    resolve_filter_values,
    stemming_languages,
)
from .snippets import Snippets, lead
from .store import index_size, record_from_stored, split_values

PERIODS = ("day", "week", "month", "year")
MIN_SUGGESTED = 3  # did-you-mean offers indexed words of at least this many letters
SHORT_SUGGESTIONS = 10  # more candidates asked of the corrector, as short ones are passed over


@dataclass(frozen=True)
class Suggestion:
    """A query word or filter value with no match, and the closest names in the index."""

    field: str | None  # None for a word of the query
    value: str
    options: list[str]

    def message(self) -> str:
        """One line for people: ``No articles for --person 'Netanyhu'. Did you mean: Benjamin Netanyahu?``."""
        where = f"--{option_of(self.field)} " if self.field else ""
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


MAX_RESOLVED_FILTERS = 1024  # filter values a reader keeps resolved (all let go past that)


class Reader:
    """An open searcher with the index's curation and the display names of its facet values.

    ``folder`` is the index folder (facet sidecars, catalog). A reader is valid for one state
    of the index and of its curation; :class:`archive.api.Archive` makes a new one when
    either changes.
    """

    def __init__(self, searcher: Any, curation: Curation, folder: str | os.PathLike[str], *, arrays: bool = True) -> None:
        self.searcher = searcher
        self.arrays = arrays  # posting arrays (numpy) for counting, else sets: see archive.postings
        self.curation = curation
        self.folder = folder
        self._displays: dict[str, dict[str, str | None]] = {}
        self._languages: dict[str | None, tuple[str, ...]] | None = None
        self._array_cache: Any = None
        self._resolved: dict[tuple[str, str], list[str]] = {}  # (field, a user's value) → indexed values

    def array_cache(self) -> Any:
        """What the array ranking keeps for this reader's life (:class:`archive.ranking.ArrayCache`)."""
        if self._array_cache is None:
            from .ranking import ArrayCache  # numpy: loaded by readers that count with arrays only (a one-shot command uses sets)

            self._array_cache = ArrayCache(folder=self.folder)
        return self._array_cache

    def displays(self, field_name: str) -> dict[str, str | None]:
        """Every indexed value of a field mapped to the name it is shown as (None when dropped)."""
        if field_name not in self._displays:
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

    def curated(self, record: dict[str, Any]) -> dict[str, Any]:
        """A record (stored fields, or an article record with lists) with its facets as shown."""
        for name in FIELD_NAMES:
            value = record.get(name)
            if not value or not self.curation.applies_to(name):
                continue
            if isinstance(value, list):
                record[name] = self.show(name, value)
            elif isinstance(value, str):
                record[name] = ",".join(self.show(name, split_values(value)))
        return record

    def resolve(self, field_name: str, value: str) -> list[str]:
        """The indexed values a user's filter value means, curation included (kept for the
        reader's life: a long-lived reader meets the same filters again)."""
        key = (field_name, value)
        if key not in self._resolved:
            if len(self._resolved) >= MAX_RESOLVED_FILTERS:
                self._resolved.clear()
            self._resolved[key] = self._resolve(field_name, value)
        return list(self._resolved[key])

    def _resolve(self, field_name: str, value: str) -> list[str]:
        found = set(resolve_filter_values(self.searcher, field_name, value))
        if not self.curation.applies_to(field_name):
            return sorted(found)
        displays = self.displays(field_name)
        key = fold_key(value)
        found |= {term for term, shown in displays.items() if shown is not None and fold_key(shown) == key}
        wanted = {displays.get(term) for term in found} - {None}
        return sorted(term for term, shown in displays.items() if shown in wanted)

    def languages(self) -> dict[str | None, tuple[str, ...]]:
        """The stemming languages of the index's articles and their language values (see
        :func:`archive.query.analyse_query`)."""
        if self._languages is None:
            self._languages = stemming_languages([value for value, _ in folded_values(self.searcher, "language", self.folder)])
        return self._languages

    def query(self, text: str | None, filters: Filters) -> tuple[Any, list[tuple[str, str]], list[str]]:
        """The Whoosh query, filter values that matched nothing, and exact phrases to check."""

        def resolve(field_name: str, value: str) -> list[str]:
            return self.resolve(field_name, check_text(value, field_name))

        parsed, phrases = parse_query(self.searcher.schema, text) if text and text.strip() else (None, [])
        if parsed is not None:
            parsed = analyse_query(parsed, self.languages(), resolve)
        query, unmatched = combine_query(parsed, filters, resolve)
        return query, unmatched, phrases

    def matching(self, text: str | None, filters: Filters) -> list[int]:
        """Document numbers of every matching article."""
        query, _, phrases = self.query(text, filters)
        numbers = matching_numbers(self.searcher, query, arrays=self.arrays)
        if phrases:
            numbers = [number for number in numbers if has_phrases(self.searcher.stored_fields(number), phrases)]
        return numbers

    def counts(
        self, field_name: str, text: str | None, filters: Filters, extra: Any = None, leave_out: frozenset[str] = frozenset()
    ) -> list[tuple[str, int]]:
        """Matching articles per shown value of a field, most frequent first (an article counts once per name).

        Counted from the facet sidecar (:mod:`archive.facetstore`), or from stored fields when
        exact phrases have to be checked.
        """
        displays = self.displays(field_name)
        query, _, phrases = self.query(text, filters)
        if extra is not None:
            query = And([query, extra])
        if self.arrays and not phrases:
            from .ranking import facet_counts  # numpy: loaded by readers that count with arrays only (a one-shot command uses sets)

            found = facet_counts(self.searcher, query, field_name, self.folder, displays, self.array_cache(), leave_out)
            if found is not None:
                return found
        counts: Counter[Any] = Counter()
        if phrases:
            for number in matching_numbers(self.searcher, query, arrays=self.arrays):
                fields = self.searcher.stored_fields(number)
                if has_phrases(fields, phrases):
                    counts.update({displays.get(value, value) for value in split_values(fields.get(field_name))})
        else:
            counts = count_values(self.searcher, query, field_name, self.folder, displays)
        for name in {None, *leave_out}:
            counts.pop(name, None)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))


SORTS = ("relevance", "newest", "oldest", "date")


def search(
    reader: Reader,
    text: str | None = None,
    *,
    filters: Filters | None = None,
    sort: str = "relevance",
    limit: int | None = 10,
    offset: int = 0,
    exclude: frozenset[str] | set[str] = frozenset(),
) -> SearchResult:
    """Full-text and faceted search; hits carry stored fields (facets curated), score and a
    marked snippet. ``sort`` is ``relevance`` (the default with a query), ``newest`` (also
    ``date``; the default without one) or ``oldest``; in both date orders undated articles
    come last.

    Exact phrases (``="..."``) are checked word for word; articles whose ids are in
    ``exclude`` are left out (``archive saved NAME --new``).
    """
    filters = filters or Filters()
    searcher = reader.searcher
    query, unmatched, phrases = reader.query(text, filters)
    if sort not in SORTS:
        raise BadQuery(f"unknown sort {sort!r}: choose from {', '.join(SORTS)}")
    by_date = sort != "relevance" or not (text and text.strip())
    wanted = None if (limit is None or phrases or exclude) else offset + limit
    if reader.arrays:
        found = _array_search(reader, query, text, phrases, exclude, by_date=by_date, oldest_first=sort == "oldest", limit=limit, offset=offset)
        if found is not None:
            return SearchResult(found[0], found[1], unmatched)
    options: dict[str, Any] = {"sortedby": date_order(oldest_first=sort == "oldest")} if by_date else {}
    if has_negation(query):
        # Whoosh's AndNot matcher keeps some documents that the excluded part matches
        # ("aid NOT border" listed an article holding both words): the hits are limited to
        # the exact matches, counted from the posting arrays.
        options["filter"] = set(matching_numbers(searcher, query, arrays=reader.arrays))
        if not options["filter"]:  # Whoosh takes an empty filter for none: "aid NOT on" listed every "aid"
            return SearchResult([], 0, unmatched)
    results = searcher.search(query, limit=wanted, terms=True, **options)
    snippets = Snippets(results, "body") if text else None
    if phrases or exclude:
        matched = [
            hit for hit in results
            if hit.get("id") not in exclude and (not phrases or has_phrases(hit.fields(), phrases))
        ]
        total = len(matched)
        page = matched[offset:] if limit is None else matched[offset : offset + limit]
    else:
        total = match_count(searcher, query, arrays=reader.arrays)
        page = list(results[offset:])
    hits = []
    for hit in page:
        stored = hit.fields()
        body = stored.get("body", "")
        snippet = snippets.of(hit, body) if snippets else ""
        hits.append(Hit(reader.curated(dict(stored)), None if by_date else hit.score, snippet or lead(body)))
    return SearchResult(hits, total, unmatched)


class _ArrayResults:
    """What :class:`archive.snippets.Snippets` reads of Whoosh's results, for hits ranked over
    arrays: the searcher and the terms the hits matched."""

    def __init__(self, searcher: Any, matched: frozenset[tuple[str, bytes]]) -> None:
        self.searcher = searcher
        self._matched = matched

    def has_matched_terms(self) -> bool:
        return True

    def matched_terms(self) -> frozenset[tuple[str, bytes]]:
        return self._matched


class _StoredHit(dict):  # type: ignore[type-arg]
    """A hit's stored fields, as :meth:`archive.snippets.Snippets.of` reads a Whoosh hit."""


def _array_search(
    reader: Reader, query: Any, text: str | None, phrases: list[str], exclude: frozenset[str] | set[str], *,
    by_date: bool, oldest_first: bool, limit: int | None, offset: int,
) -> tuple[list[Hit], int] | None:
    """The page of hits and the total, ranked over the posting arrays (:mod:`archive.ranking`)
    exactly as Whoosh's searcher would; None when the query has a part the arrays do not cover."""
    from .ranking import Unsupported, date_order as array_date_order, holding, rank  # numpy: loaded by readers that count with arrays only (a one-shot command uses sets)

    searcher = reader.searcher
    cache = reader.array_cache()
    matched: frozenset[tuple[str, bytes]] = frozenset()
    scores = None
    try:
        if by_date and not text:
            numbers = array_date_order(searcher, matching_numbers(searcher, query, arrays=True), cache, oldest_first=oldest_first)
        else:
            ranked = rank(searcher, query, cache, None if (by_date or limit is None or phrases or exclude) else offset + limit)
            matched = ranked.matched
            if by_date:
                numbers = array_date_order(searcher, ranked.numbers, cache, oldest_first=oldest_first)
            else:
                numbers, scores = ranked.numbers, ranked.scores
    except Unsupported:
        return None
    score_of = dict(zip(numbers.tolist(), scores.tolist())) if scores is not None and (phrases or exclude) else None
    if phrases or exclude:
        kept = []
        for number in numbers.tolist():
            stored = searcher.stored_fields(number)
            if stored.get("id") not in exclude and (not phrases or has_phrases(stored, phrases)):
                kept.append(number)
        total = len(kept)
        page = kept[offset:] if limit is None else kept[offset : offset + limit]
        page_scores = [score_of[number] for number in page] if score_of is not None else None
    else:
        total = int(numbers.size) if scores is None else ranked.total
        end = None if limit is None else offset + limit
        page = numbers[offset:end].tolist()
        page_scores = scores[offset:end].tolist() if scores is not None else None
    snippets = Snippets(_ArrayResults(searcher, matched), "body", cache.word_stems(), arrays=True) if text else None
    # Only a hit whose body holds a matched word has a snippet (a hit matched by its title alone has none).
    with_words = holding(searcher, cache, "body", [raw for name, raw in matched if name == "body"], page) if snippets else {}
    hits = []
    for position, number in enumerate(page):
        stored = searcher.stored_fields(number)
        body = stored.get("body", "")
        snippet = snippets.of(_StoredHit(stored), body, with_words[number]) if snippets and number in with_words else ""
        score = None if by_date or page_scores is None else page_scores[position]
        hits.append(Hit(reader.curated(dict(stored)), score, snippet or lead(body)))
    return hits, total


def has_negation(query: Any) -> bool:
    """Whether a query excludes something (``NOT``, ``ANDNOT``) anywhere."""
    if isinstance(query, (AndNot, Not)):
        return True
    return any(has_negation(sub) for sub in query.children())


def date_order(*, oldest_first: bool = False) -> Any:
    """Whoosh's sort keys for a date order: dated articles first, then by instant."""
    return [FieldFacet("dated", reverse=True), FieldFacet("date", reverse=not oldest_first)]


def matching_ids(reader: Reader, text: str | None = None, *, filters: Filters | None = None) -> list[str]:
    """Ids of every article matching the query and filters."""
    return [reader.searcher.stored_fields(number)["id"] for number in reader.matching(text, filters or Filters())]


def suggest(reader: Reader, text: str | None = None, *, filters: Filters | None = None, limit: int = 3) -> list[Suggestion]:
    """Did you mean: for each filter value and query word that matches nothing, the closest names or words.

    Filter values are compared with the facet values shown in the index (whole names and their
    words, so "Netanyhu" finds "Benjamin Netanyahu"); query words with the indexed words of
    title and body through Whoosh's spelling corrector, shown as written in an article.
    """
    filters = filters or Filters()
    suggestions: list[Suggestion] = []
    for field_name, values in filters.values.items():
        for value in values:
            check_text(value, field_name)
            if not reader.resolve(field_name, value):
                suggestions.append(Suggestion(field_name, value, _close_names(reader, field_name, value, limit)))
    if text and text.strip():
        suggestions.extend(_word_suggestions(reader.searcher, text, limit, tuple(reader.languages())))
    return suggestions


def _shown_frequencies(reader: Reader, field_name: str) -> Counter[str]:
    """How many articles carry each shown name of a field (spellings and merges added up)."""
    frequency: Counter[str] = Counter()
    for term, shown in reader.displays(field_name).items():
        if shown is not None:
            frequency[shown] += reader.searcher.doc_frequency(field_name, term)
    return frequency


def _close_names(reader: Reader, field_name: str, value: str, limit: int) -> list[str]:
    """Shown names of a field closest to ``value``, as whole names or by one of their words."""
    wanted = fold_key(value)
    scored: list[tuple[float, int, str]] = []
    for name, count in _shown_frequencies(reader, field_name).items():
        key = fold_key(name)
        score = difflib.SequenceMatcher(None, wanted, key).ratio()
        for word in key.split():
            if len(word) > 2:
                score = max(score, difflib.SequenceMatcher(None, wanted, word).ratio())
        if score >= 0.75:
            scored.append((score, count, name))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2].casefold()))
    return [name for _, _, name in scored[:limit]]


def _word_suggestions(searcher: Any, text: str, limit: int, languages: tuple[str | None, ...] = (None,)) -> list[Suggestion]:
    """Query words found in no title or body (as written, nor stemmed in any of the index's
    stemming ``languages``), with the closest indexed words."""
    query, _ = parse_query(searcher.schema, text)
    seen: set[str] = set()
    suggestions = []
    corrector = searcher.corrector("body")
    for leaf in query.leaves():
        if type(leaf) is not Term or leaf.fieldname not in TEXT_FIELDS or isinstance(leaf, FuzzyTerm):
            continue
        word = leaf.text
        terms = {word} | {stemmer(language)(word) for language in languages}
        if word in seen or any(searcher.doc_frequency(name, term) for name in TEXT_FIELDS for term in terms):
            continue
        seen.add(word)
        options = []
        for stem in corrector.suggest(word, limit=limit + SHORT_SUGGESTIONS, maxdist=2):
            if len(stem) < MIN_SUGGESTED or len(options) == limit:  # "a", "to": one edit from anything short
                continue
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
    analyzer = searcher.schema["body"].analyzer
    for number in searcher.docs_for_query(Term("body", stem)):
        body = searcher.stored_fields(number).get("body", "")
        for token in analyzer(body, chars=True):
            if token.text == stem:
                return body[token.startchar : token.endchar].lower()
        break
    return stem


def facet_counts(
    reader: Reader, field_name: str, text: str | None = None, *, filters: Filters | None = None
) -> list[tuple[str, int]]:
    """Counts of each shown value of one facet over all articles matching the query and filters."""
    check_field(field_name)
    return reader.counts(field_name, text, filters or Filters())


def related(
    reader: Reader, name: str, field_name: str = "actors", *, filters: Filters | None = None, source: str | None = None
) -> tuple[str, list[str], list[tuple[str, int]]]:
    """Who or what appears together with ``name``: (field found in, names matched, counts).

    ``name`` is looked up in ``source`` when given, else in every field that ``related`` reads
    (:data:`archive.fields.RELATED_SOURCES`): a name written in full wins over a name matched by
    one of its words ("jordan": the country, not Michael Jordan), and a name of several kinds
    ("Paris": a place and an organization) is a :class:`BadQuery` asking which one is meant.
    """
    check_field(field_name)
    source_field, terms = _related_source(reader, name, source)
    shown = reader.show(source_field, terms)
    itself = set(shown) | set(reader.show(field_name, terms)) | {reader.displays(field_name).get(term) or term for term in terms}
    extra = Or([Term(source_field, term) for term in terms])
    counts = reader.counts(field_name, None, filters or Filters(), extra, frozenset(itself))
    return source_field, terms if reader.curation.is_empty() else shown, counts


def _related_source(reader: Reader, name: str, source: str | None) -> tuple[str, list[str]]:
    """The field ``name`` is found in and its indexed values (see :func:`related`)."""
    if source is not None:
        check_field(source)
        terms = reader.resolve(source, name)
        if not terms:
            raise NotFound(f"no {BY_NAME[source].kind or source} called {name!r} in the index")
        return source, terms
    found = [(field, terms) for field in RELATED_SOURCES if (terms := reader.resolve(field, name))]
    if not found:
        raise NotFound(f"no person, organization, place, country or topic called {name!r} in the index")
    key = fold_key(name)
    exact = [(field, terms) for field, terms in found if any(fold_key(shown) == key for shown in reader.show(field, terms))]
    candidates = exact or found
    kinds: dict[str, str] = {}
    for field, _ in candidates:
        kinds.setdefault(BY_NAME[field].kind, field)
    if len(kinds) > 1:
        choices = ", ".join(f"--as {field} ({kind})" for kind, field in kinds.items())
        raise BadQuery(f"{name!r} names more than one kind of thing in the index: say which with {choices}")
    return candidates[0]


def timeline(reader: Reader, text: str | None = None, *, filters: Filters | None = None, by: str = "month") -> Timeline:
    """How many matching articles there are per day, week (ISO, ``2024-W09``), month or year."""
    if by not in PERIODS:
        raise BadQuery(f"unknown period {by!r}: choose from {', '.join(PERIODS)}")
    numbers = reader.matching(text, filters or Filters())
    dates: list[date] = []
    undated = 0
    for number in numbers:
        found = article_day(reader.searcher.stored_fields(number).get("date_iso"))
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


def export(reader: Reader, text: str | None = None, *, filters: Filters | None = None) -> tuple[int, Iterator[dict[str, Any]]]:
    """Every matching article with all its fields (curated facets), oldest first, undated last.

    Returns the number of articles and an iterator over their records, read from the
    reader's searcher as it is used up (the caller keeps the searcher open until then).
    """
    searcher = reader.searcher
    numbers = reader.matching(text, filters or Filters())
    instants = {number: article_datetime(searcher.stored_fields(number).get("date_iso")) for number in numbers}
    numbers.sort(key=lambda number: (instants[number] is None, instants[number] or datetime.min, number))

    def records() -> Iterator[dict[str, Any]]:
        for number in numbers:
            yield reader.curated(record_from_stored(searcher.stored_fields(number)))

    return len(numbers), records()


def completions(reader: Reader, field_name: str, incomplete: str = "", *, limit: int = 50) -> list[str]:
    """Shown values of a facet that start with ``incomplete`` (or have a word that does), most
    frequent first. The counts are kept in the completion cache beside the index
    (:mod:`archive.completions`) for the next call, which may then skip opening the index."""
    check_field(field_name)
    key = completion_cache.state_key(reader.folder)
    counts = completion_cache.load(reader.folder, field_name, key) if key else None
    if counts is None:
        counts = dict(_shown_frequencies(reader, field_name))
        if key:
            completion_cache.store(reader.folder, key, field_name, counts)
    return completion_cache.rank(counts, incomplete, limit)


def show(reader: Reader, article_id: str) -> dict[str, Any]:
    """One article by id (a unique prefix of at least 4 characters is enough), facets curated.

    The id of a duplicate (an article whose body was already indexed from another file)
    gives the indexed article. ``locations`` lists every file the article was found in.
    """
    # The catalog (sqlite3) is imported here only: searching never needs it, and starts faster.
    from .catalog import canonical_id, locations

    check_text(article_id, "id")
    searcher = reader.searcher
    number = searcher.document_number(id=article_id)
    if number is None:
        original = canonical_id(reader.folder, article_id)
        if original is not None:
            number = searcher.document_number(id=original)
    if number is None and len(article_id) >= 4:
        matches = [term.decode() for term in searcher.lexicon("id") if term.decode().startswith(article_id)]
        if len(matches) > 1:
            raise BadQuery(f"id prefix {article_id!r} is ambiguous: {', '.join(matches[:5])}")
        if matches:
            number = searcher.document_number(id=matches[0])
    if number is None:
        raise NotFound(f"no article with id {article_id!r}")
    record = reader.curated(record_from_stored(searcher.stored_fields(number)))
    found = locations(reader.folder, record["id"])
    if len(found) > 1:
        record["locations"] = [place.path for place in found]
    return record


def stats(reader: Reader) -> dict[str, Any]:
    """Number of articles, index size, date range and distinct values per facet."""
    searcher = reader.searcher
    dates = sorted(fields["date_iso"] for fields in searcher.all_stored_fields() if fields.get("date_iso"))
    return {
        "index": str(reader.folder),
        "articles": searcher.doc_count(),
        "size_bytes": index_size(reader.folder),
        "first_date": dates[0] if dates else None,
        "last_date": dates[-1] if dates else None,
        "distinct": {name: sum(1 for _ in searcher.lexicon(name)) for name in FIELD_NAMES},
    }

