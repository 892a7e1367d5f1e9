"""Posting-id arithmetic: which documents of each segment match a query, as sorted arrays of
document numbers combined by array operations (no per-document Python calls).

Terms of the text and facet fields are read from the segment's posting sidecar
(:mod:`archive.postingstore`, memory-mapped); ``And``, ``Or``, ``AndNot``, ``Not`` and
``Every`` become intersections, unions and differences of sorted arrays. Any other part of a
query (phrases, date ranges, fuzzy terms, prefixes) is matched by Whoosh itself for that part
only and joins the arithmetic as an array. Used for exact hit counts, for the documents of
timelines and exports, and for facet counts over all hits.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ._light import import_whoosh

import_whoosh()  # before any other Whoosh import: see archive._light

from whoosh.query import And, AndNot, Every, Not, NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from .postingstore import EMPTY, SegmentPostings, deleted
from .postingstore import load as load_postings


def match_count(searcher: Searcher, query: Query) -> int:
    """How many live documents match ``query``, exactly, whatever its shape.

    A search for the top hits skips blocks of postings that cannot make the top, and the
    length Whoosh then reports may be an estimate (too low for ``AndNot``); here every
    segment's matching documents are counted as arrays (see the module's docstring).
    """
    return sum(int(leaf_array(leaf, query).size) for leaf, _ in searcher.leaf_searchers())


def matching_numbers(searcher: Searcher, query: Query) -> list[int]:
    """Document numbers (index-wide) of every live document matching ``query``, in order:
    what ``searcher.docs_for_query`` gives."""
    numbers: list[int] = []
    for leaf, offset in searcher.leaf_searchers():
        found = leaf_array(leaf, query)
        numbers.extend((found.astype(np.int64) + offset).tolist())
    return numbers


def leaf_matches(leaf: Any, query: Query) -> list[int]:
    """The live documents of one segment's searcher matching ``query``, in order."""
    return leaf_array(leaf, query).tolist()


def leaf_array(leaf: Any, query: Query) -> np.ndarray:
    """The live documents of one segment's searcher matching ``query``: a sorted ``int32`` array."""
    reader = leaf.reader()
    store = load_postings(index_folder(leaf), reader)
    found = _docs(leaf, reader, store, query)
    dead = deleted(reader)
    if dead is not None and found.size:
        found = difference(found, dead)
    return found


def index_folder(searcher: Any) -> str | None:
    """The folder of the index a (leaf) searcher reads, or None (an index in memory)."""
    folder = getattr(getattr(getattr(searcher, "_ix", None), "storage", None), "folder", None)
    return os.fspath(folder) if folder else None


def _docs(leaf: Any, reader: Any, store: SegmentPostings, query: Query) -> np.ndarray:
    """Sorted document numbers of one segment matching ``query`` (deleted ones possibly included)."""
    kind = type(query)
    if kind is Term and store.covers(query.fieldname):
        text = query.text
        return store.docs(query.fieldname, text if isinstance(text, bytes) else str(text).encode("utf-8"))
    if query is NullQuery:
        return EMPTY
    if kind is And and query.subqueries:
        found = [_docs(leaf, reader, store, sub) for sub in query.subqueries]
        found.sort(key=len)
        result = found[0]
        for other in found[1:]:
            if not result.size:
                break
            result = intersection(result, other)
        return result
    if kind is Or and not getattr(query, "minmatch", 0):
        parts = [part for part in (_docs(leaf, reader, store, sub) for sub in query.subqueries) if part.size]
        if not parts:
            return EMPTY
        return parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))
    if kind is AndNot:
        return difference(_docs(leaf, reader, store, query.a), _docs(leaf, reader, store, query.b))
    if kind is Not:
        return difference(np.arange(reader.doc_count_all(), dtype=np.int32), _docs(leaf, reader, store, query.query))
    if kind is Every and getattr(query, "fieldname", None) in (None, "*"):
        return np.arange(reader.doc_count_all(), dtype=np.int32)
    return np.unique(np.fromiter(query.docs(leaf), dtype=np.int32))


def intersection(small: np.ndarray, large: np.ndarray) -> np.ndarray:
    """Elements of two sorted arrays of unique numbers found in both (binary search of the
    smaller one's elements in the larger)."""
    if len(small) > len(large):
        small, large = large, small
    if not small.size or not large.size:
        return EMPTY
    where = np.searchsorted(large, small)
    where[where == len(large)] = len(large) - 1
    return small[large[where] == small]


def difference(found: np.ndarray, removed: np.ndarray) -> np.ndarray:
    """Elements of the sorted array ``found`` not in the sorted array ``removed``."""
    if not found.size or not removed.size:
        return found
    where = np.searchsorted(removed, found)
    where[where == len(removed)] = len(removed) - 1
    return found[removed[where] != found]
