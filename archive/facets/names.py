"""Canonical names within one article.

People are merged so that each appears once under the fullest name the article gives:
"Gantz", "GANTZ" and "Benny Gantz" are one person, "Benny Gantz". Single words left unresolved by
typing become people only when they name someone mentioned in full. Facet lists are ordered by
how often the article mentions each name, then by first mention. The forms the article actually
wrote are kept beside the canonical names ("U.S." and "US" for United States).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .entities import COUNTRY, ORGANIZATION, PERSON, PLACE, UNRESOLVED, Mention
from .lexicon import fold_key

ROMAN_NUMERAL = re.compile(r"^[IVXLC]+$")  # "Leo XIII", "Charles III": kept in capitals


@dataclass
class Tally:
    """Canonical names of one kind with mention counts, first offsets and written forms."""

    counts: Counter = field(default_factory=Counter)
    first: dict[str, int] = field(default_factory=dict)
    written: dict[str, set[str]] = field(default_factory=dict)

    def add(self, name: str, start: int, surface: str) -> None:
        """Count one mention of ``name`` written as ``surface``."""
        self.counts[name] += 1
        self.first[name] = min(start, self.first.get(name, start))
        self.written.setdefault(name, set()).add(surface)

    def ordered(self) -> list[str]:
        """Names by mention count, then first mention."""
        return sorted(self.counts, key=lambda name: (-self.counts[name], self.first[name]))

    def surfaces(self) -> list[str]:
        """Every distinct written form, sorted."""
        return sorted({surface for forms in self.written.values() for surface in forms})


@dataclass(frozen=True)
class ResolvedNames:
    """The canonical names of one article, each list in order of salience.

    ``written`` maps people, organizations and places to the distinct forms the article used.
    """

    people: list[str]
    organizations: list[str]
    places: list[str]
    countries: list[str]
    written: dict[str, list[str]]


def display_name(name: str) -> str:
    """A name as shown: commas removed, spaces tidied."""
    return " ".join(name.replace(",", " ").split())


def person_name(name: str) -> str:
    """A person's name as shown: headline capitals ("GANTZ") turned to title case."""
    words = display_name(name).split()
    return " ".join(word.capitalize() if word.isupper() and len(word) > 3 and not ROMAN_NUMERAL.match(word) else word for word in words)


def resolve_mentions(mentions: list[Mention]) -> ResolvedNames:
    """Merge one article's typed mentions into canonical facet values."""
    people = _resolve_people(mentions)
    organizations, places, countries = Tally(), Tally(), Tally()
    person_keys = {fold_key(name) for name in people.counts}
    team_names = {
        fold_key(mention.surface or mention.name): display_name(mention.name)
        for mention in mentions
        if mention.team
    }
    for mention in mentions:
        name = display_name(mention.name)
        surface = display_name(mention.surface or mention.name)
        if mention.kind == PLACE and fold_key(surface) in team_names and not surface.isupper():
            # one sense per article: a club named after its city in a results table is that
            # club in the prose too; datelines in capitals stay places
            organizations.add(team_names[fold_key(surface)], mention.start, surface)
        elif mention.kind == ORGANIZATION and fold_key(name) not in person_keys:
            organizations.add(name, mention.start, surface)
        elif mention.kind == PLACE:
            places.add(name, mention.start, surface)
            if mention.place_country:
                countries.add(mention.place_country, mention.start, surface)
        elif mention.kind == COUNTRY:
            countries.add(name, mention.start, surface)
    return ResolvedNames(
        people=people.ordered(),
        organizations=organizations.ordered(),
        places=places.ordered(),
        countries=countries.ordered(),
        written={"people": people.surfaces(), "organizations": organizations.surfaces(), "places": places.surfaces()},
    )


def _resolve_people(mentions: list[Mention]) -> Tally:
    """People of the article under their canonical names."""
    candidates = [m for m in mentions if m.kind in (PERSON, UNRESOLVED)]
    named = [person_name(m.name) for m in candidates if m.kind == PERSON]
    # Longest first; names of one length stay in the order the article gives them (a set's order
    # would depend on the hash seed and change the facet order from one run to the next).
    full_names = sorted(dict.fromkeys(name for name in named if len(name.split()) > 1), key=lambda n: -len(n.split()))
    frequency = Counter(named)
    canonical: dict[str, str] = {}
    folded_names = [(full, [fold_key(word) for word in full.split()]) for full in full_names]
    for name, words in folded_names:
        canonical.setdefault(" ".join(words), name)
        _map_parts(words, folded_names, frequency, canonical)
    for name in named:
        canonical.setdefault(fold_key(name), name)
    people = Tally()
    for mention in candidates:
        written = person_name(mention.surface or mention.name)
        target = canonical.get(fold_key(person_name(mention.name)))
        if target is not None:
            people.add(target, mention.start, written)
    return people


def _map_parts(
    words: list[str], folded_names: list[tuple[str, list[str]]], frequency: Counter, canonical: dict[str, str]
) -> None:
    """Map the shorter forms of a full name (its folded ``words``: surname, given name, partial
    runs) onto the fullest name of the article that starts or ends with them."""
    for size in range(1, len(words)):
        for part in (words[-size:], words[:size]):
            key = " ".join(part)
            if key in canonical:
                continue
            owners = [full for full, folded in folded_names if folded[:size] == part or folded[-size:] == part]
            if owners:
                canonical[key] = max(owners, key=lambda full: (frequency[full], len(full.split())))
