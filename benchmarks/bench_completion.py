"""How long a shell TAB takes: the completion protocol as bash runs it, on an index.

    .venv/bin/python benchmarks/bench_completion.py --index /path/to/index [--runs 5] [--prefix a]

Prints the median wall time of the `archive` process answering `search --person PREFIX<TAB>`,
first with the completion cache removed (what the first TAB after an ingest costs), then with
the cache in place. Run it alone (flock /tmp/archive-bench.lock ...): it measures wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def tab(index: Path, prefix: str) -> tuple[float, str]:
    """One completion request; (seconds, output)."""
    env = {**os.environ, "_ARCHIVE_COMPLETE": "bash_complete", "COMP_WORDS": f"archive --index {index} search --person {prefix}", "COMP_CWORD": "5"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from archive.cli import main; main()"], env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--prefix", default="a")
    options = parser.parse_args()
    cache = options.index / "completions.json"
    cold = []
    for _ in range(options.runs):
        cache.unlink(missing_ok=True)
        cold.append(tab(options.index, options.prefix)[0])
    warm = [tab(options.index, options.prefix)[0] for _ in range(options.runs)]
    answers = tab(options.index, options.prefix)[1].count("\n")
    print(f"index {options.index}: {answers} completions for {options.prefix!r}")
    print(f"TAB without cache (first after an ingest): median {statistics.median(cold):.3f} s  (runs: {', '.join(f'{t:.3f}' for t in cold)})")
    print(f"TAB with cache:                            median {statistics.median(warm):.3f} s  (runs: {', '.join(f'{t:.3f}' for t in warm)})")


if __name__ == "__main__":
    main()
