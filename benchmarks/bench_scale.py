"""Scale benchmark: ingest and search at 10k and 100k articles, beside ripgrep and SQLite FTS5.

Builds the piles once with ``../shared/tools/make_corpus.py`` (cached in ``--cache``,
default ``~/.cache/archive-bench``), then measures, in the same run:

- ingest wall time and peak RSS (the whole process tree, sampled) with ``--jobs``, and a
  no-change re-ingest;
- ``archive search`` as a whole fresh process (p50 of ``--runs``) for a one-term query, a
  two-term AND, a phrase and a facet-filtered query, with the index's resident reader
  (``archive daemon start``) and without it (in-process), and with ``--baseline TREE``'s code
  too (in-process, and its own resident reader: TREE first on ``PYTHONPATH``), beside ``rg -l -i`` over the same folder (two ``rg -l`` in a pipeline for the AND and
  the filtered query; ripgrep: ``apt-get install -y ripgrep``), and ``facets people`` over
  all hits of a common word as a whole process with and without the reader;
- warm latency through the library API with the index kept open (:class:`archive.api.Archive`;
  p50/p95 over ``--queries`` words drawn from the index), the p50 when each call reopens the
  index, and ``facets people`` over all hits of a common term both ways;
- the same through SQLite FTS5 (porter tokenizer) built over the same titles and bodies.

Prints one table with absolute figures and ratios. Not a test: run it by hand, e.g.::

    .venv/bin/python benchmarks/bench_scale.py --sizes 10000,100000 --jobs 2
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT.parent / "shared" / "tools" / "make_corpus.py"
PYTHON = sys.executable
ARCHIVE = [PYTHON, "-c", "from archive.console import main; main()"]
GIB = 1024**3


def build_pile(cache: Path, count: int, jobs: int) -> Path:
    """The pile of ``count`` articles, generated once."""
    pile = cache / f"pile-{count}"
    if not (pile / ".complete").exists():
        shutil.rmtree(pile, ignore_errors=True)
        subprocess.run([PYTHON, str(MAKE_CORPUS), str(pile), "--count", str(count), "--jobs", str(jobs)], check=True)
        (pile / ".complete").write_text("ok\n")
    return pile


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return total


def children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes of this one and of their
    own waited-for children (an ingest's workers)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_measured(command: list[str]) -> tuple[float, int, str]:
    """Run a command; wall seconds, peak RSS of its process tree (sampled every 0.2 s), stderr."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while child.poll() is None:
            peak[0] = max(peak[0], tree_rss(child.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = child.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if child.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(command)} failed: {stderr[-2000:]}")
    return elapsed, peak[0], stderr.strip().splitlines()[-1] if stderr.strip() else ""


def p50_process(command: list[str] | str, runs: int, shell: bool = False, env: dict[str, str] | None = None, cwd: str | None = None) -> float:
    """Median wall time of a whole process over ``runs`` runs (after one warm-up run)."""
    times = []
    for attempt in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, shell=shell, env=env, cwd=cwd)
        if attempt:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def draw_words(index: Path, count: int, seed: int = 7) -> list[str]:
    """Words for warm queries: body terms occurring in 0.1%..10% of the articles."""
    from archive.store import open_index

    with open_index(index).searcher() as searcher:
        total = searcher.doc_count()
        words = [
            raw.decode() for raw in searcher.lexicon("body")
            if raw.isalpha() and len(raw) > 3 and total * 0.001 <= searcher.doc_frequency("body", raw.decode()) <= total * 0.1
        ]
    random.Random(seed).shuffle(words)
    return words[:count]


def build_fts(index: Path, database: Path) -> float:
    """SQLite FTS5 (porter) over the titles and bodies stored in the index; build seconds
    (the time to read the stored fields is not counted)."""
    from archive.store import open_index, split_values

    with open_index(index).searcher() as searcher:
        rows = [(f.get("title", ""), f.get("body", ""), split_values(f.get("people"))) for f in searcher.all_stored_fields()]
    database.unlink(missing_ok=True)
    start = time.perf_counter()
    connection = sqlite3.connect(database)
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter')")
    connection.execute("CREATE TABLE people (doc INTEGER, name TEXT)")
    for number, (title, body, people) in enumerate(rows, 1):
        connection.execute("INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)", (number, title, body))
        connection.executemany("INSERT INTO people VALUES (?, ?)", [(number, name) for name in people])
    connection.execute("CREATE INDEX people_doc ON people(doc)")
    connection.commit()
    connection.close()
    return time.perf_counter() - start


FTS_QUERY = "SELECT rowid, title, snippet(docs, 1, '[', ']', '…', 20) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10"
FTS_FACETS = (
    "SELECT name, COUNT(*) FROM people WHERE doc IN (SELECT rowid FROM docs WHERE docs MATCH ?) "
    "GROUP BY name ORDER BY 2 DESC LIMIT 20"
)


def fts_process(database: Path, match: str, runs: int) -> float:
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        f"print(c.execute({FTS_QUERY!r}, (sys.argv[2],)).fetchall())"
    )
    return p50_process([PYTHON, "-c", code, str(database), match], runs)


def rg_command(pile: Path, terms: list[str]) -> str:
    """``rg -l -i`` for the first term, piped through one more ``rg -l -i`` per further term."""
    quoted = [term.replace("'", "'\\''") for term in terms]
    command = f"rg -l -i -0 -- '{quoted[0]}' '{pile}'"
    for term in quoted[1:]:
        command += f" | xargs -0 rg -l -i -0 -- '{term}'"
    return command + " > /dev/null"


def measure_size(args: argparse.Namespace, count: int, rows: list[list[str]]) -> None:
    cache = Path(args.cache).expanduser()
    pile = build_pile(cache, count, args.jobs)
    index = cache / f"index-{count}"
    label = f"{count // 1000}k"
    if args.rebuild or not index.exists():
        shutil.rmtree(index, ignore_errors=True)
        cpu_before = children_cpu()
        seconds, peak, summary = run_measured([*ARCHIVE, "--index", str(index), "ingest", "-q", "--jobs", str(args.jobs), str(pile)])
        cpu = children_cpu() - cpu_before
        print(f"[{label}] ingest {seconds:.1f} s, peak RSS {peak / GIB:.2f} GiB, CPU {cpu:.0f} s (process tree): {summary}", flush=True)
        rows.append([label, f"ingest --jobs {args.jobs} (wall)", f"{seconds:.0f} s", "", "", "", "", "≤ 600 s" if count >= 100000 else ""])
        rows.append([label, "ingest peak RSS (process tree)", f"{peak / GIB:.2f} GiB", "", "", "", "", "≤ 1.5 GiB"])
        rows.append([label, "ingest CPU, user + system (process tree)", f"{cpu:.0f} s ({cpu * 1000 / count:.1f} ms an article)", "", "", "", "", ""])
    if not args.skip_reingest:
        seconds, peak, summary = run_measured([*ARCHIVE, "--index", str(index), "ingest", "-q", "--jobs", str(args.jobs), str(pile)])
        print(f"[{label}] no-change re-ingest {seconds:.1f} s: {summary}", flush=True)
        rows.append([label, "no-change re-ingest", f"{seconds:.1f} s", "", "", "", "", "≤ 30 s" if count >= 100000 else ""])
    if args.ingest_only:
        return

    from archive import api

    people = api.facets("people", "said", index_path=index)
    countries = api.facets("countries", "said", index_path=index)
    person, country = people[0][0], countries[0][0]
    database = cache / f"fts-{count}.sqlite"
    fts_build = build_fts(index, database)
    rows.append([label, "FTS5 build (reference)", "", "", f"{fts_build:.0f} s", "", "", ""])
    queries = [
        ("one term", ["government"], "government", "government", []),
        ("two-term AND", ["police", "minister"], "police AND minister", "police AND minister", []),
        ("phrase", ["prime minister"], '"prime minister"', '"prime minister"', []),
        (f"--person {person.split()[-1]} --country {country}", [person, country], None, f'"{person}" AND "{country}"',
         ["--person", person.split()[-1], "--country", country]),
    ]
    have_rg = shutil.which("rg") is not None
    python = plain_python(cache)
    startup = {which: p50_process([interpreter, "-c", "pass"], args.runs) for which, interpreter in (("venv", PYTHON), ("plain", python))}
    rows.append([label, "python -c pass (venv with the editable finder / plain paths)", f"{startup['venv'] * 1000:.0f} / {startup['plain'] * 1000:.0f} ms", "", "", "", "", ""])
    codes = [("before", args.baseline)] if args.baseline else []
    codes.append(("in-process", None))
    process: dict[tuple[str, str], float] = {}
    for name, rg_terms, query, fts_match, options in queries:
        arguments = ["--index", str(index), "search", *([query] if query else []), *options, "--limit", "10"]
        for code, tree in codes:
            process[(name, code)] = p50_process(archive_command(tree, python) + arguments, args.runs)
        process[(name, "rg")] = p50_process(rg_command(pile, rg_terms), args.runs, shell=True) if have_rg else 0.0
        process[(name, "fts")] = fts_process(database, fts_match, args.runs)
    residents = [("resident", None)] + ([("resident before", args.baseline)] if args.baseline else [])
    daemon_rss: dict[str, int] = {}
    facets_by_code: dict[str, float] = {}
    for code, tree in residents:
        # The baseline's resident reader: its code first on PYTHONPATH, for the client, the
        # daemon it starts and the requests (one daemon per index: one after the other).
        env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve())} if tree else None
        cwd = str(Path(tree).resolve()) if tree else None  # "python -c" puts the working folder first on sys.path
        daemon_rss[code] = start_daemon(index, python, env, cwd)
        try:
            for name, rg_terms, query, fts_match, options in queries:
                arguments = ["--index", str(index), "search", *([query] if query else []), *options, "--limit", "10"]
                process[(name, code)] = p50_process(archive_command(None, python) + arguments, args.runs, env=env, cwd=cwd)
            facets_by_code[code] = p50_process(archive_command(None, python) + ["--index", str(index), "facets", "people", "said"], args.runs, env=env, cwd=cwd)
            daemon_rss[code] = max(daemon_rss[code], daemon_status(index, python, env, cwd).get("rss_bytes", 0))
        finally:
            subprocess.run(archive_command(None, python) + ["--index", str(index), "daemon", "stop"], capture_output=True, env=env, cwd=cwd)
    facets_resident = facets_by_code["resident"]
    facets_process = p50_process(archive_command(None, python) + ["--index", str(index), "facets", "people", "said"], args.runs)
    facets_before = p50_process(archive_command(args.baseline, python) + ["--index", str(index), "facets", "people", "said"], args.runs) if args.baseline else None
    for name, *_ in queries:
        theirs, fts = process[(name, "rg")], process[(name, "fts")]
        for code in [*(code for code, _ in residents), *(code for code, _ in codes)]:
            ours = process[(name, code)]
            target = {"resident": "≤ 0.5× rg" if count < 100000 else "≤ 0.2× rg", "before": "", "resident before": ""}.get(code, "no slower than before")
            rows.append([
                label, f"search process p50: {name} ({CODE_LABELS[code]})", f"{ours * 1000:.0f} ms",
                f"{theirs * 1000:.0f} ms" if theirs else "(no rg)", f"{fts * 1000:.0f} ms",
                f"{ours / theirs:.2f}" if theirs else "", f"{ours / fts:.2f}", target,
            ])
            print(f"[{label}] {rows[-1][1]}: {rows[-1][2]} rg {rows[-1][3]} fts {rows[-1][4]}", flush=True)
    rows.append([label, "facets people 'said' process p50 (resident reader)", f"{facets_resident * 1000:.0f} ms", "", "", "", "", ""])
    rows.append([label, "facets people 'said' process p50 (in-process)", f"{facets_process * 1000:.0f} ms", "", "", "", "", ""])
    if facets_before is not None:
        rows.append([label, "facets people 'said' process p50 (before: baseline code)", f"{facets_before * 1000:.0f} ms", "", "", "", "", ""])
    if "resident before" in facets_by_code:
        rows.append([label, "facets people 'said' process p50 (resident reader; before: baseline code)", f"{facets_by_code['resident before'] * 1000:.0f} ms", "", "", "", "", ""])
    for code, _ in residents:
        rows.append([label, f"resident reader memory (RSS; {CODE_LABELS[code]})", f"{daemon_rss[code] / 2**20:.0f} MiB", "", "", "", "", ""])

    words = draw_words(index, args.queries)
    connection = sqlite3.connect(database)
    fts_latencies = []
    for word in words:
        start = time.perf_counter()
        connection.execute(FTS_QUERY, (word,)).fetchall()
        fts_latencies.append(time.perf_counter() - start)
    fts_facet_times = []
    for _ in range(5):
        start = time.perf_counter()
        connection.execute(FTS_FACETS, ("said",)).fetchall()
        fts_facet_times.append(time.perf_counter() - start)
    connection.close()
    fts_facets = statistics.median(fts_facet_times)
    for code, tree in codes:
        found = api_figures(tree, index, words)
        for name, fraction in (("p50", 0.5), ("p95", 0.95)):
            ours, fts = found[name], percentile(fts_latencies, fraction)
            target = "" if code == "before" else {"p50": "≤ 5 ms", "p95": "≤ 20 ms"}[name] + " (100k)"
            rows.append([label, f"warm API query {name} ({len(words)} words, open Archive; {CODE_LABELS[code]})", f"{ours * 1000:.1f} ms", "", f"{fts * 1000:.1f} ms", "", f"{ours / fts:.2f}", target])
        ours = found["reopened"]
        rows.append([label, f"API query p50, index reopened per call ({CODE_LABELS[code]})", f"{ours * 1000:.1f} ms", "", "", "", "", ""])
        for how in ("open Archive", "index reopened"):
            ours = found[how]
            target = "" if code == "before" else "≤ 50 ms (100k)"
            rows.append([label, f"facets people over {found['hits']} hits of 'said' ({how}; {CODE_LABELS[code]})", f"{ours * 1000:.0f} ms", "", f"{fts_facets * 1000:.0f} ms", "", f"{ours / fts_facets:.2f}", target])
        print(f"[{label}] API ({code}): {found}", flush=True)


CODE_LABELS = {
    "resident": "resident reader", "resident before": "resident reader; before: baseline code",
    "in-process": "no reader, in-process", "before": "before: baseline code",
}


def plain_python(cache: Path) -> str:
    """An interpreter that imports this checkout and its dependencies from plain ``sys.path``
    entries (a ``.pth`` file of paths), as a regular ``pip install`` would: ``pip install -e``
    adds a finder to ``site`` that every process imports (pathlib, importlib.util; about 10
    to 15 ms of start-up here), which users of an installed ``archive`` do not pay."""
    import sysconfig
    import venv

    folder = cache / "plain-python"
    python = folder / "bin" / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=False, symlinks=True).create(folder)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True).stdout.strip())
    (site / "archive-bench.pth").write_text(f"{ROOT}\n{sysconfig.get_paths()['purelib']}\n")
    return str(python)


def archive_command(tree: str | None, python: str = PYTHON) -> list[str]:
    """The ``archive`` console script of this checkout (``archive.console``), or the command
    line of a baseline tree (``archive.cli``, imported from ``tree``)."""
    if tree:  # any editable-install finder set aside, so that ``tree``'s archive is imported
        return [python, "-c", (
            "import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
            f"sys.path.insert(0, {str(Path(tree).resolve())!r}); from archive.cli import main; main()"
        )]
    return [python, "-c", "from archive.console import main; main()"]


def start_daemon(index: Path, python: str, env: dict[str, str] | None = None, cwd: str | None = None) -> int:
    """Start the index's resident reader (with ``env`` and ``cwd``: another tree's code); its resident memory."""
    done = subprocess.run(archive_command(None, python) + ["--index", str(index), "daemon", "start"], capture_output=True, text=True, env=env, cwd=cwd)
    if done.returncode:
        raise SystemExit(f"daemon start failed: {done.stderr}")
    return int(daemon_status(index, python, env, cwd).get("rss_bytes", 0))


def daemon_status(index: Path, python: str, env: dict[str, str] | None = None, cwd: str | None = None) -> dict:
    import json

    done = subprocess.run(archive_command(None, python) + ["--index", str(index), "daemon", "status", "--format", "json"], capture_output=True, text=True, env=env, cwd=cwd)
    return json.loads(done.stdout or "{}")


API_WORKER = """
import json, statistics, sys, time
from archive import api
index, words = sys.argv[1], json.loads(sys.argv[2])
def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
archive = api.Archive(index)
api.search(words[0], index_path=archive)
latencies = []
for word in words:
    start = time.perf_counter(); api.search(word, index_path=archive); latencies.append(time.perf_counter() - start)
reopening = []
for word in words[:50]:
    start = time.perf_counter(); api.search(word, index_path=index); reopening.append(time.perf_counter() - start)
found = {"p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95), "reopened": statistics.median(reopening)}
found["hits"] = api.search("said", index_path=archive, limit=1).total
for how, where in (("open Archive", archive), ("index reopened", index)):
    times = []
    for _ in range(5):
        start = time.perf_counter(); api.facets("people", "said", index_path=where); times.append(time.perf_counter() - start)
    found[how] = statistics.median(times)
print(json.dumps(found))
"""


def api_figures(tree: str | None, index: Path, words: list[str]) -> dict:
    """Warm and reopened API latencies and facet counts, measured in a fresh process running
    this checkout's code or ``tree``'s."""
    import json

    prefix = ""
    if tree:
        prefix = (
            "import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
            f"sys.path.insert(0, {str(Path(tree).resolve())!r})\n"
        )
    done = subprocess.run([PYTHON, "-c", prefix + API_WORKER, str(index), json.dumps(words)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def print_table(rows: list[list[str]]) -> None:
    header = ["pile", "measure", "archive", "rg -l -i", "FTS5", "archive÷rg", "archive÷FTS5", "target"]
    widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(len(header))]
    for row in [header, ["-" * width for width in widths], *rows]:
        print("| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="pile sizes, comma-separated [10000,100000]")
    parser.add_argument("--cache", default="~/.cache/archive-bench", help="where piles, indexes and FTS5 databases are kept")
    parser.add_argument("--jobs", type=int, default=2, help="ingest worker processes [2]")
    parser.add_argument("--runs", type=int, default=20, help="fresh-process runs per query [20]")
    parser.add_argument("--queries", type=int, default=200, help="warm API queries [200]")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the indexes even if cached")
    parser.add_argument("--skip-reingest", action="store_true", help="skip the no-change re-ingest measurement")
    parser.add_argument("--ingest-only", action="store_true", help="measure the ingest (and the no-change re-ingest unless skipped) only, no searches")
    parser.add_argument("--baseline", metavar="TREE", help="also measure the code in TREE (a checkout's root, e.g. made with git worktree or git archive) on the same index: the 'before' rows")
    args = parser.parse_args()
    if not MAKE_CORPUS.exists():
        raise SystemExit(f"{MAKE_CORPUS} is missing: the benchmark needs it to generate the piles")
    if shutil.which("rg") is None:
        print("ripgrep (rg) is not installed: rg columns are skipped (apt-get install -y ripgrep)", flush=True)
    print(f"{os.cpu_count()} cores; python {sys.version.split()[0]}", flush=True)
    rows: list[list[str]] = []
    for size in (int(value) for value in args.sizes.split(",")):
        measure_size(args, size, rows)
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
