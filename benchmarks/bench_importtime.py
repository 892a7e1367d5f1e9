"""Start-up of the command line: the cumulative ``python -X importtime`` time of ``archive.cli``
for one or more source trees, runs alternated, median of N.

Usage (the trees' roots, e.g. made with ``git archive COMMIT | tar -x -C DIR``)::

    flock /tmp/archive-bench.lock .venv/bin/python benchmarks/bench_importtime.py \
        before=/tmp/tree-old now=/tmp/tree-new [--runs 21]

Each tree is put first on ``PYTHONPATH`` (run from /tmp, so the current folder adds nothing);
the interpreter is this one, so the libraries are the same for every tree.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys


def cumulative_ms(tree: str) -> tuple[float, int]:
    """The ``archive.cli`` row's cumulative import time in ms, and the number of modules imported."""
    stderr = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import archive.cli"], cwd="/tmp",
        env={"PYTHONPATH": tree, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True,
    ).stderr
    rows = [line.split("|") for line in stderr.splitlines() if line.startswith("import time:") and "|" in line]
    found = [int(row[1]) for row in rows if len(row) == 3 and row[2].strip() == "archive.cli"]
    if not found:
        raise SystemExit(f"{tree}: no archive.cli row in the importtime output")
    return found[0] / 1000, len(rows) - 1  # less the header row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="+", metavar="NAME=TREE")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    trees = dict(item.split("=", 1) for item in args.trees)
    times: dict[str, list[float]] = {name: [] for name in trees}
    modules: dict[str, list[int]] = {name: [] for name in trees}
    for _ in range(args.runs):
        for name, tree in trees.items():
            took, count = cumulative_ms(tree)
            times[name].append(took)
            modules[name].append(count)
    for name in trees:
        print(f"{name}: archive.cli cumulative median {statistics.median(times[name]):.1f} ms "
              f"(min {min(times[name]):.1f}, max {max(times[name]):.1f}, n={args.runs}), modules imported {statistics.median(modules[name]):.0f}")


if __name__ == "__main__":
    main()
