"""Language names people type for the ``--language`` filter: ``German``, ``deutsch`` or
``deu`` become ``de``, the code articles are indexed under.

The table is ``data/languages.tsv`` (code, then names), read once on first use.
"""

from __future__ import annotations

import functools
from importlib import resources


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every name and three-letter code in the table, lowercased, mapped to its two-letter code."""
    table: dict[str, str] = {}
    text = resources.files(__package__).joinpath("data", "languages.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, *names = line.split("\t")
        for name in (code, *names):
            table[name.strip().casefold()] = code
    return table


def language_code(value: str) -> str:
    """The two-letter code for a language name or code (``French`` → ``fr``, ``en-GB`` → ``en``);
    a value the table does not know is returned as it was given."""
    key = " ".join(value.split()).casefold().replace("_", "-")
    names = _names()
    if key in names:
        return names[key]
    primary = key.split("-", 1)[0]
    return names.get(primary, value) if len(primary) in (2, 3) and primary != key else value
