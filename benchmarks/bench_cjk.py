"""Chinese text in the index: overlapping character pairs (``archive.analysis``) against the
jieba segmenter, measured on a small sample written for the project (issue 15).

``benchmarks/cjk_sample.json`` holds Chinese sentences, the words of each a reader would search
for, and pairs of characters that stand side by side but belong to two words. For each way of
cutting text into terms it prints how many words are found in their sentence (recall), how many
cross-word pairs are found (false matches), and the time to cut a long text (the sample
repeated), with jieba's dictionary load apart:

* **pairs**: ``archive.analysis.tokens`` (a query word is the phrase of its pairs);
* **jieba precise**: ``jieba.lcut`` of text and query, the query's words in a row in the text's;
* **jieba search**: the text cut with ``jieba.lcut_for_search`` (words and their sub-words), a
  query found when it is one of those terms or its ``lcut`` words are in a row in the text's.

    .venv/bin/python benchmarks/bench_cjk.py [--repeat 200]

jieba is in the ``bench`` extra (``pip install -e '.[bench]'``); the product does not use it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent / "cjk_sample.json"


def in_a_row(needle: list[str], haystack: list[str]) -> bool:
    """Whether ``needle`` occurs as consecutive items of ``haystack``."""
    size = len(needle)
    return size > 0 and any(haystack[start : start + size] == needle for start in range(len(haystack) - size + 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=200, help="copies of the sample in the timed text [200]")
    args = parser.parse_args()
    try:
        import jieba
    except ImportError:
        print("jieba is missing: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    from archive.analysis import tokens

    jieba.setLogLevel(60)
    started = time.perf_counter()
    jieba.initialize()
    load = time.perf_counter() - started
    sentences = json.loads(SAMPLE.read_text(encoding="utf-8"))["sentences"]

    def pairs(text: str) -> list[str]:
        return [term for term, _, _ in tokens(text, "zh", stem=False)]

    methods: dict[str, Callable[[str, str], bool]] = {
        "pairs (archive)": lambda text, query: in_a_row(pairs(query), pairs(text)),
        "jieba precise": lambda text, query: in_a_row(jieba.lcut(query), jieba.lcut(text)),
        "jieba search": lambda text, query: query in set(jieba.lcut_for_search(text)) or in_a_row(jieba.lcut(query), jieba.lcut(text)),
    }
    cutters: dict[str, Callable[[str], list[str]]] = {
        "pairs (archive)": pairs, "jieba precise": jieba.lcut, "jieba search": jieba.lcut_for_search,
    }
    long_text = "".join(sentence["text"] for sentence in sentences) * args.repeat
    words = sum(len(sentence["words"]) for sentence in sentences)
    across = sum(len(sentence["across"]) for sentence in sentences)
    print(f"{len(sentences)} sentences, {words} words, {across} cross-word pairs; timed text {len(long_text):,} characters; jieba dictionary load {load:.2f} s")
    print(f"{'method':<18} {'words found':>12} {'cross-word found':>17} {'ms per 10k chars':>17}")
    for name, found in methods.items():
        hits = sum(found(sentence["text"], word) for sentence in sentences for word in sentence["words"])
        false = sum(found(sentence["text"], pair) for sentence in sentences for pair in sentence["across"])
        started = time.perf_counter()
        cutters[name](long_text)
        elapsed = time.perf_counter() - started
        print(f"{name:<18} {hits:>5} of {words:<5} {false:>8} of {across:<6} {elapsed * 1000 * 10_000 / len(long_text):>17.1f}")
        missed = [word for sentence in sentences for word in sentence["words"] if not found(sentence["text"], word)]
        if missed:
            print(f"  missed: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
