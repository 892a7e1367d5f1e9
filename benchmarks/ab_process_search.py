"""Whole-process ``archive search`` of two code trees, each on its own index, runs alternating.

For a "before" whose index format differs from today's (``bench_scale.py --baseline`` needs one
index both trees read): each tree answers on the index it built from the same pile, and the runs
alternate A, B, A, B... so that both see the same machine load. Prints the p50 and p90 of each
query for each tree, and B's p50 over A's.

    .venv/bin/python benchmarks/ab_process_search.py --tree-a OLD --index-a OLD_INDEX \\
        --tree-b . --index-b NEW_INDEX [--runs 15]

Each run is ``python -c 'from archive.cli import main; main()' --index INDEX search QUERY`` with
``PYTHONPATH`` set to the tree (same interpreter, same start-up for both trees).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUERIES = (("one term", "government"), ("two-term AND", "government AND minister"), ("phrase", '"prime minister"'))


def run_once(tree: Path, index: Path, query: str) -> float:
    """Seconds of one whole ``archive search`` process of ``tree`` on ``index``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    command = [sys.executable, "-c", "from archive.cli import main; main()", "--index", str(index), "search", query]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{tree}: search {query!r} failed: {done.stderr.strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree-a", required=True, type=Path, help="checkout root of the first code (e.g. before)")
    parser.add_argument("--index-a", required=True, type=Path, help="index built by the first code")
    parser.add_argument("--tree-b", required=True, type=Path, help="checkout root of the second code (e.g. today)")
    parser.add_argument("--index-b", required=True, type=Path, help="index built by the second code")
    parser.add_argument("--runs", type=int, default=15, help="runs per tree and query [15]")
    args = parser.parse_args()
    trees = {"A": (args.tree_a.resolve(), args.index_a), "B": (args.tree_b.resolve(), args.index_b)}
    for name, (tree, index) in trees.items():
        print(f"{name}: {tree} on {index}")
    print(f"{'query':<14} {'A p50':>8} {'A p90':>8} {'B p50':>8} {'B p90':>8} {'B/A':>6}")
    for label, query in QUERIES:
        times: dict[str, list[float]] = {"A": [], "B": []}
        for name, (tree, index) in trees.items():
            run_once(tree, index, query)  # warm the page cache
        for _ in range(args.runs):
            for name, (tree, index) in trees.items():
                times[name].append(run_once(tree, index, query))
        p50 = {name: statistics.median(values) * 1000 for name, values in times.items()}
        p90 = {name: statistics.quantiles(values, n=10)[-1] * 1000 for name, values in times.items()}
        print(f"{label:<14} {p50['A']:>6.0f}ms {p90['A']:>6.0f}ms {p50['B']:>6.0f}ms {p90['B']:>6.0f}ms {p50['B'] / p50['A']:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
