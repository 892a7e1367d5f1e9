"""Retrieval correctness against an independent oracle (SQLite FTS5 and regular expressions).

Builds a pile of 5,000 articles with ``../shared/tools/make_corpus.py`` (cached in
``~/.cache/archive-bench``), ingests it, reads back every article's title and body as indexed,
builds the oracle of ``benchmarks/retrieval_oracle.py`` over the same texts, and runs seeded
random queries of every class through `archive` and the oracle. Prints per class: queries,
queries giving exactly the oracle's set, recall and precision against the oracle, articles the
unstemmed oracle found that `archive` missed, and unequal queries explained by the two
stemmers (Porter in FTS5, Snowball in `archive`), then the named inflection checks.

    .venv/bin/python benchmarks/bench_retrieval.py [--count 5000] [--per-class 30] [--seed 1] [--rebuild] [--explain]

Not a test; ``tests/test_retrieval_oracle.py`` runs the same comparison on a small pile.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from retrieval_oracle import CLASSES, HEADER, REASONS, Oracle, compare, generate, quoted, stemmer_differences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT.parent / "shared" / "tools" / "make_corpus.py"
INFLECTIONS = (("plan", "planned"), ("run", "running"), ("stop", "stopped"), ("associate", "associated"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="articles in the pile [5000]")
    parser.add_argument("--per-class", type=int, default=30, help="random queries per class [30]")
    parser.add_argument("--seed", type=int, default=1, help="seed of the query generator [1]")
    parser.add_argument("--cache", default="~/.cache/archive-bench", help="where the pile and index are kept")
    parser.add_argument("--rebuild", action="store_true", help="ingest again even if the index is cached")
    parser.add_argument("--show", type=int, default=3, help="differing queries listed per class [3]")
    parser.add_argument("--explain", action="store_true", help="list every unequal query with its reason and the articles each side alone found")
    args = parser.parse_args()
    if not MAKE_CORPUS.is_file():
        print(f"missing {MAKE_CORPUS}: the benchmark needs ../shared/tools/make_corpus.py beside the repository", file=sys.stderr)
        return 2
    import Stemmer

    from archive import api
    from archive.store import open_index

    cache = Path(args.cache).expanduser()
    pile = cache / f"pile-{args.count}"
    if not (pile / ".complete").exists():
        shutil.rmtree(pile, ignore_errors=True)
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(pile), "--count", str(args.count)], check=True)
        (pile / ".complete").write_text("ok\n")
    index = cache / f"retrieval-index-{args.count}"
    if args.rebuild or not index.exists():
        shutil.rmtree(index, ignore_errors=True)
        started = time.perf_counter()
        report = api.ingest([pile], index, jobs=2)
        print(f"ingest: {report.summary()} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with open_index(index).searcher() as searcher:
        stored = list(searcher.all_stored_fields())
    articles = [(fields["id"], fields.get("title", ""), fields.get("body", "")) for fields in stored]
    oracle = Oracle(articles, {fields["id"]: fields.get("language") or "" for fields in stored})
    stem = Stemmer.Stemmer("english").stemWord
    queries = generate(oracle, args.seed, args.per_class, stem)
    words = sorted({word for query in queries for word in query.words})
    differences = stemmer_differences(oracle, words, stem)
    with api.Archive(index) as archive:

        def search(text: str) -> set[str]:
            try:
                return {hit.fields["id"] for hit in archive.search(text, limit=None).hits}
            except Exception as error:  # a query the product refuses counts as finding nothing
                print(f"  error for {text!r}: {error}", file=sys.stderr)
                return set()

        started = time.perf_counter()
        figures = compare(oracle, queries, search, set(differences))
        elapsed = time.perf_counter() - started
        print(f"{len(articles)} articles, {len(queries)} queries (seed {args.seed}), {elapsed:.1f} s")
        print(HEADER)
        for name in CLASSES:
            if name in figures:
                print(figures[name].row(name))
        print("\nexplained: " + "; ".join(f"{reason}: {meaning}" for reason, meaning in REASONS.items()))
        print(f"words whose Porter (FTS5) and Snowball (archive) groups differ: {', '.join(sorted(differences)) or 'none'}")
        for name in CLASSES:
            for text in figures[name].differing[: args.show] if name in figures else ():
                print(f"  differs, unexplained ({name}): {text}")
        if args.explain:
            print("\nevery unequal query (class: query: reason, articles only archive found / only the oracle found):")
            for name in CLASSES:
                for text, reason, extra, missing in figures[name].unequal if name in figures else ():
                    print(f"  {name}: {text}: {reason}, +{extra} / -{missing}")
        print("\ninflected forms found by the base word (articles holding the form):")
        for base, form in INFLECTIONS:
            holding = oracle.fts("plain", quoted([form]))
            found = search(base) & holding
            share = len(found) / len(holding) if holding else float("nan")
            print(f"  {base:<10} {form:<12} {len(found):>5} of {len(holding):<5} {share:.3f}")
        for written, plain in (("São", "Sao"), ("Erdoğan", "Erdogan"), ("München", "Munchen"), ("Łódź", "Lodz"), ("Müller", "Muller")):
            pattern = rf"(?<!\w)(?:{re.escape(written)}|{re.escape(plain)})(?!\w)"
            print(f"  accents: {written}={len(search(written))} {plain}={len(search(plain))} regex either={len(oracle.regex(pattern))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
