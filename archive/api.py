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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ArchiveError
from .models import Article, Facets
from .query import Filters, SearchResult, facet_counts, related_counts, run_search
from .sources import SourceError
from .store import (
    KEYWORD_FIELDS,
    document_for,
    index_size,
    locked_writer,
    open_index,
    open_or_create_index,
    split_values,
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

    def summary(self) -> str:
        """One line: added, updated, unchanged, skipped."""
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped ({self.files} files)"
        )


@dataclass(frozen=True)
class ExtractedArticle:
    """A cleaned article with its facets, as ``extract`` returns it."""

    article: Article
    facets: Facets

    def as_dict(self) -> dict[str, Any]:
        """Every field, facets included, for JSON output."""
        article = self.article
        return {
            "id": article.id,
            "path": article.path,
            "title": article.title,
            "date": article.date,
            "author": article.author,
            "source": article.source,
            "url": article.url,
            "language": article.language,
            **self.facets.as_dict(),
            "body": article.body,
        }


def index_location(index_path: str | os.PathLike[str] | None = None) -> Path:
    """The index folder: the argument, else ``$ARCHIVE_INDEX``, else ``./index``."""
    return Path(index_path or os.environ.get("ARCHIVE_INDEX") or DEFAULT_INDEX)


def extract_file(path: Path) -> tuple[list[ExtractedArticle], list[SourceError]]:
    """Read, clean and extract facets from one file, without indexing."""
    from .clean import clean_record
    from .facets.extract import extract_facets
    from .sources import read_file

    file_records = read_file(path)
    extracted, problems = [], list(file_records.problems)
    for record in file_records.records:
        article = clean_record(record)
        if not article.body.strip():
            where = f" ({record.key})" if record.key else ""
            problems.append(SourceError(record.path, f"no article text found{where}"))
            continue
        extracted.append(ExtractedArticle(article, extract_facets(article)))
    return extracted, problems


def extract(paths: Iterable[str | os.PathLike[str]]) -> Iterator[ExtractedArticle | SourceError]:
    """Clean and extract facets from every article under ``paths``; problems are yielded too."""
    from .sources import find_files

    for found in find_files(paths):
        if isinstance(found, SourceError):
            yield found
            continue
        try:
            extracted, problems = extract_file(found)
        except SourceError as error:
            yield error
            continue
        yield from extracted
        yield from problems


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    index_path: str | os.PathLike[str] | None = None,
    *,
    progress: Callable[[str, IngestReport], None] | None = None,
) -> IngestReport:
    """Add or update every article under ``paths`` in the index (created if missing).

    Articles are committed in batches, so an interrupted run keeps what it committed. A file
    that cannot be read is recorded in the report's ``problems`` and skipped.
    """
    from .sources import find_files

    report = IngestReport()
    index = open_or_create_index(index_location(index_path))
    pending: list[dict[str, Any]] = []
    for found in find_files(paths):
        if isinstance(found, SourceError):
            report.problems.append(found)
            report.skipped += 1
            continue
        report.files += 1
        try:
            extracted, problems = extract_file(found)
        except SourceError as error:
            extracted, problems = [], [error]
        report.problems.extend(problems)
        report.skipped += len(problems)
        pending.extend(document_for(item.article, item.facets) for item in extracted)
        if len(pending) >= COMMIT_EVERY:
            _write(index, pending, report)
            pending = []
        if progress:
            progress(str(found), report)
    if pending:
        _write(index, pending, report)
    return report


def _write(index: Any, documents: list[dict[str, Any]], report: IngestReport) -> None:
    """Write one batch, classifying each document as added, updated or unchanged."""
    with index.searcher() as searcher:
        previous = {}
        for document in documents:
            number = searcher.document_number(id=document["id"])
            previous[document["id"]] = None if number is None else searcher.stored_fields(number).get("fingerprint")
    changes = []
    for document in documents:
        if document["id"] not in previous:
            changes.append(document)
        elif previous[document["id"]] == document["fingerprint"]:
            report.unchanged += 1
        else:
            changes.append(document)
    if not changes:
        return
    with locked_writer(index) as writer:
        for document in changes:
            writer.update_document(**document)
    for document in changes:
        if previous.get(document["id"]) is None:
            report.added += 1
        else:
            report.updated += 1
        previous[document["id"]] = document["fingerprint"]


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
