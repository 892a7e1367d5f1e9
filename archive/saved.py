"""Saved searches: a query and filters under a name, kept in ``saved.json`` beside the index.

Each saved search remembers the ids of the articles it matched when it was last run, so
``archive saved NAME --new`` shows only what has arrived since. The file is JSON, written
atomically, and survives re-ingesting::

    {"version": 1, "searches": {"gantz": {"query": null, "filters": {"people": ["gantz"]},
     "since": null, "until": null, "sort": null, "saved": "2024-07-01T10:00:00",
     "last_run": "2024-07-02T09:00:00", "seen": ["1c43ff30e2fac502", ...]}}}
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .dates import parse_bound
from .errors import ArchiveError, IndexMissing, NotFound
from .fields import option_of
from .files import write_atomically
from .query import Filters

SAVED_FILE = "saved.json"
NAME_PATTERN = re.compile(r"^[\w][\w.-]{0,63}$")


@dataclass(frozen=True)
class SavedSearch:
    """A named query with its filters, and what it matched when last run."""

    name: str
    query: str | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None
    sort: str | None = None
    saved: str = ""
    last_run: str | None = None
    seen: tuple[str, ...] = ()

    def as_filters(self) -> Filters:
        """The saved filters as a :class:`Filters`."""
        return Filters(
            values={name: tuple(values) for name, values in self.filters.items() if values},
            since=parse_bound(self.since) if self.since else None,
            until=parse_bound(self.until, end=True) if self.until else None,
        )

    def describe(self) -> str:
        """The search as command-line arguments, for listings."""
        parts = [repr(self.query)] if self.query else []
        for name, values in self.filters.items():
            parts.extend(f"--{option_of(name)} {value!r}" for value in values)
        if self.since:
            parts.append(f"--since {self.since}")
        if self.until:
            parts.append(f"--until {self.until}")
        if self.sort:
            parts.append(f"--sort {self.sort}")
        return " ".join(parts) or "(everything)"

    def as_dict(self) -> dict[str, Any]:
        """The record stored in the file (without the name)."""
        return {
            "query": self.query,
            "filters": self.filters,
            "since": self.since,
            "until": self.until,
            "sort": self.sort,
            "saved": self.saved,
            "last_run": self.last_run,
            "seen": list(self.seen),
        }


def saved_path(index_path: str | os.PathLike[str]) -> Path:
    """Where an index's saved searches are."""
    return Path(index_path) / SAVED_FILE


def load_saved(index_path: str | os.PathLike[str]) -> dict[str, SavedSearch]:
    """Every saved search of an index, by name (none when there is no file)."""
    path = saved_path(index_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        searches = data.get("searches", {})
        return {
            name: SavedSearch(
                name=name,
                query=record.get("query"),
                filters={key: list(values) for key, values in (record.get("filters") or {}).items()},
                since=record.get("since"),
                until=record.get("until"),
                sort=record.get("sort"),
                saved=record.get("saved", ""),
                last_run=record.get("last_run"),
                seen=tuple(record.get("seen") or ()),
            )
            for name, record in searches.items()
        }
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, AttributeError, TypeError) as error:
        raise ArchiveError(f"cannot read the saved searches in {path}: {error}") from error


def _write(index_path: str | os.PathLike[str], searches: dict[str, SavedSearch]) -> None:
    """Write the file atomically."""
    folder = Path(index_path)
    if not folder.is_dir():
        raise IndexMissing(f"no index at {folder}: run 'archive ingest PATH...' first (or pass --index)")
    path = saved_path(folder)
    data = {"version": 1, "searches": {name: searches[name].as_dict() for name in sorted(searches)}}
    try:
        write_atomically(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    except OSError as error:
        raise ArchiveError(f"cannot write the saved searches in {path}: {error.strerror or error}") from error


def check_name(name: str) -> str:
    """A saved search's name: letters, digits, ``_``, ``.`` and ``-``."""
    if not NAME_PATTERN.match(name):
        raise ArchiveError(f"bad name {name!r} for a saved search: use letters, digits, '_', '.' and '-'")
    return name


def save_search(
    index_path: str | os.PathLike[str],
    name: str,
    query: str | None,
    filters: Filters,
    *,
    sort: str | None = None,
    seen: list[str] | None = None,
) -> SavedSearch:
    """Save (or replace) a search under ``name``; ``seen`` are the ids it matches now."""
    searches = load_saved(index_path)
    now = datetime.now().isoformat(timespec="seconds")
    saved = SavedSearch(
        name=check_name(name),
        query=query,
        filters={key: list(values) for key, values in filters.values.items() if values},
        since=filters.since.isoformat() if filters.since else None,
        until=filters.until.isoformat() if filters.until else None,
        sort=sort,
        saved=now,
        last_run=now if seen is not None else None,
        seen=tuple(seen or ()),
    )
    searches[name] = saved
    _write(index_path, searches)
    return saved


def get_search(index_path: str | os.PathLike[str], name: str) -> SavedSearch:
    """One saved search by name."""
    searches = load_saved(index_path)
    if name not in searches:
        known = ", ".join(sorted(searches)) or "none yet; save one with 'archive search ... --save NAME'"
        raise NotFound(f"no saved search called {name!r} (saved: {known})")
    return searches[name]


def mark_run(index_path: str | os.PathLike[str], name: str, ids: list[str]) -> SavedSearch:
    """Record that the search ran now and matched ``ids``."""
    searches = load_saved(index_path)
    current = get_search(index_path, name)
    updated = SavedSearch(**{**current.__dict__, "last_run": datetime.now().isoformat(timespec="seconds"), "seen": tuple(ids)})
    searches[name] = updated
    _write(index_path, searches)
    return updated


def delete_search(index_path: str | os.PathLike[str], name: str) -> None:
    """Forget a saved search."""
    searches = load_saved(index_path)
    get_search(index_path, name)
    del searches[name]
    _write(index_path, searches)

