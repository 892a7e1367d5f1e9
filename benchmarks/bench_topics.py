"""Benchmark the topic facet on the BBC topic-gold set (accuracy, macro F1, speed).

The gold set (2,225 BBC News articles labelled business/entertainment/politics/sport/tech) lives
outside the repository, in ``<workspace>/shared/data/topic-gold/articles.jsonl``; see its README.
The predicted *main* topic is mapped onto the five labels (economy→business,
arts and culture→entertainment, politics→politics, sport→sport,
science and technology→tech); any other topic, or no topic, counts as wrong.

Usage::

    .venv/bin/python benchmarks/bench_topics.py [--data DIR_OR_FILE] [--split all|dev|test]
                                                [--errors N]

``--split`` divides the set deterministically into two halves (CRC32 of title+body, so exact
duplicates stay on the same side): ``dev`` is the half that may be inspected while tuning the
keyword lists, ``test`` the held-out half.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "topic-gold"
LABELS = ("business", "entertainment", "politics", "sport", "tech")
TOPIC_TO_LABEL = {
    "economy": "business",
    "arts and culture": "entertainment",
    "politics": "politics",
    "sport": "sport",
    "science and technology": "tech",
}
NONE = "(other)"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from archive.facets.topics import classify_topics, score_topics  # noqa: E402


def load(path: Path) -> list[dict[str, str]]:
    """Read ``articles.jsonl`` (``path`` may be the file or its directory)."""
    if path.is_dir():
        path = path / "articles.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def in_split(article: dict[str, str], split: str) -> bool:
    """Whether ``article`` belongs to ``split`` (``all``, ``dev`` or ``test``)."""
    if split == "all":
        return True
    key = (article["title"] + "\0" + article["body"]).encode("utf-8")
    half = "dev" if zlib.crc32(key) % 2 == 0 else "test"
    return half == split


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"topic-gold directory or articles.jsonl (default: {DEFAULT_DATA})")
    parser.add_argument("--split", choices=("all", "dev", "test"), default="all",
                        help="evaluate on all articles or on one deterministic half")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="also print the first N misclassified articles (titles, scores)")
    parser.add_argument("--repeat", type=int, default=3, metavar="K",
                        help="timing: best of K passes over the articles (default 3)")
    args = parser.parse_args(argv)

    target = args.data / "articles.jsonl" if args.data.is_dir() else args.data
    if not target.is_file():
        print(f"bench_topics: gold data not found at {target}\n"
              "  (expected <workspace>/shared/data/topic-gold/articles.jsonl; pass --data PATH)",
              file=sys.stderr)
        return 2

    articles = [a for a in load(target) if in_split(a, args.split)]
    # The id ("bbc-<label>-NNN") leaks the label: only title and body reach the classifier.
    texts = [(a["title"], a["body"]) for a in articles]
    gold = [a["label"] for a in articles]

    best = float("inf")
    predictions: list[list[str]] = []
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        predictions = [classify_topics(title, body) for title, body in texts]
        best = min(best, time.perf_counter() - start)
    words = sum(len(title.split()) + len(body.split()) for title, body in texts)

    main_topics = [p[0] if p else None for p in predictions]
    predicted = [TOPIC_TO_LABEL.get(t, NONE) if t else NONE for t in main_topics]

    n = len(articles)
    correct = sum(p == g for p, g in zip(predicted, gold))
    print(f"topic-gold: {target}  split={args.split}  articles={n}")
    print(f"accuracy      {correct / n:.3f}  ({correct}/{n})")

    f1s = []
    rows = []
    for label in LABELS:
        tp = sum(p == label and g == label for p, g in zip(predicted, gold))
        fp = sum(p == label and g != label for p, g in zip(predicted, gold))
        fn = sum(p != label and g == label for p, g in zip(predicted, gold))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        rows.append((label, precision, recall, f1, tp + fn))
    print(f"macro F1      {sum(f1s) / len(f1s):.3f}")
    print()
    print(f"{'label':<14}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
    for label, precision, recall, f1, support in rows:
        print(f"{label:<14}{precision:7.3f}{recall:7.3f}{f1:7.3f}{support:6d}")

    columns = (*LABELS, NONE)
    confusion = Counter(zip(gold, predicted))
    print()
    print("confusion (rows gold, columns predicted main topic mapped to a label)")
    print(f"{'':<14}" + "".join(f"{c[:8]:>9}" for c in columns))
    for label in LABELS:
        print(f"{label:<14}" + "".join(f"{confusion[(label, c)]:9d}" for c in columns))

    outside = Counter(t or "(none)" for t in main_topics if t not in TOPIC_TO_LABEL)
    print()
    print(f"main topic outside the five mapped topics: {sum(outside.values())} "
          f"({sum(outside.values()) / n:.1%})"
          + (": " + ", ".join(f"{k} {v}" for k, v in outside.most_common()) if outside else ""))
    sizes = Counter(len(p) for p in predictions)
    print("topics per article: " + ", ".join(f"{k}: {sizes[k]}" for k in sorted(sizes)))

    rate = n / best
    words_per_s = words / best
    print()
    print(f"speed: {rate:,.0f} articles/s (mean {words / n:.0f} words/article, best of "
          f"{max(1, args.repeat)}); {words_per_s:,.0f} words/s ≈ "
          f"{words_per_s / 400:,.0f} articles/s at 400 words")

    if args.errors:
        print()
        print(f"first {args.errors} errors:")
        shown = 0
        for (title, body), g, p, topics in zip(texts, gold, predicted, predictions):
            if p == g:
                continue
            scores, _ = score_topics(title, body)
            top = sorted(scores.items(), key=lambda kv: -kv[1])[:4]
            print(f"  gold={g:<13} got={topics}  {title!r}")
            print("      " + ", ".join(f"{k}={v:.0f}" for k, v in top))
            shown += 1
            if shown >= args.errors:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
