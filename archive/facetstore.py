"""Fast facet counts: a compact per-segment sidecar mapping document numbers to facet values.

Counting a facet over all hits of a query would otherwise load every hit's stored fields
(the whole article, body included). Instead, for each index segment and facet field, the
sidecar holds the field's distinct values and, per document number, the indices of its
values; counting is then one pass over the hits' document numbers.

Whoosh segments never change once written (merges write new ones), so a sidecar is keyed by
its segment's id and stays valid for the segment's life. Sidecars live in the index's
``facets/`` folder, are built from the segment's inverted index (not its stored fields) the
first time they are needed or at the end of an ingest, and are written atomically; a
read-only index simply builds them in memory. Sidecars of merged-away segments are removed
by the next ingest or ``archive optimize``.

The archive-wide person spelling groups (:func:`archive.facets.aliases.canonical_names` over
every indexed person name and how many articles carry it) depend only on the set of segments,
so they are computed once per index state, from the ``people`` sidecars' counts, and kept
beside them as ``spellings.<key>.v1``, the key a hash of the sorted segment ids (deleting
documents leaves a segment's id, its names and its per-name counts unchanged, since the
counts, like Whoosh's ``doc_frequency``, include deleted documents until a merge). The file
is written by the prebuild step at the end of an ingest or optimize and loaded in a few
milliseconds; an index whose file is missing (or a read-only one) computes it on first use.
"""

from __future__ import annotations

import marshal
import os
from collections import Counter
from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from typing import Any

SIDECAR_FOLDER = "facets"
SIDECAR_VERSION = 1
SPELLINGS_VERSION = 1
SPELLINGS_PREFIX = "spellings."

# (values, per_doc): the segment's distinct values of the field, and for each document
# number of the segment the tuple of indices into ``values``.
Sidecar = tuple[list[str], list[tuple[int, ...]]]


def sidecar_path(folder: str | os.PathLike[str], segment_id: str, field_name: str) -> Path:
    """Where the sidecar of one segment and field is kept."""
    return Path(folder) / SIDECAR_FOLDER / f"{segment_id}.{field_name}.v{SIDECAR_VERSION}"


def build_sidecar(reader: Any, field_name: str) -> Sidecar:
    """The sidecar of one segment's field, read from its postings (no stored fields)."""
    per_doc: list[list[int]] = [[] for _ in range(reader.doc_count_all())]
    values: list[str] = []
    if field_name in reader.indexed_field_names():
        for raw in reader.lexicon(field_name):
            position = len(values)
            values.append(raw.decode("utf-8"))
            for docnum in reader.postings(field_name, raw).all_ids():
                per_doc[docnum].append(position)
    return values, [tuple(found) for found in per_doc]


def load_sidecar(folder: str | os.PathLike[str] | None, reader: Any, field_name: str) -> Sidecar:
    """The sidecar of one segment's field: from disk, else built (and saved when possible)."""
    segment = reader.segment()
    if folder is None or segment is None:
        return build_sidecar(reader, field_name)
    path = sidecar_path(folder, segment.segment_id(), field_name)
    try:
        values, per_doc = marshal.loads(path.read_bytes())
        if len(per_doc) == reader.doc_count_all():
            return values, per_doc
    except (OSError, ValueError, EOFError, TypeError):
        pass
    sidecar = build_sidecar(reader, field_name)
    _save(path, sidecar)
    return sidecar


def _save(path: Path, sidecar: Any) -> None:
    """Write a sidecar atomically; a folder that cannot be written is no error."""
    try:
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(sidecar))
        os.replace(temporary, path)
    except OSError:
        pass


def index_folder(searcher: Any) -> Path | None:
    """The folder of the index a searcher reads, or None (an index in memory)."""
    folder = getattr(getattr(getattr(searcher, "_ix", None), "storage", None), "folder", None)
    return Path(folder) if folder else None


def spellings_key(searcher: Any) -> str | None:
    """A key for the searcher's set of segments (None when a segment has no id)."""
    import hashlib

    ids = []
    for leaf, _ in leaves(searcher):
        segment = leaf.reader().segment()
        if segment is None:
            return None
        ids.append(segment.segment_id())
    return hashlib.sha1("\n".join(sorted(ids)).encode("utf-8")).hexdigest()[:20]


def spellings_path(folder: str | os.PathLike[str], key: str) -> Path:
    """Where the person spellings of one index state are kept."""
    return Path(folder) / SIDECAR_FOLDER / f"{SPELLINGS_PREFIX}{key}.v{SPELLINGS_VERSION}"


def value_counts(searcher: Any, field_name: str, folder: str | os.PathLike[str] | None) -> Counter[str]:
    """How many documents of the index (deleted ones not yet merged away included, as in
    Whoosh's ``doc_frequency``) carry each value of ``field_name``, from the sidecars."""
    counts: Counter[str] = Counter()
    for leaf, _ in leaves(searcher):
        values, per_doc = load_sidecar(folder, leaf.reader(), field_name)
        for position, count in Counter(chain.from_iterable(per_doc)).items():
            counts[values[position]] += count
    return counts


def person_spellings(searcher: Any, folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Each indexed person name mapped to the archive-wide spelling its group is shown under.

    Loaded from the index's spellings file when it matches the searcher's segments, else
    computed (and saved when the folder can be written). ``folder`` defaults to the folder
    of the index the searcher was opened from.
    """
    from .facets.aliases import canonical_names

    folder = folder if folder is not None else index_folder(searcher)
    key = spellings_key(searcher) if folder is not None else None
    path = spellings_path(folder, key) if folder is not None and key is not None else None
    if path is not None:
        try:
            shown = marshal.loads(path.read_bytes())
            if isinstance(shown, dict):
                return shown
        except (OSError, ValueError, EOFError, TypeError):
            pass
    shown = canonical_names(dict(value_counts(searcher, "people", folder)))
    if path is not None:
        _save(path, shown)
    return shown


def leaves(searcher: Any) -> list[tuple[Any, int]]:
    """The searcher's per-segment searchers with their document number offsets."""
    return list(searcher.leaf_searchers())


def count_values(
    searcher: Any,
    query: Any,
    field_name: str,
    folder: str | os.PathLike[str] | None,
    shown: dict[str, str] | None = None,
) -> Counter[str]:
    """How many documents matching ``query`` carry each value of ``field_name``.

    ``shown`` maps values to the name they are counted under (spellings of one person); a
    document holding several values counted under one name counts once for it.
    """
    counts: Counter[str] = Counter()
    for leaf, _ in leaves(searcher):
        hits = list(query.docs(leaf))
        if not hits:
            continue
        values, per_doc = load_sidecar(folder, leaf.reader(), field_name)
        names = [shown.get(value, value) for value in values] if shown else values
        if len(set(names)) == len(names):
            positions: Counter[int] = Counter(chain.from_iterable(map(per_doc.__getitem__, hits)))
            for position, count in positions.items():
                counts[names[position]] += count
        else:
            counts.update(chain.from_iterable({names[position] for position in per_doc[hit]} for hit in hits))
    return counts


def prebuild(index: Any, fields: Iterable[str]) -> None:
    """Build the missing sidecars of every segment and remove those of merged-away segments.

    Also computes the person spellings of the new index state (see :func:`person_spellings`)
    and removes those of earlier states. Run by the writer (under the ingest lock) after an
    ingest or an optimize.
    """
    folder = Path(index.storage.folder)
    names = list(fields)
    current: set[str] = set()
    with index.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            segment = leaf.segment()
            if segment is None:
                continue
            current.add(segment.segment_id())
            for name in names:
                load_sidecar(folder, leaf, name)
    with index.searcher() as searcher:
        key = spellings_key(searcher)
        if key is not None and "people" in names:
            person_spellings(searcher, folder)
            current.add(spellings_path(folder, key).name)
    try:
        entries = list((folder / SIDECAR_FOLDER).iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name not in current and entry.name.split(".", 1)[0] not in current:
            entry.unlink(missing_ok=True)
