"""The posting sidecar: each segment's posting lists as arrays of document numbers, memory-mapped.

Whoosh decodes its posting blocks in Python; matching a query made of terms, or counting a
facet over every hit, then costs Python work per posting. The sidecar holds, for one
segment, every term of the text fields (title, body, author) and of the facet fields, sorted
by field and term, with the term's document numbers (sorted, ``int32``) in one array, so a
term's documents are one slice, and a field's postings one contiguous block (facet counts
over all hits are a ``bincount`` of the hit mask over that block, see
:func:`archive.facetstore.count_values`).

One file per segment, ``facets/<segment id>.postings.v1`` (kept and removed with the
segment's facet sidecars): a JSON header (fields → term ranges, array places) followed by
four arrays: the term bytes, their offsets, the document numbers and their offsets. Whoosh
segments never change (merges write new ones), so a file is valid for its segment's life.
It is written at the end of each ingest or optimize (:func:`archive.facetstore.prebuild`), or
the first time it is needed, atomically; a read-only index builds it in memory.
"""

from __future__ import annotations

import bisect
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .fields import FIELD_NAMES
from .files import write_atomically

SIDECAR_FOLDER = "facets"  # the facet sidecars' folder (archive.facetstore), cleaned up with them
POSTINGS_VERSION = 1
POSTING_FIELDS = ("title", "body", "author", *FIELD_NAMES)
MAGIC = b"ARCHIVE-POSTINGS\n"
ALIGN = 16
EMPTY = np.zeros(0, dtype=np.int32)


def postings_path(folder: str | os.PathLike[str], segment_id: str) -> Path:
    """Where the posting sidecar of one segment is kept."""
    return Path(folder) / SIDECAR_FOLDER / f"{segment_id}.postings.v{POSTINGS_VERSION}"


class TermBytes:
    """The sidecar's terms as a sorted sequence of bytes (for :mod:`bisect`), read from the
    memory-mapped blob one term at a time."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, start: int, end: int) -> None:
        self.blob = blob
        self.offsets = offsets
        self.start = start
        self.end = end

    def __len__(self) -> int:
        return self.end - self.start

    def __getitem__(self, position: int) -> bytes:
        where = self.start + position
        return self.blob[self.offsets[where] : self.offsets[where + 1]].tobytes()


class SegmentPostings:
    """One segment's posting lists as arrays (see the module's docstring)."""

    def __init__(self, header: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        self.doc_count = int(header["doc_count"])
        self.fields: dict[str, tuple[int, int]] = {name: (int(start), int(end)) for name, (start, end) in header["fields"].items()}
        self.term_blob = arrays["terms"]
        self.term_offsets = arrays["term_offsets"]
        self.ids = arrays["ids"]
        self.id_offsets = arrays["id_offsets"]
        self._blocks: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}

    def covers(self, field_name: str) -> bool:
        """Whether the sidecar holds the field's postings."""
        return field_name in self.fields

    def term_number(self, field_name: str, term: bytes) -> int | None:
        """The position of a term in the sidecar, or None when the segment does not hold it."""
        start, end = self.fields[field_name]
        terms = TermBytes(self.term_blob, self.term_offsets, start, end)
        found = bisect.bisect_left(terms, term)
        if found < len(terms) and terms[found] == term:
            return start + found
        return None

    def docs(self, field_name: str, term: bytes) -> np.ndarray:
        """The sorted document numbers holding a term (deleted ones included)."""
        number = self.term_number(field_name, term)
        if number is None:
            return EMPTY
        return self.ids[self.id_offsets[number] : self.id_offsets[number + 1]]

    def field_block(self, field_name: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """A field's terms (decoded, in lexicon order), the term number of each of its
        postings, and the document numbers of those postings (kept once made)."""
        if field_name not in self._blocks:
            self._blocks[field_name] = self._field_block(field_name)
        return self._blocks[field_name]

    def _field_block(self, field_name: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        start, end = self.fields[field_name]
        first, last = int(self.id_offsets[start]), int(self.id_offsets[end])
        terms = [self.term_blob[self.term_offsets[at] : self.term_offsets[at + 1]].tobytes().decode("utf-8") for at in range(start, end)]
        lengths = np.diff(self.id_offsets[start : end + 1])
        owners = np.repeat(np.arange(end - start, dtype=np.int32), lengths)
        return terms, owners, self.ids[first:last]


def build(reader: Any, fields: Iterable[str] = POSTING_FIELDS) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The sidecar of one segment, read from its posting lists."""
    term_chunks: list[bytes] = []
    term_lengths: list[int] = []
    id_chunks: list[np.ndarray] = []
    id_lengths: list[int] = []
    ranges: dict[str, tuple[int, int]] = {}
    indexed = set(reader.indexed_field_names())
    for field_name in fields:
        start = len(term_lengths)
        if field_name in indexed:
            for raw in reader.lexicon(field_name):
                found = posting_ids(raw_postings(reader, field_name, raw))
                term_chunks.append(raw)
                term_lengths.append(len(raw))
                id_chunks.append(found)
                id_lengths.append(len(found))
        ranges[field_name] = (start, len(term_lengths))
    arrays = {
        "terms": np.frombuffer(b"".join(term_chunks), dtype=np.uint8),
        "term_offsets": np.concatenate(([0], np.cumsum(term_lengths, dtype=np.int64))).astype(np.int64),
        "ids": np.concatenate(id_chunks).astype(np.int32) if id_chunks else EMPTY,
        "id_offsets": np.concatenate(([0], np.cumsum(id_lengths, dtype=np.int64))).astype(np.int64),
    }
    return {"doc_count": reader.doc_count_all(), "fields": ranges}, arrays


def raw_postings(reader: Any, field_name: str, raw: bytes) -> Any:
    """A term's whole posting list, deleted documents included (``reader.postings`` skips the
    leading deleted ones, which would make the sidecar depend on when it was built)."""
    terms = getattr(reader, "_terms", None)
    if terms is not None and hasattr(terms, "matcher"):
        return terms.matcher(field_name, raw, reader.schema[field_name].format)
    return reader.postings(field_name, raw)


def posting_ids(matcher: Any) -> np.ndarray:
    """Every document number of a raw posting list, a block at a time when it is Whoosh's
    block format (no per-posting Python)."""
    matcher = getattr(matcher, "child", matcher)
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        blocks = []
        while matcher.is_active():
            matcher._read_ids()
            blocks.append(np.asarray(matcher._ids, dtype=np.int32))
            matcher._next_block()
        return np.concatenate(blocks) if blocks else EMPTY
    return np.fromiter(matcher.all_ids(), dtype=np.int32)


def encode(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """The sidecar's bytes: magic, header length, JSON header, aligned arrays."""
    places: dict[str, list[Any]] = {}
    body = bytearray()
    for name, array in arrays.items():
        body.extend(b"\0" * (-len(body) % ALIGN))
        places[name] = [len(body), array.dtype.str, int(array.size)]
        body.extend(np.ascontiguousarray(array).tobytes())
    head = json.dumps({**header, "arrays": places}).encode("utf-8")
    start = len(MAGIC) + 8 + len(head)
    padding = -start % ALIGN
    return MAGIC + (len(head) + padding).to_bytes(8, "little") + head + b" " * padding + bytes(body)


def decode(data: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Header and arrays from a sidecar's bytes (or a memory map of them)."""
    view = memoryview(data)
    if bytes(view[: len(MAGIC)]) != MAGIC:
        raise ValueError("not a posting sidecar")
    size = int.from_bytes(view[len(MAGIC) : len(MAGIC) + 8], "little")
    start = len(MAGIC) + 8
    header = json.loads(bytes(view[start : start + size]))
    base = start + size
    arrays = {
        name: np.frombuffer(data, dtype=np.dtype(dtype), count=count, offset=base + offset)
        for name, (offset, dtype, count) in header["arrays"].items()
    }
    return header, arrays


@lru_cache(maxsize=256)
def _mapped(path: str, size: int, modified: int) -> SegmentPostings:
    """A sidecar file memory-mapped (kept for the life of the process: the file of a
    segment never changes; ``size`` and ``modified`` tell a rewritten one apart)."""
    mapped = np.memmap(path, dtype=np.uint8, mode="r")
    header, arrays = decode(mapped)
    return SegmentPostings(header, arrays)


def load(folder: str | os.PathLike[str] | None, reader: Any) -> SegmentPostings:
    """The posting sidecar of one segment: mapped from disk, else built (and saved when the
    folder can be written)."""
    segment = reader.segment()
    if folder is None or segment is None:
        return SegmentPostings(*build(reader))
    path = postings_path(folder, segment.segment_id())
    try:
        info = os.stat(path)
        found = _mapped(str(path), info.st_size, info.st_mtime_ns)
        if found.doc_count == reader.doc_count_all():
            return found
    except (OSError, ValueError, KeyError):
        pass
    header, arrays = build(reader)
    try:
        path.parent.mkdir(exist_ok=True)
        write_atomically(path, encode(header, arrays))
    except OSError:
        pass
    return SegmentPostings(header, arrays)


def deleted(reader: Any) -> np.ndarray | None:
    """The segment's deleted document numbers, sorted (None when there are none)."""
    if not reader.has_deletions():
        return None
    return np.fromiter(sorted(reader.deleted_docs_set), dtype=np.int32)
