"""Source files and formats → raw records.

Finds article files under the paths given (folders recursively), reads each by its format
(plain text, Markdown, HTML, JSON, JSON Lines, any of them gzip-compressed) and yields
:class:`~archive.models.RawRecord` objects for the cleaning stage. A file that cannot be read
raises :class:`SourceError` naming the file and the reason; a bad line in a JSON Lines file is
reported on its own while the good lines go through.

Nothing is read whole unless it is small: an article file larger than ``MAX_FILE_BYTES``
(50 MB, adjustable) is refused before reading, a compressed one is refused as soon as it
decompresses past the limit, and JSON Lines files, which may be of any size, are streamed
line by line (a line longer than the limit is skipped without being held in memory).
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import SourceError
from .files import MAX_FILE_BYTES
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
MAX_REPORTED_PROBLEMS = 10
READ_CHUNK = 1024 * 1024
UTF16_32_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)
HTML_BODY_PATTERN = re.compile(r"<(p|div|br|article|span|a|h[1-6]|ul|li|em|strong)\b[^>]*>", re.I)
HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,20}):\s*(.*)$")


def article_format(path: Path) -> str | None:
    """The format of an article file by its name (``text``, ``html``, ``json``, ``jsonl``), or None."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1]) if suffixes else None


def find_files(
    paths: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = ()
) -> Iterator[Path | SourceError]:
    """Yield the article files under ``paths`` (folders recursively, in name order).

    Paths that do not exist, dangling or looping symbolic links and folders that cannot be
    listed are yielded as :class:`SourceError`; files of unsupported formats inside folders
    are passed over, while a file named explicitly with an unsupported format is an error.
    Hidden files and a folder's README/LICENSE/CHANGELOG are documentation, not articles,
    and are passed over. A file or folder reached twice (through links) is read once, and
    the folders in ``exclude`` (the index being written) not at all.
    """
    seen: set[tuple[int, int]] = set()
    for skipped in exclude:
        try:
            _first_visit(os.stat(skipped), seen)
        except OSError:
            continue
    for given in paths:
        path = Path(given)
        try:
            info = path.stat()
        except OSError as error:
            yield SourceError(path, _missing_reason(path, error))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, info, seen)
        elif article_format(path) is None:
            yield SourceError(path, f"unsupported file type {''.join(path.suffixes) or '(none)'}")
        elif _first_visit(info, seen):
            yield path


def _missing_reason(path: Path, error: OSError) -> str:
    """Why a path cannot be reached: missing, a dangling or looping link, or another error."""
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if error.errno == errno.ENOENT:
        return "broken symbolic link" if path.is_symlink() else "no such file or directory"
    return f"cannot read: {error.strerror or error}"


def _first_visit(info: os.stat_result, seen: set[tuple[int, int]]) -> bool:
    """Record a file or folder by device and inode; False if it was seen before."""
    key = (info.st_dev, info.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def _walk(folder: Path, info: os.stat_result, seen: set[tuple[int, int]]) -> Iterator[Path | SourceError]:
    """Files in ``folder`` and below, skipping hidden entries and folders already visited."""
    if not _first_visit(info, seen):
        return
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as error:
        yield SourceError(folder, f"cannot list folder: {error.strerror or error}")
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name.lower().split(".")[0] in DOCUMENTATION_NAMES:
            continue
        try:
            entry_info = entry.stat()
        except OSError as error:
            if article_format(entry) is not None or error.errno == errno.ELOOP:
                yield SourceError(entry, _missing_reason(entry, error))
            continue
        if stat.S_ISDIR(entry_info.st_mode):
            yield from _walk(entry, entry_info, seen)
        elif article_format(entry) is not None and _first_visit(entry_info, seen):
            yield entry


def megabytes(size: int) -> str:
    """A size in bytes as a short figure in megabytes."""
    return f"{size / (1024 * 1024):.3g} MB"


@contextmanager
def open_source(path: Path, max_bytes: int | None = MAX_FILE_BYTES) -> Iterator[IO[bytes]]:
    """The file as a binary stream, decompressed when its name ends in ``.gz``.

    Refuses what is not a regular file (a folder, a FIFO, a device) and, when ``max_bytes``
    is given, a file larger than that. Read errors inside the block (an unreadable or
    vanished file, a broken gzip stream) become :class:`SourceError`.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(path, "not a regular file")
        if max_bytes is not None and info.st_size > max_bytes:
            limit = megabytes(max_bytes)
            raise SourceError(path, f"file too large ({megabytes(info.st_size)}; the limit for an article file is {limit})")
        with open(path, "rb") as raw:
            if path.suffix.lower() != ".gz":
                yield raw
                return
            with gzip.GzipFile(fileobj=raw) as stream:
                yield stream
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise SourceError(path, f"broken gzip file: {error}") from error
    except OSError as error:
        raise SourceError(path, f"cannot read file: {error.strerror or error}") from error


def read_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, decompressed when its name ends in ``.gz``, at most ``max_bytes``.

    Read in chunks, so a file that grows past the limit (a gzip bomb) is given up without
    ever being held whole.
    """
    chunks: list[bytes] = []
    size = 0
    with open_source(path, max_bytes) as stream:
        while chunk := stream.read(READ_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                limit = megabytes(max_bytes)
                raise SourceError(path, f"file too large (more than {limit}, the limit for an article file, once decompressed)")
            chunks.append(chunk)
    return b"".join(chunks)


def iter_records(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Iterator[RawRecord | SourceError]:
    """The raw records of one article file, and the problems met in parts of it, as they are read.

    Raises :class:`SourceError` when the file as a whole cannot be used (unreadable, too large,
    empty, binary, malformed, no usable article); JSON Lines files are streamed, so such an
    error may come after some records were yielded (a read error halfway through).
    """
    from .clean.encoding import DecodeError, decode_bytes  # cleaning loads on the first file read: listing files (ingest of partitions) needs none

    kind = article_format(path)
    if kind is None:
        raise SourceError(path, "unsupported file type")
    if kind == "jsonl":
        yield from _json_lines(path, max_bytes)
        return
    data = read_bytes(path, max_bytes)
    if not data.strip():
        raise SourceError(path, "empty file")
    try:
        text = decode_bytes(data)
    except DecodeError as error:
        raise SourceError(path, str(error)) from error
    if kind == "html":
        yield RawRecord(str(path), "", "html", text, {})
    elif kind == "text":
        meta, body = split_header(text)
        if not body.strip():
            raise SourceError(path, "no article text")
        yield RawRecord(str(path), "", "text", body, meta)
    else:
        yield from _json_records(path, text)


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


def _json_records(path: Path, text: str) -> Iterator[RawRecord | SourceError]:
    """Records of a JSON file holding one article object or a list of them."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(path, f"malformed JSON: {error.msg} at line {error.lineno} column {error.colno}") from error
    except RecursionError as error:
        raise SourceError(path, "malformed JSON: nested too deeply") from error
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    items = value if isinstance(value, list) else [value]
    if not items:
        raise SourceError(path, "JSON holds no articles (empty list)")
    records: list[RawRecord] = []
    problems: list[SourceError] = []
    for position, item in enumerate(items):
        where = f"item {position + 1}" if isinstance(value, list) else "article"
        try:
            records.append(json_record(str(path), str(position), item, where))
        except SourceError as error:
            problems.append(error)
    if not records:
        if len(problems) == 1:
            raise problems[0]
        raise SourceError(path, f"no usable article in {len(items)} JSON items ({problems[0].reason})")
    yield from records
    yield from problems


class _LineProblems:
    """The bad lines of a JSON Lines file: held back until a good line shows the file is usable,
    then reported one by one up to ``MAX_REPORTED_PROBLEMS``, the rest as one summary."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.held: list[SourceError] = []
        self.reported = 0
        self.unreported = 0

    def add(self, problem: SourceError, usable: bool) -> Iterator[SourceError]:
        """Record a bad line; yields what may be reported now."""
        self.held.append(problem)
        if usable:
            yield from self.release()

    def release(self) -> Iterator[SourceError]:
        """Report the lines held back, within the limit."""
        for problem in self.held:
            if self.reported < MAX_REPORTED_PROBLEMS:
                self.reported += 1
                yield problem
            else:
                self.unreported += 1
        self.held = []

    def summary(self) -> Iterator[SourceError]:
        """One problem standing for the bad lines not reported one by one."""
        if self.unreported:
            yield SourceError(self.path, f"{self.unreported} more bad lines not shown", count=self.unreported)


def _json_lines(path: Path, max_line_bytes: int) -> Iterator[RawRecord | SourceError]:
    """Records of a JSON Lines file, streamed: one article object a line; bad lines are reported.

    A line longer than ``max_line_bytes`` is skipped unread. If no line is usable the file is
    one problem (raised) instead of a problem per line.
    """
    from .clean.encoding import DecodeError, decode_bytes  # cleaning loads on the first file read: listing files (ingest of partitions) needs none

    problems = _LineProblems(path)
    lines = found = 0
    first_problem = ""
    with open_source(path, None) as stream:
        for number, line in _numbered_lines(stream, max_line_bytes):
            if line is None:
                problem = SourceError(path, f"line {number}: line too long (more than {megabytes(max_line_bytes)})")
            else:
                if not line.strip():
                    continue
                try:
                    text = line if isinstance(line, str) else decode_bytes(line)
                    item = json.loads(text)
                    record = json_record(str(path), f"line:{number}", item, f"line {number}")
                except DecodeError as error:
                    problem = SourceError(path, f"line {number}: {error}")
                except (json.JSONDecodeError, RecursionError) as error:
                    message = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deeply"
                    problem = SourceError(path, f"line {number}: malformed JSON: {message}")
                except SourceError as error:
                    problem = error
                else:
                    lines += 1
                    found += 1
                    yield from problems.release()
                    yield record
                    continue
            lines += 1
            first_problem = first_problem or problem.reason
            yield from problems.add(problem, usable=found > 0)
    if not found:
        if lines == 0:
            raise SourceError(path, "empty file")
        raise SourceError(path, f"no usable article in {lines} line{'s' if lines > 1 else ''} ({first_problem})")
    yield from problems.release()
    yield from problems.summary()


def _numbered_lines(stream: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | str | None]]:
    """The lines of a stream with their numbers; None for a line longer than ``max_bytes``.

    A stream starting with a UTF-16 or UTF-32 byte-order mark is read as text in that
    encoding; otherwise lines are bytes, decoded one by one by the caller. Lines are read in
    chunks, so an overlong line is never held whole.
    """
    source: IO[Any] = stream
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    for bom, encoding in UTF16_32_BOMS:
        if head.startswith(bom):
            source = io.TextIOWrapper(stream, encoding=encoding, errors="replace")
            break
    number = 0
    while piece := source.readline(READ_CHUNK):
        number += 1
        newline = "\n" if isinstance(piece, str) else b"\n"
        pieces, size = [piece], len(piece)
        while not piece.endswith(newline) and size <= max_bytes and (piece := source.readline(READ_CHUNK)):
            pieces.append(piece)
            size += len(piece)
        if size <= max_bytes:
            yield number, piece[:0].join(pieces)
            continue
        pieces.clear()
        while not piece.endswith(newline) and (piece := source.readline(READ_CHUNK)):
            pass
        yield number, None


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
