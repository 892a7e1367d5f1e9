"""The completion cache: each facet's shown names with their article counts, kept in
``completions.json`` beside the index so that a shell TAB answers without importing Whoosh or
counting postings again.

The cache is valid for one index state and one curation file: its key is the name of the
index's newest table of contents (``_MAIN_<generation>.toc``, a new one each commit) and the
size and modification time of ``curation.json``. :func:`archive.reader.completions` fills it
and ranks through :func:`rank`; the command line's completion reads it first
(:func:`cached_completions`) and opens the index only when it is missing or stale.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .files import write_atomically
from .folding import fold_key

CACHE_NAME = "completions.json"
CURATION_NAME = "curation.json"


def state_key(folder: str | os.PathLike[str]) -> str | None:
    """What identifies the index state and curation now (None when there is no index)."""
    location = Path(folder)
    try:
        tocs = sorted((name for name in os.listdir(location) if name.endswith(".toc")), key=_generation)
    except OSError:
        return None
    if not tocs:
        return None
    try:
        info = (location / CURATION_NAME).stat()
        curation = f"{info.st_mtime_ns}:{info.st_size}"
    except OSError:
        curation = "-"
    return f"{tocs[-1]}|{curation}"


def _generation(name: str) -> int:
    """The generation number of a ``_MAIN_<n>.toc`` file name (-1 when it has none)."""
    digits = name.rsplit("_", 1)[-1].split(".", 1)[0]
    return int(digits) if digits.isdigit() else -1


def load(folder: str | os.PathLike[str], field_name: str, key: str | None = None) -> dict[str, int] | None:
    """The cached counts of a field's shown names, if the cache is of the index state ``key``
    (now, by default); None when missing, stale or unreadable."""
    key = key or state_key(folder)
    if key is None:
        return None
    try:
        data = json.loads((Path(folder) / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("state") != key:
        return None
    fields = data.get("fields")
    found = fields.get(field_name) if isinstance(fields, dict) else None
    return found if isinstance(found, dict) else None


def store(folder: str | os.PathLike[str], key: str, field_name: str, counts: dict[str, int]) -> None:
    """Keep a field's counts for the index state ``key`` (other fields of that state are kept;
    a cache that cannot be written is simply not kept)."""
    path = Path(folder) / CACHE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict) or data.get("state") != key or not isinstance(data.get("fields"), dict):
        data = {"state": key, "fields": {}}
    data["fields"][field_name] = counts
    try:
        write_atomically(path, json.dumps(data, ensure_ascii=False))
    except OSError:
        pass


def rank(counts: dict[str, int], incomplete: str, limit: int = 50) -> list[str]:
    """Names starting with ``incomplete`` (case and accents aside), then names with a word that
    does, most frequent first."""
    wanted = fold_key(incomplete) if incomplete.strip() else ""
    ranked = []
    for name, count in counts.items():
        key = fold_key(name)
        if not wanted or key.startswith(wanted):
            ranked.append((0, -count, name))
        elif any(word.startswith(wanted) for word in key.split()):
            ranked.append((1, -count, name))
    ranked.sort(key=lambda item: (item[0], item[1], item[2].casefold()))
    return [name for _, _, name in ranked[:limit]]


def cached_completions(folder: str | os.PathLike[str], field_name: str, incomplete: str) -> list[str] | None:
    """Completions from the cache alone (None when it cannot answer)."""
    counts = load(folder, field_name)
    return None if counts is None else rank(counts, incomplete)
