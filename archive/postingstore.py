"""The posting sidecar: each segment's posting lists as arrays of document numbers and term
weights, memory-mapped.

Whoosh decodes its posting blocks in Python; matching a query made of terms, ranking it, or
counting a facet over every hit, then costs Python work per posting. The sidecar holds, for
one segment, every term of the text fields (title, body, author) and of the facet fields,
sorted by field and term, with the term's document numbers (sorted, ``int32``) in one array
and their weights (the term's frequency in the document, ``float32`` as Whoosh stores it) in
another, so a term's postings are one slice, and a field's postings one contiguous block
(facet counts over all hits are a ``bincount`` of the hit mask over that block, see
:func:`archive.ranking.facet_counts`; BM25 over a term is arithmetic on its slices, see
:mod:`archive.ranking`).

One file per segment, ``facets/<segment id>.postings.v2`` (kept and removed with the
segment's facet sidecars): a JSON header (fields → term ranges, array places) followed by
five arrays: the term bytes, their offsets, the document numbers, their offsets and the
weights. Whoosh segments never change (merges write new ones), so a file is valid for its
segment's life. It is written with the segment (:mod:`archive.sidecars`), else at the end of
each ingest or optimize (:func:`archive.facetstore.prebuild`), or the first time it is
needed, atomically; a read-only index builds it in memory. A segment written by an older
version keeps its ``.v1`` file (no weights: the ranking reads those from Whoosh's postings).
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
POSTINGS_VERSION = 2
OLDER_VERSIONS = (1,)  # still read (document numbers only)
POSTING_FIELDS = ("title", "body", "author", *FIELD_NAMES)
MAGIC = b"ARCHIVE-POSTINGS\n"
ALIGN = 16
EMPTY = np.zeros(0, dtype=np.int32)
NO_WEIGHTS = np.zeros(0, dtype=np.float32)


def postings_path(folder: str | os.PathLike[str], segment_id: str, version: int = POSTINGS_VERSION) -> Path:
    """Where the posting sidecar of one segment is kept."""
    return Path(folder) / SIDECAR_FOLDER / f"{segment_id}.postings.v{version}"


class TermBytes:
    """The sidecar's terms as a sorted sequence of bytes (for :mod:`bisect`), read from the
    memory-mapped blob one term at a time."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, start: int, end: int) -> None:
        self.blob = memoryview(blob)  # (a memoryview's items and slices cost a quarter of numpy's)
        self.offsets = memoryview(offsets)
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
        self.weights: np.ndarray | None = arrays.get("weights")  # None in a version 1 file
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

    def term_postings(self, field_name: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
        """A term's sorted document numbers (deleted ones included) and its weight in each
        (a file with weights only)."""
        assert self.weights is not None
        number = self.term_number(field_name, term)
        if number is None:
            return EMPTY, NO_WEIGHTS
        start, end = self.id_offsets[number], self.id_offsets[number + 1]
        return self.ids[start:end], self.weights[start:end]

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
    id_chunks: list[np.ndarray] = []
    weight_chunks: list[np.ndarray] = []
    ranges: dict[str, tuple[int, int]] = {}
    indexed = set(reader.indexed_field_names())
    for field_name in fields:
        start = len(term_chunks)
        if field_name in indexed:
            for raw in reader.lexicon(field_name):
                ids, weights = posting_arrays(raw_postings(reader, field_name, raw))
                term_chunks.append(raw)
                id_chunks.append(ids)
                weight_chunks.append(weights)
        ranges[field_name] = (start, len(term_chunks))
    counts = [part.size for part in id_chunks]
    return {"doc_count": reader.doc_count_all(), "fields": ranges}, arrays_of(term_chunks, counts, id_chunks, weight_chunks)


def arrays_of(terms: list[bytes], counts: list[int], ids: list[np.ndarray], weights: list[np.ndarray]) -> dict[str, np.ndarray]:
    """The sidecar's arrays from the terms' bytes and posting counts, in order, and their
    document numbers and weights, concatenated in that order (in pieces of any size)."""
    return {
        "terms": np.frombuffer(b"".join(terms), dtype=np.uint8),
        "term_offsets": np.concatenate(([0], np.cumsum([len(term) for term in terms], dtype=np.int64))).astype(np.int64),
        "ids": np.concatenate(ids).astype(np.int32) if ids else EMPTY,
        "id_offsets": np.concatenate(([0], np.cumsum(counts, dtype=np.int64))).astype(np.int64),
        "weights": np.concatenate(weights).astype(np.float32) if weights else NO_WEIGHTS,
    }


def raw_postings(reader: Any, field_name: str, raw: bytes) -> Any:
    """A term's whole posting list, deleted documents included (``reader.postings`` skips the
    leading deleted ones, which would make the sidecar depend on when it was built)."""
    terms = getattr(reader, "_terms", None)
    if terms is not None and hasattr(terms, "matcher"):
        return terms.matcher(field_name, raw, reader.schema[field_name].format)
    return reader.postings(field_name, raw)


def posting_arrays(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """Every document number and weight of a raw posting list, a block at a time when it is
    Whoosh's block format (no per-posting Python)."""
    matcher = getattr(matcher, "child", matcher)
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_read_weights") and hasattr(matcher, "_next_block"):
        ids, weights = [], []
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int32))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            matcher._next_block()
        return (np.concatenate(ids), np.concatenate(weights)) if ids else (EMPTY, NO_WEIGHTS)
    found_ids: list[int] = []
    found_weights: list[float] = []
    while matcher.is_active():
        found_ids.append(matcher.id())
        found_weights.append(matcher.weight())
        matcher.next()
    return np.asarray(found_ids, dtype=np.int32), np.asarray(found_weights, dtype=np.float32)


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


def find(folder: str | os.PathLike[str] | None, reader: Any, versions: tuple[int, ...] = (POSTINGS_VERSION, *OLDER_VERSIONS)) -> SegmentPostings | None:
    """The posting sidecar of one segment when a file of it is on disk in one of ``versions``
    (the first found), memory-mapped; None otherwise."""
    segment = reader.segment()
    if folder is None or segment is None:
        return None
    for version in versions:
        path = postings_path(folder, segment.segment_id(), version)
        try:
            info = os.stat(path)
            found = _mapped(str(path), info.st_size, info.st_mtime_ns)
        except (OSError, ValueError, KeyError):
            continue
        if found.doc_count == reader.doc_count_all():
            return found
    return None


def load(folder: str | os.PathLike[str] | None, reader: Any, *, upgrade: bool = False) -> SegmentPostings:
    """The posting sidecar of one segment: mapped from disk (a file of an older version too,
    unless ``upgrade``), else built (and saved when the folder can be written, in place of
    any older file). Writers upgrade (:func:`archive.facetstore.prebuild`), readers do not:
    building takes about 30 s for a segment of 10,000 articles."""
    found = find(folder, reader, (POSTINGS_VERSION,) if upgrade else (POSTINGS_VERSION, *OLDER_VERSIONS))
    if found is not None:
        return found
    header, arrays = build(reader)
    segment = reader.segment()
    if folder is not None and segment is not None:
        path = postings_path(folder, segment.segment_id())
        try:
            path.parent.mkdir(exist_ok=True)
            write_atomically(path, encode(header, arrays))
            for version in OLDER_VERSIONS:
                postings_path(folder, segment.segment_id(), version).unlink(missing_ok=True)
        except OSError:
            pass
    return SegmentPostings(header, arrays)


def deleted(reader: Any) -> np.ndarray | None:
    """The segment's deleted document numbers, sorted (None when there are none)."""
    if not reader.has_deletions():
        return None
    return np.fromiter(sorted(reader.deleted_docs_set), dtype=np.int32)
