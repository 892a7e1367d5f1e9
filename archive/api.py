"""The library API scripts import: ingest, extract, search, facets, related, show, stats.

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
from .query import Filters, SearchResult, check_text, facet_counts, related_counts, run_search
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
)

DEFAULT_INDEX = "index"
COMMIT_EVERY = 500


@dataclass
class IngestReport:
    """What an ingest did: counts of articles and the problems met, file by file."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    files: int = 0
    problems: list[SourceError] = field(default_factory=list)
    interrupted: bool = False

    def summary(self) -> str:
        """One line: added, updated, unchanged, skipped."""
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped ({self.files} files)"
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
) -> IngestReport:
    """Add or update every article under ``paths`` in the index (created if missing).

    Articles are committed in batches of ``batch_size`` (a full batch is committed when the
    next article arrives, or at the end); a crash or kill loses at most the batch in flight,
    and running the same ingest again completes it without duplicates. The
    index is locked against other writers for the whole run: a running one is waited for up
    to ``lock_wait`` seconds, a lock left by a killed one is cleared (``notice`` receives
    these messages). Ctrl-C (KeyboardInterrupt) stops reading, commits what was read and
    returns a report marked ``interrupted``. A file that cannot be read is recorded in the
    report's ``problems`` and skipped.
    """
    from .sources import find_files

    if batch_size < 1:
        raise ArchiveError(f"batch size must be at least 1, not {batch_size}")
    report = IngestReport()
    location = index_location(index_path)
    with writable_index(location, wait=lock_wait, notice=notice) as index:
        pending: dict[str, dict[str, Any]] = {}
        try:
            for found in find_files(paths, exclude=[location]):
                if isinstance(found, SourceError):
                    report.problem(found)
                    continue
                for item in extract_path(found, max_file_bytes):
                    if isinstance(item, SourceError):
                        report.problem(item)
                        continue
                    if len(pending) >= batch_size:
                        _commit(index, pending, report)
                    document = document_for(item.article, item.facets)
                    pending[document["id"]] = document
                report.files += 1
                if progress:
                    progress(str(found), report)
        except KeyboardInterrupt:
            report.interrupted = True
        try:
            _commit(index, pending, report)
        except KeyboardInterrupt:
            report.interrupted = True
    return report


def _commit(index: Any, pending: dict[str, dict[str, Any]], report: IngestReport) -> None:
    """Write and commit the pending documents, then empty ``pending``.

    Ctrl-C during the commit is held back until it is done, then raised.
    """
    if not pending:
        return
    with _interrupts_deferred():
        _write(index, list(pending.values()), report)
        pending.clear()


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


def _write(index: Any, documents: list[dict[str, Any]], report: IngestReport) -> None:
    """Write one batch, classifying each document as added, updated or unchanged."""
    with index.searcher() as searcher:
        previous = {}
        for document in documents:
            number = searcher.document_number(id=document["id"])
            previous[document["id"]] = None if number is None else searcher.stored_fields(number).get("fingerprint")
    changes = [document for document in documents if previous[document["id"]] != document["fingerprint"]]
    report.unchanged += len(documents) - len(changes)
    if not changes:
        return
    with locked_writer(index) as writer:
        for document in changes:
            writer.update_document(**document)
    for document in changes:
        if previous[document["id"]] is None:
            report.added += 1
        else:
            report.updated += 1


def search(
    text: str | None = None,
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
    sort: str = "relevance",
    limit: int | None = 10,
    offset: int = 0,
) -> SearchResult:
    """Full-text and faceted search; hits carry stored fields, score and a marked snippet."""
    index = open_index(index_location(index_path))
    with index.searcher() as searcher:
        return run_search(searcher, text, filters or Filters(), sort=sort, limit=limit, offset=offset)


def facets(
    field_name: str,
    text: str | None = None,
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
) -> list[tuple[str, int]]:
    """Counts of each value of one facet over all articles matching the query and filters."""
    index = open_index(index_location(index_path))
    with index.searcher() as searcher:
        return facet_counts(searcher, field_name, text, filters or Filters())


def related(
    name: str,
    field_name: str = "actors",
    *,
    filters: Filters | None = None,
    index_path: str | os.PathLike[str] | None = None,
) -> tuple[str, list[str], list[tuple[str, int]]]:
    """Who or what appears together with ``name``: (field found in, names matched, counts)."""
    index = open_index(index_location(index_path))
    with index.searcher() as searcher:
        return related_counts(searcher, name, field_name, filters or Filters())


def show(article_id: str, *, index_path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """One stored article by id (a unique prefix of at least 4 characters is enough)."""
    check_text(article_id, "id")
    index = open_index(index_location(index_path))
    with index.searcher() as searcher:
        number = searcher.document_number(id=article_id)
        if number is None and len(article_id) >= 4:
            matches = [term.decode() for term in searcher.lexicon("id") if term.decode().startswith(article_id)]
            if len(matches) > 1:
                raise ArchiveError(f"id prefix {article_id!r} is ambiguous: {', '.join(matches[:5])}")
            if matches:
                number = searcher.document_number(id=matches[0])
        if number is None:
            raise ArchiveError(f"no article with id {article_id!r}")
        return stored_article(searcher.stored_fields(number))


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
