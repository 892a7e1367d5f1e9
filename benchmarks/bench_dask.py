"""Ingest on local worker processes against ingest on a Dask LocalCluster, in the same run.

Builds (once) a pile with ``../shared/tools/make_corpus.py`` (cached in ``--cache``, default
``~/.cache/archive-bench``; a cached 100k pile's first folders are used when present, since
its first N articles are exactly an N pile), then ingests it into fresh indexes with:

- ``--jobs J``                     local worker processes (the default executor);
- ``--dask local`` with 1 and J workers (the measured scaling);
- ``archive enrich --dask local`` then ``archive ingest --jobs J`` of the partitions: the
  indexing step alone (local workers only read the records and tokenise the text), i.e. what
  the single Whoosh writer can absorb when the extraction is done elsewhere.

Each configuration runs in its own process (so peak memory is its own) and prints wall time,
articles/s, the client's peak RSS (the ingest process, not the workers) and the share of the
wall time the client spent in the Whoosh writer (taking results, writing and committing
batches, merging at the end). A writer share near 100 % means the writer is the bottleneck;
the writer's own rate (articles per writer-second) is the ceiling any number of workers meets.

    .venv/bin/python benchmarks/bench_dask.py --size 20000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT.parent / "shared" / "tools" / "make_corpus.py"
PYTHON = sys.executable
FOLDER = 1000  # articles per make_corpus folder


def pile_paths(cache: Path, size: int, jobs: int) -> list[str]:
    """The folders holding the first ``size`` articles (``size`` a multiple of 1000)."""
    if size % FOLDER:
        raise SystemExit("--size must be a multiple of 1000")
    for candidate in sorted(cache.glob("pile-*")):
        count = candidate.name.removeprefix("pile-")
        if count.isdigit() and int(count) >= size and (candidate / ".complete").exists():
            return [str(candidate / f"{number:04d}") for number in range(size // FOLDER)]
    pile = cache / f"pile-{size}"
    shutil.rmtree(pile, ignore_errors=True)
    subprocess.run([PYTHON, str(MAKE_CORPUS), str(pile), "--count", str(size), "--jobs", str(jobs)], check=True)
    (pile / ".complete").write_text("ok\n")
    return [str(pile / f"{number:04d}") for number in range(size // FOLDER)]


def child(config: dict[str, Any]) -> dict[str, Any]:
    """Run one configuration in this process, timing the writer; the figures as a dict."""
    from archive import api, indexer
    from archive.enrich import enrich

    writer = [0.0]
    depth = [0]  # take() calls commit(): count the outer call only

    def timed(function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            depth[0] += 1
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                depth[0] -= 1
                if not depth[0]:
                    writer[0] += time.perf_counter() - start

        return wrapper

    # The writer's work: taking each file's result (catalog, duplicate checks, batch commits
    # inside take) and the final commit and merge.
    indexer._Batch.take = timed(indexer._Batch.take)  # type: ignore[method-assign]
    indexer._Batch.commit = timed(indexer._Batch.commit)  # type: ignore[method-assign]
    indexer._finish = timed(indexer._finish)  # type: ignore[assignment]
    start = time.perf_counter()
    if config["kind"] == "enrich":
        report: Any = enrich(config["paths"], config["output"], dask="local", dask_workers=config["workers"])
        articles = report.articles
    else:
        options = {"dask": "local", "dask_workers": config["workers"]} if config["kind"] == "dask" else {"jobs": config["workers"]}
        report = api.ingest(config["paths"], config["index"], **options)
        articles = report.added + report.updated + report.unchanged + report.duplicates
    wall = time.perf_counter() - start
    return {
        "wall": wall,
        "articles": articles,
        "skipped": report.skipped,
        "writer": writer[0],
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def run(config: dict[str, Any]) -> dict[str, Any]:
    """One configuration in a fresh process."""
    finished = subprocess.run(
        [PYTHON, __file__, "--child", json.dumps(config)], capture_output=True, text=True, cwd=ROOT
    )
    if finished.returncode:
        raise SystemExit(f"{config['label']} failed:\n{finished.stderr[-3000:]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=20000, help="articles in the pile (a multiple of 1000)")
    parser.add_argument("--workers", type=int, default=2, help="--jobs and Dask workers")
    parser.add_argument("--cache", default="~/.cache/archive-bench")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    cache = Path(args.cache).expanduser()
    cache.mkdir(parents=True, exist_ok=True)
    paths = pile_paths(cache, args.size, args.workers)
    print(f"pile: {args.size} articles in {len(paths)} folders under {Path(paths[0]).parent}; {os.cpu_count()} cores")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as scratch:
        work = Path(scratch)
        parts = str(work / "parts")
        configs = [
            {"label": f"ingest --jobs {args.workers}", "kind": "jobs", "workers": args.workers},
            {"label": "ingest --dask local (1 worker)", "kind": "dask", "workers": 1},
            {"label": f"ingest --dask local ({args.workers} workers)", "kind": "dask", "workers": args.workers},
            {"label": f"enrich --dask local ({args.workers} workers)", "kind": "enrich", "workers": args.workers, "output": parts},
            {"label": "ingest of the partitions (no extraction)", "kind": "jobs", "workers": args.workers, "partitions": True},
        ]
        for number, config in enumerate(configs):
            config["paths"] = [parts] if config.get("partitions") else paths
            config["index"] = str(work / f"index-{number}")
            figures = run(config)
            rows.append((config["label"], figures))
            writer = (
                f"writer {100 * figures['writer'] / figures['wall']:5.1f} % of wall "
                f"({figures['articles'] / figures['writer']:4.0f} art per writer-s)"
                if figures["writer"] else "no writer (partitions only)"
            )
            print(
                f"{config['label']:<42} {figures['wall']:7.1f} s {figures['articles'] / figures['wall']:6.0f} art/s  "
                f"client peak {figures['peak_rss'] / 2**20:5.0f} MiB  {writer}",
                flush=True,
            )
    by_label = dict(rows)
    one = by_label["ingest --dask local (1 worker)"]
    many = by_label[f"ingest --dask local ({args.workers} workers)"]
    alone = by_label["ingest of the partitions (no extraction)"]
    rate_one = one["articles"] / one["wall"]
    rate_many = many["articles"] / many["wall"]
    ceiling = alone["articles"] / alone["wall"]
    per_worker = rate_one
    print()
    print(f"Dask scaling: {rate_one:.0f} art/s with 1 worker, {rate_many:.0f} art/s with {args.workers} "
          f"({rate_many / rate_one:.2f}x) on {os.cpu_count()} cores shared by workers and writer")
    print(f"writer ceiling (indexing enriched partitions, no extraction): {ceiling:.0f} art/s")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for workers in (4, 8, 16, 32):
        print(f"  {workers:>2} workers (one core each, writer on its own core): about "
              f"{min(per_worker * workers, ceiling):.0f} art/s (min of {per_worker:.0f} x {workers} and the writer's {ceiling:.0f})")


if __name__ == "__main__":
    main()
