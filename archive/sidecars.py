"""Sidecars written with their segment: the posting sidecar (:mod:`archive.postingstore`) and
the facet sidecars (:mod:`archive.facetstore`) of a new segment, taken from the postings the
writer is filing anyway instead of read back from the segment afterwards.

Reading a segment back costs a Whoosh matcher per term (about 0.1 ms each, in Python): at the
end of an ingest of 1,000 articles in five commits that was 14 s of the 64 s, all of it in the
single writer process after the workers had finished. Whoosh's writer files a new segment's
postings from its pool, sorted by field, term and document (every commit and every merge);
:func:`install` makes it pass them through a :class:`PostingRecorder` on the way, and the
sidecars are written as soon as the segment's files are. They hold exactly what
``postingstore.build`` and ``facetstore.build_sidecar`` would read (a new segment has no
deleted documents), so ``facetstore.prebuild`` at the end of the ingest finds them and only
builds what is missing (segments written by older versions, or by a process that did not
install this).

A segment whose commit never completes (a crash, a second Ctrl-C) leaves sidecars named after
a segment no table of contents lists; the next ``prebuild`` removes them with those of
merged-away segments.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .facetstore import sidecar_path
from .fields import FIELD_NAMES
from .files import write_atomically

Posting = tuple[str, bytes, int, float, bytes | None]


class PostingRecorder:
    """Notes the terms, document numbers and weights of the postings of ``fields`` as they
    stream past (sorted by field, term and document, as Whoosh's pool gives them)."""

    def __init__(self, fields: Iterable[str]) -> None:
        self.wanted = frozenset(fields)
        self.terms: dict[str, list[bytes]] = {}
        self.starts: dict[str, list[int]] = {}  # where each term's documents begin in ``ids``
        self.ids: dict[str, array[int]] = {}
        self.weights: dict[str, array[float]] = {}  # float32, as Whoosh's posting blocks keep them

    def tee(self, postings: Iterable[Posting]) -> Iterator[Posting]:
        """``postings`` unchanged, noting those of the wanted fields on the way."""
        wanted = self.wanted
        last_field: str | None = None
        last_term: bytes | None = None
        recording = False
        terms: list[bytes] = []
        starts: list[int] = []
        ids: array[int] = array("i")
        weights: array[float] = array("f")
        for posting in postings:
            field_name = posting[0]
            if field_name != last_field:
                last_field, last_term = field_name, None
                recording = field_name in wanted
                if recording:
                    terms = self.terms.setdefault(field_name, [])
                    starts = self.starts.setdefault(field_name, [])
                    ids = self.ids.setdefault(field_name, array("i"))
                    weights = self.weights.setdefault(field_name, array("f"))
            if recording and posting[2] != -1:  # -1: a spelling entry, not a posting
                term = posting[1]
                if term != last_term:
                    last_term = term
                    terms.append(term)
                    starts.append(len(ids))
                ids.append(posting[2])
                weights.append(posting[3])
            yield posting

    def field(self, field_name: str) -> tuple[list[bytes], list[int], array[int]]:
        """A field's terms in order, where each term's documents start, and the documents."""
        return self.terms.get(field_name, []), self.starts.get(field_name, []), self.ids.get(field_name, array("i"))

    def posting_sidecar(self, doc_count: int) -> bytes:
        """The bytes ``postingstore.encode(*postingstore.build(reader))`` gives for the segment."""
        import numpy as np  # writers only: the command line's read commands do not load numpy

        from .postingstore import POSTING_FIELDS, arrays_of, encode

        all_terms: list[bytes] = []
        counts: list[int] = []
        id_parts: list[Any] = []
        weight_parts: list[Any] = []
        ranges: dict[str, tuple[int, int]] = {}
        for field_name in POSTING_FIELDS:
            first = len(all_terms)
            terms, starts, ids = self.field(field_name)
            if terms:
                all_terms.extend(terms)
                counts.extend(np.diff(np.append(np.asarray(starts, dtype=np.int64), len(ids))).tolist())
                id_parts.append(np.frombuffer(ids, dtype=np.int32))
                weight_parts.append(np.frombuffer(self.weights[field_name], dtype=np.float32))
            ranges[field_name] = (first, len(all_terms))
        return encode({"doc_count": doc_count, "fields": ranges}, arrays_of(all_terms, counts, id_parts, weight_parts))

    def facet_sidecar(self, field_name: str, doc_count: int) -> tuple[list[str], list[tuple[int, ...]]]:
        """What ``facetstore.build_sidecar`` gives for one field of the segment: its values in
        lexicon order and, per document, the positions of its values."""
        terms, starts, ids = self.field(field_name)
        per_doc: list[list[int]] = [[] for _ in range(doc_count)]
        ends = [*starts[1:], len(ids)]
        for position, (start, end) in enumerate(zip(starts, ends)):
            for docnum in ids[start:end]:
                per_doc[docnum].append(position)
        return [term.decode("utf-8") for term in terms], [tuple(found) for found in per_doc]


def write_sidecars(folder: str | Path, segment_id: str, doc_count: int, recorder: PostingRecorder) -> None:
    """Write a new segment's posting sidecar and facet sidecars (atomically); a folder that
    cannot be written is no error (they are built when first needed)."""
    from .postingstore import postings_path  # numpy: writers only, as in posting_sidecar

    try:
        path = postings_path(folder, segment_id)
        path.parent.mkdir(exist_ok=True)
        write_atomically(path, recorder.posting_sidecar(doc_count))
        for field_name in FIELD_NAMES:
            sidecar = recorder.facet_sidecar(field_name, doc_count)
            write_atomically(sidecar_path(folder, segment_id, field_name), marshal.dumps(sidecar))
    except OSError:
        pass


def install() -> None:
    """Make Whoosh's segment writer record the postings it files and write the new segment's
    sidecars after its files (once per process; writers of indexes in memory write none)."""
    from whoosh.writing import SegmentWriter  # writers only, not loaded by searches

    from .postingstore import POSTING_FIELDS  # numpy: writers only, as in posting_sidecar

    if getattr(SegmentWriter._flush_segment, "_archive_sidecars", False):
        return

    def flush_segment(self: Any) -> None:
        # Whoosh's SegmentWriter._flush_segment, with the postings passed through a recorder.
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        recorder = PostingRecorder(POSTING_FIELDS)
        self.fieldwriter.add_postings(self.schema, lengths, recorder.tee(self.pool.iter_postings()))
        self.fieldwriter.close()
        if lengths:
            lengths.close()
        folder = getattr(self.storage, "folder", None)
        if folder is not None:
            write_sidecars(folder, self.newsegment.segment_id(), self.docnum, recorder)

    flush_segment._archive_sidecars = True  # type: ignore[attr-defined]
    SegmentWriter._flush_segment = flush_segment
