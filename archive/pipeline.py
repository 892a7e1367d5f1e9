"""The extraction pipeline: source file → raw records → cleaned :class:`Article` → facets.

:func:`extract_path` is what ingest workers run on each file; :func:`extract` is the library's
``archive extract`` (no index involved). Cleaning and facet extraction load their libraries
and word lists on first use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .clean import clean_record
from .errors import SourceError
from .facets.extract import extract_facets
from .files import MAX_FILE_BYTES, display_path
from .models import Article, Facets, valid_text
from .sources import find_files, iter_records


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


def extract_path(path: Path, max_file_bytes: int = MAX_FILE_BYTES) -> Iterator[ExtractedArticle | SourceError]:
    """Read, clean and extract facets from one file, without indexing, as it is read.

    Problems come as :class:`SourceError` items. A failure inside cleaning or extraction is
    reported as a problem of its file (naming the error) rather than ending the run.
    """
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
    for found in find_files(paths):
        if isinstance(found, SourceError):
            yield found
        else:
            yield from extract_path(found, max_file_bytes)
