"""Writing: the ingest engine. Files are read, cleaned and extracted by an executor's workers
(:mod:`archive.executors`), and a single writer commits their documents in batches, with the
catalog (:mod:`archive.catalog`) deciding what changed, what is a duplicate and what is gone.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import Catalog, FileState, file_key
from .curation import load_curation, retype, retyped, save_curation
from .errors import BadQuery, SourceError
from .models import RunReport
from .executors import file_pool
from .facetstore import folded_values, prebuild
from .fields import KIND_FIELDS
from .folding import fold_key
from .files import MAX_FILE_BYTES, plural
from .partitions import is_partition
from .sidecars import install as write_sidecars_with_segments
from .sources import find_files
from .store import (
    KEYWORD_FIELDS,
    LOCK_TIMEOUT_SECONDS,
    MAX_SEGMENTS,
    compact_index,
    analyse,
    document_from_stored,
    fingerprint,
    index_location,
    locked_writer,
    open_index,
    optimize_index,
    segment_count,
    writable_index,
    writer_fields,
)
from .workers import FileTask

COMMIT_EVERY = 10_000  # articles a commit: Whoosh merges cost more than writing, so few large segments


@dataclass
class IngestReport(RunReport):
    """What an ingest did: counts of articles and the problems met, file by file."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    pruned: int = 0
    read: int = 0  # articles read from the files so far (committed or not)
    abandoned: int = 0  # articles read but not committed: a second Ctrl-C during the last commit

    def summary(self) -> str:
        """One line: added, updated, unchanged, skipped."""
        extra = "".join(
            f", {plural(count, name, many)}"
            for name, many, count in (("duplicate", "duplicates", self.duplicates), ("pruned", "pruned", self.pruned)) if count
        )
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped{extra} ({plural(self.files, 'file')})"
        )


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
    status: Callable[[str], None] | None = None,
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
    returns a report marked ``interrupted``; ``status`` is told at once ("interrupted:
    committing N articles...") and before each commit ("committing N articles..."). A second
    Ctrl-C during that last commit abandons it: the writer is cancelled and the catalog rolled
    back, so index and catalog stay as the previous commit left them, and the report's
    ``abandoned`` says how many articles were dropped. A file that cannot be read is recorded in the
    report's ``problems`` and skipped. At the end the index segments are merged when there
    are many of them (``optimize=True`` always merges to one, ``False`` never).

    With ``dask`` (a scheduler address, or ``"local"`` for a LocalCluster of ``dask_workers``
    processes) the per-file work runs on a Dask cluster instead of local processes: the same
    work function, results in the same order, so the same index. Folders of enriched
    partitions written by :func:`archive.enrich.enrich` are indexed from their records,
    without cleaning or extraction.
    """
    if batch_size < 1:
        raise BadQuery(f"batch size must be at least 1, not {batch_size}")
    report = IngestReport()
    location = index_location(index_path)
    given = list(paths)
    write_sidecars_with_segments()
    with file_pool(jobs, dask, dask_workers) as pool:  # before the lock: workers must not inherit it
        with writable_index(location, wait=lock_wait, notice=notice) as index, Catalog(location) as catalog:
            batch = _Batch(index, catalog, report, status, load_curation(location).retype)
            try:
                seen: set[str] = set()
                tasks = _file_tasks(given, location, catalog, report, seen, max_file_bytes, progress)
                for result in pool.run(tasks):
                    with _interrupts_deferred():  # a file is taken and counted whole: Ctrl-C waits for both
                        batch.take(result, batch_size)
                        report.files += 1
                    if progress:
                        progress(result.task.path, report)
                if prune:
                    batch.prune(given, seen)
            except KeyboardInterrupt:
                report.interrupted = True
            if report.interrupted:
                if status:
                    status(f"interrupted: committing {plural(batch.pending(), 'article')} read so far (Ctrl-C again to abandon them)")
                batch.commit_or_abandon()
            else:
                try:
                    batch.commit()
                except KeyboardInterrupt:
                    report.interrupted = True
            if not report.interrupted:
                if status and (report.added or report.updated or report.pruned or report.duplicates):
                    status("merging segments and counting facets…")
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

    def __init__(
        self, index: Any, catalog: Any, report: IngestReport, status: Callable[[str], None] | None = None,
        retypes: dict[str, str] | None = None,
    ) -> None:
        self.index = index
        self.catalog = catalog
        self.report = report
        self.status = status
        self.retypes = retypes or {}  # curation's names kept as another kind of entity
        self.writes: dict[str, dict[str, Any]] = {}
        self.deletes: set[str] = set()
        self.reassigned: set[str] = set()
        self.arrived = 0
        self.searcher: Any = None

    def take(self, result: Any, batch_size: int) -> None:
        """Add one file's result (committing a full batch before each new article)."""
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
            if self.retypes:
                document = retyped(document, self.retypes)
            if self.arrived >= batch_size:
                self.commit()
            self._arrive(task.key, document, digest)
            self.report.read += 1
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
        if article_id in self.writes:
            return self.writes[article_id]
        searcher = self._open_searcher()
        number = searcher.document_number(id=article_id)
        return None if number is None else document_from_stored(searcher.stored_fields(number))

    def _drop(self, article_id: str) -> None:
        """An article leaves the archive (or its body group): remove its document and, if it
        was the indexed copy of a body others share, index the next holder instead."""
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
        if self.status:
            self.status(f"committing {plural(self.pending(), 'article')}")
        with _interrupts_deferred():
            self._write_and_commit()

    def pending(self) -> int:
        """Articles written or deleted by the next commit."""
        return len(self.writes) + len(self.deletes)

    def _write_and_commit(self) -> None:
        """Write the batch to the index, then commit the catalog, and start a new batch."""
        _write(self.index, list(self.writes.values()), self.deletes, self.reassigned, self.report)
        self.catalog.commit()
        self.writes.clear()
        self.deletes.clear()
        self.reassigned.clear()
        self.arrived = 0

    def commit_or_abandon(self) -> None:
        """The commit after a Ctrl-C: a second Ctrl-C while it runs cancels the index writer
        and rolls the catalog back (both stay as the last commit left them); the articles
        dropped are counted in the report's ``abandoned``."""
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None
        pending = self.pending()
        try:
            self._write_and_commit()
        except KeyboardInterrupt:
            self.catalog.connection.rollback()
            self.report.abandoned = pending
            self.writes.clear()
            self.deletes.clear()




def _finish(index: Any, optimize: bool | None) -> None:
    """After an ingest: merge the segments (to one when asked; else, when there are many, the
    smallest ones) and build the facet sidecars of new segments."""
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
    location = index_location(index_path)
    open_index(location)  # a clear error when there is no index
    write_sidecars_with_segments()
    with writable_index(location, wait=lock_wait, notice=notice) as index:
        before = segment_count(index)
        with _interrupts_deferred():
            index = optimize_index(index)
            prebuild(index, KEYWORD_FIELDS)
        return before, segment_count(index)


def retype_entity(
    index_path: str | os.PathLike[str] | None,
    name: str,
    kind: str,
    *,
    notice: Callable[[str], None] | None = None,
    lock_wait: float = LOCK_TIMEOUT_SECONDS,
) -> int:
    """Keep ``name`` as a ``kind`` of entity (person, organization, place): every article
    holding it in another of those fields is rewritten with it in the right one, and the rule
    is kept in the curation file so that later ingests do the same. Returns how many articles
    changed. Takes the ingest lock, like an ingest."""
    location = index_location(index_path)
    open_index(location)  # a clear error when there is no index
    curation = retype(load_curation(location), name, kind)
    write_sidecars_with_segments()
    key, target = fold_key(name), KIND_FIELDS[kind]
    with writable_index(location, wait=lock_wait, notice=notice) as index:
        with index.searcher() as searcher:
            numbers: set[int] = set()
            for field_name in KIND_FIELDS.values():
                if field_name != target:
                    for value, folded in folded_values(searcher, field_name, location):
                        if folded == key:
                            numbers.update(searcher.document_numbers(**{field_name: value}))
            documents = [document_from_stored(searcher.stored_fields(number)) for number in sorted(numbers)]
        changed = [retyped(document, curation.retype) for document in documents]
        with _interrupts_deferred():
            if changed:
                with locked_writer(index) as writer:
                    for document in changed:
                        writer.update_document(**writer_fields(analyse(document)))
            save_curation(location, curation)
        _finish(index, None)
    return len(changed)


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
