"""Source files and formats → raw records.

Finds article files under the paths given (folders recursively), reads each by its format
(plain text, Markdown, HTML, JSON, JSON Lines, any of them gzip-compressed) and yields
:class:`~archive.models.RawRecord` objects for the cleaning stage. A file that cannot be read
raises :class:`SourceError` naming the file and the reason; a bad line in a JSON Lines file is
reported on its own while the good lines go through.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import RawRecord

TEXT_SUFFIXES = {".txt": "text", ".md": "text", ".markdown": "text"}
HTML_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html"}
JSON_SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
FORMATS = {**TEXT_SUFFIXES, **HTML_SUFFIXES, **JSON_SUFFIXES}

# JSON field names, in order of preference, for each article attribute.
JSON_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "body": ("body", "text", "content", "articleBody", "article", "full_text", "maintext"),
    "html": ("html", "content_html", "raw_html", "body_html"),
    "summary": ("description", "summary", "abstract"),
    "date": (
        "date", "published", "datePublished", "published_at", "publishedAt", "pubDate",
        "publish_date", "date_publish", "created_at", "timestamp", "time",
    ),
    "author": ("author", "byline", "authors", "creator", "writer"),
    "url": ("url", "link", "canonical_url", "href", "source_url"),
    "source": ("source", "site", "site_name", "publisher", "source_name", "outlet"),
    "language": ("language", "lang", "inLanguage", "locale"),
    "key": ("id", "guid", "uuid", "_id"),
}
DOCUMENTATION_NAMES = frozenset({"readme", "license", "licence", "changelog"})
HEADER_KEYS = {
    "title": "title", "headline": "title", "date": "date", "published": "date",
    "author": "author", "byline": "author", "by": "author", "source": "source", "site": "source",
    "publisher": "source", "url": "url", "link": "url", "language": "language", "lang": "language",
}
HTML_BODY_PATTERN = re.compile(r"<(p|div|br|article|span|a|h[1-6]|ul|li|em|strong)\b[^>]*>", re.I)
HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,20}):\s*(.*)$")


class SourceError(Exception):
    """A file (or part of one) that cannot be read as articles; ``str()`` gives the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class FileRecords:
    """What one file yielded: its records and the problems found in parts of it."""

    path: str
    records: list[RawRecord] = field(default_factory=list)
    problems: list[SourceError] = field(default_factory=list)


def article_format(path: Path) -> str | None:
    """The format of an article file by its name (``text``, ``html``, ``json``, ``jsonl``), or None."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1]) if suffixes else None


def find_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | SourceError]:
    """Yield the article files under ``paths`` (folders recursively, in name order).

    Paths that do not exist or cannot be listed are yielded as :class:`SourceError`; files of
    unsupported formats inside folders are passed over, while a file named explicitly with an
    unsupported format is an error. Hidden files and a folder's README/LICENSE/CHANGELOG are
    documentation, not articles, and are passed over. Symbolic-link loops are followed once.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield SourceError(str(path), "no such file or directory")
        elif path.is_dir():
            yield from _walk(path, seen)
        elif article_format(path) is None:
            yield SourceError(str(path), f"unsupported file type {''.join(path.suffixes) or '(none)'}")
        else:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield path


def _walk(folder: Path, seen: set[Path]) -> Iterator[Path | SourceError]:
    """Files in ``folder`` and below, skipping hidden entries and folders already visited."""
    try:
        real = folder.resolve()
        if real in seen:
            return
        seen.add(real)
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as error:
        yield SourceError(str(folder), f"cannot list folder: {error.strerror or error}")
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name.lower().split(".")[0] in DOCUMENTATION_NAMES:
            continue
        try:
            if entry.is_dir():
                yield from _walk(entry, seen)
                continue
        except OSError as error:
            yield SourceError(str(entry), f"cannot read: {error.strerror or error}")
            continue
        if article_format(entry) is not None:
            resolved = entry.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield entry


def read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when its name ends in ``.gz``."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(str(path), f"cannot read file: {error.strerror or error}") from error
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise SourceError(str(path), f"broken gzip file: {error}") from error
    return data


def read_file(path: Path) -> FileRecords:
    """Read one article file into raw records; raises :class:`SourceError` if nothing is usable."""
    from .clean.encoding import DecodeError, decode_bytes

    kind = article_format(path)
    if kind is None:
        raise SourceError(str(path), "unsupported file type")
    data = read_bytes(path)
    if not data.strip():
        raise SourceError(str(path), "empty file")
    try:
        text = decode_bytes(data)
    except DecodeError as error:
        raise SourceError(str(path), str(error)) from error
    if kind == "html":
        return FileRecords(str(path), [RawRecord(str(path), "", "html", text, {})])
    if kind == "text":
        meta, body = split_header(text)
        if not body.strip():
            raise SourceError(str(path), "no article text")
        return FileRecords(str(path), [RawRecord(str(path), "", "text", body, meta)])
    if kind == "json":
        return _read_json(path, text)
    return _read_json_lines(path, text)


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Split a text file into its header block (metadata) and body.

    A header block is either Markdown front matter between ``---`` lines or leading
    ``Key: value`` lines with known keys (Title, Date, Author, Source, URL, Language) ended by a
    blank line. Without a Title in the header, the first non-empty line of the body is the title.
    """
    lines = text.lstrip("\ufeff").splitlines()
    meta: dict[str, str] = {}
    start = 0
    if lines and lines[0].strip() == "---":
        for index in range(1, min(len(lines), 60)):
            if lines[index].strip() in ("---", "..."):
                meta = _header_fields(lines[1:index])
                start = index + 1
                break
    else:
        index = 0
        while index < len(lines) and lines[index].strip():
            index += 1
        block = lines[:index]
        fields = _header_fields(block)
        if block and len(fields) == len(block) and index < len(lines):
            meta, start = fields, index + 1
    body_lines = lines[start:]
    if "title" not in meta:
        for position, line in enumerate(body_lines):
            if line.strip():
                meta["title"] = line.strip().lstrip("#").strip()
                body_lines = body_lines[position + 1:]
                break
    return meta, "\n".join(body_lines).strip()


def _header_fields(lines: list[str]) -> dict[str, str]:
    """Known ``key: value`` pairs of a header block (unknown keys are ignored)."""
    fields: dict[str, str] = {}
    for line in lines:
        match = HEADER_LINE.match(line.strip())
        if not match:
            continue
        key = HEADER_KEYS.get(match.group(1).strip().lower())
        value = match.group(2).strip().strip("\"'")
        if key and value:
            fields[key] = value
    return fields


def _read_json(path: Path, text: str) -> FileRecords:
    """Records of a JSON file holding one article object or a list of them."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(str(path), f"malformed JSON: {error.msg} at line {error.lineno} column {error.colno}") from error
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    items = value if isinstance(value, list) else [value]
    if not items:
        raise SourceError(str(path), "JSON holds no articles (empty list)")
    result = FileRecords(str(path))
    for position, item in enumerate(items):
        where = f"item {position + 1}" if isinstance(value, list) else "article"
        try:
            result.records.append(json_record(str(path), str(position), item, where))
        except SourceError as error:
            result.problems.append(error)
    if not result.records:
        if len(result.problems) == 1:
            raise result.problems[0]
        raise SourceError(str(path), f"no usable article in {len(items)} JSON items ({result.problems[0].reason})")
    return result


def _read_json_lines(path: Path, text: str) -> FileRecords:
    """Records of a JSON Lines file: one article object a line; bad lines are reported."""
    result = FileRecords(str(path))
    lines = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        lines += 1
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            result.problems.append(SourceError(str(path), f"line {number}: malformed JSON: {error.msg}"))
            continue
        try:
            result.records.append(json_record(str(path), f"line:{number}", item, f"line {number}"))
        except SourceError as error:
            result.problems.append(error)
    if not result.records:
        if lines == 0:
            raise SourceError(str(path), "no JSON lines")
        raise SourceError(str(path), f"no usable article in {lines} lines ({result.problems[0].reason})")
    return result


def json_record(path: str, position: str, item: Any, where: str) -> RawRecord:
    """Map one JSON article object onto a raw record (common field names are understood)."""
    if not isinstance(item, dict):
        raise SourceError(path, f"{where}: expected an article object, got {type(item).__name__}")
    meta: dict[str, str] = {}
    for name in ("title", "date", "author", "url", "source", "language"):
        value = _first_value(item, JSON_FIELDS[name])
        if value:
            meta[name] = value
    body = _first_value(item, JSON_FIELDS["body"])
    html = _first_value(item, JSON_FIELDS["html"])
    kind = "text"
    if html and not body:
        body, kind = html, "html"
    elif body and HTML_BODY_PATTERN.search(body):
        kind = "html"
    if not body:
        body = _first_value(item, JSON_FIELDS["summary"])
    if not body or not body.strip():
        raise SourceError(path, f"{where}: article has no body text")
    key = _first_value(item, JSON_FIELDS["key"]) or meta.get("url") or position
    return RawRecord(path, key, kind, body, meta)


def _first_value(item: dict[str, Any], names: tuple[str, ...]) -> str:
    """The first present field among ``names`` as text (names, lists and dates flattened)."""
    for name in names:
        if name in item:
            text = _as_text(item[name])
            if text:
                return text
    return ""


def _as_text(value: Any) -> str:
    """A JSON value as display text: objects by their name, lists joined with commas."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return _first_value(value, ("name", "@value", "value", "text", "title", "url", "href"))
    if isinstance(value, list):
        parts = [_as_text(part) for part in value]
        return ", ".join(part for part in parts if part)
    return ""
