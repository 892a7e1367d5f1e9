"""Archive-wide canonical names: one spelling for a person however articles wrote them.

Within an article, names are already canonical ("Gantz" → "Benny Gantz"). Across articles the
same person may appear as "Netanyahu" (an article that never gives the full name), "Benjamin
Netanyahu" and "Binyamin Netanyahu". Names are grouped when the evidence supports it:

- a one-word name joins the single longer name it ends or starts with, when there is exactly
  one such name in the archive (two different "Harris" leave "Harris" alone);
- names with the same surname and given names spelled nearly alike (an edit distance of at most
  two, both at least five letters long) are one person.

Each group is shown under its fullest well-attested name (:func:`fullest_name`): never a
surname alone when the full name is known. Standard library only.
"""

from __future__ import annotations

from collections import defaultdict

from .lexicon import fold_key

MIN_GIVEN_NAME = 5
MAX_SPELLING_DISTANCE = 2


def canonical_names(counts: dict[str, int]) -> dict[str, str]:
    """Map every name to the spelling its group is shown under (itself when alone)."""
    keys = {name: fold_key(name).split() for name in counts}
    parent = {name: name for name in counts}

    def find(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def union(first: str, second: str) -> None:
        parent[find(first)] = find(second)

    by_surname: dict[str, list[str]] = defaultdict(list)
    for name, words in keys.items():
        if len(words) > 1:
            by_surname[words[-1]].append(name)
    for names in by_surname.values():
        for index, first in enumerate(names):
            for second in names[index + 1:]:
                if _same_given_name(keys[first][:-1], keys[second][:-1]):
                    union(first, second)
    longer_by_part: dict[str, set[str]] = defaultdict(set)
    for name, words in keys.items():
        if len(words) > 1:
            longer_by_part[words[-1]].add(find(name))
            longer_by_part[words[0]].add(find(name))
    for name, words in keys.items():
        if len(words) == 1 and len(longer_by_part.get(words[0], ())) == 1:
            union(name, next(iter(longer_by_part[words[0]])))
    groups: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        groups[find(name)].append(name)
    shown: dict[str, str] = {}
    for members in groups.values():
        full = [(name, counts[name]) for name in members if len(keys[name]) > 1]
        best = fullest_name(full or [(name, counts[name]) for name in members])
        for name in members:
            shown[name] = best
    return shown


def _same_given_name(first: list[str], second: list[str]) -> bool:
    """Whether two given-name word lists are one name spelled alike ("binyamin" ~ "benjamin")."""
    if first == second:
        return True
    if len(first) != len(second):
        return False
    return all(
        a == b or min(len(a), len(b)) >= MIN_GIVEN_NAME and _distance(a, b) <= MAX_SPELLING_DISTANCE
        for a, b in zip(first, second)
    )


def _distance(first: str, second: str) -> int:
    """Levenshtein edit distance."""
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


WELL_ATTESTED_SHARE = 0.2


def fullest_name(counted: list[tuple[str, int]]) -> str:
    """The name to show for one person written several ways: the fullest well-attested one.

    ``counted`` holds (name, count) pairs for one person ("Harris" 32, "Kamala Harris" 20). A
    name is well attested when its count is at least a fifth of the most frequent name's; of
    those, the one with most words wins (a surname alone never beats a known full name), then
    the more frequent, then the alphabetically first. A rare longer variant ("Kamala Devi
    Harris" once) does not displace the usual full name.
    """
    if not counted:
        raise ValueError("fullest_name needs at least one (name, count) pair")
    top = max(count for _, count in counted)
    attested = [(name, count) for name, count in counted if count >= WELL_ATTESTED_SHARE * top]
    return min(attested, key=lambda pair: (-len(pair[0].split()), -pair[1], pair[0]))[0]
