"""The records that flow through the pipeline: raw source records, cleaned articles, facets."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import SourceError
from .fields import LIST_FIELDS

MATCH_START, MATCH_END = "\x02", "\x03"  # around matched words in snippets
AUTHOR_SEPARATORS = re.compile(r"\s*[,;&/|]\s*|\s+(?:and|und|et|y|e)\s+", re.IGNORECASE)
BYLINE_START = re.compile(r"^\s*(?:by|von|par|por|di|door)\s+", re.IGNORECASE)
SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class RawRecord:
    """One article as read from a source file, before cleaning.

    ``kind`` says how ``content`` is to be cleaned: ``"html"`` (a web page, as text) or
    ``"text"`` (plain text whose paragraphs are separated by blank lines).
    ``meta`` holds metadata the source itself carried (title, date, author, source, url,
    language); cleaning fills what is missing from the content.
    """

    path: str
    key: str
    kind: str
    content: str
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Article:
    """A cleaned article: body text with paragraphs separated by blank lines, and metadata.

    ``date`` is ISO 8601 (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS[+HH:MM]``) or ``None``.
    """

    id: str
    path: str
    title: str
    body: str
    date: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Facets:
    """Who, where and what an article is about, each a list of canonical names."""

    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    @property
    def actors(self) -> list[str]:
        """People and organizations together."""
        return self.people + [name for name in self.organizations if name not in self.people]

    def as_dict(self) -> dict[str, list[str]]:
        """Every facet field, actors included, by name."""
        return {name: list(getattr(self, name)) for name in LIST_FIELDS}


@dataclass
class RunReport:
    """What a run over files (an ingest, an enrichment) met: files, skipped articles and the
    problems behind them, and whether Ctrl-C stopped it."""

    files: int = 0
    skipped: int = 0
    problems: list[SourceError] = field(default_factory=list)
    interrupted: bool = False

    def problem(self, error: SourceError) -> None:
        """Record a file, article or line that was skipped."""
        self.problems.append(error)
        self.skipped += error.count


@dataclass(frozen=True)
class Hit:
    """One search result: stored fields, score and a snippet with matches marked
    (:data:`MATCH_START` ... :data:`MATCH_END`)."""

    fields: dict[str, Any]
    score: float | None
    snippet: str


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the total number of matches, and filter values that matched nothing."""

    hits: list[Hit]
    total: int
    unmatched: list[tuple[str, str]]


def article_id(path: str, key: str) -> str:
    """A stable id for the article found at ``key`` within the file ``path``.

    Re-ingesting the same file yields the same id, so its document is updated, not duplicated.
    """
    digest = hashlib.sha1(f"{path}\0{key}".encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:16]


def valid_text(text: str) -> str:
    """Text that can be encoded as UTF-8: lone surrogates become U+FFFD."""
    return SURROGATES.sub("\ufffd", text)


def author_names(byline: str | None) -> list[str]:
    """The authors named in an author line: ``"By Jane Doe and John Roe"`` → ``["Jane Doe", "John Roe"]``
    (separated by commas, semicolons, ``&``, ``and``/``und``/``et``/``y``/``e``; a leading "By" dropped;
    each name once)."""
    if not byline:
        return []
    names: list[str] = []
    for part in AUTHOR_SEPARATORS.split(BYLINE_START.sub("", " ".join(byline.split()))):
        name = part.strip(" .")
        if name and any(char.isalpha() for char in name) and name not in names:
            names.append(name)
    return names
