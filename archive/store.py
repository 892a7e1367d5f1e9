"""The Whoosh index: schema, opening and creating, documents, and the locked writer.

An index folder holds Whoosh's files and ``archive.json`` with the schema version, so that an
index written by an incompatible version is detected instead of misread.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import Index, LockError

from .errors import ArchiveError
from .models import FACET_FIELDS, Article, Facets

SCHEMA_VERSION = 1
META_FILE = "archive.json"
KEYWORD_FIELDS: tuple[str, ...] = (*FACET_FIELDS, "source", "language")
LOCK_TIMEOUT_SECONDS = 30.0


def build_schema() -> Schema:
    """The index schema: stemmed title and body, a date, and one keyword field per facet."""
    stemmed = StemmingAnalyzer()
    keyword_fields = {
        name: KEYWORD(stored=True, commas=True, scorable=True, lowercase=False) for name in KEYWORD_FIELDS
    }
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        title=TEXT(analyzer=stemmed, stored=True, field_boost=2.0),
        body=TEXT(analyzer=stemmed, stored=True),
        date=DATETIME(sortable=True),
        date_iso=STORED(),
        author=TEXT(stored=True),
        url=STORED(),
        fingerprint=STORED(),
        **keyword_fields,
    )


def index_exists(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` holds an archive index."""
    return Path(path).is_dir() and whoosh_index.exists_in(str(path))


def open_index(path: str | os.PathLike[str]) -> Index:
    """Open an existing index for reading, with clear errors for a missing or foreign one."""
    folder = Path(path)
    if not index_exists(folder):
        raise ArchiveError(f"no index at {folder}: run 'archive ingest PATH...' first (or pass --index)")
    _check_version(folder)
    try:
        return whoosh_index.open_dir(str(folder))
    except Exception as error:  # Whoosh raises many kinds for damaged files
        raise ArchiveError(f"cannot open the index at {folder}: {error}") from error


def open_or_create_index(path: str | os.PathLike[str]) -> Index:
    """Open the index at ``path``, creating the folder and an empty index when there is none."""
    folder = Path(path)
    if index_exists(folder):
        return open_index(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        created = whoosh_index.create_in(str(folder), build_schema())
        (folder / META_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}) + "\n", encoding="utf-8")
    except OSError as error:
        raise ArchiveError(f"cannot create an index at {folder}: {error.strerror or error}") from error
    return created


def _check_version(folder: Path) -> None:
    """Refuse an index written with another schema version."""
    try:
        version = json.loads((folder / META_FILE).read_text(encoding="utf-8")).get("schema_version")
    except (OSError, ValueError):
        version = None
    if version != SCHEMA_VERSION:
        raise ArchiveError(
            f"the index at {folder} was written by an incompatible version of archive "
            f"(schema {version}, this version reads {SCHEMA_VERSION}): delete the folder and ingest again"
        )


@contextmanager
def locked_writer(index: Index, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[Any]:
    """A Whoosh writer that waits up to ``timeout`` seconds for another writer's lock.

    The writer commits when the block ends normally and is cancelled when it raises.
    """
    try:
        writer = index.writer(timeout=timeout)
    except LockError as error:
        raise ArchiveError("the index is locked by another 'archive ingest'; try again when it finishes") from error
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def parse_iso_date(value: str | None) -> datetime | None:
    """An article's ISO 8601 date as a naive UTC-less datetime for the DATETIME field."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def facet_value(name: str) -> str:
    """A facet name as stored in a comma-separated keyword field (commas removed)."""
    return " ".join(name.replace(",", " ").split())


def document_for(article: Article, facets: Facets) -> dict[str, Any]:
    """The index document of an article and its facets, with a fingerprint of its content."""
    document: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "body": article.body,
        "date_iso": article.date or "",
        "author": article.author or "",
        "url": article.url or "",
        "source": facet_value(article.source or ""),
        "language": article.language or "",
    }
    for name, values in facets.as_dict().items():
        document[name] = ",".join(facet_value(value) for value in values)
    date = parse_iso_date(article.date)
    if date is not None:
        document["date"] = date
    fingerprint_source = json.dumps({k: v for k, v in document.items() if k != "date"}, sort_keys=True)
    document["fingerprint"] = hashlib.sha1(fingerprint_source.encode("utf-8", "surrogatepass")).hexdigest()
    return document


def split_values(stored: str | None) -> list[str]:
    """The list of facet values in a stored keyword field."""
    return [value for value in (stored or "").split(",") if value]


def index_size(path: str | os.PathLike[str]) -> int:
    """Bytes on disk taken by the index folder."""
    return sum(entry.stat().st_size for entry in Path(path).iterdir() if entry.is_file())
