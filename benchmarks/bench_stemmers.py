"""English stemmers for the index, measured for speed and agreement (issue 15).

Takes every distinct word (letters only, folded as ``archive.analysis.fold`` does) of the
BBC topic set (``../shared/data/topic-gold/articles.jsonl``) and stems it with:

* PyStemmer (Snowball's English algorithm in C), which ``archive.analysis`` uses;
* Whoosh's pure-Python Snowball English stemmer (``whoosh.lang.snowball.english``);
* Whoosh's Porter stemmer (``whoosh.lang.porter.stem``), which the index used before schema 3.

Prints the time each takes over the vocabulary (best of ``--repeat``, each stemmer new, no
cache), the share of words on which Whoosh's Snowball agrees with PyStemmer, and what Porter
makes of the words of the issue (planned, associated, running, stopped).

    .venv/bin/python benchmarks/bench_stemmers.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "topic-gold" / "articles.jsonl"
LETTERS = re.compile(r"[^\W\d_]+")


def vocabulary(path: Path) -> list[str]:
    """The distinct folded words of the titles and bodies, sorted."""
    from archive.analysis import fold

    words: set[str] = set()
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            words.update(fold(word) for word in LETTERS.findall(f"{record.get('title', '')} {record.get('body', '')}"))
    return sorted(words)


def timed(make: Callable[[], Callable[[str], str]], words: list[str], repeat: int) -> tuple[float, list[str]]:
    """Best wall time of stemming every word with a new stemmer, and the stems."""
    best, stems = float("inf"), []
    for _ in range(repeat):
        stem = make()
        started = time.perf_counter()
        stems = [stem(word) for word in words]
        best = min(best, time.perf_counter() - started)
    return best, stems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per stemmer, the best is shown [3]")
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"missing {DATA}: the benchmark needs ../shared/data/topic-gold beside the repository", file=sys.stderr)
        return 2
    import Stemmer
    from whoosh.lang.porter import stem as porter
    from whoosh.lang.snowball.english import EnglishStemmer

    words = vocabulary(DATA)
    pystemmer_time, pystemmer = timed(lambda: Stemmer.Stemmer("english", 0).stemWord, words, args.repeat)
    snowball_time, snowball = timed(lambda: EnglishStemmer().stem, words, args.repeat)
    porter_time, porter_stems = timed(lambda: porter, words, args.repeat)
    same = sum(a == b for a, b in zip(pystemmer, snowball))
    print(f"{len(words):,} distinct words of {DATA.parent.name}")
    print(f"{'stemmer':<34} {'seconds':>8}")
    print(f"{'PyStemmer (Snowball, C)':<34} {pystemmer_time:>8.2f}")
    print(f"{'Whoosh Snowball English (Python)':<34} {snowball_time:>8.2f}")
    print(f"{'Whoosh Porter (Python)':<34} {porter_time:>8.2f}")
    print(f"Whoosh Snowball = PyStemmer on {same:,} of {len(words):,} words ({same / len(words):.3%})")
    differing = [(word, a, b) for word, a, b in zip(words, pystemmer, snowball) if a != b]
    print("differing (word: PyStemmer / Whoosh Snowball): " + ", ".join(f"{w}: {a}/{b}" for w, a, b in differing[:10]))
    english = Stemmer.Stemmer("english").stemWord
    for word in ("planned", "associated", "running", "stopped"):
        print(f"  {word}: Porter {porter(word)}, Snowball {english(word)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
