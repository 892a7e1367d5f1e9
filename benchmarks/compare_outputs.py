"""Same answers before and after: run the same queries through this checkout's library and a
baseline tree's (e.g. the commit before the posting arrays) on one index, and compare hit ids
in order, totals, facet counts over all hits and timelines.

    .venv/bin/python benchmarks/compare_outputs.py --index ~/.cache/archive-bench/index-10000 --baseline /tmp/base

Queries: body words drawn from the index (one word, two-word AND, OR, a stemmed phrase,
``NOT``), with and without a person filter. Prints the number of queries compared and every
difference.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

WORKER = """
import json, sys
from archive import api
from archive.query import Filters
index, queries = sys.argv[1], json.loads(sys.argv[2])
out = []
with api.Archive(index) as archive:
    person = archive.facets("people", "said")[0][0].split()[-1]
    for text, filtered in queries:
        filters = Filters(values={"people": (person,)}) if filtered else Filters()
        result = archive.search(text, filters=filters, limit=20)
        out.append({
            "query": text, "filtered": filtered, "total": result.total,
            "ids": [hit.fields["id"] for hit in result.hits],
            "scores": [round(hit.score, 6) if hit.score is not None else None for hit in result.hits],
            "people": archive.facets("people", text, filters=filters)[:50],
            "timeline": archive.timeline(text, filters=filters, by="year").periods,
        })
print(json.dumps(out))
"""


def run(tree: str | None, index: str, queries: list[tuple[str, bool]]) -> list[dict]:
    """The worker's answers with this checkout's code, or ``tree``'s."""
    prefix = ""
    if tree:
        prefix = (
            "import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
            f"sys.path.insert(0, {str(Path(tree).resolve())!r})\n"
        )
    done = subprocess.run([sys.executable, "-c", prefix + WORKER, index, json.dumps(queries)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--baseline", required=True, metavar="TREE")
    parser.add_argument("--count", type=int, default=40, help="words drawn [40]")
    args = parser.parse_args()
    from archive.store import open_index

    with open_index(args.index).searcher() as searcher:
        total = searcher.doc_count()
        words = sorted(
            raw.decode() for raw in searcher.lexicon("body")
            if raw.isalpha() and len(raw) > 3 and total * 0.005 <= searcher.doc_frequency("body", raw.decode()) <= total * 0.3
        )
    generator = random.Random(16)
    chosen = generator.sample(words, min(args.count, len(words)))
    queries: list[tuple[str, bool]] = []
    for number, word in enumerate(chosen):
        other = chosen[(number + 1) % len(chosen)]
        for text in (word, f"{word} {other}", f"{word} OR {other}", f'"{word} {other}"', f"{word} NOT {other}"):
            queries.append((text, number % 4 == 0))
    before, after = run(args.baseline, args.index, queries), run(None, args.index, queries)
    differences = 0
    for old, new in zip(before, after):
        for key in ("total", "ids", "scores", "people", "timeline"):
            if old[key] != new[key]:
                differences += 1
                print(f"{old['query']!r} (filtered: {old['filtered']}): {key} differs: before {str(old[key])[:200]} after {str(new[key])[:200]}")
    print(f"{len(queries)} queries compared (hits in order with scores, totals, people counts, yearly timeline): {differences} differences")


if __name__ == "__main__":
    main()
