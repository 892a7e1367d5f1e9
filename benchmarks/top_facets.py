"""Print the most frequent people, organizations and places of a pile of articles, to read for non-entities.

Issue 19 asks that the top 50 values of ``archive facets people``, ``organizations`` and
``places`` hold no non-entity (companies or clubs as people, captions, roles, facilities,
function words, datelines) on the product's own corpus and on an ingest of the shared BBC
topic set. This script prints those lists so the check can be re-run after any change.

Two ways to get the lists:

* default: read the files (any format ``archive ingest`` reads: folders, .txt/.md/.html/.json/
  .jsonl), clean and extract each article in this process, and count articles per value (no
  index needed; the archive-wide person merge of the index is not applied);
* ``--index DIR``: ask an existing index through the CLI (``archive --index DIR facets FIELD``),
  which is what users see.

Usage::

    .venv/bin/python benchmarks/top_facets.py ../shared/data/topic-gold/articles.jsonl corpus/
    .venv/bin/python benchmarks/top_facets.py --index /tmp/wt19-bbc
    .venv/bin/python benchmarks/top_facets.py --limit 100 --field people corpus/
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIELDS = ("people", "organizations", "places")


def count_files(paths: list[Path], fields: tuple[str, ...]) -> tuple[int, dict[str, Counter]]:
    """Articles read from ``paths`` and, per field, how many articles name each value."""
    from archive.clean import clean_record
    from archive.facets.extract import extract_facets
    from archive.sources import SourceError, find_files, iter_records

    counts = {field: Counter() for field in fields}
    articles = 0
    for path in paths:
        files = [path] if path.is_file() else [item for item in find_files([path]) if isinstance(item, Path)]
        for file in files:
            for record in iter_records(file):
                if isinstance(record, SourceError):
                    continue
                facets = extract_facets(clean_record(record))
                articles += 1
                for field in fields:
                    counts[field].update(set(getattr(facets, field)))
    return articles, counts


def print_index(index: Path, fields: tuple[str, ...], limit: int) -> int:
    """Print ``archive facets FIELD`` of an existing index for each field."""
    status = 0
    for field in fields:
        print(f"== {field} (top {limit}, archive --index {index} facets {field})")
        result = subprocess.run(
            [str(Path(sys.executable).parent / "archive"), "--index", str(index), "facets", field, "--limit", str(limit)],
            capture_output=True, text=True, check=False,
        )
        print(result.stdout.rstrip())
        if result.returncode:
            print(result.stderr.rstrip(), file=sys.stderr)
            status = result.returncode
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders of articles")
    parser.add_argument("--index", type=Path, help="read the counts from this index through the CLI instead")
    parser.add_argument("--field", choices=FIELDS, action="append", help="only these fields (repeatable)")
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args()
    fields = tuple(args.field or FIELDS)
    if args.index:
        return print_index(args.index, fields, args.limit)
    if not args.paths:
        parser.error("give files or folders, or --index")
    missing = [path for path in args.paths if not path.exists()]
    if missing:
        print(f"not found: {', '.join(map(str, missing))} (the shared data lives in ../shared/data)", file=sys.stderr)
        return 2
    articles, counts = count_files(args.paths, fields)
    print(f"{articles} articles from {', '.join(map(str, args.paths))}")
    for field in fields:
        print(f"== {field} (top {args.limit}: articles naming it)")
        for rank, (value, count) in enumerate(counts[field].most_common(args.limit), 1):
            print(f"{rank:3d} {count:5d}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
