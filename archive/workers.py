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

from .sources import MAX_FILE_BYTES, SourceError

IN_FLIGHT_PER_JOB = 4


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


def process_file(task: FileTask) -> FileResult:
    """Hash, then (unless the content is unchanged) read, clean and extract one file.

    A partition of enriched articles (``task.enriched``) is read as it is: its records become
    index documents without being cleaned or extracted again.

    Never raises for a bad file: problems are returned. Imports the cleaning and extraction
    code on first use.
    """
    from .api import ExtractedArticle, extract_path
    from .catalog import body_hash, file_hash
    from .store import document_for

    result = FileResult(task)
    try:
        result.hash = file_hash(task.path)
    except OSError:  # vanished or unreadable: reading it below reports why
        result.hash = ""
    if result.hash and task.known_hash == result.hash:
        result.same_content = True
        return result
    if task.enriched:
        from .enrich import read_partition

        read_partition(task, result)
        result.failed = not result.documents and bool(result.problems)
        return result
    for item in extract_path(Path(task.path), task.max_file_bytes):
        if isinstance(item, ExtractedArticle):
            result.documents.append((document_for(item.article, item.facets), body_hash(item.article.body)))
        else:
            result.problems.append((item.path, item.reason, item.count))
    result.failed = not result.documents and bool(result.problems)
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
            import multiprocessing

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
        """Results of ``tasks`` in their order, with at most a few files per job in flight."""
        if self.pool is None:
            for task in tasks:
                yield process_file(task)
            return
        window: deque[Any] = deque()
        limit = self.jobs * IN_FLIGHT_PER_JOB
        for task in tasks:
            window.append(self.pool.apply_async(process_file, (task,)))
            if len(window) >= limit:
                yield window.popleft().get()
        while window:
            yield window.popleft().get()
