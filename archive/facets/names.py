"""Canonical names within one article.

People are merged so that each appears once under the fullest name the article gives:
"Gantz", "GANTZ" and "Benny Gantz" are one person, "Benny Gantz". Single words left unresolved by
typing become people only when they name someone mentioned in full. Facet lists are ordered by
how often the article mentions each name, then by first mention.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .entities import COUNTRY, ORGANIZATION, PERSON, PLACE, UNRESOLVED, Mention
from .lexicon import fold_key


@dataclass(frozen=True)
class ResolvedNames:
    """The canonical names of one article, each list in order of salience."""

    people: list[str]
    organizations: list[str]
    places: list[str]
    countries: list[str]


def display_name(name: str) -> str:
    """A name as shown: commas removed, spaces tidied."""
    return " ".join(name.replace(",", " ").split())


def person_name(name: str) -> str:
    """A person's name as shown: headline capitals ("GANTZ") turned to title case."""
    words = display_name(name).split()
    return " ".join(word.capitalize() if word.isupper() and len(word) > 3 else word for word in words)


def resolve_mentions(mentions: list[Mention]) -> ResolvedNames:
    """Merge one article's typed mentions into canonical facet values."""
    people = _resolve_people(mentions)
    organizations = Counter()
    places = Counter()
    countries = Counter()
    first_seen: dict[tuple[str, str], int] = {}
    person_keys = {fold_key(name) for name in people}
    for mention in mentions:
        name = display_name(mention.name)
        if mention.kind == ORGANIZATION and fold_key(name) not in person_keys:
            organizations[name] += 1
            first_seen.setdefault((ORGANIZATION, name), mention.start)
        elif mention.kind == PLACE:
            places[name] += 1
            first_seen.setdefault((PLACE, name), mention.start)
            if mention.place_country:
                countries[mention.place_country] += 1
                first_seen.setdefault((COUNTRY, mention.place_country), mention.start)
        elif mention.kind == COUNTRY:
            countries[name] += 1
            first_seen.setdefault((COUNTRY, name), mention.start)

    def ordered(counts: Counter, kind: str) -> list[str]:
        return sorted(counts, key=lambda name: (-counts[name], first_seen[(kind, name)]))

    return ResolvedNames(
        people=sorted(people, key=lambda name: (-people[name][0], people[name][1])),
        organizations=ordered(organizations, ORGANIZATION),
        places=ordered(places, PLACE),
        countries=ordered(countries, COUNTRY),
    )


def _resolve_people(mentions: list[Mention]) -> dict[str, tuple[int, int]]:
    """People of the article: canonical name → (mention count, first offset)."""
    candidates = [m for m in mentions if m.kind in (PERSON, UNRESOLVED)]
    named = [person_name(m.name) for m in candidates if m.kind == PERSON]
    full_names = sorted({name for name in named if len(name.split()) > 1}, key=lambda n: -len(n.split()))
    frequency = Counter(named)
    canonical: dict[str, str] = {}
    for name in full_names:
        canonical.setdefault(fold_key(name), name)
        _map_parts(name, full_names, frequency, canonical)
    for name in named:
        canonical.setdefault(fold_key(name), name)
    result: dict[str, tuple[int, int]] = {}
    for mention in candidates:
        key = fold_key(person_name(mention.name))
        target = canonical.get(key)
        if target is None:
            continue
        count, first = result.get(target, (0, mention.start))
        result[target] = (count + 1, min(first, mention.start))
    return result


def _map_parts(name: str, full_names: list[str], frequency: Counter, canonical: dict[str, str]) -> None:
    """Map the shorter forms of ``name`` (surname, given name, partial runs) onto the fullest name."""
    words = name.split()
    for size in range(1, len(words)):
        for part in (words[-size:], words[:size]):
            key = fold_key(" ".join(part))
            if key in canonical:
                continue
            owners = [full for full in full_names if _has_run(full.split(), part)]
            if owners:
                canonical[key] = max(owners, key=lambda full: (frequency[full], len(full.split())))


def _has_run(words: list[str], part: list[str]) -> bool:
    """Whether ``part`` is the start or the end of ``words`` (case-insensitively)."""
    folded = [fold_key(word) for word in words]
    wanted = [fold_key(word) for word in part]
    size = len(wanted)
    return folded[:size] == wanted or folded[-size:] == wanted
