"""Enriched-article partitions: ``archive enrich`` writes them, ``archive ingest`` reads them.

``enrich`` runs the per-file work of an ingest (read, decode, clean, extract facets: the same
:func:`archive.workers.process_file`, locally or on a Dask cluster) without indexing, and writes
every article with every field, facets included, as JSON Lines partitions::

    OUTPUT/part-00000.jsonl        one enriched article a line, in input order
    OUTPUT/part-00001.jsonl        ... (``partition_size`` articles each)
    OUTPUT/.archive-enriched.json  the manifest: format, version, fields, partitions, counts

JSON Lines rather than Parquet: Parquet would need pyarrow (about 100 MB installed) for data
that every tool (``jq``, ``duckdb``, Spark, OpenSearch's bulk loaders) reads as JSON Lines.

A record (see :data:`RECORD_FIELDS`)::

    {"id": "1c43ff30e2fac502", "path": "corpus/a.txt", "title": "...", "date": "2024-03-03",
     "author": null, "source": null, "url": null, "language": "en",
     "people": [...], "organizations": [...], "actors": [...], "places": [...],
     "countries": [...], "topics": [...], "body": "...", "body_hash": "..."}

A ``.jsonl`` file in a folder holding the manifest is a partition: ``archive ingest`` turns
its records straight into index documents (:func:`document_from_record`), giving the same
documents as ingesting the original files, with no cleaning or extraction.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ArchiveError
from .sources import MAX_FILE_BYTES, SourceError

MANIFEST = ".archive-enriched.json"
FORMAT = "archive-enriched"
VERSION = 1
PARTITION_SIZE = 10_000
MAX_BAD_LINES = 10
FACET_LIST_FIELDS = ("people", "organizations", "actors", "places", "countries", "topics")
RECORD_FIELDS = (
    "id", "path", "title", "date", "author", "source", "url", "language",
    *FACET_LIST_FIELDS, "body", "body_hash",
)


def record_from_document(document: dict[str, Any], digest: str) -> dict[str, Any]:
    """The enriched record of an index document (facet fields as lists) and its body hash."""
    from .store import split_values

    record: dict[str, Any] = {
        "id": document["id"],
        "path": document["path"],
        "title": document.get("title", ""),
        "date": document.get("date_iso") or None,
        "author": document.get("author") or None,
        "source": document.get("source") or None,
        "url": document.get("url") or None,
        "language": document.get("language") or None,
    }
    for name in FACET_LIST_FIELDS:
        record[name] = split_values(document.get(name))
    record["body"] = document.get("body", "")
    record["body_hash"] = digest
    return record


def document_from_record(record: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The index document of an enriched record and its body hash (computed when missing).

    Raises ``ValueError`` for a record without an id, path or body.
    """
    from .catalog import body_hash
    from .store import facet_value, fingerprint, parse_iso_date, valid_text

    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    for required in ("id", "path", "body"):
        if not isinstance(record.get(required), str) or not record[required]:
            raise ValueError(f"no {required!r}")

    def text(name: str) -> str:
        value = record.get(name)
        return value if isinstance(value, str) else ""

    document: dict[str, Any] = {
        "id": text("id"),
        "path": text("path"),
        "title": text("title"),
        "body": text("body"),
        "date_iso": text("date"),
        "author": text("author"),
        "url": text("url"),
        "source": facet_value(text("source")),
        "language": text("language"),
    }
    for name in FACET_LIST_FIELDS:
        values = record.get(name) or []
        if not isinstance(values, list):
            raise ValueError(f"{name!r} is not a list")
        document[name] = ",".join(facet_value(str(value)) for value in values)
    document = {name: valid_text(value) for name, value in document.items()}
    date = parse_iso_date(document["date_iso"] or None)
    if date is not None:
        document["date"] = date
    document["fingerprint"] = fingerprint(document)
    digest = record.get("body_hash")
    return document, digest if isinstance(digest, str) and digest else body_hash(document["body"])


def is_partition(path: str | os.PathLike[str]) -> bool:
    """Whether a file is a partition of enriched articles (a ``.jsonl`` beside a manifest)."""
    path = Path(path)
    return path.name.endswith(".jsonl") and (path.parent / MANIFEST).is_file()


def read_partition(task: Any, result: Any) -> None:
    """Fill ``result`` (a :class:`~archive.workers.FileResult`) with the documents of one
    partition; bad lines are reported (the first ten listed), the good ones go in."""
    bad = 0
    try:
        with open(task.path, encoding="utf-8", errors="surrogateescape") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    result.documents.append(document_from_record(json.loads(line)))
                except ValueError as error:  # JSONDecodeError is a ValueError
                    bad += 1
                    if bad <= MAX_BAD_LINES:
                        result.problems.append((task.path, f"line {number}: not an enriched article: {error}", 1))
    except OSError as error:
        result.problems.append((task.path, f"cannot read file: {error.strerror or error}", 1))
        return
    if bad > MAX_BAD_LINES:
        result.problems.append((task.path, f"{bad - MAX_BAD_LINES} more bad lines", bad - MAX_BAD_LINES))


@dataclass
class EnrichReport:
    """What an enrichment wrote: articles, files, partitions and the problems met."""

    articles: int = 0
    files: int = 0
    skipped: int = 0
    partitions: list[str] = field(default_factory=list)
    problems: list[SourceError] = field(default_factory=list)
    interrupted: bool = False

    def summary(self) -> str:
        """One line: articles, partitions, skipped, files."""
        return (
            f"{self.articles} articles in {len(self.partitions)} partitions, "
            f"{self.skipped} skipped ({self.files} files)"
        )

    def problem(self, error: SourceError) -> None:
        """Record a file, article or line that was skipped."""
        self.problems.append(error)
        self.skipped += error.count


class PartitionWriter:
    """Writes enriched records into ``part-NNNNN.jsonl`` files of ``partition_size`` records
    (each written under a temporary name and renamed when full), then the manifest."""

    def __init__(self, output: Path, partition_size: int = PARTITION_SIZE) -> None:
        if partition_size < 1:
            raise ArchiveError(f"partition size must be at least 1, not {partition_size}")
        self.output = output
        self.partition_size = partition_size
        self.partitions: list[dict[str, Any]] = []
        self.stream: Any = None
        self.count = 0
        self._prepare()

    def _prepare(self) -> None:
        """Create the folder, or clear an earlier enrichment in it; refuse other content."""
        self.output.mkdir(parents=True, exist_ok=True)
        entries = list(self.output.iterdir())
        if entries and not (self.output / MANIFEST).is_file():
            raise ArchiveError(f"{self.output} is not empty and holds no enriched partitions; choose an empty folder")
        for entry in entries:
            if entry.name == MANIFEST or (entry.name.startswith("part-") and ".jsonl" in entry.name):
                entry.unlink()

    def write(self, record: dict[str, Any]) -> None:
        """Add one record, starting a new partition when the current one is full."""
        if self.stream is None:
            name = f"part-{len(self.partitions):05d}.jsonl"
            self.stream = open(self.output / (name + ".tmp"), "w", encoding="utf-8", errors="surrogateescape")
            self.partitions.append({"file": name, "articles": 0})
        self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.partitions[-1]["articles"] += 1
        self.count += 1
        if self.partitions[-1]["articles"] >= self.partition_size:
            self._close_partition()

    def _close_partition(self) -> None:
        if self.stream is None:
            return
        self.stream.close()
        self.stream = None
        name = self.partitions[-1]["file"]
        os.replace(self.output / (name + ".tmp"), self.output / name)

    def finish(self, report: EnrichReport) -> None:
        """Close the last partition and write the manifest (last, so its presence means the
        partitions it lists are complete)."""
        self._close_partition()
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "fields": list(RECORD_FIELDS),
            "partitions": self.partitions,
            "articles": self.count,
            "files": report.files,
            "skipped": report.skipped,
            "complete": not report.interrupted,
        }
        temporary = self.output / (MANIFEST + ".tmp")
        temporary.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, self.output / MANIFEST)
        report.partitions = [entry["file"] for entry in self.partitions]


def enrich(
    paths: Iterable[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    dask: str | None = None,
    dask_workers: int | None = None,
    partition_size: int = PARTITION_SIZE,
    max_file_bytes: int = MAX_FILE_BYTES,
    progress: Callable[[str, EnrichReport], None] | None = None,
) -> EnrichReport:
    """Clean and extract every article under ``paths`` (in ``jobs`` local worker processes, or
    on the Dask cluster at ``dask``: an address or ``"local"``) and write them as partitions in
    ``output``. Ctrl-C stops the work and keeps the partitions written so far (the manifest
    says ``"complete": false``)."""
    from .sources import find_files
    from .workers import FileTask

    target = Path(output)
    report = EnrichReport()
    given = list(paths)

    def tasks() -> Iterable[FileTask]:
        for found in find_files(given, exclude=[target]):
            if isinstance(found, SourceError):
                report.problem(found)
                continue
            try:
                info = found.stat()
            except OSError as error:
                report.problem(SourceError(found, f"cannot read file: {error.strerror or error}"))
                continue
            yield FileTask(str(found), str(found), info.st_size, info.st_mtime_ns, None, max_file_bytes, is_partition(found))

    writer = PartitionWriter(target, partition_size)  # refuses a folder in use before any cluster starts
    with file_pool(jobs, dask, dask_workers) as pool:
        try:
            for result in pool.run(tasks()):
                for problem in result.errors():
                    report.problem(problem)
                for document, digest in result.documents:
                    writer.write(record_from_document(document, digest))
                    report.articles += 1
                report.files += 1
                if progress:
                    progress(result.task.path, report)
        except KeyboardInterrupt:
            report.interrupted = True
        writer.finish(report)
    return report


def file_pool(jobs: int | None, dask: str | None, dask_workers: int | None) -> Any:
    """The executor: a Dask pool when ``dask`` names a cluster, else local worker processes."""
    if dask:
        from .distributed import DaskPool

        return DaskPool(dask, dask_workers)
    from .workers import FilePool

    return FilePool(jobs or 1)
