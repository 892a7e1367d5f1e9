"""Benchmark the topic facet on the BBC topic-gold set (accuracy, macro F1, speed).

The gold set (2,225 BBC News articles labelled business/entertainment/politics/sport/tech) lives
outside the repository, in ``<workspace>/shared/data/topic-gold/articles.jsonl``; see its README.
The predicted *main* topic is mapped onto the five labels (economy→business,
arts and culture→entertainment, politics→politics, sport→sport,
science and technology→tech); any other topic, or no topic, counts as wrong.

Two methods are compared side by side: ``keywords`` (the keyword-only classifier,
:func:`archive.facets.topics.keyword_topics`, no training) and ``combined`` (the product's
:func:`archive.facets.topics.classify_topics`: keyword scores plus the Naive Bayes model).

Usage::

    .venv/bin/python benchmarks/bench_topics.py [--data DIR_OR_FILE] [--split all|dev|test]
                                                [--cv] [--folds K] [--method keywords|combined]
                                                [--errors N] [--repeat K] [--short]

``--cv`` is the honest figure for the combined method: grouped, stratified K-fold
cross-validation (exact duplicates stay in one fold); each fold's model is trained by
``scripts/train_topics.py``'s code on the other folds only, and evaluated on the held-out fold,
on full articles and on *short items* (title + first sentence of the body). Without ``--cv``,
the combined method uses the shipped model, which was trained on this very set: its figures are
then resubstitution figures, not estimates (the keyword figures are fine either way).

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
from collections.abc import Callable, Sequence
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
LABEL_TO_TOPIC = {label: topic for topic, label in TOPIC_TO_LABEL.items()}
NONE = "(other)"

for _path in (REPO, REPO / "scripts"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from archive.facets.topics import (  # noqa: E402
    TopicModel,
    classify_topics,
    explain_topics,
    keyword_topics,
    load_model,
)
from train_topics import featurize, grouped_folds, short_item, train_examples  # noqa: E402

Classifier = Callable[[str, str], list[str]]

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


def to_labels(predictions: Sequence[list[str]]) -> list[str]:
    """Main topics mapped onto the five labels (``(other)`` for any other topic or none)."""
    return [TOPIC_TO_LABEL.get(p[0], NONE) if p else NONE for p in predictions]


def scores(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, list[tuple]]:
    """Accuracy, macro F1 and per-label (label, precision, recall, F1, support)."""
    n = len(gold)
    correct = sum(p == g for p, g in zip(predicted, gold))
    rows = []
    for label in LABELS:
        tp = sum(p == label and g == label for p, g in zip(predicted, gold))
        fp = sum(p == label and g != label for p, g in zip(predicted, gold))
        fn = sum(p != label and g == label for p, g in zip(predicted, gold))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((label, precision, recall, f1, tp + fn))
    macro = sum(r[3] for r in rows) / len(rows)
    return (correct / n if n else 0.0), macro, rows


def report(name: str, predictions: Sequence[list[str]], gold: Sequence[str]) -> None:
    """Accuracy, macro F1, per-label figures, confusion matrix and topic counts."""
    predicted = to_labels(predictions)
    accuracy, macro, rows = scores(predicted, gold)
    n = len(gold)
    correct = sum(p == g for p, g in zip(predicted, gold))
    print(f"[{name}]")
    print(f"accuracy      {accuracy:.3f}  ({correct}/{n})")
    print(f"macro F1      {macro:.3f}")
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
    main_topics = [p[0] if p else None for p in predictions]
    outside = Counter(t or "(none)" for t in main_topics if t not in TOPIC_TO_LABEL)
    print()
    print(f"main topic outside the five mapped topics: {sum(outside.values())} "
          f"({sum(outside.values()) / n:.1%})"
          + (": " + ", ".join(f"{k} {v}" for k, v in outside.most_common()) if outside else ""))
    sizes = Counter(len(p) for p in predictions)
    print("topics per article: " + ", ".join(f"{k}: {sizes[k]}" for k in sorted(sizes)))


def timed(classify: Classifier, texts: Sequence[tuple[str, str]], repeat: int) -> float:
    """Best wall time of ``repeat`` passes of ``classify`` over ``texts``."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        for title, body in texts:
            classify(title, body)
        best = min(best, time.perf_counter() - start)
    return best


def print_speed(texts: Sequence[tuple[str, str]], repeat: int) -> None:
    words = sum(len(title.split()) + len(body.split()) for title, body in texts)
    n = len(texts)
    load_model.cache_clear()
    start = time.perf_counter()
    load_model()
    load = time.perf_counter() - start
    print()
    print(f"speed (best of {max(1, repeat)}, mean {words / n:.0f} words/article; "
          f"model load {load * 1000:.0f} ms, once):")
    for name, classify in (("keywords", keyword_topics), ("combined", classify_topics)):
        best = timed(classify, texts, repeat)
        words_per_s = words / best
        print(f"  {name:<9} {n / best:8,.0f} articles/s; {words_per_s:,.0f} words/s ≈ "
              f"{words_per_s / 400:,.0f} articles/s at 400 words")


def print_errors(texts: Sequence[tuple[str, str]], gold: Sequence[str],
                 predictions: Sequence[list[str]], limit: int,
                 models: Sequence[TopicModel | None] | None = None) -> None:
    print()
    print(f"first {limit} errors:")
    shown = 0
    for i, ((title, body), g, topics) in enumerate(zip(texts, gold, predictions)):
        if (TOPIC_TO_LABEL.get(topics[0], NONE) if topics else NONE) == g:
            continue
        decision = explain_topics(title, body, model=models[i] if models else None)
        top = sorted(decision.keyword_scores.items(), key=lambda kv: -kv[1])[:4]
        print(f"  gold={g:<13} got={topics}  {title!r}")
        print("      keywords " + ", ".join(f"{k}={v:.0f}" for k, v in top)
              + f"; model {decision.model_choice} (margin {decision.model_margin:.1f});"
              f" {decision.group_topic} ratio {decision.group_ratio:.2f}; {decision.reason}")
        shown += 1
        if shown >= limit:
            break


def cross_validate(articles: Sequence[dict[str, str]], folds: int, errors: int) -> None:
    texts = [(a["title"], a["body"]) for a in articles]
    shorts = [short_item(t, b) for t, b in texts]
    gold = [a["label"] for a in articles]
    topics = [LABEL_TO_TOPIC[g] for g in gold]
    keys = [f"{t}\0{b}" for t, b in texts]
    fold_of = grouped_folds(keys, gold, folds)
    examples = [featurize(t, b) for t, b in texts]
    short_examples = [featurize(t, b) for t, b in shorts]

    n = len(articles)
    out: dict[str, list[list[str]]] = {m: [[] for _ in range(n)] for m in
                                       ("keywords", "combined", "keywords short",
                                        "combined short")}
    models: list[TopicModel | None] = [None] * n
    print(f"{folds}-fold cross-validation, grouped by title+body (duplicates in one fold), "
          f"stratified by label; model trained on the other folds only")
    print()
    header = (f"{'fold':<6}{'n':>6}  {'keywords':>15}  {'combined':>15}  "
              f"{'short: keywords':>15}  {'short: combined':>15}  {'gamma':>5}")
    print(header)
    print(f"{'':<6}{'':>6}  {'acc    F1':>15}  {'acc    F1':>15}  {'acc    F1':>15}  "
          f"{'acc    F1':>15}")
    per_fold: list[list[float]] = []
    for k in range(folds):
        train_idx = [i for i in range(n) if fold_of[i] != k]
        test_idx = [i for i in range(n) if fold_of[i] == k]
        payload = train_examples([examples[i] for i in train_idx],
                                 [topics[i] for i in train_idx], [keys[i] for i in train_idx],
                                 short_examples=[short_examples[i] for i in train_idx])
        model = TopicModel.from_dict(payload)
        for i in test_idx:
            models[i] = model
            out["keywords"][i] = keyword_topics(*texts[i])
            out["combined"][i] = classify_topics(*texts[i], model=model)
            out["keywords short"][i] = keyword_topics(*shorts[i])
            out["combined short"][i] = classify_topics(*shorts[i], model=model)
        row: list[float] = []
        for method in ("keywords", "combined", "keywords short", "combined short"):
            accuracy, macro, _ = scores(to_labels([out[method][i] for i in test_idx]),
                                        [gold[i] for i in test_idx])
            row += [accuracy, macro]
        per_fold.append(row)
        print(f"{k + 1:<6}{len(test_idx):>6}  " + "  ".join(
            f"{row[j]:.3f}  {row[j + 1]:.3f}" for j in range(0, 8, 2))
            + f"  {payload['keyword_weight']:>5}", flush=True)
    means = [sum(r[j] for r in per_fold) / folds for j in range(8)]
    print(f"{'mean':<6}{n:>6}  " + "  ".join(
        f"{means[j]:.3f}  {means[j + 1]:.3f}" for j in range(0, 8, 2)))
    print()
    print("(acc = main-topic accuracy, F1 = macro F1 over the five labels; short = title + "
          "first sentence of the body)")
    print()
    report("combined, out-of-fold predictions pooled", out["combined"], gold)
    print()
    report("combined on short items, out-of-fold", out["combined short"], gold)
    if errors:
        print_errors(texts, gold, out["combined"], errors, models)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"topic-gold directory or articles.jsonl (default: {DEFAULT_DATA})")
    parser.add_argument("--split", choices=("all", "dev", "test"), default="all",
                        help="evaluate on all articles or on one deterministic half")
    parser.add_argument("--cv", action="store_true",
                        help="cross-validate the combined method (train a model per fold)")
    parser.add_argument("--folds", type=int, default=5, metavar="K",
                        help="number of cross-validation folds (default 5)")
    parser.add_argument("--method", choices=("keywords", "combined"), default="combined",
                        help="without --cv: which method gets the detailed report")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="also print the first N misclassified articles (titles, scores)")
    parser.add_argument("--short", action="store_true",
                        help="without --cv: classify short items (title + first sentence of the body) "
                             "instead of full articles (--cv always reports both)")
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
    if args.short and not args.cv:
        texts = [short_item(title, body) for title, body in texts]
    print(f"topic-gold: {target}  split={args.split}  articles={len(articles)}"
          f"{'  short items (title + first sentence)' if args.short and not args.cv else ''}")
    print()

    if args.cv:
        cross_validate(articles, max(2, args.folds), args.errors)
        print_speed(texts, args.repeat)
        return 0

    predictions = {"keywords": [keyword_topics(t, b) for t, b in texts],
                   "combined": [classify_topics(t, b) for t, b in texts]}
    for name in ("keywords", "combined"):
        accuracy, macro, _ = scores(to_labels(predictions[name]), gold)
        note = ("  (shipped model, trained on this set: resubstitution, not an estimate; "
                "use --cv)" if name == "combined" else "")
        print(f"{name:<9} accuracy {accuracy:.3f}  macro F1 {macro:.3f}{note}")
    print()
    report(args.method, predictions[args.method], gold)
    print_speed(texts, args.repeat)
    if args.errors:
        print_errors(texts, gold, predictions[args.method], args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
