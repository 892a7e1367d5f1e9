"""The per-file work of an ingest, runnable in worker processes.

:func:`process_file` is the unit of work: one source file in, its index documents (with the
duplicate key of each body) and its problems out, all plain picklable data. It is a
top-level function of its arguments alone, so any executor can run it: the main process
(``jobs=1``), a :mod:`multiprocessing` pool (:func:`run_files`), or a cluster scheduler.

:func:`run_files` streams results back **in input order** with a bounded number of files in
flight, so memory stays bounded however large the pile, and a single writer (the caller)
commits them in batches.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import body_hash, file_hash
from .errors import SourceError
from .files import MAX_FILE_BYTES
from .partitions import read_partition
from .store import analyse, document_for

IN_FLIGHT_PER_JOB = 4  # files in flight a worker at least
IN_FLIGHT_FILES = 4096  # at most (a commit of 10,000 articles takes a while: workers run ahead)
IN_FLIGHT_BYTES = 32 * 1024 * 1024  # source bytes in flight past the minimum


@dataclass(frozen=True)
class FileTask:
    """A file to read: its path as given, its catalog key, its stat figures and, when the
    catalog knows the file, the content hash recorded for it."""

    path: str
    key: str
    size: int
    mtime_ns: int
    known_hash: str | None = None
    max_file_bytes: int = MAX_FILE_BYTES
    enriched: bool = False  # a partition written by ``archive enrich``: records, not articles
    analyse: bool = False  # analyse the text fields for the index writer (see store.analyse)


@dataclass
class FileResult:
    """What reading one file gave.

    ``same_content`` means the content hash equals the recorded one, so nothing was parsed.
    ``documents`` holds (index document, body hash) pairs; ``problems`` holds (path, reason,
    count) triples (the picklable form of :class:`SourceError`); ``failed`` is set when the
    file as a whole could not be used.
    """

    task: FileTask
    hash: str = ""
    same_content: bool = False
    documents: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    problems: list[tuple[str, str, int]] = field(default_factory=list)
    failed: bool = False

    def errors(self) -> list[SourceError]:
        """The problems as :class:`SourceError` objects."""
        return [SourceError(path, reason, count) for path, reason, count in self.problems]


@dataclass
class InFlight:
    """How much work is submitted and not yet handed back in order.

    Enough files to keep the workers busy while the single writer commits a batch (workers
    idle during a commit otherwise), bounded in files and in source bytes so memory stays
    flat whatever the pile holds: ``minimum`` files are always allowed; past that, up to
    ``max_files`` while fewer than ``max_bytes`` are in flight.
    """

    minimum: int
    max_files: int = IN_FLIGHT_FILES
    max_bytes: int = IN_FLIGHT_BYTES
    files: int = 0
    bytes: int = 0

    def has_room(self) -> bool:
        """Whether another file may be submitted."""
        return self.files < self.minimum or (self.files < self.max_files and self.bytes < self.max_bytes)

    def add(self, task: FileTask) -> None:
        """Count a submitted file."""
        self.files += 1
        self.bytes += task.size

    def remove(self, task: FileTask) -> None:
        """Count a file handed back."""
        self.files -= 1
        self.bytes -= task.size


def process_file(task: FileTask) -> FileResult:
    """Hash, then (unless the content is unchanged) read, clean and extract one file.

    A partition of enriched articles (``task.enriched``) is read as it is: its records become
    index documents without being cleaned or extracted again.

    Never raises for a bad file: problems are returned.
    """
    result = FileResult(task)
    try:
        result.hash = file_hash(task.path)
    except OSError:  # vanished or unreadable: reading it below reports why
        result.hash = ""
    if result.hash and task.known_hash == result.hash:
        result.same_content = True
        return result
    if task.enriched:
        read_partition(task, result)
    else:
        # Cleaning and extraction (Beautiful Soup, lxml, word lists) load on the first file that
        # needs them: an ingest of enriched partitions never does.
        from .pipeline import ExtractedArticle, extract_path

        for item in extract_path(Path(task.path), task.max_file_bytes):
            if isinstance(item, ExtractedArticle):
                result.documents.append((document_for(item.article, item.facets), body_hash(item.article.body)))
            else:
                result.problems.append((item.path, item.reason, item.count))
    result.failed = not result.documents and bool(result.problems)
    if task.analyse:
        result.documents = [(analyse(document), digest) for document, digest in result.documents]
    return result


def _ignore_interrupts() -> None:
    """Worker initialiser: Ctrl-C is the main process's to handle (it commits and stops)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_jobs() -> int:
    """Worker processes by default: every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class FilePool:
    """Worker processes for :func:`process_file` (none when ``jobs`` is 1).

    Create it before taking the ingest lock, so workers never inherit the lock's descriptor.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self.pool: Any = None
        if self.jobs > 1:
            import multiprocessing  # only a pool of more than one process needs it

            method = "fork" if sys.platform.startswith("linux") else None
            context = multiprocessing.get_context(method)
            self.pool = context.Pool(self.jobs, initializer=_ignore_interrupts)

    def __enter__(self) -> FilePool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if self.pool is None:
            return
        if kind is None:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()

    def run(self, tasks: Iterable[FileTask]) -> Iterator[FileResult]:
        """Results of ``tasks`` in their order, with a bounded amount in flight (:class:`InFlight`)."""
        if self.pool is None:
            for task in tasks:
                yield process_file(task)
            return
        window: deque[tuple[FileTask, Any]] = deque()
        in_flight = InFlight(self.jobs * IN_FLIGHT_PER_JOB)
        for task in tasks:
            while not in_flight.has_room():
                done, pending = window.popleft()
                in_flight.remove(done)
                yield pending.get()
            window.append((task, self.pool.apply_async(process_file, (task,))))
            in_flight.add(task)
        while window:
            yield window.popleft()[1].get()
