"""Ranking over posting arrays: Whoosh's BM25F hits and order, computed with numpy.

Whoosh scores a query by walking its matcher tree one document at a time in Python (50 to
80 ms for a common word at 10k articles). For a long-lived reader (the resident reader, an
open :class:`archive.api.Archive`) this module plans, per segment, the matcher tree Whoosh's
``query.matcher(leaf searcher, context)`` would build (the same tree shape, from the same
size estimates, but without building matchers, which read a posting block, term statistics
and a scorer each), then evaluates the plan over whole posting lists as arrays:

* a term's documents and weights are two slices of the segment's posting sidecar
  (:mod:`archive.postingstore`; read a block at a time from Whoosh's posting file for a
  segment whose sidecar has no weights, and kept), its field lengths from the segment's length
  column (decoded as Whoosh decodes them, default 1), and the scorer's own ``idf``,
  ``avgfl``, ``B`` and ``K1`` give the score with the very arithmetic of
  :func:`whoosh.scoring.bm25` (the same float64 operations in the same order);
* ``IntersectionMatcher`` and ``UnionMatcher`` add their two sides' scores as Whoosh does
  (the tree has Whoosh's shape, so the additions happen in the same order), ``AndNotMatcher``
  and ``RequireMatcher`` keep the first side's scores, a ``WrappingMatcher`` multiplies by its
  boost, a phrase (``SpanNear2Matcher``) keeps the candidates (the documents holding every
  word) whose word positions follow each other as ``SpanNear2`` requires, checked on the
  words' positions as arrays (decoded once per term and kept), with the sum of its words'
  scores (other span settings: Whoosh's matcher, for the candidates only);
* deleted documents are dropped, and hits are ordered as Whoosh's collector orders them:
  score descending, then document number ascending.

Query classes the planner does not know are Whoosh's matchers, translated into the plan;
any other matcher (date ranges, fuzzy and prefix terms, ``NOT`` alone, ...) raises
:class:`Unsupported` and the caller asks Whoosh's searcher. Date orders
(:func:`date_order`) read the ``dated`` and ``date`` columns as arrays.
"""

from __future__ import annotations

import pickle
from math import log
from bisect import insort
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ._light import import_whoosh

import_whoosh()  # before any other Whoosh import: see archive._light

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.formats import Positions
from whoosh.matching.binary import AndNotMatcher, IntersectionMatcher, UnionMatcher
from whoosh.matching.mcore import NullMatcherClass
from whoosh.matching.wrappers import FilterMatcher, RequireMatcher, WrappingMatcher
from whoosh.query.spans import SpanNear2
from whoosh.query import And, AndNot, Or, Phrase, Require, Term
from whoosh.scoring import BM25F, BM25FScorer, WeightScorer
from whoosh.util.numeric import byte_to_length

from .postings import difference, distinct, intersection, leaf_array
from .postingstore import EMPTY, NO_WEIGHTS, deleted, find, posting_arrays, raw_postings
from .postingstore import load as load_postings

MAX_CACHED_TERMS = 4096  # posting lists (ids and weights, or positions) kept per reader
MAX_CACHED_BYTES = 256 * 2**20  # and at most this many bytes of them
MAX_CACHED_WORDS = 500_000  # words kept folded and stemmed for snippets (about 60 MB at most)
NO_SCORES = np.zeros(0, dtype=np.float64)


class Unsupported(Exception):
    """The query has a part the array ranking does not compute: Whoosh's searcher answers it."""


@dataclass
class ArrayCache:
    """What the array ranking keeps for the life of one reader (its segments never change):
    posting lists with weights, field lengths and sort columns, per segment."""

    folder: Any = None  # the index folder, whose posting sidecars give terms' postings
    postings: dict[Any, Any] = field(default_factory=dict)  # (segment, field, term[, "positions"]) → arrays
    sidecars: dict[int, Any] = field(default_factory=dict)  # segment → its posting sidecar, or None
    posting_bytes: int = 0
    lengths: dict[tuple[int, str], np.ndarray] = field(default_factory=dict)
    columns: dict[tuple[int, str], np.ndarray] = field(default_factory=dict)
    stems: dict[str | None, dict[str, str]] = field(default_factory=dict)  # snippets' folded and stemmed words
    names: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field → (shown names, its NameTable)

    def word_stems(self) -> dict[str | None, dict[str, str]]:
        """The snippets' word → stem tables per language (emptied when they grow past
        :data:`MAX_CACHED_WORDS` words)."""
        if sum(len(table) for table in self.stems.values()) > MAX_CACHED_WORDS:
            self.stems.clear()
        return self.stems

    def term(self, reader: Any, field_name: str, raw: bytes) -> tuple[np.ndarray, np.ndarray]:
        """A term's document numbers and weights in one segment (deleted documents included):
        slices of the segment's posting sidecar when it has weights, else decoded from
        Whoosh's postings (and kept)."""
        key = (id(reader), field_name, raw)
        found = self.postings.get(key)
        if found is None:
            store = self.sidecar(reader)
            if store is not None and store.weights is not None and store.covers(field_name):
                found = store.term_postings(field_name, raw)
                self.keep(key, found, 0)  # views of the mapped file: no bytes of their own
            else:
                found = read_postings(reader, field_name, raw)
                self.keep(key, found, found[0].nbytes + found[1].nbytes)
        return found

    def sidecar(self, reader: Any) -> Any:
        """The segment's posting sidecar on disk in :attr:`folder` (None when there is none)."""
        key = id(reader)
        if key not in self.sidecars:
            self.sidecars[key] = find(self.folder, reader)
        return self.sidecars[key]

    def keep(self, key: Any, value: Any, size: int) -> None:
        """Keep a posting list or a filter's documents (all of them are let go past
        :data:`MAX_CACHED_TERMS` lists or :data:`MAX_CACHED_BYTES` bytes)."""
        if len(self.postings) >= MAX_CACHED_TERMS or self.posting_bytes + size > MAX_CACHED_BYTES:
            self.postings.clear()
            self.posting_bytes = 0
        self.postings[key] = value
        self.posting_bytes += size

    def positions(self, reader: Any, field_name: str, raw: bytes, posting_format: Any) -> np.ndarray:
        """A term's postings as sorted keys ``document << 32 | position``, one per occurrence."""
        key = (id(reader), field_name, raw, "positions")
        found = self.postings.get(key)
        if found is None:
            found = read_positions(reader, field_name, raw, posting_format)
            self.keep(key, found, found.nbytes)
        return found  # type: ignore[no-any-return]

    def field_lengths(self, reader: Any, field_name: str) -> np.ndarray:
        """Every document's length of a field, as ``doc_field_length(docnum, field, 1)`` gives it."""
        key = (id(reader), field_name)
        found = self.lengths.get(key)
        if found is None:
            found = self.lengths[key] = read_lengths(reader, field_name)
        return found

    def column(self, reader: Any, field_name: str) -> np.ndarray:
        """A sortable numeric column's values (``uint64``: Whoosh keeps dates as unsigned
        64-bit ticks) for every document of one segment."""
        key = (id(reader), field_name)
        found = self.columns.get(key)
        if found is None:
            values = reader.column_reader(field_name, translate=False)
            found = self.columns[key] = column_values(values, reader.doc_count_all()).astype(np.uint64)
        return found


def read_postings(reader: Any, field_name: str, raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A term's whole posting list as arrays (ids ``int32``, weights ``float32``), decoded from
    Whoosh's posting file a block at a time (for segments without a posting sidecar of weights)."""
    if (field_name, raw) not in reader:
        return EMPTY, NO_WEIGHTS
    return posting_arrays(raw_postings(reader, field_name, raw))


def read_positions(reader: Any, field_name: str, raw: bytes, posting_format: Any) -> np.ndarray:
    """Every occurrence of a term in one segment as ``document << 32 | position`` (``int64``,
    sorted), decoded a block at a time (Whoosh's ``Positions`` values: a count, then the
    pickled position deltas, read with one ``pickle.loads`` per posting)."""
    if (field_name, raw) not in reader:
        return np.zeros(0, dtype=np.int64)
    matcher = raw_postings(reader, field_name, raw)
    matcher = getattr(matcher, "child", matcher)
    plain = type(posting_format) is Positions
    documents: list[int] = []
    counts: list[int] = []
    deltas: list[int] = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_values()
        for document, value in zip(matcher._ids, matcher._values):
            found = pickle.loads(value[4:] if value.endswith(b".") else value[4:] + b".") if plain else posting_format.decode_positions(value)
            if not plain:  # absolute positions: back to deltas
                found = [position - before for position, before in zip(found, [0, *found[:-1]])]
            documents.append(document)
            counts.append(len(found))
            deltas.extend(found)
        matcher._next_block()
    if not deltas:
        return np.zeros(0, dtype=np.int64)
    lengths = np.asarray(counts, dtype=np.int64)
    owners = np.repeat(np.asarray(documents, dtype=np.int64), lengths)
    running = np.cumsum(np.asarray(deltas, dtype=np.int64))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    before = np.concatenate(([0], running))[starts]  # the running sum where each posting begins
    positions = running - np.repeat(before, lengths)
    return np.sort((owners << 32) | positions)


def read_lengths(reader: Any, field_name: str) -> np.ndarray:
    """A field's length per document of one segment, decoded as Whoosh's scorer reads it."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        column = perdoc._cached_reader(_lenfield(field_name), LENGTHS_COLUMN)
    if column is None:
        return np.array([reader.doc_field_length(number, field_name, 1) for number in range(count)], dtype=np.float64)
    codes = column_values(column, count).astype(np.uint8)
    return length_table()[codes]


def column_values(column: Any, count: int) -> np.ndarray:
    """Every document's value of a Whoosh numeric column: its stored bytes read at once (big-
    endian fixed-size values, the documents past the stored ones at the column's default),
    checked against the column's own reading at a few places; one value at a time for
    any other kind of column."""
    fields = ("_dbfile", "_basepos", "_count", "_fixedlen", "_typecode", "_default")
    if all(hasattr(column, name) for name in fields) and column._typecode in "bBhHiIlLqQ":
        stored = min(column._count, count)
        raw = column._dbfile.get(column._basepos, stored * column._fixedlen) if stored else b""
        values = np.full(count, column._default, dtype=np.int64 if column._typecode.islower() else np.uint64)
        values[:stored] = np.frombuffer(raw, dtype=np.dtype(column._typecode).newbyteorder(">"))
        probes = {0, count // 2, count - 1, stored - 1, stored} & set(range(count))
        if all(int(values[place]) == column[place] for place in probes):
            return values
    return np.array([column[number] for number in range(count)], dtype=np.uint64 if count else np.int64)


@lru_cache(maxsize=1)
def length_table() -> np.ndarray:
    """Whoosh's field length for each stored length byte (0: the field is empty there, so no term of it is ever scored; 1)."""
    return np.array([byte_to_length(byte) if byte else 1 for byte in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class Ranked:
    """Every hit of a query in Whoosh's order, with scores and the matched terms of each field."""

    numbers: np.ndarray  # index-wide document numbers, best first
    scores: np.ndarray
    matched: frozenset[tuple[str, bytes]]
    total: int


def rank(searcher: Any, query: Any, cache: ArrayCache, limit: int | None = None) -> Ranked:
    """The live documents matching ``query`` with Whoosh's BM25F scores, best first (ties by
    document number): the first ``limit`` (all when None); ``total`` counts them all. Raises
    :class:`Unsupported` for a query the arrays do not cover."""
    context = searcher.context(needs_current=True, top_query=query)
    planner = _Planner(searcher, context, cache)
    numbers: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    terms: list[tuple[str, bytes, np.ndarray]] = []
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        found_terms: list[tuple[str, bytes, np.ndarray]] = []
        try:
            plan = planner.plan(query, leaf)
        except Unsupported:
            raise
        except Exception as error:  # what Whoosh's matcher would fail on (an empty And's size): its searcher says it
            raise Unsupported(f"cannot plan the query: {error!r}") from error
        ids, found = _evaluate(plan, reader, cache, found_terms, True)
        dead = deleted(reader)
        if dead is not None and ids.size:
            keep = np.isin(ids, dead, invert=True)
            ids, found = ids[keep], found[keep]
        numbers.append(ids.astype(np.int64) + offset)
        scores.append(found)
        terms.extend((name, raw, where.astype(np.int64) + offset) for name, raw, where in found_terms)
    all_numbers = np.concatenate(numbers) if numbers else np.zeros(0, dtype=np.int64)
    all_scores = np.concatenate(scores) if scores else NO_SCORES
    total = int(all_numbers.size)
    hits = np.sort(all_numbers)
    matched = frozenset((name, raw) for name, raw, where in terms if where.size and intersection(where, hits).size)
    if limit is not None and limit < total:  # only the documents scoring at least the limit-th best are ordered
        threshold = np.partition(all_scores, total - limit)[total - limit]
        best = all_scores >= threshold
        all_numbers, all_scores = all_numbers[best], all_scores[best]
    order = np.lexsort((all_numbers, -all_scores))[: total if limit is None else limit]
    return Ranked(all_numbers[order], all_scores[order], matched, total)


def holding(searcher: Any, cache: ArrayCache, field_name: str, raws: list[bytes], numbers: list[int]) -> dict[int, int | None]:
    """The documents among ``numbers`` (index-wide) whose indexed text of ``field_name`` holds
    one of the terms ``raws`` (a snippet needs to look only at them), each with how many of
    its words are those terms (the sum of their weights, the term frequencies; None when a
    weight is not a whole number)."""
    found: dict[int, float] = {}
    if not raws or not numbers:
        return {}
    wanted = np.array(sorted(set(numbers)), dtype=np.int64)
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        local = wanted[(wanted >= offset) & (wanted < offset + reader.doc_count_all())] - offset
        if not local.size:
            continue
        for raw in raws:
            ids, weights = cache.term(reader, field_name, raw)
            held = intersection(local, ids.astype(np.int64))
            for number, weight in zip((held + offset).tolist(), weights[np.searchsorted(ids, held)].tolist()):
                found[number] = found.get(number, 0.0) + weight
    return {number: int(total) if float(total).is_integer() else None for number, total in found.items()}


# The plan of one segment's matching: the tree of matchers Whoosh would build, without
# building them (a Whoosh matcher reads its first posting block, its term's statistics and a
# scorer when it is made: 6 ms of a 9 ms query at 100k articles in 10 segments).
BM25_SCORING = "bm25"
WEIGHT_SCORING = "weight"


@dataclass(frozen=True)
class _Leaf:
    """A term of one segment, scored as Whoosh's scorer for it scores: ``(BM25_SCORING, idf,
    avgfl, B, K1)``, ``(WEIGHT_SCORING,)`` or None (no score)."""

    field_name: str
    raw: bytes
    scoring: tuple[Any, ...] | None
    posting_format: Any


@dataclass(frozen=True)
class _Pair:
    """Two parts joined by one of Whoosh's binary matchers (the subclasses)."""

    a: Any
    b: Any


class _Both(_Pair):
    """Documents of both sides, scored a + b (Whoosh's ``IntersectionMatcher``)."""


class _Either(_Pair):
    """Documents of either side, scored a + b where both match (``UnionMatcher``)."""


def _either(a: Any, b: Any) -> Any:
    """An :class:`_Either`, or the one side when the other matches nothing in the segment
    (the same documents, scores and additions: a union with nothing is left unchanged)."""
    if b is _NOTHING:
        return a
    if a is _NOTHING:
        return b
    return _Either(a, b)


class _Without(_Pair):
    """Documents of ``a`` not of ``b``, scored as ``a`` (``AndNotMatcher``)."""


class _Requiring(_Pair):
    """Documents of ``a`` also of ``b``, scored as ``a`` (``RequireMatcher``)."""


@dataclass(frozen=True, eq=False)
class _Filter:
    """A part whose documents alone count (the right side of and-not and require), kept
    once found under ``key`` in :attr:`ArrayCache.postings` for the reader's later searches:
    ``documents`` when they were found already, else ``plan`` to find them."""

    plan: Any
    key: Any
    documents: np.ndarray | None


@dataclass(frozen=True)
class _Boosted:
    """A part's scores times ``boost`` (``WrappingMatcher``)."""

    child: Any
    boost: float


@dataclass(frozen=True)
class _Phrase:
    """Documents of ``child`` (the words' intersection) where the words follow each other as
    ``SpanNear2`` requires; ``matcher``: Whoosh's own, asked for span settings other than
    ordered words 1 to ``slop`` positions apart."""

    child: Any
    words: tuple[_Leaf, ...]
    slop: int
    ordered: bool
    mindist: int
    matcher: Any = None


_NOTHING = None  # a part that matches nothing in the segment (Whoosh's NullMatcher)


class _Planner:
    """Builds one segment's plan of a query exactly as Whoosh's ``query.matcher(leaf,
    context)`` would build its matcher tree (the same tree shape, so the same additions in
    the same order), for the query classes the product's query language makes (terms, phrases,
    and/or, and-not, require, boosts); any other part is Whoosh's matcher, translated."""

    def __init__(self, searcher: Any, context: Any, cache: ArrayCache) -> None:
        self.searcher = searcher
        self.context = context
        self.cache = cache
        self.weighting = context.weighting
        self.scorings: dict[tuple[str, bytes], tuple[Any, ...] | None] = {}
        self.held: dict[tuple[int, str, Any], bytes | None] = {}

    def plan(self, query: Any, leaf: Any) -> Any:
        """The plan of ``query`` in the segment of ``leaf`` (a leaf searcher)."""
        kind = type(query)
        if kind is Term:
            return self._term(query, leaf)
        if kind is Phrase:
            return self._phrase(query, leaf)
        if (kind is And or kind is Or) and self.context.needs_current:
            return self._compound(query, leaf)
        if kind is AndNot:
            return _Without(self.plan(query.a, leaf), self._filter(query.b, leaf))
        if kind is Require:
            return _Requiring(self.plan(query.a, leaf), self._filter(query.b, leaf))
        try:
            matcher = query.matcher(leaf, self.context)
        except Exception as error:  # Whoosh's own failures (an IndexError in nested AndNot matchers): its searcher says them
            raise Unsupported(f"Whoosh cannot build the matcher: {error!r}") from error
        return _plan_of_matcher(matcher)

    def _filter(self, query: Any, leaf: Any) -> Any:
        """The plan of the side of an and-not or a require whose documents alone count: a
        :class:`_Filter`, its documents kept by the cache for later searches of the reader
        (the language parts of every query, the filters of faceted searches)."""
        try:
            key = (id(leaf.reader()), "filter", query)
            known = self.cache.postings.get(key)
        except TypeError:  # a query that cannot be hashed: planned each time
            return self.plan(query, leaf)
        return _Filter(self.plan(query, leaf) if known is None else None, key, known)

    def _term_bytes(self, field_name: str, text: Any, leaf: Any) -> bytes | None:
        """A term's bytes when the segment holds it (else None: Whoosh's NullMatcher)."""
        key = (id(leaf), field_name, text)
        if key not in self.held:  # (asked again for the sizes of the parts of And and Or)
            self.held[key] = self._held_bytes(field_name, text, leaf)
        return self.held[key]

    def _held_bytes(self, field_name: str, text: Any, leaf: Any) -> bytes | None:
        schema = leaf.schema
        if field_name not in schema:
            return None
        try:
            raw = schema[field_name].to_bytes(text)
        except ValueError:
            return None
        ids, _ = self.cache.term(leaf.reader(), field_name, raw)
        return raw if ids.size else None

    def _leaf(self, field_name: str, raw: bytes, leaf: Any) -> _Leaf:
        """A term's leaf, with the scoring of ``weighting.scorer(leaf, field, term)``."""
        key = (field_name, raw)
        if key not in self.scorings:  # idf and average length are the whole index's: the same in every segment
            self.scorings[key] = self._scoring(field_name, raw, leaf)
        return _Leaf(field_name, raw, self.scorings[key], leaf.schema[field_name].format)

    def _scoring(self, field_name: str, raw: bytes, leaf: Any) -> tuple[Any, ...] | None:
        weighting = self.weighting or leaf.weighting  # Whoosh's searcher.postings: weighting or self.weighting
        if type(weighting) is BM25F:
            if not leaf.schema[field_name].scorable:
                return (WEIGHT_SCORING,)
            B = weighting._field_B.get(field_name, weighting.B)
            top = self.searcher
            return (BM25_SCORING, self._idf(field_name, raw), top.avg_field_length(field_name) or 1, B, weighting.K1)
        return _scoring_of(weighting.scorer(leaf, field_name, raw))

    def _idf(self, field_name: str, raw: bytes) -> float:
        """``searcher.idf(field, term)`` of the BM25F weighting (``log(N / (n + 1)) + 1``, N
        documents, deleted ones included, n of them holding the term), n counted from the
        segments' posting sidecars when they all hold the field's weights (Whoosh looks the
        term up in each segment's term table: 0.6 ms a term at 100k articles), else Whoosh's."""
        top = self.searcher
        readers = [leaf.reader() for leaf, _ in top.leaf_searchers()]
        stores = [self.cache.sidecar(reader) for reader in readers]
        if not all(store is not None and store.weights is not None and store.covers(field_name) for store in stores):
            return top.idf(field_name, raw)  # type: ignore[no-any-return]
        frequency = sum(int(self.cache.term(reader, field_name, raw)[0].size) for reader in readers)
        return log(top.doc_count_all() / (frequency + 1)) + 1

    def _term(self, query: Any, leaf: Any) -> Any:
        if query.minquality:
            raise Unsupported("a term with a minimum quality")
        raw = self._term_bytes(query.fieldname, query.text, leaf)
        if raw is None:
            return _NOTHING
        node = self._leaf(query.fieldname, raw, leaf)
        return _Boosted(node, query.boost) if query.boost != 1.0 else node

    def _phrase(self, query: Any, leaf: Any) -> Any:
        """Whoosh's ``Phrase.matcher``: nothing when a word is missing, else ``SpanNear2`` over
        the words' terms (their intersection a balanced binary tree)."""
        field_name = query.fieldname
        if field_name not in leaf.schema:
            return _NOTHING
        field_object = leaf.schema[field_name]
        if not field_object.format or not field_object.format.supports("positions") or query.slop < 1:
            raise Unsupported("a phrase Whoosh's searcher answers")  # (it raises QueryError for a field without positions)
        words = []
        for word in query.words:
            raw = self._term_bytes(field_name, word, leaf)
            if raw is None:
                return _NOTHING
            words.append(self._leaf(field_name, raw, leaf))
        node = _Phrase(_binary_tree(_Both, words), tuple(words), query.slop, True, 1)
        return _Boosted(node, query.boost) if query.boost != 1.0 else node

    def _compound(self, query: Any, leaf: Any) -> Any:
        """``And``/``Or``: a Huffman-like tree by estimated size (Whoosh's ``_tree_matcher``
        with ``make_weighted_tree``; an ``Or`` as ``DefaultOr``, which it is when the scores
        are needed and there are fewer than 1,024 parts)."""
        subs = query.subqueries
        if not subs:
            return _NOTHING
        if len(subs) == 1:
            return self.plan(subs[0], leaf)  # (Whoosh ignores the compound's boost here)
        is_and = type(query) is And
        if not is_and and (query.matcher_type != Or.AUTO_MATCHER or query.scale or len(subs) >= Or.TOO_MANY_CLAUSES):
            raise Unsupported("an Or Whoosh preloads or coordinates")
        plans = [self.plan(sub, leaf) for sub in subs]
        sizes = [self._size(sub, leaf) for sub in subs]
        node = _weighted_tree(_Both if is_and else _either, [(-size if is_and else size, plan) for size, plan in zip(sizes, plans)])
        return _Boosted(node, query.boost) if query.boost != 1.0 else node


    def _size(self, query: Any, leaf: Any) -> int:
        """Whoosh's ``query.estimate_size(segment reader)``, term frequencies read from the
        cached posting lists (the formulas of ``Term``, ``And``, ``Or``, ``AndNot`` and
        ``Require`` without Whoosh's calls)."""
        kind = type(query)
        if kind is Term:
            raw = self._term_bytes(query.fieldname, query.text, leaf)
            return 0 if raw is None else int(self.cache.term(leaf.reader(), query.fieldname, raw)[0].size)
        if kind is And:
            return min(self._size(sub, leaf) for sub in query.subqueries)
        if kind is Or or kind is AndNot:  # (AndNot has CompoundQuery's estimate, over a and b)
            return min(sum(self._size(sub, leaf) for sub in query.subqueries), leaf.reader().doc_count())
        if kind is Require:
            return self._size(query.b, leaf)
        return query.estimate_size(_CountingReader(leaf.reader(), self.cache))  # type: ignore[no-any-return]


class _CountingReader:
    """A segment reader whose document frequencies come from the cached posting lists (a
    term's frequency is the length of its posting list, deleted documents included, as Whoosh
    records it), for ``estimate_size``; anything else is the reader's."""

    def __init__(self, reader: Any, cache: ArrayCache) -> None:
        self._reader = reader
        self._cache = cache

    def doc_frequency(self, field_name: str, raw: Any) -> int:
        if type(raw) is not bytes:  # (some of Whoosh's queries ask with text)
            return self._reader.doc_frequency(field_name, raw)  # type: ignore[no-any-return]
        return int(self._cache.term(self._reader, field_name, raw)[0].size)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def _weighted_tree(make: Any, items: list[tuple[int, Any]]) -> Any:
    """Whoosh's ``make_weighted_tree``: sort by weight, join the two lightest, put the pair
    back after those of equal weight, until one is left. (Whoosh sorts (weight, matcher)
    pairs; its matchers never compare lower than one another, so equal weights keep their order.)"""
    ordered = sorted(items, key=_weight_of)
    while len(ordered) > 1:
        (weight_a, a), (weight_b, b) = ordered.pop(0), ordered.pop(0)
        insort(ordered, (weight_a + weight_b, make(a, b)), key=_weight_of)
    return ordered[0][1]


def _weight_of(item: tuple[int, Any]) -> int:
    return item[0]


def _binary_tree(make: Any, items: list[Any]) -> Any:
    """Whoosh's ``make_binary_tree``: halves, the first half on the left."""
    if len(items) == 1:
        return items[0]
    half = len(items) // 2
    return make(_binary_tree(make, items[:half]), _binary_tree(make, items[half:]))


def _scoring_of(scorer: Any) -> tuple[Any, ...] | None:
    """The scoring of a Whoosh scorer object (see :class:`_Leaf`)."""
    if scorer is None:
        return None
    if type(scorer) is WeightScorer:
        return (WEIGHT_SCORING,)
    if type(scorer) is BM25FScorer:
        return (BM25_SCORING, scorer.idf, scorer.avgfl, scorer.B, scorer.K1)
    raise Unsupported(type(scorer).__name__)


def _plan_of_matcher(matcher: Any) -> Any:
    """The plan of a matcher tree Whoosh built."""
    kind = type(matcher)
    if isinstance(matcher, NullMatcherClass):
        return _NOTHING
    if kind is W3LeafMatcher:
        field_name, raw = matcher._term
        return _Leaf(field_name, raw, _scoring_of(matcher.scorer), matcher.format)
    if kind is FilterMatcher:  # deleted documents left out (done at the end)
        if not matcher._exclude:
            raise Unsupported("an inclusive filter")
        return _plan_of_matcher(matcher.child)
    if kind is WrappingMatcher:
        return _Boosted(_plan_of_matcher(matcher.child), matcher.boost)
    pairs = {IntersectionMatcher: _Both, UnionMatcher: _Either, AndNotMatcher: _Without, RequireMatcher: _Requiring}
    if kind in pairs:
        return pairs[kind](_plan_of_matcher(matcher.a), _plan_of_matcher(matcher.b))
    if kind is SpanNear2.SpanNear2Matcher:
        words = tuple(_plan_of_matcher(word) for word in matcher.ms)
        return _Phrase(_plan_of_matcher(matcher.child), words, matcher.slop, matcher.ordered, matcher.mindist, matcher)
    raise Unsupported(kind.__name__)


def _evaluate(plan: Any, reader: Any, cache: ArrayCache, terms: list[tuple[str, bytes, np.ndarray]], positive: bool) -> tuple[np.ndarray, np.ndarray]:
    """The documents (sorted ``int32``, deleted ones possibly included) and scores of one
    segment's plan; ``terms`` collects the positive leaves' matches."""
    kind = type(plan)
    if plan is _NOTHING:
        return EMPTY, NO_SCORES
    if kind is _Leaf:
        ids, weights = cache.term(reader, plan.field_name, plan.raw)
        if positive:
            terms.append((plan.field_name, plan.raw, ids))
        return ids, _term_scores(plan.scoring, reader, cache, plan.field_name, ids, weights)
    if kind is _Boosted:
        ids, scores = _evaluate(plan.child, reader, cache, terms, positive)
        return ids, scores * plan.boost if plan.boost != 1.0 else scores
    if kind is _Both:
        a_ids, a_scores = _evaluate(plan.a, reader, cache, terms, positive)
        b_ids, b_scores = _evaluate(plan.b, reader, cache, terms, positive)
        both = intersection(a_ids, b_ids)
        return both, a_scores[np.searchsorted(a_ids, both)] + b_scores[np.searchsorted(b_ids, both)]
    if kind is _Either:
        a_ids, a_scores = _evaluate(plan.a, reader, cache, terms, positive)
        b_ids, b_scores = _evaluate(plan.b, reader, cache, terms, positive)
        if not b_ids.size:
            return a_ids, a_scores
        if not a_ids.size:
            return b_ids, b_scores
        ids = np.concatenate((a_ids, b_ids))
        order = np.argsort(ids, kind="stable")  # a document of both sides: its a before its b
        ids, scores = ids[order], np.concatenate((a_scores, b_scores))[order]
        firsts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
        return ids[firsts], np.add.reduceat(scores, firsts)  # a + b, as Whoosh adds
    if kind is _Without or kind is _Requiring:
        a_ids, a_scores = _evaluate(plan.a, reader, cache, terms, positive)
        if not a_ids.size:  # (b's terms are not matches: nothing to note of them)
            return a_ids, a_scores
        b_ids = _filter_documents(plan.b, reader, cache)
        kept = difference(a_ids, b_ids) if kind is _Without else intersection(a_ids, b_ids)
        return kept, a_scores[np.searchsorted(a_ids, kept)]
    if kind is _Phrase:
        words: list[tuple[str, bytes, np.ndarray]] = []
        ids, scores = _evaluate(plan.child, reader, cache, words, positive)
        kept = _phrase_documents(plan, reader, cache, ids)
        terms.extend((name, raw, kept) for name, raw, _ in words)
        return kept, scores[np.searchsorted(ids, kept)]
    raise Unsupported(kind.__name__)


def _filter_documents(plan: Any, reader: Any, cache: ArrayCache) -> np.ndarray:
    """The documents of the filtering side of an and-not or a require (no scores, no
    matched terms): a :class:`_Filter`'s from the cache, else evaluated (and kept)."""
    if type(plan) is not _Filter:
        return _evaluate(plan, reader, cache, [], False)[0]
    if plan.documents is not None:
        return plan.documents
    found = _evaluate(plan.plan, reader, cache, [], False)[0]
    cache.keep(plan.key, found, found.nbytes)
    return found


def _phrase_documents(plan: _Phrase, reader: Any, cache: ArrayCache, candidates: np.ndarray) -> np.ndarray:
    """The candidates (documents holding every word) where Whoosh's ``SpanNear2`` finds the
    words in order, each 1 to ``slop`` positions after the one before (its ``_get_spans``
    with ``ordered`` and ``mindist=1``), from the words' positions as arrays; other span
    settings ask Whoosh's matcher, for the candidates only."""
    if not candidates.size:
        return EMPTY
    if not (plan.ordered and plan.mindist == 1 and plan.slop >= 1 and all(type(word) is _Leaf for word in plan.words)):
        if plan.matcher is None:
            raise Unsupported("span settings without Whoosh's matcher")
        confirmed = np.fromiter(plan.matcher.all_ids(), dtype=np.int32) if plan.matcher.is_active() else EMPTY
        return intersection(candidates, distinct(confirmed))
    ends: np.ndarray | None = None
    for word in plan.words:
        keys = cache.positions(reader, word.field_name, word.raw, word.posting_format)
        keys = keys[np.isin(keys >> 32, candidates)]
        if ends is None:
            ends = keys
        else:
            reached = distinct(np.concatenate([ends + step for step in range(1, plan.slop + 1)]))
            ends = keys[np.isin(keys, reached)]
        if not ends.size:
            return EMPTY
    assert ends is not None
    return distinct(ends >> 32).astype(np.int32)


def _term_scores(scoring: tuple[Any, ...] | None, reader: Any, cache: ArrayCache, field_name: str, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """A term's scores, with the arithmetic of Whoosh's scorer (float64, same operations)."""
    if scoring is None:
        return np.zeros(ids.size, dtype=np.float64)
    tf = weights.astype(np.float64)
    if scoring[0] == WEIGHT_SCORING:
        return tf
    _, idf, avgfl, B, K1 = scoring
    lengths = cache.field_lengths(reader, field_name)[ids]
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths / avgfl)))


def date_order(searcher: Any, numbers: list[int] | np.ndarray, cache: ArrayCache, *, oldest_first: bool = False) -> np.ndarray:
    """Document numbers (index-wide) in the order of :func:`archive.reader.date_order`:
    dated articles first, newest (or oldest) first, ties by document number."""
    wanted = np.asarray(numbers, dtype=np.int64)
    if not wanted.size:
        return wanted
    dated_parts, date_parts = [], []
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        try:
            dated_parts.append(cache.column(reader, "dated"))
            date_parts.append(cache.column(reader, "date"))
        except (NotImplementedError, KeyError, ValueError, OverflowError) as error:  # no such column: Whoosh sorts
            raise Unsupported(f"date columns: {error!r}") from error
    dated = np.concatenate(dated_parts)[wanted]
    dates = np.concatenate(date_parts)[wanted]
    # descending as ascending of the bitwise complement (unsigned: no overflow)
    return wanted[np.lexsort((wanted, dates if oldest_first else ~dates, ~dated))]


@dataclass
class NameTable:
    """A field's values across the segments of one reader, under the names they are shown as:
    a number per name, each segment's term → name number, which terms share their name
    with another term of the segment, and each name's place in case-insensitive order."""

    names: list[Any]
    numbers: dict[Any, int]
    casefold_rank: np.ndarray
    segments: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]  # id(reader) → (name of term, shared, first term of its name)
    widest: int


def name_table(searcher: Any, field_name: str, folder: Any, shown: dict[str, Any], cache: ArrayCache) -> NameTable | None:
    """The :class:`NameTable` of a field for ``shown`` (kept while ``shown`` is the same
    object); None when a segment's posting sidecar lacks the field."""
    found = cache.names.get(field_name)
    if found is not None and found[0] is shown:
        return found[1]  # type: ignore[no-any-return]
    numbers: dict[Any, int] = {}
    segments: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    widest = 1
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        store = load_postings(folder, reader)
        if not store.covers(field_name):
            return None
        terms, _, _ = store.field_block(field_name)
        widest = max(widest, len(terms) + 1)
        term_names = np.fromiter((numbers.setdefault(shown.get(term, term), len(numbers)) for term in terms), dtype=np.int64, count=len(terms))
        first_term: dict[int, int] = {}
        for position, number in enumerate(term_names.tolist()):
            first_term.setdefault(number, position)
        per_name = np.bincount(term_names, minlength=len(numbers)) if len(terms) else np.zeros(len(numbers), dtype=np.int64)
        shared = per_name[term_names] > 1
        first = np.fromiter((first_term[number] for number in term_names.tolist()), dtype=np.int64, count=len(terms))
        segments[id(reader)] = (term_names, shared, first)
    names = [None] * len(numbers)
    for name, number in numbers.items():
        names[number] = name
    folded = sorted({name.casefold() for name in names if name is not None})
    rank_of = {key: place for place, key in enumerate(folded)}
    casefold_rank = np.array([rank_of[name.casefold()] if name is not None else -1 for name in names], dtype=np.int64)
    table = NameTable(names, numbers, casefold_rank, segments, widest)
    cache.names[field_name] = (shown, table)
    return table


def facet_counts(
    searcher: Any, query: Any, field_name: str, folder: Any, shown: dict[str, Any], cache: ArrayCache, leave_out: frozenset[str]
) -> list[tuple[str, int]] | None:
    """Matching documents per shown value of a field, most first, then in case-insensitive
    order (ties as :meth:`archive.reader.Reader.counts` leaves them: first counted first), a
    document counted once per name; counted with ``bincount`` over the field's postings
    (:func:`archive.facetstore.count_values`, without a Python loop over the names). None
    when the posting sidecar lacks the field."""
    table = name_table(searcher, field_name, folder, shown, cache)
    if table is None:
        return None
    size = len(table.names)
    counts = np.zeros(size, dtype=np.int64)
    unseen = np.iinfo(np.int64).max
    first_seen = np.full(size, unseen, dtype=np.int64)
    for segment, (leaf, _) in enumerate(searcher.leaf_searchers()):
        hits = leaf_array(leaf, query)
        if not hits.size:
            continue
        reader = leaf.reader()
        _, owners, ids = load_postings(folder, reader).field_block(field_name)
        term_names, shared, first = table.segments[id(reader)]
        if not term_names.size:
            continue
        mask = np.zeros(reader.doc_count_all(), dtype=bool)
        mask[hits] = True
        selected = mask[ids]
        per_term = np.bincount(owners[selected], minlength=term_names.size)
        alone = np.flatnonzero((per_term > 0) & ~shared)
        base = segment * 2 * table.widest
        np.add.at(counts, term_names[alone], per_term[alone])
        np.minimum.at(first_seen, term_names[alone], base + alone)
        member = selected & shared[owners]
        if member.any():  # a document holding several values shown under one name counts once for it
            pairs = distinct(ids[member].astype(np.int64) * size + term_names[owners[member]])
            grouped = np.bincount(pairs % size, minlength=size)
            present = np.flatnonzero(grouped)
            counts[present] += grouped[present]
            order_of_group = np.full(size, unseen, dtype=np.int64)
            np.minimum.at(order_of_group, term_names[shared], first[shared])
            np.minimum.at(first_seen, present, base + table.widest + order_of_group[present])
    for name in {None, *leave_out}:
        if name in table.numbers:
            counts[table.numbers[name]] = 0
    found = np.flatnonzero(counts)
    order = found[np.lexsort((first_seen[found], table.casefold_rank[found], -counts[found]))]
    names = table.names
    return [(names[number], int(count)) for number, count in zip(order.tolist(), counts[order].tolist())]
