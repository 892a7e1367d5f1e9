"""The file-state and duplicate catalog kept beside the index (``catalog.sqlite``).

It records, for every source file an ingest has read completely, its size, modification
time and content hash, and for every article found in it the article's id and the hash of
its cleaned body. That makes re-ingesting cheap (a file whose size and modification time are
unchanged costs one ``stat``; one whose content hash is unchanged costs a read, never a
parse) and lets the same article arriving twice (same cleaned body, in another format or
path) be indexed once: the first article with a body is the *canonical* one and holds the
index document; the others are recorded as its other locations.

The catalog follows the index: an ingest commits the index batch first and the catalog
entries of the same batch after it, so a crash between the two leaves files the catalog does
not know yet, which the next ingest simply reads again (index updates are idempotent).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CATALOG_FILE = "catalog.sqlite"
CATALOG_VERSION = 1
HASH_CHUNK = 1024 * 1024
_SPACE = re.compile(r"\s+")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path BLOB PRIMARY KEY,      -- absolute path of the source file (its bytes)
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL          -- BLAKE2b of the file's bytes
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,        -- the article's own id (from its path and key)
    file BLOB NOT NULL,         -- files.path it was read from
    path TEXT NOT NULL,         -- the path as shown (as given to ingest)
    body_hash TEXT NOT NULL,
    seq INTEGER NOT NULL        -- arrival order: the earliest holder of a body is canonical
);
CREATE INDEX IF NOT EXISTS articles_file ON articles(file);
CREATE INDEX IF NOT EXISTS articles_body ON articles(body_hash, seq);
"""


@dataclass(frozen=True)
class FileState:
    """What the catalog knows of one source file."""

    size: int
    mtime_ns: int
    hash: str


@dataclass(frozen=True)
class Location:
    """One place an article was found: its own id and the path as shown."""

    id: str
    path: str


def body_hash(body: str) -> str:
    """The duplicate key of a cleaned body: a hash of its words, whitespace ignored."""
    flat = _SPACE.sub(" ", body).strip()
    return hashlib.blake2b(flat.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def file_hash(path: str | os.PathLike[str]) -> str:
    """BLAKE2b of a file's bytes, read in chunks."""
    digest = hashlib.blake2b(digest_size=16)
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the open
    with open(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"not a regular file: {os.fsdecode(path)}")
        while chunk := stream.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_key(path: str | os.PathLike[str]) -> str:
    """The catalog key of a source file: its absolute path (symbolic links kept)."""
    return os.path.abspath(os.fsdecode(path))


def _blob(key: str) -> bytes:
    """A file key as stored: the path's bytes (a file name need not be UTF-8)."""
    return os.fsencode(key)


def _key(blob: bytes) -> str:
    """A stored file key back as a path string."""
    return os.fsdecode(bytes(blob))


class Catalog:
    """The catalog of one index folder, open for reading and writing (one writer: the ingest).

    Use as a context manager; nothing is written to disk until :meth:`commit`.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.path = Path(folder) / CATALOG_FILE
        self.connection = sqlite3.connect(self.path, isolation_level="DEFERRED")
        self.connection.executescript(_SCHEMA)
        self.connection.execute(f"PRAGMA user_version = {CATALOG_VERSION}")
        self.connection.commit()
        row = self.connection.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()
        self._seq = int(row[0])

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close without committing what was not committed."""
        self.connection.rollback()
        self.connection.close()

    def commit(self) -> None:
        """Make the changes so far durable."""
        self.connection.commit()

    def is_empty(self) -> bool:
        """Whether no article is recorded."""
        return self.connection.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None

    def file_state(self, key: str) -> FileState | None:
        """The recorded state of a source file, or None."""
        row = self.connection.execute("SELECT size, mtime_ns, hash FROM files WHERE path = ?", (_blob(key),)).fetchone()
        return FileState(*row) if row else None

    def file_states(self) -> dict[str, FileState]:
        """Every recorded file with its state (one query, for a whole ingest)."""
        return {_key(row[0]): FileState(*row[1:]) for row in self.connection.execute("SELECT path, size, mtime_ns, hash FROM files")}

    def article_count(self, key: str) -> int:
        """How many articles a recorded file holds."""
        return int(self.connection.execute("SELECT COUNT(*) FROM articles WHERE file = ?", (_blob(key),)).fetchone()[0])

    def set_file(self, key: str, state: FileState) -> None:
        """Record a file's state (after its articles were recorded)."""
        self.connection.execute(
            "INSERT OR REPLACE INTO files (path, size, mtime_ns, hash) VALUES (?, ?, ?, ?)",
            (_blob(key), state.size, state.mtime_ns, state.hash),
        )

    def forget_file(self, key: str) -> None:
        """Drop a file's state so that the next ingest reads it again."""
        self.connection.execute("DELETE FROM files WHERE path = ?", (_blob(key),))

    def articles_of(self, key: str) -> list[str]:
        """Ids of the articles recorded for a file."""
        return [row[0] for row in self.connection.execute("SELECT id FROM articles WHERE file = ?", (_blob(key),))]

    def body_of(self, article_id: str) -> str | None:
        """The body hash recorded for an article id."""
        row = self.connection.execute("SELECT body_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def holders(self, digest: str) -> list[Location]:
        """Every article with this body, canonical (earliest) first."""
        rows = self.connection.execute("SELECT id, path FROM articles WHERE body_hash = ? ORDER BY seq", (digest,))
        return [Location(*row) for row in rows]

    def add_article(self, article_id: str, key: str, path: str, digest: str) -> None:
        """Record (or move) an article; an article keeps its arrival order unless its body changed."""
        row = self.connection.execute("SELECT body_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row and row[0] == digest:
            self.connection.execute("UPDATE articles SET file = ?, path = ? WHERE id = ?", (_blob(key), path, article_id))
            return
        self._seq += 1
        self.connection.execute(
            "INSERT OR REPLACE INTO articles (id, file, path, body_hash, seq) VALUES (?, ?, ?, ?, ?)",
            (article_id, _blob(key), path, digest, self._seq),
        )

    def remove_article(self, article_id: str) -> None:
        """Forget an article."""
        self.connection.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    def files_under(self, roots: Iterable[str]) -> list[str]:
        """Recorded files (with a state or with articles) at or below any of ``roots``."""
        prefixes = [root.rstrip(os.sep) + os.sep for root in roots]
        rows = self.connection.execute("SELECT path FROM files UNION SELECT file FROM articles")
        keys = sorted({_key(row[0]) for row in rows})
        return [key for key in keys if any(key == prefix[:-1] or key.startswith(prefix) for prefix in prefixes)]


def locations(folder: str | os.PathLike[str], article_id: str) -> list[Location]:
    """Every place the article indexed under ``article_id`` was found (itself first); read-only.

    Empty when the index has no catalog (an index written before it existed).
    """
    path = Path(folder) / CATALOG_FILE
    if not path.exists():
        return []
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    try:
        row = connection.execute("SELECT body_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        if not row:
            return []
        rows = connection.execute("SELECT id, path FROM articles WHERE body_hash = ? ORDER BY seq", (row[0],))
        return [Location(*found) for found in rows]
    except sqlite3.Error:
        return []
    finally:
        connection.close()


def canonical_id(folder: str | os.PathLike[str], article_id: str) -> str | None:
    """The id of the indexed article that ``article_id`` duplicates, if it is a recorded duplicate."""
    found = locations(folder, article_id)
    return found[0].id if found and found[0].id != article_id else None
