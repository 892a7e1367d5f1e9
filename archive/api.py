"""The library API: :class:`Archive`, an open index, and one function per command.

Example::

    from archive import Archive, Filters, ingest, search
    report = ingest(["corpus/"], index_path="index")
    with Archive("index") as archive:
        result = archive.search("ceasefire", filters=Filters(values={"people": ("gantz",)}))
        print(result.total, archive.facets("places", "ceasefire")[:5])

The module functions (``search``, ``facets``, ...) open the index for one call; pass an open
:class:`Archive` as ``index_path`` to reuse it. Cleaning and extraction load only when
something is extracted, so searching starts fast.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import reader as reading
from .curation import curation_path, load_curation
from .errors import ArchiveError
from .files import display_path
from .models import SearchResult
from .query import Filters
from .reader import Reader, Suggestion, Timeline
from .store import index_location, open_index

__all__ = [
    "COMMIT_EVERY", "Archive", "ExtractedArticle", "Filters", "IngestReport", "SearchResult", "Suggestion",
    "Timeline", "export", "extract", "facets", "index_location", "ingest", "optimize", "related", "retype_entity",
    "search", "show", "stats", "timeline",
]


class Archive:
    """An open index kept across calls: its searcher (refreshed when an ingest or optimize has
    committed since), its curation (reloaded when its file changes) and the display names of
    its facet values are reused, so a query costs the search alone::

        with Archive("index") as archive:
            for word in ("ceasefire", "hostages"):
                print(archive.search(word).total)

    Calls are serialised by a lock (a Whoosh searcher's files are read through shared
    positions), so one handle may be shared by threads. It is also an ``os.PathLike`` of the
    index folder, for the functions that write (``ingest``, ``optimize``) and the files kept
    beside the index (curation, saved searches).
    """

    def __init__(self, index_path: str | os.PathLike[str] | None = None, *, arrays: bool = True) -> None:
        self.location = index_location(index_path)
        self.arrays = arrays  # count with the posting arrays (numpy); False: sets, for one-shot processes
        self._index = open_index(self.location)
        self._searcher: Any = self._index.searcher()
        self._reader: Reader | None = None
        self._curation_stamp: tuple[int, int] | None = None
        self._lock = threading.RLock()

    def __fspath__(self) -> str:
        return str(self.location)

    def __str__(self) -> str:
        return str(self.location)

    def __repr__(self) -> str:
        return f"Archive({str(self.location)!r})"

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the searcher (the handle cannot be used afterwards)."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
                self._reader = None

    @contextmanager
    def reader(self) -> Iterator[Reader]:
        """The reader of the index as it is now (searcher and curation up to date), held for one call."""
        with self._lock:
            if self._searcher is None:
                raise ArchiveError(f"the archive at {display_path(self.location)} was closed")
            if not self._searcher.up_to_date():
                # A new searcher, not Searcher.refresh(): Whoosh's refresh fails on an index
                # that had no segments when it was opened.
                self._index = self._index.refresh()
                self._searcher.close()
                self._searcher = self._index.searcher()
                self._reader = None
            stamp = self._curation_state()
            if self._reader is None or stamp != self._curation_stamp:
                self._reader = Reader(self._searcher, load_curation(self.location), self.location, arrays=self.arrays)
                self._curation_stamp = stamp
            yield self._reader

    def _curation_state(self) -> tuple[int, int] | None:
        """When and how large the curation file is (None when there is none)."""
        try:
            info = curation_path(self.location).stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def search(self, text: str | None = None, **options: Any) -> SearchResult:
        """:func:`archive.reader.search` on this index."""
        with self.reader() as reader:
            return reading.search(reader, text, **options)

    def facets(self, field_name: str, text: str | None = None, **options: Any) -> list[tuple[str, int]]:
        """:func:`archive.reader.facet_counts` on this index."""
        with self.reader() as reader:
            return reading.facet_counts(reader, field_name, text, **options)

    def related(self, name: str, field_name: str = "actors", **options: Any) -> tuple[str, list[str], list[tuple[str, int]]]:
        """:func:`archive.reader.related` on this index."""
        with self.reader() as reader:
            return reading.related(reader, name, field_name, **options)

    def suggest(self, text: str | None = None, **options: Any) -> list[Suggestion]:
        """:func:`archive.reader.suggest` on this index."""
        with self.reader() as reader:
            return reading.suggest(reader, text, **options)

    def timeline(self, text: str | None = None, **options: Any) -> Timeline:
        """:func:`archive.reader.timeline` on this index."""
        with self.reader() as reader:
            return reading.timeline(reader, text, **options)

    def matching_ids(self, text: str | None = None, **options: Any) -> list[str]:
        """:func:`archive.reader.matching_ids` on this index."""
        with self.reader() as reader:
            return reading.matching_ids(reader, text, **options)

    def completions(self, field_name: str, incomplete: str = "", **options: Any) -> list[str]:
        """:func:`archive.reader.completions` on this index."""
        with self.reader() as reader:
            return reading.completions(reader, field_name, incomplete, **options)

    def show(self, article_id: str) -> dict[str, Any]:
        """:func:`archive.reader.show` on this index."""
        with self.reader() as reader:
            return reading.show(reader, article_id)

    def stats(self) -> dict[str, Any]:
        """:func:`archive.reader.stats` on this index."""
        with self.reader() as reader:
            return reading.stats(reader)

    def export(self, text: str | None = None, **options: Any) -> tuple[int, Iterator[dict[str, Any]]]:
        """:func:`archive.reader.export` on this index, read through a searcher of its own (the
        records stay those of the index as it was when the call was made, and other calls may
        run while they are read); it is closed when the records are used up or dropped."""
        with self.reader() as shared:
            searcher = self._index.refresh().searcher()
            reader = Reader(searcher, shared.curation, self.location, arrays=self.arrays)
        try:
            count, records = reading.export(reader, text, **options)
        except BaseException:
            searcher.close()
            raise

        def closing() -> Iterator[dict[str, Any]]:
            try:
                yield from records
            finally:
                searcher.close()

        return count, closing()


@contextmanager
def opened(index_path: str | os.PathLike[str] | Archive | None) -> Iterator[Archive]:
    """``index_path`` itself when it is an open :class:`Archive`, else the index opened for the block."""
    if isinstance(index_path, Archive):
        yield index_path
        return
    with Archive(index_path) as archive:
        yield archive


def search(text: str | None = None, *, index_path: str | os.PathLike[str] | Archive | None = None, **options: Any) -> SearchResult:
    """Full-text and faceted search (see :func:`archive.reader.search` for the options:
    ``filters``, ``sort``, ``limit``, ``offset``, ``exclude``)."""
    with opened(index_path) as archive:
        return archive.search(text, **options)


def facets(
    field_name: str, text: str | None = None, *, index_path: str | os.PathLike[str] | Archive | None = None, **options: Any
) -> list[tuple[str, int]]:
    """Counts of each value of one facet over all articles matching the query and ``filters``."""
    with opened(index_path) as archive:
        return archive.facets(field_name, text, **options)


def related(
    name: str, field_name: str = "actors", *, index_path: str | os.PathLike[str] | Archive | None = None, **options: Any
) -> tuple[str, list[str], list[tuple[str, int]]]:
    """Who or what appears together with ``name``: (field found in, names matched, counts)."""
    with opened(index_path) as archive:
        return archive.related(name, field_name, **options)


def timeline(text: str | None = None, *, index_path: str | os.PathLike[str] | Archive | None = None, **options: Any) -> Timeline:
    """Matching articles per day, week, month or year (``by``)."""
    with opened(index_path) as archive:
        return archive.timeline(text, **options)


def show(article_id: str, *, index_path: str | os.PathLike[str] | Archive | None = None) -> dict[str, Any]:
    """One article by id or unique prefix, facets curated, with its other ``locations``."""
    with opened(index_path) as archive:
        return archive.show(article_id)


def stats(*, index_path: str | os.PathLike[str] | Archive | None = None) -> dict[str, Any]:
    """Number of articles, index size, date range and distinct values per facet."""
    with opened(index_path) as archive:
        return archive.stats()


def export(
    text: str | None = None, *, index_path: str | os.PathLike[str] | Archive | None = None, **options: Any
) -> tuple[int, Iterator[dict[str, Any]]]:
    """Every matching article with all its fields, oldest first, undated last: the count and
    an iterator over the records."""
    with opened(index_path) as archive:
        return archive.export(text, **options)


# Writing and extraction load their modules (worker pools, Beautiful Soup, lxml, word lists)
# only when used, so that reading through this module starts fast.
_LAZY = {
    "ingest": "indexer", "optimize": "indexer", "IngestReport": "indexer", "COMMIT_EVERY": "indexer", "retype_entity": "indexer",
    "extract": "pipeline", "ExtractedArticle": "pipeline",
}


def __getattr__(name: str) -> Any:
    """The writing and extraction names of the API (see ``_LAZY``), imported on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"archive.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
