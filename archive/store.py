"""The Whoosh index: schema, opening and creating, documents, and the ingest lock.

An index folder holds Whoosh's files, ``archive.json`` with the schema version (so that an
index written by an incompatible version is detected instead of misread) and
``archive.lock``, the lock a writer holds for the whole of an ingest.

Crash safety comes from Whoosh's commit: new segment files are written first and the table of
contents (``_MAIN_<generation>.toc``) is renamed into place last, so a reader, or a process
opening the index after a crash, sees the last complete commit; files of a commit that never
finished are ignored and removed by the next writer. The lock is an ``flock`` on
``archive.lock``, which the kernel releases when its process dies however it dies; the file
also holds the writer's process id, so a lock left by a killed writer is recognised (its
holder is gone), reported and cleared, and a writer that is still running is named to the
one waiting for it. (Whoosh's own ``MAIN_WRITELOCK`` file also stays behind after a kill;
it is an ``flock`` too, so it binds no one once its process is gone.)
"""

from __future__ import annotations

import errno
import hashlib
import json
import marshal
import os
import re
import shutil
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from operator import sub
from pathlib import Path
from typing import Any

from ._light import import_whoosh

import_whoosh()  # before any other Whoosh import: see archive._light

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import Index, LockError

from .analysis import ArchiveAnalyzer, index_terms
from .dates import article_datetime
from .errors import ArchiveError, IndexBusy, IndexMissing
from .fields import FIELD_NAMES, LIST_FIELDS
from .files import display_path, plural, write_atomically
from .models import Article, Facets, valid_text

SCHEMA_VERSION = 4  # 3: archive.analysis (folding, stop words kept, per-language stems, CJK pairs), UTC instants, "dated"; 4: an authors facet
META_FILE = "archive.json"
LOCK_FILE = "archive.lock"
INDEX_NAME = "MAIN"  # Whoosh's default index name, the prefix of its files
TOC_FILE = re.compile(rf"^_{INDEX_NAME}_\d+\.toc$")
TOC_TEMP_FILE = re.compile(rf"^_{INDEX_NAME}_\d+\.toc\.[\d.]+$")
KEYWORD_FIELDS: tuple[str, ...] = FIELD_NAMES
DEFAULT_INDEX = "index"
LOCK_TIMEOUT_SECONDS = 30.0
LOCK_POLL_SECONDS = 0.1
OPEN_ATTEMPTS = 20
MERGE_FAN_IN = 10  # segments of one size tier (a power of ten) merged together
MAX_SEGMENTS = MERGE_FAN_IN  # an ingest leaving more segments than this merges its smallest ones
WRITER_MEMORY_MB = 256  # Whoosh's posting pool spills sorted runs to disk past this
STORED_DOCUMENT_FIELDS = frozenset(
    {"id", "path", "title", "body", "date_iso", "author", "url", "fingerprint", *KEYWORD_FIELDS}
)


ANALYSED_FIELDS: tuple[str, ...] = ("title", "body", "author")
DERIVED_COLUMNS = frozenset({"date", "dated", "fingerprint"})  # worked out from the stored fields


@dataclass(frozen=True)
class Analysed:
    """The terms of a text field as its analyser gives them (Whoosh's ``(term bytes, frequency,
    weight, encoded positions)`` tuples), worked out before the writer sees the document.

    Kept packed (``marshal``) until written: a few kilobytes a document instead of hundreds
    of small objects, so a batch waiting for its commit stays small.
    """

    packed: bytes

    @classmethod
    def of(cls, terms: Iterable[tuple[bytes, int, float, bytes]]) -> Analysed:
        """Pack ``terms``."""
        return cls(marshal.dumps(tuple(terms)))

    def terms(self) -> tuple[tuple[bytes, int, float, bytes], ...]:
        """The terms again."""
        return marshal.loads(self.packed)  # type: ignore[no-any-return]


class AnalysedText(TEXT):  # type: ignore[misc]
    """Whoosh's TEXT field that also accepts its terms already analysed (:class:`Analysed`):
    ingest workers tokenise and stem in parallel, and the single writer only files postings.
    Queries and plain text values go through the field's analyser as usual."""

    def index(self, value: Any, **kwargs: Any) -> Any:
        if isinstance(value, Analysed):
            return iter(value.terms())
        return super().index(value, **kwargs)


@lru_cache(maxsize=1)
def build_schema() -> Schema:
    """The index schema: title, body and author analysed by :mod:`archive.analysis`, the date
    (a UTC instant, for ranges and sorting) with ``dated`` to put undated articles last, and
    one keyword field per facet. Built once per process; treat it as read-only.
    """
    analysed = ArchiveAnalyzer()
    keyword_fields = {
        name: KEYWORD(stored=True, commas=True, lowercase=False) for name in KEYWORD_FIELDS
    }
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        title=AnalysedText(analyzer=analysed, stored=True, field_boost=2.0, multitoken_query="phrase"),
        body=AnalysedText(analyzer=analysed, stored=True, multitoken_query="phrase"),
        date=DATETIME(sortable=True),
        dated=NUMERIC(int, bits=8, signed=False, sortable=True),
        date_iso=STORED(),
        author=AnalysedText(analyzer=analysed, stored=True, multitoken_query="phrase"),
        url=STORED(),
        fingerprint=STORED(),
        **keyword_fields,
    )


def index_location(index_path: str | os.PathLike[str] | None = None) -> Path:
    """The index folder: the argument, else ``$ARCHIVE_INDEX``, else ``./index``."""
    return Path(index_path or os.environ.get("ARCHIVE_INDEX") or DEFAULT_INDEX)


def index_exists(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` holds an index (a Whoosh table of contents)."""
    try:
        return any(TOC_FILE.match(name) for name in os.listdir(path))
    except OSError:
        return False


def open_index(path: str | os.PathLike[str]) -> Index:
    """Open an existing index for reading, with clear errors for a missing or foreign one.

    A writer committing at the same moment may delete the table of contents just found;
    opening then retries with the new one, so readers always see the last committed state.
    """
    folder = Path(path)
    if not index_exists(folder):
        raise IndexMissing(f"no index at {display_path(folder)}: run 'archive ingest PATH...' first (or pass --index)")
    _check_version(folder)
    attempts = OPEN_ATTEMPTS
    while True:
        try:
            return whoosh_index.open_dir(str(folder))
        except FileNotFoundError as error:
            attempts -= 1
            if not attempts:
                raise ArchiveError(f"cannot open the index at {display_path(folder)}: its files keep changing") from error
            time.sleep(LOCK_POLL_SECONDS / 2)
        except whoosh_index.IndexVersionError as error:
            raise IndexMissing(_rebuild_message(folder, f"Whoosh format {error.version}")) from error
        except Exception as error:  # Whoosh raises many kinds for damaged files
            raise ArchiveError(f"cannot open the index at {display_path(folder)}: {error}") from error


def open_or_create_index(path: str | os.PathLike[str]) -> Index:
    """Open the index at ``path``, creating an empty one when there is none.

    Call it while holding the ingest lock. ``archive.json`` is written (atomically) before
    Whoosh's first table of contents, so a crash during creation leaves no index, never an
    index without its version.
    """
    folder = Path(path)
    if index_exists(folder):
        return open_index(folder)
    try:
        write_atomically(folder / META_FILE, json.dumps({"schema_version": SCHEMA_VERSION}) + "\n")
        return whoosh_index.create_in(str(folder), build_schema())
    except OSError as error:
        raise ArchiveError(f"cannot create an index at {display_path(folder)}: {error.strerror or error}") from error


def _check_version(folder: Path) -> None:
    """Refuse an index written with another schema version."""
    try:
        version = json.loads((folder / META_FILE).read_text(encoding="utf-8")).get("schema_version")
    except (OSError, ValueError, AttributeError):
        version = None
    if version != SCHEMA_VERSION:
        raise IndexMissing(_rebuild_message(folder, f"schema {version}"))


def _rebuild_message(folder: Path, found: str) -> str:
    """The error for an index this version cannot read, with the commands that rebuild it."""
    shown = display_path(folder)
    return (
        f"the index at {shown} was written by an incompatible version of archive ({found}; this "
        f"version reads schema {SCHEMA_VERSION}): rebuild it with 'rm -r {shown}' then "
        f"'archive --index {shown} ingest PATH...'"
    )


@contextmanager
def writable_index(
    path: str | os.PathLike[str],
    *,
    wait: float = LOCK_TIMEOUT_SECONDS,
    notice: Callable[[str], None] | None = None,
) -> Iterator[Index]:
    """The index at ``path`` (created if missing), locked against other writers while in use.

    Another ingest holding the lock is waited for up to ``wait`` seconds (``notice`` is told
    who is being waited for), then :class:`ArchiveError` is raised. A lock left by a writer
    that no longer runs is cleared with a notice, together with the files of its unfinished
    commit. A folder that cannot be written gives a clear error.
    """
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ArchiveError(f"cannot create an index at {display_path(folder)}: {error.strerror or error}") from error
    with _ingest_lock(folder, wait, notice or (lambda message: None)):
        yield open_or_create_index(folder)


@contextmanager
def _ingest_lock(folder: Path, wait: float, notice: Callable[[str], None]) -> Iterator[None]:
    """Hold ``archive.lock`` (an exclusive ``flock``) and record this process in it."""
    try:
        descriptor = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise ArchiveError(_unwritable_message(folder, error)) from error
    try:
        _acquire(descriptor, folder, wait, notice)
        previous = _lock_holder(descriptor)
        if previous:
            leftovers = _remove_leftovers(folder)
            here = previous.get("host") in (None, socket.gethostname())
            gone = "which is no longer running" if here and not _running(previous.get("pid")) else "which no longer holds it"
            notice(
                f"cleared a stale lock on {display_path(folder)} left by {_describe(previous)}, {gone}"
                + (f", and {plural(leftovers, 'file')} of its unfinished commit" if leftovers else "")
            )
        record = {"pid": os.getpid(), "host": socket.gethostname(), "started": datetime.now().isoformat(timespec="seconds")}
        try:
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, json.dumps(record).encode("utf-8"), 0)
        except OSError as error:
            raise ArchiveError(_unwritable_message(folder, error)) from error
        try:
            yield
        finally:
            os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)  # closing releases the flock


def _acquire(descriptor: int, folder: Path, wait: float, notice: Callable[[str], None]) -> None:
    """Take the lock, waiting up to ``wait`` seconds for a running writer to finish."""
    import fcntl  # writers only: reading commands take no lock

    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as error:
            raise ArchiveError(f"cannot lock the index at {display_path(folder)}: {error.strerror or error}") from error
        record = _lock_holder(descriptor)
        holder = _describe(record) if record else "another archive ingest"
        if time.monotonic() >= deadline:
            raise IndexBusy(
                f"the index at {display_path(folder)} is busy: {holder} is writing to it; "
                "try again when it finishes (or wait longer with --wait SECONDS)"
            )
        if not told:
            notice(f"waiting up to {wait:g} s for {holder} to finish writing to {display_path(folder)}...")
            told = True
        time.sleep(LOCK_POLL_SECONDS)


def _lock_holder(descriptor: int) -> dict[str, Any]:
    """What the lock file says about the process that holds (or held) the lock."""
    try:
        record = json.loads(os.pread(descriptor, 4096, 0).decode("utf-8") or "{}")
    except (OSError, ValueError):
        return {"pid": "unknown"}
    return record if isinstance(record, dict) else {"pid": "unknown"}


def _running(pid: Any) -> bool:
    """Whether a process with this id runs on this machine."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def _describe(holder: dict[str, Any]) -> str:
    """A lock holder for messages: process id, host and start time."""
    where = f" on {holder['host']}" if holder.get("host") and holder.get("host") != socket.gethostname() else ""
    since = f", started {holder['started']}" if holder.get("started") else ""
    return f"archive ingest (pid {holder.get('pid', 'unknown')}{where}{since})"


def _remove_leftovers(folder: Path) -> int:
    """Remove what an interrupted commit left: segment files no table of contents lists,
    half-written tables of contents and Whoosh's temporary folder. Returns how many."""
    if not index_exists(folder):
        return 0
    before = set(os.listdir(folder))
    try:
        for name in before:
            if TOC_TEMP_FILE.match(name):
                (folder / name).unlink(missing_ok=True)
            elif name == f"{INDEX_NAME}.tmp" and (folder / name).is_dir():
                shutil.rmtree(folder / name, ignore_errors=True)
        storage = FileStorage(str(folder))
        toc = whoosh_index.TOC.read(storage, INDEX_NAME)
        whoosh_index.clean_files(storage, INDEX_NAME, toc.generation, toc.segments)
    except OSError:  # what cannot be removed now is removed by a later commit
        pass
    return len(before - set(os.listdir(folder)))


def _unwritable_message(folder: Path, error: OSError) -> str:
    """The error for an index folder this process may not write to."""
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"cannot write to the index at {display_path(folder)}: {error.strerror} "
            "(ingest needs a writable folder; searching a read-only index works)"
        )
    return f"cannot write to the index at {display_path(folder)}: {error.strerror or error}"


@contextmanager
def locked_writer(index: Index, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[Any]:
    """A Whoosh writer that waits up to ``timeout`` seconds for Whoosh's own write lock.

    The writer commits when the block ends normally and is cancelled when it raises; a
    failure to write (a full disk, a read-only folder) becomes :class:`ArchiveError`.
    """
    writer = _open_writer(index, timeout)
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    try:
        writer.commit(mergetype=merge_by_tier)
    except OSError as error:
        raise ArchiveError(_unwritable_message(Path(index.storage.folder), error)) from error


def facet_value(name: str) -> str:
    """A facet name as stored in a comma-separated keyword field (commas removed)."""
    return " ".join(name.replace(",", " ").split())


def document_for(article: Article, facets: Facets) -> dict[str, Any]:
    """The index document of an article and its facets, with a fingerprint of its content.

    Every value is valid UTF-8 text; the path is stored in its printable form (a file name
    that is not UTF-8 shows its odd bytes as ``\\xNN``).
    """
    document: dict[str, Any] = {
        "id": article.id,
        "path": display_path(article.path),
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
    document = {name: valid_text(value) for name, value in document.items()}
    document.update(date_columns(document["date_iso"]))
    document["fingerprint"] = fingerprint(document)
    return document


def date_columns(date_iso: str | None) -> dict[str, Any]:
    """The sortable date columns of a document: ``date`` (the UTC instant, for ranges and
    order) when the article has one, and ``dated`` (1 or 0: undated articles sort last)."""
    date = article_datetime(date_iso or None)
    return {"dated": 0} if date is None else {"date": date, "dated": 1}


def analyse(document: dict[str, Any]) -> dict[str, Any]:
    """The document with its text fields analysed (in a ``_analysed`` entry, which Whoosh
    ignores): the work moves from the single writer to the process that calls this."""
    schema = build_schema()
    language = document.get("language") or None
    analysed = {
        name: Analysed.of(positions_terms(schema[name], document[name], language))
        for name in ANALYSED_FIELDS if document.get(name)
    }
    return {**document, "_analysed": analysed}


def positions_terms(field: Any, text: str, language: str | None) -> Iterable[tuple[bytes, int, float, bytes]]:
    """What ``field.index(text, lang=language)`` gives, the same tuples in the same order, for
    a text field with Whoosh's ``Positions`` format and :class:`ArchiveAnalyzer`, at half the
    cost: the terms come from :func:`archive.analysis.index_terms` without Whoosh's token
    objects and generator layers (any other field goes through Whoosh). Whoosh's weight is
    the sum of the tokens' boosts (each 1.0) times the field boost; its value, the number of
    positions then the pickled position deltas.
    """
    from whoosh.compat import dumps  # these three: writers only, as the function that uses them
    from whoosh.formats import Positions
    from whoosh.system import pack_uint

    if type(field.format) is not Positions or type(field.analyzer) is not ArchiveAnalyzer or not isinstance(text, str):
        return field.index(text, lang=language)
    positions: dict[str, list[int]] = {}
    for position, term in enumerate(index_terms(text, language)):
        found = positions.get(term)
        if found is None:
            positions[term] = [position]
        else:
            found.append(position)
    boost = field.format.field_boost
    terms = []
    for term, found in positions.items():
        count = len(found)
        if count == 1:
            deltas = found
        else:
            deltas = [found[0]]
            deltas.extend(map(sub, found[1:], found))
        terms.append((term.encode("utf-8"), count, float(count) * boost, pack_uint(count) + dumps(deltas, 2)))
    return terms


def writer_fields(document: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of Whoosh's ``add_document`` for an index document: analysed text
    fields are passed as their terms, with the text itself as the stored value."""
    fields = {name: value for name, value in document.items() if name != "_analysed"}
    for name, terms in document.get("_analysed", {}).items():
        fields[f"_stored_{name}"] = fields[name]
        fields[name] = terms
    return fields


def fingerprint(document: dict[str, Any]) -> str:
    """A hash of a document's content (every field but the date columns, the fingerprint and
    private entries such as ``_analysed``)."""
    content = {k: v for k, v in document.items() if k not in DERIVED_COLUMNS and not k.startswith("_")}
    source = json.dumps(content, sort_keys=True)
    return hashlib.sha1(source.encode("utf-8", "surrogatepass")).hexdigest()


def document_from_stored(fields: dict[str, Any]) -> dict[str, Any]:
    """The index document again, from a document's stored fields (every field is stored)."""
    document = {name: value for name, value in fields.items() if name in STORED_DOCUMENT_FIELDS}
    document.update(date_columns(document.get("date_iso")))
    return document


def record_from_stored(fields: dict[str, Any]) -> dict[str, Any]:
    """An article record (facet fields as lists) from a document's stored fields or an index
    document: what ``show``, ``export`` and enriched partitions hold."""
    record: dict[str, Any] = {
        "id": fields.get("id"),
        "path": fields.get("path"),
        "title": fields.get("title", ""),
        "date": fields.get("date_iso") or None,
        "author": fields.get("author") or None,
        "source": fields.get("source") or None,
        "url": fields.get("url") or None,
        "language": fields.get("language") or None,
    }
    for name in LIST_FIELDS:
        record[name] = split_values(fields.get(name))
    record["body"] = fields.get("body", "")
    return record


def split_values(stored: str | None) -> list[str]:
    """The list of facet values in a stored keyword field."""
    return [value for value in (stored or "").split(",") if value]


def index_size(path: str | os.PathLike[str]) -> int:
    """Bytes on disk taken by the index folder."""
    return sum(entry.stat().st_size for entry in Path(path).iterdir() if entry.is_file())


def segment_count(index: Index) -> int:
    """How many segments the index has (each is opened and searched separately)."""
    return len(index._segments())


class _RememberedLengths:
    """A segment's field lengths that answer each (document, field) once.

    Whoosh looks up a document's field length again for every posting it files (hundreds a
    document) through a column reader; remembering the answers makes that cost vanish.
    Postings are filed field by field, so only the current field's lengths are kept.
    """

    def __init__(self, lengths: Any) -> None:
        self._lengths = lengths
        self._field = ""
        self._known: dict[int, int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        if fieldname != self._field:
            self._field, self._known = fieldname, {}
        known = self._known.get(docnum)
        if known is None:
            known = self._known[docnum] = self._lengths.doc_field_length(docnum, fieldname, default)
        return known


def _remember_lengths_when_filing() -> None:
    """Make Whoosh's posting writer use :class:`_RememberedLengths` (once per process)."""
    from whoosh.codec.base import FieldWriter  # writers only: searching never patches Whoosh's writer

    if getattr(FieldWriter.add_postings, "_archive", False):
        return
    filing = FieldWriter.add_postings

    def add_postings(self: Any, schema: Any, lengths: Any, items: Any) -> Any:
        return filing(self, schema, _RememberedLengths(lengths) if lengths else lengths, items)

    add_postings._archive = True  # type: ignore[attr-defined]
    FieldWriter.add_postings = add_postings


def _open_writer(index: Index, timeout: float) -> Any:
    """Whoosh's writer, waiting up to ``timeout`` seconds for its lock; failures as ArchiveError."""
    _remember_lengths_when_filing()
    try:
        return index.writer(timeout=timeout, limitmb=WRITER_MEMORY_MB)
    except LockError as error:
        raise IndexBusy("the index is locked by another writer; try again when it finishes") from error
    except OSError as error:
        raise ArchiveError(_unwritable_message(Path(index.storage.folder), error)) from error


def _size_tier(segment: Any) -> int:
    """A segment's size tier: the number of digits of its document count."""
    return len(str(max(1, segment.doc_count_all())))


def _merge_into(writer: Any, segments: list[Any]) -> None:
    """Add the documents of ``segments`` to the segment ``writer`` is writing."""
    from whoosh.reading import SegmentReader  # merges only (writers)

    for segment in segments:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()


def merge_by_tier(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy used by every commit: when :data:`MERGE_FAN_IN` segments share a size
    tier, they are merged (with the documents being committed) into one of the next tier.

    A document is merged about once per tier it climbs, so an ingest of ``n`` documents in
    batches of ``b`` merges each about ``log10(n / b)`` times and leaves at most nine segments
    a tier. (Whoosh's default policy merged the small segments again and again: at 10,000
    articles in batches of 500, a third of the writer's time.)
    """
    tiers: dict[int, list[Any]] = {}
    for segment in segments:
        tiers.setdefault(_size_tier(segment), []).append(segment)
    for tier in sorted(tiers):
        group = tiers[tier]
        if len(group) >= MERGE_FAN_IN:
            _merge_into(writer, group)
            return [segment for segment in segments if segment not in group]
    return segments


def merge_smallest(keep: int) -> Callable[[Any, list[Any]], list[Any]]:
    """A merge policy that merges the smallest segments into one, so that ``keep`` remain."""

    def policy(writer: Any, segments: list[Any]) -> list[Any]:
        if len(segments) <= keep:
            return segments
        ordered = sorted(segments, key=lambda segment: segment.doc_count_all())
        smallest = ordered[: len(segments) - keep + 1]
        _merge_into(writer, smallest)
        return ordered[len(smallest) :]

    return policy


def _merge(index: Index, policy: Callable[[Any, list[Any]], list[Any]], timeout: float) -> Index:
    """Commit the merges ``policy`` chooses (and nothing else); returns the index reopened.

    Call it while holding the ingest lock. A merge is a normal commit: a crash during it
    leaves the index as it was.
    """
    writer = _open_writer(index, timeout)
    try:
        writer.commit(mergetype=policy)
    except OSError as error:
        raise ArchiveError(_unwritable_message(Path(index.storage.folder), error)) from error
    return index.refresh()


def compact_index(index: Index, keep: int = MAX_SEGMENTS, timeout: float = LOCK_TIMEOUT_SECONDS) -> Index:
    """Merge the smallest segments so that at most ``keep`` remain; returns the index reopened."""
    return _merge(index, merge_smallest(keep), timeout)


def optimize_index(index: Index, timeout: float = LOCK_TIMEOUT_SECONDS) -> Index:
    """Merge every segment into one (deleted documents dropped); returns the index reopened."""
    from whoosh.writing import OPTIMIZE  # whoosh.writing: writers only, not loaded by searches

    return _merge(index, OPTIMIZE, timeout)
