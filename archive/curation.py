"""Entity curation: merges, renames and drops of facet values, kept beside the index.

Curation lives in ``curation.json`` in the index folder, a small human-readable file::

    {
      "version": 1,
      "rename": {"*": {"US": "United States", "U.S.": "United States"}},
      "drop": {"people": ["He"]}
    }

``rename`` maps an indexed value (or the archive-wide spelling it is shown under) to the name
it is shown and searched as; several values renamed to one name are merged. ``drop`` hides
false entities. The key ``*`` applies to every facet; ``people`` and ``organizations`` also
apply to ``actors``. Values are matched ignoring case and accents. Nothing is re-indexed:
searches, facets, related names, completion and the web view apply the file when they read,
so curation takes effect at once and survives re-ingesting.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ArchiveError, BadQuery, IndexMissing
from .fields import ACTOR_PARTS, FIELD_NAMES, KIND_FIELDS
from .files import write_atomically
from .folding import fold_key
from .store import fingerprint, split_values

CURATION_FILE = "curation.json"
ALL_FIELDS = "*"


@dataclass(frozen=True)
class Curation:
    """The curation rules of one index: per facet field, renames and drops; and retypes, names
    moved to another kind of entity (applied to the index itself, see :func:`retyped`)."""

    rename: dict[str, dict[str, str]] = field(default_factory=dict)
    drop: dict[str, list[str]] = field(default_factory=dict)
    retype: dict[str, str] = field(default_factory=dict)  # name -> the field it belongs in

    def is_empty(self) -> bool:
        """Whether there is no rule at all."""
        return not any(self.rename.values()) and not any(self.drop.values())

    def _scopes(self, field_name: str) -> tuple[str, ...]:
        """The rule keys that apply to a field (its own, ``*``, and for actors people and organizations)."""
        scopes = [field_name, ALL_FIELDS]
        if field_name == "actors":
            scopes.extend(ACTOR_PARTS)
        return tuple(scopes)

    def applies_to(self, field_name: str) -> bool:
        """Whether any rule touches ``field_name``."""
        return any(self.rename.get(scope) or self.drop.get(scope) for scope in self._scopes(field_name))

    def display(self, field_name: str, value: str, *aliases: str) -> str | None:
        """The name ``value`` is shown under (None when dropped); ``aliases`` are other spellings of it."""
        keys = {fold_key(name) for name in (value, *aliases) if name}
        shown = value
        for scope in self._scopes(field_name):
            renames = {fold_key(old): new for old, new in self.rename.get(scope, {}).items()}
            found = next((renames[key] for key in (fold_key(value), *keys) if key in renames), None)
            if found is not None:
                shown = found
                break
        dropped = {fold_key(name) for scope in self._scopes(field_name) for name in self.drop.get(scope, [])}
        if keys & dropped or fold_key(shown) in dropped:
            return None
        return shown

    def as_json(self) -> dict[str, Any]:
        """The file's content."""
        return {
            "version": 1,
            "rename": {scope: dict(sorted(rules.items(), key=lambda item: item[0].casefold())) for scope, rules in sorted(self.rename.items()) if rules},
            "drop": {scope: sorted(set(names), key=str.casefold) for scope, names in sorted(self.drop.items()) if names},
            **({"retype": dict(sorted(self.retype.items(), key=lambda item: item[0].casefold()))} if self.retype else {}),
        }

    def rules(self) -> list[dict[str, str]]:
        """Every rule as a record: field, action, value and (for renames) the new name."""
        records = [
            {"field": scope, "action": "rename", "value": old, "into": new}
            for scope, rules in sorted(self.rename.items())
            for old, new in sorted(rules.items(), key=lambda item: item[0].casefold())
        ]
        records.extend(
            {"field": scope, "action": "drop", "value": name, "into": ""}
            for scope, names in sorted(self.drop.items())
            for name in sorted(names, key=str.casefold)
        )
        records.extend(
            {"field": target, "action": "retype", "value": name, "into": ""}
            for name, target in sorted(self.retype.items(), key=lambda item: item[0].casefold())
        )
        return records


def curation_path(index_path: str | os.PathLike[str]) -> Path:
    """Where an index's curation file is."""
    return Path(index_path) / CURATION_FILE


def load_curation(index_path: str | os.PathLike[str]) -> Curation:
    """The curation of the index at ``index_path`` (empty when it has no file)."""
    path = curation_path(index_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Curation()
    except (OSError, ValueError) as error:
        raise ArchiveError(f"cannot read the curation file {path}: {error}") from error
    if not isinstance(data, dict):
        raise ArchiveError(f"cannot read the curation file {path}: expected a JSON object")
    rename = data.get("rename") or {}
    drop = data.get("drop") or {}
    retype = data.get("retype") or {}
    if not isinstance(rename, dict) or not isinstance(drop, dict) or not isinstance(retype, dict):
        raise ArchiveError(f"cannot read the curation file {path}: 'rename', 'drop' and 'retype' must be objects")
    try:
        return Curation(
            rename={str(scope): {str(old): str(new) for old, new in rules.items()} for scope, rules in rename.items()},
            drop={str(scope): [str(name) for name in names] for scope, names in drop.items()},
            retype={str(name): str(target) for name, target in retype.items() if str(target) in KIND_FIELDS.values()},
        )
    except (AttributeError, TypeError) as error:
        raise ArchiveError(f"cannot read the curation file {path}: {error}") from error


def save_curation(index_path: str | os.PathLike[str], curation: Curation) -> Path:
    """Write the curation file atomically; returns its path."""
    folder = Path(index_path)
    if not folder.is_dir():
        raise IndexMissing(f"no index at {folder}: run 'archive ingest PATH...' first (or pass --index)")
    path = curation_path(folder)
    try:
        write_atomically(path, json.dumps(curation.as_json(), ensure_ascii=False, indent=2) + "\n")
    except OSError as error:
        raise ArchiveError(f"cannot write the curation file {path}: {error.strerror or error}") from error
    return path


def _scope(field_name: str | None) -> str:
    """The rule key for an optional ``--field``."""
    if field_name is None:
        return ALL_FIELDS
    if field_name not in FIELD_NAMES:
        raise BadQuery(f"unknown facet {field_name!r}: choose from {', '.join(FIELD_NAMES)}")
    return field_name


def _check_name(name: str, what: str) -> str:
    """A non-empty, one-line name."""
    cleaned = " ".join(name.split())
    if not cleaned or "," in cleaned:
        raise ArchiveError(f"{what} {name!r} must be a non-empty name without commas")
    return cleaned


def merge(curation: Curation, values: Iterable[str], into: str, field_name: str | None = None) -> Curation:
    """Curation with every one of ``values`` shown as ``into`` (a rename is a merge of one)."""
    scope = _scope(field_name)
    target = _check_name(into, "name")
    names = [_check_name(value, "value") for value in values]
    if not names:
        raise ArchiveError("name at least one value to merge")
    rename = {key: dict(rules) for key, rules in curation.rename.items()}
    rules = rename.setdefault(scope, {})
    for name in names:
        for old in [old for old in rules if fold_key(old) == fold_key(name)]:
            del rules[old]
        if fold_key(name) != fold_key(target):
            rules[name] = target
    # values already renamed to one of the merged names follow them
    for old, new in list(rules.items()):
        if any(fold_key(new) == fold_key(name) for name in names):
            rules[old] = target
    drop = {key: [name for name in dropped if fold_key(name) != fold_key(target)] for key, dropped in curation.drop.items()}
    return Curation(rename=rename, drop=drop)


def drop_values(curation: Curation, values: Iterable[str], field_name: str | None = None) -> Curation:
    """Curation with ``values`` hidden (false entities such as "He")."""
    scope = _scope(field_name)
    drop = {key: list(names) for key, names in curation.drop.items()}
    dropped = drop.setdefault(scope, [])
    for value in values:
        name = _check_name(value, "value")
        if all(fold_key(name) != fold_key(other) for other in dropped):
            dropped.append(name)
    return Curation(rename=curation.rename, drop=drop)


def forget(curation: Curation, values: Iterable[str], field_name: str | None = None) -> tuple[Curation, int]:
    """Curation without the rules about ``values`` (renames from or to them, drops); and how many went.

    With ``field_name`` only that facet's rules go; without it, the rules about ``values``
    whatever facet they are for (``--field`` given when the rule was made or not).
    """
    keys = {fold_key(value) for value in values}
    removed = 0
    rename = {key: dict(rules) for key, rules in curation.rename.items()}
    drop = {key: list(names) for key, names in curation.drop.items()}
    scopes = [_scope(field_name)] if field_name else sorted(set(rename) | set(drop))
    for scope in scopes:
        for old, new in list(rename.get(scope, {}).items()):
            if fold_key(old) in keys or fold_key(new) in keys:
                del rename[scope][old]
                removed += 1
        kept = [name for name in drop.get(scope, []) if fold_key(name) not in keys]
        removed += len(drop.get(scope, [])) - len(kept)
        if scope in drop:
            drop[scope] = kept
    return Curation(rename=rename, drop=drop), removed


def retype(curation: Curation, name: str, kind: str) -> Curation:
    """The curation with ``name`` kept as a ``kind`` of entity (person, organization, place)
    from now on: :func:`retyped` moves it into that field in every document it is in."""
    if kind not in KIND_FIELDS:
        raise BadQuery(f"unknown kind {kind!r}: choose from {', '.join(KIND_FIELDS)}")
    _check_name(name, "name")
    rules = {old: target for old, target in curation.retype.items() if fold_key(old) != fold_key(name)}
    rules[name] = KIND_FIELDS[kind]
    return Curation(rename=curation.rename, drop=curation.drop, retype=rules)


def retyped(document: dict[str, Any], rules: dict[str, str]) -> dict[str, Any]:
    """An index document with each name a retype rule covers moved into the rule's field
    (once; actors follow people and organizations, the fingerprint follows the content)."""
    wanted = {fold_key(name): target for name, target in rules.items()}
    kept = tuple(KIND_FIELDS.values())
    lists = {name: split_values(document.get(name)) for name in kept}
    moved = False
    for source in kept:
        for value in list(lists[source]):
            target = wanted.get(fold_key(value))
            if target is None or target == source:
                continue
            lists[source].remove(value)
            if all(fold_key(other) != fold_key(value) for other in lists[target]):
                lists[target].append(value)
            moved = True
    if not moved:
        return document
    updated = {**document, **{name: ",".join(values) for name, values in lists.items()}}
    people, organizations = lists[ACTOR_PARTS[0]], lists[ACTOR_PARTS[1]]
    updated["actors"] = ",".join(people + [name for name in organizations if name not in people])
    updated["fingerprint"] = fingerprint(updated)
    return updated
