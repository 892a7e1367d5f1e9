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
every indexed person name and how many live articles carry it) depend only on the index's
segments and their deletions, so they are computed once per index state, from the
``people`` sidecars, and kept beside them as ``spellings.<key>.v<version>``, the key a hash of the
sorted segment ids with each segment's count of deleted documents. So are the
values of every keyword field with their folded keys (``terms.<field>.<key>.v<version>``), which filter
values are resolved against. The files are written by the prebuild step at the end of an
ingest or optimize and loaded in a few milliseconds; an index whose file is missing (or a
read-only one) computes them on first use.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections import Counter
from collections.abc import Iterable
from itertools import chain, compress
from operator import not_
from pathlib import Path
from typing import Any

from .facets.aliases import canonical_names
from .fields import FIELD_NAMES
from .files import write_atomically
from .folding import fold_key
from .postings import leaf_matches

SIDECAR_FOLDER = "facets"
SIDECAR_VERSION = 1
SPELLINGS_VERSION = 3  # 2: keys folded with archive.folding (ø, ł, ı, ß, æ as plain letters); 3: live values only
SPELLINGS_PREFIX = "spellings."
TERMS_PREFIX = "terms."

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
        write_atomically(path, marshal.dumps(sidecar))
    except OSError:
        pass


def index_folder(searcher: Any) -> Path | None:
    """The folder of the index a searcher reads, or None (an index in memory)."""
    folder = getattr(getattr(getattr(searcher, "_ix", None), "storage", None), "folder", None)
    return Path(folder) if folder else None


def spellings_key(searcher: Any) -> str | None:
    """A key for the searcher's index state: its segments and their deletions (None when a
    segment has no id)."""
    ids = []
    for leaf, _ in leaves(searcher):
        segment = leaf.reader().segment()
        if segment is None:
            return None
        ids.append(f"{segment.segment_id()}:{segment.deleted_count()}")
    return hashlib.sha1("\n".join(sorted(ids)).encode("utf-8")).hexdigest()[:20]


def spellings_path(folder: str | os.PathLike[str], key: str) -> Path:
    """Where the person spellings of one index state are kept."""
    return Path(folder) / SIDECAR_FOLDER / f"{SPELLINGS_PREFIX}{key}.v{SPELLINGS_VERSION}"


def value_counts(searcher: Any, field_name: str, folder: str | os.PathLike[str] | None) -> Counter[str]:
    """How many live (not deleted) documents of the index carry each value of
    ``field_name``, from the sidecars."""
    counts: Counter[str] = Counter()
    for leaf, _ in leaves(searcher):
        reader = leaf.reader()
        values, per_doc = load_sidecar(folder, reader, field_name)
        deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
        rows = per_doc if not deleted else (row for number, row in enumerate(per_doc) if number not in deleted)
        for position, count in Counter(chain.from_iterable(rows)).items():
            counts[values[position]] += count
    return counts


def _state_file(searcher: Any, folder: str | os.PathLike[str] | None, prefix: str, compute: Any) -> Any:
    """A value that depends only on the searcher's set of segments: loaded from the index's
    ``facets/<prefix><key>.v<version>`` file when there is one, else computed (and saved when the
    folder can be written)."""
    folder = folder if folder is not None else index_folder(searcher)
    key = spellings_key(searcher) if folder is not None else None
    path = Path(folder) / SIDECAR_FOLDER / f"{prefix}{key}.v{SPELLINGS_VERSION}" if folder is not None and key else None
    if path is not None:
        try:
            return marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            pass
    value = compute(folder)
    if path is not None:
        _save(path, value)
    return value


def person_spellings(searcher: Any, folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Each indexed person name mapped to the archive-wide spelling its group is shown under.

    Loaded from the index's spellings file when it matches the searcher's segments, else
    computed (and saved when the folder can be written). ``folder`` defaults to the folder
    of the index the searcher was opened from.
    """
    def compute(where: Any) -> dict[str, str]:
        return canonical_names(dict(value_counts(searcher, "people", where)))

    return _state_file(searcher, folder, SPELLINGS_PREFIX, compute)


def folded_values(searcher: Any, field_name: str, folder: str | os.PathLike[str] | None = None) -> list[tuple[str, str]]:
    """Every value of a keyword field that a live article holds, sorted, with its case- and
    accent-insensitive key (:func:`archive.folding.fold_key`): what filter values are
    resolved against. Kept per index state and field like the spellings
    (``terms.<field>.<key>.v<version>``)."""
    if field_name not in FIELD_NAMES:
        values = {raw.decode("utf-8") for raw in searcher.lexicon(field_name)} if field_name in searcher.schema else set()
        return [(value, fold_key(value)) for value in sorted(values)]

    def compute(where: Any) -> list[tuple[str, str]]:
        values: set[str] = set()
        for leaf, _ in leaves(searcher):
            reader = leaf.reader()
            names, per_doc = load_sidecar(where, reader, field_name)
            if reader.has_deletions():  # a value left only by deleted documents is gone
                deleted = reader.deleted_docs_set
                names = [names[position] for position in {p for number, row in enumerate(per_doc) if number not in deleted for p in row}]
            values.update(names)
        return [(value, fold_key(value)) for value in sorted(values)]

    return [tuple(pair) for pair in _state_file(searcher, folder, f"{TERMS_PREFIX}{field_name}.", compute)]  # type: ignore[misc]


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
    """How many documents matching ``query`` carry each value of ``field_name``, from the facet
    sidecar's rows of the hits (no numpy to import; long-lived readers count over the posting
    arrays instead, :func:`archive.ranking.facet_counts`).

    ``shown`` maps values to the name they are counted under (spellings of one person); a
    document holding several values counted under one name counts once for it.
    """
    counts: Counter[str] = Counter()
    for leaf, _ in leaves(searcher):
        hits = leaf_matches(leaf, query)
        if hits:
            _count_from_sidecar(counts, folder, leaf.reader(), field_name, hits, shown)
    return counts


def _count_from_sidecar(
    counts: Counter[str], folder: Any, reader: Any, field_name: str, hits: list[int], shown: dict[str, str] | None
) -> None:
    """Counts of one segment's hits, from the facet sidecar."""
    values, per_doc = load_sidecar(folder, reader, field_name)
    names = [shown.get(value, value) for value in values] if shown else values
    rows = list(map(per_doc.__getitem__, hits))
    positions: Counter[int] = Counter(chain.from_iterable(rows))
    for position, count in positions.items():
        counts[names[position]] += count
    if len(set(names)) != len(names):
        _count_each_name_once(counts, names, rows)


def _count_each_name_once(counts: Counter[str], names: list[Any], rows: list[tuple[int, ...]]) -> None:
    """Correct counts made per value so that a document holding several values shown under
    one name (two spellings of a person) counts once for that name."""
    holders: dict[Any, int] = {}
    for name in names:
        holders[name] = holders.get(name, 0) + 1
    shared = frozenset(position for position, name in enumerate(names) if holders[name] > 1)
    # Select the rows holding a shared value at C speed (most rows hold none), then look closer.
    for row in compress(rows, map(not_, map(shared.isdisjoint, rows))):
        if len(row) > 1:
            found = [names[position] for position in row if position in shared]
            if len(found) != len(set(found)):
                for name, count in Counter(found).items():
                    if count > 1:
                        counts[name] -= count - 1


def prebuild(index: Any, fields: Iterable[str]) -> None:
    """Build the missing sidecars of every segment and remove those of merged-away segments.

    Also computes the person spellings of the new index state (see :func:`person_spellings`)
    and removes those of earlier states. Run by the writer (under the ingest lock) after an
    ingest or an optimize.
    """
    from .postingstore import load as write_postings  # numpy: loaded by writers only

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
            write_postings(folder, leaf, upgrade=True)  # (a file of an older version is rewritten)
    with index.searcher() as searcher:
        key = spellings_key(searcher)
        if key is not None and "people" in names:
            person_spellings(searcher, folder)
            current.add(spellings_path(folder, key).name)
        for name in names if key is not None else ():
            if name in FIELD_NAMES:
                folded_values(searcher, name, folder)
                current.add(f"{TERMS_PREFIX}{name}.{key}.v{SPELLINGS_VERSION}")
    try:
        entries = list((folder / SIDECAR_FOLDER).iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name not in current and entry.name.split(".", 1)[0] not in current:
            entry.unlink(missing_ok=True)
