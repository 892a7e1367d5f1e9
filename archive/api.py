"""The library API scripts import: ingest, extract, search, facets, related, show, stats, and
:class:`Archive`, an index kept open across queries.

Example::

    from archive.api import ingest, search, Filters
    report = ingest(["corpus/"], index_path="index")
    result = search("ceasefire", filters=Filters(values={"people": ("gantz",)}), index_path="index")

Cleaning and facet extraction (Beautiful Soup, lxml, word lists) are imported only by the
functions that need them, so searching starts fast.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ArchiveError
from .models import Article, Facets
from .query import Filters, SearchResult, check_text
from .sources import MAX_FILE_BYTES, SourceError, display_path
from .store import (
    KEYWORD_FIELDS,
    LOCK_TIMEOUT_SECONDS,
    document_for,
    index_size,
    locked_writer,
    open_index,
    split_values,
    valid_text,
    writable_index,
    writer_fields,
)

DEFAULT_INDEX = "index"
COMMIT_EVERY = 10_000  # articles a commit: Whoosh merges cost more than writing, so few large segments


@dataclass
class IngestReport:
    """What an ingest did: counts of articles and the problems met, file by file."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    duplicates: int = 0
    pruned: int = 0
    files: int = 0
    problems: list[SourceError] = field(default_factory=list)
    interrupted: bool = False

    def summary(self) -> str:
        """One line: added, updated, unchanged, skipped."""
        extra = "".join(
            f", {count} {name}" for name, count in (("duplicates", self.duplicates), ("pruned", self.pruned)) if count
        )
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped{extra} ({self.files} files)"
        )

    def problem(self, error: SourceError) -> None:
        """Record a file, article or line that was skipped."""
        self.problems.append(error)
        self.skipped += error.count


@dataclass(frozen=True)
class ExtractedArticle:
    """A cleaned article with its facets, as ``extract`` returns it."""

    article: Article
    facets: Facets

    def as_dict(self) -> dict[str, Any]:
        """Every field, facets included, for JSON output."""
        article = self.article
        record = {
            "id": article.id,
            "path": display_path(article.path),
            "title": article.title,
            "date": article.date,
            "author": article.author,
            "source": article.source,
            "url": article.url,
            "language": article.language,
            **self.facets.as_dict(),
            "body": article.body,
        }
        return {name: valid_text(value) if isinstance(value, str) else value for name, value in record.items()}


def index_location(index_path: str | os.PathLike[str] | None = None) -> Path:
    """The index folder: the argument, else ``$ARCHIVE_INDEX``, else ``./index``."""
    return Path(index_path or os.environ.get("ARCHIVE_INDEX") or DEFAULT_INDEX)


def extract_path(path: Path, max_file_bytes: int = MAX_FILE_BYTES) -> Iterator[ExtractedArticle | SourceError]:
    """Read, clean and extract facets from one file, without indexing, as it is read.

    Problems come as :class:`SourceError` items. A failure inside cleaning or extraction is
    reported as a problem of its file (naming the error) rather than ending the run.
    """
    from .clean import clean_record
    from .facets.extract import extract_facets
    from .sources import iter_records

    try:
        for record in iter_records(path, max_file_bytes):
            if isinstance(record, SourceError):
                yield record
                continue
            where = f" ({record.key})" if record.key else ""
            try:
                article = clean_record(record)
                if not article.body.strip():
                    yield SourceError(record.path, f"no article text found{where}")
                    continue
                facets = extract_facets(article)
            except Exception as error:  # a bug or a limit hit on odd input must not end the run
                yield SourceError(record.path, f"cannot process the article{where}: {type(error).__name__}: {error}")
                continue
            yield ExtractedArticle(article, facets)
    except SourceError as error:
        yield error


def extract(
    paths: Iterable[str | os.PathLike[str]], *, max_file_bytes: int = MAX_FILE_BYTES
) -> Iterator[ExtractedArticle | SourceError]:
    """Clean and extract facets from every article under ``paths``; problems are yielded too."""
    from .sources import find_files

    for found in find_files(paths):
        if isinstance(found, SourceError):
            yield found
        else:
            yield from extract_path(found, max_file_bytes)


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    index_path: str | os.PathLike[str] | None = None,
    *,
    progress: Callable[[str, IngestReport], None] | None = None,
    notice: Callable[[str], None] | None = None,
    batch_size: int = COMMIT_EVERY,
    lock_wait: float = LOCK_TIMEOUT_SECONDS,
    max_file_bytes: int = MAX_FILE_BYTES,
    jobs: int | None = None,
    prune: bool = False,
    optimize: bool | None = None,
    dask: str | None = None,
    dask_workers: int | None = None,
) -> IngestReport:
    """Add or update every article under ``paths`` in the index (created if missing).

    Reading, cleaning and facet extraction run in ``jobs`` worker processes (``None`` or 1:
    in this process, each file read just before its ``progress`` call; the command line
    defaults to every core); one writer commits the results in input order, so any ``jobs``
    gives the same index.

    Incremental: a file whose size and modification time match the catalog beside the index
    costs a ``stat``; one whose content hash matches costs a read; only changed files are
    parsed, and articles a changed file no longer holds are removed. With ``prune``, files
    under ``paths`` that the catalog knows but that are gone have their articles removed.
    Duplicates (the same cleaned body at several paths or in several formats) are indexed
    once, under the first location seen; the others are recorded as its other locations.

    Articles are committed in batches of ``batch_size`` (a full batch is committed when the
    next article arrives, or at the end); a crash or kill loses at most the batch in flight,
    and running the same ingest again completes it without duplicates. The
    index is locked against other writers for the whole run: a running one is waited for up
    to ``lock_wait`` seconds, a lock left by a killed one is cleared (``notice`` receives
    these messages). Ctrl-C (KeyboardInterrupt) stops reading, commits what was read and
    returns a report marked ``interrupted``. A file that cannot be read is recorded in the
    report's ``problems`` and skipped. At the end the index segments are merged when there
    are many of them (``optimize=True`` always merges to one, ``False`` never).

    With ``dask`` (a scheduler address, or ``"local"`` for a LocalCluster of ``dask_workers``
    processes) the per-file work runs on a Dask cluster instead of local processes: the same
    work function, results in the same order, so the same index. Folders of enriched
    partitions written by :func:`archive.enrich.enrich` are indexed from their records,
    without cleaning or extraction.
    """
    from .catalog import Catalog
    from .enrich import file_pool

    if batch_size < 1:
        raise ArchiveError(f"batch size must be at least 1, not {batch_size}")
    report = IngestReport()
    location = index_location(index_path)
    given = list(paths)
    with file_pool(jobs, dask, dask_workers) as pool:  # before the lock: workers must not inherit it
        with writable_index(location, wait=lock_wait, notice=notice) as index, Catalog(location) as catalog:
            batch = _Batch(index, catalog, report)
            try:
                seen: set[str] = set()
                tasks = _file_tasks(given, location, catalog, report, seen, max_file_bytes, progress)
                for result in pool.run(tasks):
                    batch.take(result, batch_size)
                    report.files += 1
                    if progress:
                        progress(result.task.path, report)
                if prune:
                    batch.prune(given, seen)
            except KeyboardInterrupt:
                report.interrupted = True
            try:
                batch.commit()
            except KeyboardInterrupt:
                report.interrupted = True
            if not report.interrupted:
                _finish(index, optimize)
    return report


def _file_tasks(
    paths: list[str | os.PathLike[str]],
    location: Path,
    catalog: Any,
    report: IngestReport,
    seen: set[str],
    max_file_bytes: int,
    progress: Callable[[str, IngestReport], None] | None,
) -> Iterator[Any]:
    """Tasks for the files under ``paths`` that may have changed; unchanged files (same size
    and modification time as recorded) are counted here and cost only a ``stat``."""
    from .catalog import file_key
    from .enrich import is_partition
    from .sources import find_files
    from .workers import FileTask

    states = catalog.file_states()
    for found in find_files(paths, exclude=[location]):
        if isinstance(found, SourceError):
            report.problem(found)
            continue
        key = file_key(found)
        seen.add(key)
        try:
            info = found.stat()
        except OSError as error:
            report.problem(SourceError(found, f"cannot read file: {error.strerror or error}"))
            continue
        known = states.get(key)
        if known is not None and known.size == info.st_size and known.mtime_ns == info.st_mtime_ns:
            report.unchanged += catalog.article_count(key)
            report.files += 1
            if progress:
                progress(str(found), report)
            continue
        yield FileTask(
            str(found), key, info.st_size, info.st_mtime_ns, known.hash if known else None, max_file_bytes,
            is_partition(found), analyse=True,
        )


# A file modified this recently may be modified again within the file system's timestamp
# granularity without its modification time changing: its time is not trusted next run
# (its content hash is compared instead).
RACY_SECONDS = 2.0


class _Batch:
    """The single writer's pending work: documents to write and ids to delete, with the
    catalog changes that go with them, committed together (index first, then catalog)."""

    def __init__(self, index: Any, catalog: Any, report: IngestReport) -> None:
        self.index = index
        self.catalog = catalog
        self.report = report
        self.writes: dict[str, dict[str, Any]] = {}
        self.deletes: set[str] = set()
        self.reassigned: set[str] = set()
        self.arrived = 0
        self.searcher: Any = None

    def take(self, result: Any, batch_size: int) -> None:
        """Add one file's result (committing a full batch before each new article)."""
        import time

        from .catalog import FileState

        task = result.task
        for problem in result.errors():
            self.report.problem(problem)
        if result.same_content:
            self.catalog.set_file(task.key, FileState(task.size, self._trusted_mtime(task, time.time()), result.hash))
            self.report.unchanged += self.catalog.article_count(task.key)
            return
        if result.failed:  # keep what the file gave before; read it again next time
            self.catalog.forget_file(task.key)
            return
        now = time.time()
        arrived: set[str] = set()
        for document, digest in result.documents:
            if self.arrived >= batch_size:
                self.commit()
            self._arrive(task.key, document, digest)
            arrived.add(document["id"])
        for stale in set(self.catalog.articles_of(task.key)) - arrived:
            self._drop(stale)
        if result.problems:
            self.catalog.forget_file(task.key)
        else:
            self.catalog.set_file(task.key, FileState(task.size, self._trusted_mtime(task, now), result.hash))

    @staticmethod
    def _trusted_mtime(task: Any, now: float) -> int:
        """The modification time to record, or -1 when it is too recent to be trusted."""
        return task.mtime_ns if task.mtime_ns < (now - RACY_SECONDS) * 1e9 else -1

    def prune(self, paths: list[str | os.PathLike[str]], seen: set[str]) -> None:
        """Remove the articles of recorded files under ``paths`` that were not found."""
        from .catalog import file_key

        roots = [file_key(path) for path in paths]
        for key in list(self.catalog.files_under(roots)):
            if key in seen:
                continue
            for article in self.catalog.articles_of(key):
                self._drop(article)
                self.report.pruned += 1
            self.catalog.forget_file(key)

    def _open_searcher(self) -> Any:
        if self.searcher is None:
            self.searcher = self.index.searcher()
        return self.searcher

    def _stored(self, article_id: str) -> dict[str, Any] | None:
        """The current document of an article: pending, else committed."""
        from .store import document_from_stored

        if article_id in self.writes:
            return self.writes[article_id]
        searcher = self._open_searcher()
        number = searcher.document_number(id=article_id)
        return None if number is None else document_from_stored(searcher.stored_fields(number))

    def _drop(self, article_id: str) -> None:
        """An article leaves the archive (or its body group): remove its document and, if it
        was the indexed copy of a body others share, index the next holder instead."""
        from .store import fingerprint

        digest = self.catalog.body_of(article_id)
        holders = self.catalog.holders(digest) if digest else []
        document = self._stored(article_id) if holders and holders[0].id == article_id else None
        self.catalog.remove_article(article_id)
        self.writes.pop(article_id, None)
        self.deletes.add(article_id)
        if document is not None and len(holders) > 1:
            heir = holders[1]
            moved = {**document, "id": heir.id, "path": heir.path}
            moved["fingerprint"] = fingerprint(moved)
            self.writes[heir.id] = moved
            self.deletes.discard(heir.id)
            self.reassigned.add(heir.id)

    def _arrive(self, key: str, document: dict[str, Any], digest: str) -> None:
        """Record an article read now; index it unless an earlier article has its body."""
        article_id = document["id"]
        previous = self.catalog.body_of(article_id)
        if previous is not None and previous != digest:
            self._drop(article_id)
        self.catalog.add_article(article_id, key, document["path"], digest)
        holders = self.catalog.holders(digest)
        self.arrived += 1
        if holders[0].id == article_id:
            self.writes[article_id] = document
            self.deletes.discard(article_id)
        else:
            self.report.duplicates += 1
            self.writes.pop(article_id, None)
            self.deletes.add(article_id)

    def commit(self) -> None:
        """Write and commit the pending changes to the index, then the catalog.

        Ctrl-C during the commit is held back until it is done, then raised.
        """
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None
        if not self.writes and not self.deletes:
            self.catalog.commit()
            self.arrived = 0
            return
        with _interrupts_deferred():
            _write(self.index, list(self.writes.values()), self.deletes, self.reassigned, self.report)
            self.catalog.commit()
            self.writes.clear()
            self.deletes.clear()
            self.reassigned.clear()
            self.arrived = 0


def _finish(index: Any, optimize: bool | None) -> None:
    """After an ingest: merge the segments (to one when asked; else, when there are many, the
    smallest ones) and build the facet sidecars of new segments."""
    from .facetstore import prebuild
    from .store import MAX_SEGMENTS, compact_index, optimize_index, segment_count

    index = index.refresh()
    with _interrupts_deferred():
        if optimize:
            index = optimize_index(index)
        elif optimize is None and segment_count(index) > MAX_SEGMENTS:
            index = compact_index(index, MAX_SEGMENTS)
        prebuild(index, KEYWORD_FIELDS)


def optimize(
    index_path: str | os.PathLike[str] | None = None,
    *,
    notice: Callable[[str], None] | None = None,
    lock_wait: float = LOCK_TIMEOUT_SECONDS,
) -> tuple[int, int]:
    """Merge the index into one segment (searches open and read fewer files) and build the
    facet-count sidecar; returns the segment counts before and after."""
    from .facetstore import prebuild
    from .store import optimize_index, segment_count

    location = index_location(index_path)
    open_index(location)  # a clear error when there is no index
    with writable_index(location, wait=lock_wait, notice=notice) as index:
        before = segment_count(index)
        with _interrupts_deferred():
            index = optimize_index(index)
            prebuild(index, KEYWORD_FIELDS)
        return before, segment_count(index)


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold off SIGINT for the block, raising KeyboardInterrupt after it if one came.

    Only in the main thread with Python's default handler in place; otherwise the block
    runs as it is.
    """
    in_main_thread = threading.current_thread() is threading.main_thread()
    if not in_main_thread or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    received: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if received:
        raise KeyboardInterrupt


def _write(
    index: Any, documents: list[dict[str, Any]], deletes: set[str], reassigned: set[str], report: IngestReport
) -> None:
    """Write one batch, classifying each document as added, updated or unchanged."""
    with index.searcher() as searcher:
        previous = {}
        for document in documents:
            number = searcher.document_number(id=document["id"])
            previous[document["id"]] = None if number is None else searcher.stored_fields(number).get("fingerprint")
        deletes = {article_id for article_id in deletes if searcher.document_number(id=article_id) is not None}
    changes = [document for document in documents if previous[document["id"]] != document["fingerprint"]]
    if changes or deletes:
        with locked_writer(index) as writer:
            for article_id in deletes:
                writer.delete_by_term("id", article_id)
            for document in changes:
                fields = writer_fields(document)
                if previous[document["id"]] is None:  # not in the index: nothing to replace
                    writer.add_document(**fields)
                else:
                    writer.update_document(**fields)
    for document in documents:
        before = previous[document["id"]]
        if document["id"] in reassigned:  # the same article under another of its locations
            continue
        if before == document["fingerprint"]:
            report.unchanged += 1
        elif before is None:
            report.added += 1
        else:
            report.updated += 1


class Archive:
    """An open index kept across calls: its searcher (refreshed when an ingest or optimize has
    committed since), its curation and its person spellings are reused, so a query costs
    the search alone. Use it where many queries are asked of one index (a web view, a
    notebook, a benchmark)::

        with Archive("index") as archive:
            for word in ("ceasefire", "hostages"):
                print(archive.search(word).total)

    It is also an ``os.PathLike`` of the index folder, so every function of this module and
    of :mod:`archive.explore` accepts it as ``index_path``; :func:`search`, :func:`facets`,
    :func:`related` and the search, facet, related, suggest, timeline and completion
    functions of :mod:`archive.explore` then use its open searcher. Calls are serialised by a
    lock (a Whoosh searcher's files are read through shared positions), so one handle may
    be shared by threads.
    """

    def __init__(self, index_path: str | os.PathLike[str] | None = None) -> None:
        self.location = index_location(index_path)
        self._index = open_index(self.location)
        self._searcher: Any = self._index.searcher()
        self._curation: Any = None
        self._curation_stamp: tuple[int, int] | None = None
        self._lock = threading.RLock()

    def __fspath__(self) -> str:
        return str(self.location)

    def __str__(self) -> str:
        return str(self.location)

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Archive({str(self.location)!r})"

    def close(self) -> None:
        """Close the searcher (the handle cannot be used afterwards)."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    @contextmanager
    def reading(self) -> Iterator[tuple[Any, Any, Path]]:
        """The up-to-date searcher, the curation and the index folder, held for one call."""
        from .curation import curation_path, load_curation

        with self._lock:
            if self._searcher is None:
                raise ArchiveError(f"the archive at {display_path(self.location)} was closed")
            if not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
            try:
                info = curation_path(self.location).stat()
                stamp: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
            except OSError:
                stamp = None
            if self._curation is None or stamp != self._curation_stamp:
                self._curation, self._curation_stamp = load_curation(self.location), stamp
            yield self._searcher, self._curation, self.location

    def search(self, text: str | None = None, **options: Any) -> SearchResult:
        """:func:`archive.explore.search` (curation, fuzzy terms, exact phrases) on this index."""
        from .explore import search as explore_search

        return explore_search(text, index_path=self, **options)

    def facets(self, field_name: str, text: str | None = None, **options: Any) -> list[tuple[str, int]]:
        """:func:`archive.explore.facet_counts` on this index."""
        from .explore import facet_counts as explore_facets

        return explore_facets(field_name, text, index_path=self, **options)

    def related(self, name: str, field_name: str = "actors", **options: Any) -> Any:
        """:func:`archive.explore.related` on this index."""
        from .explore import related as explore_related

        return explore_related(name, field_name, index_path=self, **options)


def search(
    text: str | None = None,
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
    sort: str = "relevance",
    limit: int | None = 10,
    offset: int = 0,
) -> SearchResult:
    """Full-text and faceted search; hits carry stored fields, score and a marked snippet.

    Entity curation applies, and exact phrases (``="..."``) are checked word for word (see
    :func:`archive.explore.search`). ``index_path`` may be an open :class:`Archive`, whose
    searcher is reused."""
    from .explore import search as curated_search

    return curated_search(text, filters=filters, index_path=index_path, sort=sort, limit=limit, offset=offset)


def facets(
    field_name: str,
    text: str | None = None,
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
) -> list[tuple[str, int]]:
    """Counts of each value of one facet over all articles matching the query and filters
    (``index_path`` may be an open :class:`Archive`)."""
    from .explore import facet_counts as curated_counts

    return curated_counts(field_name, text, filters=filters, index_path=index_path)


def related(
    name: str,
    field_name: str = "actors",
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
) -> tuple[str, list[str], list[tuple[str, int]]]:
    """Who or what appears together with ``name``: (field found in, names matched, counts)
    (``index_path`` may be an open :class:`Archive`)."""
    from .explore import related as curated_related

    return curated_related(name, field_name, filters=filters, index_path=index_path)


def show(article_id: str, *, index_path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """One stored article by id (a unique prefix of at least 4 characters is enough).

    The id of a duplicate (an article whose body was already indexed from another file)
    gives the indexed article. ``locations`` lists every file the article was found in.
    """
    from .catalog import canonical_id, locations

    check_text(article_id, "id")
    location = index_location(index_path)
    index = open_index(location)
    with index.searcher() as searcher:
        number = searcher.document_number(id=article_id)
        if number is None:
            original = canonical_id(location, article_id)
            if original is not None:
                number = searcher.document_number(id=original)
        if number is None and len(article_id) >= 4:
            matches = [term.decode() for term in searcher.lexicon("id") if term.decode().startswith(article_id)]
            if len(matches) > 1:
                raise ArchiveError(f"id prefix {article_id!r} is ambiguous: {', '.join(matches[:5])}")
            if matches:
                number = searcher.document_number(id=matches[0])
        if number is None:
            raise ArchiveError(f"no article with id {article_id!r}")
        record = stored_article(searcher.stored_fields(number))
    found = locations(location, record["id"])
    if len(found) > 1:
        record["locations"] = [place.path for place in found]
    return record


def stored_article(fields: dict[str, Any]) -> dict[str, Any]:
    """A stored document as an article record, facet fields as lists."""
    record = {
        "id": fields.get("id"),
        "title": fields.get("title", ""),
        "date": fields.get("date_iso") or None,
        "author": fields.get("author") or None,
        "source": fields.get("source") or None,
        "url": fields.get("url") or None,
        "language": fields.get("language") or None,
        "path": fields.get("path"),
    }
    for name in KEYWORD_FIELDS:
        if name not in ("source", "language"):
            record[name] = split_values(fields.get(name))
    record["body"] = fields.get("body", "")
    return record


def stats(*, index_path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Number of articles, index size, date range and distinct values per facet."""
    location = index_location(index_path)
    index = open_index(location)
    with index.searcher() as searcher:
        dates = sorted(fields["date_iso"] for fields in searcher.all_stored_fields() if fields.get("date_iso"))
        distinct = {name: sum(1 for _ in searcher.lexicon(name)) for name in KEYWORD_FIELDS}
        return {
            "index": str(location),
            "articles": searcher.doc_count(),
            "size_bytes": index_size(location),
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
            "distinct": distinct,
        }
