"""Enriched-article partitions: ``archive enrich`` writes them, ``archive ingest`` reads them.

A partition is a JSON Lines file of enriched articles (every field, facets as lists, the body
hash) in a folder holding the manifest ``.archive-enriched.json``; see :mod:`archive.enrich`
for the layout. Its records become index documents directly (:func:`document_from_record`),
the same documents as ingesting the original files, with no cleaning or extraction.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .catalog import body_hash
from .errors import ArchiveError
from .fields import BY_NAME, LIST_FIELDS
from .files import write_atomically
from .models import author_names, valid_text
from .store import date_columns, facet_value, fingerprint, record_from_stored

MANIFEST = ".archive-enriched.json"
FORMAT = "archive-enriched"
VERSION = 1
PARTITION_SIZE = 10_000
MAX_BAD_LINES = 10
RECORD_FIELDS = (
    "id", "path", "title", "date", "author", "source", "url", "language",
    *LIST_FIELDS, "body", "body_hash",
)


def record_from_document(document: dict[str, Any], digest: str) -> dict[str, Any]:
    """The enriched record of an index document (facet fields as lists) and its body hash."""
    return {**record_from_stored(document), "body_hash": digest}


def document_from_record(record: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The index document of an enriched record and its body hash (computed when missing).

    Raises ``ValueError`` for a record without an id, path or body.
    """
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
    for name in LIST_FIELDS:
        values = record.get(name)
        if values is None and BY_NAME[name].from_byline:  # a partition written before this facet existed
            values = author_names(text("author"))
        values = values or []
        if not isinstance(values, list):
            raise ValueError(f"{name!r} is not a list")
        document[name] = ",".join(facet_value(str(value)) for value in values)
    document = {name: valid_text(value) for name, value in document.items()}
    document.update(date_columns(document["date_iso"]))
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

    def finish(self, report: Any) -> None:
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
        write_atomically(self.output / MANIFEST, json.dumps(manifest, indent=1) + "\n")
        report.partitions = [entry["file"] for entry in self.partitions]
