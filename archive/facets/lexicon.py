"""Word lists for facet extraction, read lazily from the package's ``data/`` files.

Every list is loaded on first use and cached, so importing this module costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..folding import fold_key


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Lexicon:
    """The word lists mention detection and typing consult, keyed by :func:`fold_key`."""

    given_names: frozenset[str]
    roles: frozenset[str]
    role_max_words: int
    org_cues: frozenset[str]
    place_cues: frozenset[str]
    not_names: frozenset[str]
    non_person_words: frozenset[str]
    organizations: dict[str, str]
    organization_max_words: int
    place_given_names: frozenset[str] = frozenset()
    common_words: frozenset[str] = frozenset()

    def organization(self, name: str) -> str | None:
        """The canonical name of a well-known organization, by any of its aliases."""
        return self.organizations.get(fold_key(name))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read every word list once (cached)."""
    roles = {fold_key(line) for line in read_lines("roles.txt")}
    organizations: dict[str, str] = {}
    for line in read_lines("organizations.tsv"):
        names = [part.strip() for part in line.split("\t") if part.strip()]
        for alias in names:
            organizations.setdefault(fold_key(alias), names[0])
    return Lexicon(
        given_names=frozenset(fold_key(line) for line in read_lines("given_names.txt")),
        roles=frozenset(roles),
        role_max_words=max(len(role.split()) for role in roles),
        org_cues=frozenset(line.strip() for line in read_lines("org_cues.txt")),
        place_cues=frozenset(line.strip() for line in read_lines("place_cues.txt")),
        not_names=frozenset(fold_key(line) for line in read_lines("not_names.txt")),
        non_person_words=frozenset(fold_key(line) for line in read_lines("non_person_words.txt")),
        organizations=organizations,
        organization_max_words=max(len(alias.split()) for alias in organizations),
        place_given_names=frozenset(fold_key(line) for line in read_lines("place_given_names.txt")),
        common_words=frozenset(line.strip() for line in read_lines("common_words.txt")),
    )
