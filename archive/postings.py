"""Posting-id arithmetic: which documents of each segment match a query made of terms, as
sets of document numbers read a posting block at a time (no per-document Python calls).

Used for exact hit counts and for facet counts over all hits; any query shape other than
terms joined by ``And``/``Or``/``AndNot``/``Require`` is matched by Whoosh itself.
"""

from __future__ import annotations

from typing import Any

from ._light import import_whoosh

import_whoosh()  # before any other Whoosh import: see archive._light

from whoosh.query import And, AndNot, NullQuery, Or, Query, Require, Term
from whoosh.searching import Searcher


def match_count(searcher: Searcher, query: Query) -> int:
    """How many live documents match ``query``, exactly, whatever its shape.

    A search for the top hits skips blocks of postings that cannot make the top, and the
    length Whoosh then reports may be an estimate (too low for ``AndNot``). Here a query made
    of terms joined by ``And``/``Or``/``AndNot``/``Require`` is counted per segment from sets of document
    numbers read a posting block at a time (two to five times faster than Whoosh's second
    pass); any other query (phrases, ranges, fuzzy terms) is matched document by document.
    """
    if not _countable(query):
        return sum(1 for _ in searcher.docs_for_query(query))
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
    """Whether ``query`` is made of terms with ``And``, ``Or``, ``AndNot`` and ``Require`` only."""
    if isinstance(query, Term) or query is NullQuery:
        return True
    if isinstance(query, (AndNot, Require)):
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
    if isinstance(query, Require):
        return _docset(leaf, reader, query.a) & _docset(leaf, reader, query.b)
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
