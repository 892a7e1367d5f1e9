"""Enriched-article partitions: ``archive enrich`` writes them, ``archive ingest`` reads them.

``enrich`` runs the per-file work of an ingest (read, decode, clean, extract facets: the same
:func:`archive.workers.process_file`, locally or on a Dask cluster) without indexing, and writes
every article with every field, facets included, as JSON Lines partitions::

    OUTPUT/part-00000.jsonl        one enriched article a line, in input order
    OUTPUT/part-00001.jsonl        ... (``partition_size`` articles each)
    OUTPUT/.archive-enriched.json  the manifest: format, version, fields, partitions, counts

Reading and writing partitions is :mod:`archive.partitions`. JSON Lines rather than Parquet: Parquet would need pyarrow (about 100 MB installed) for data
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

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError
from .models import RunReport
from .executors import file_pool
from .files import MAX_FILE_BYTES, plural
from .partitions import PARTITION_SIZE, PartitionWriter, is_partition, record_from_document
from .sources import find_files
from .workers import FileTask


@dataclass
class EnrichReport(RunReport):
    """What an enrichment wrote: articles, files, partitions and the problems met."""

    articles: int = 0
    partitions: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: articles, partitions, skipped, files."""
        return (
            f"{plural(self.articles, 'article')} in {plural(len(self.partitions), 'partition')}, "
            f"{self.skipped} skipped ({plural(self.files, 'file')})"
        )


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
