#!/usr/bin/env python3
"""Train the topic model ``archive/facets/data/topics_model.json`` (standard library only).

The model is a multinomial Naive Bayes classifier over the five topics that the BBC topic-gold
set covers (economy, arts and culture, politics, science and technology, sport); see
``docs/topics.md`` for how :func:`archive.facets.topics.classify_topics` combines it with the
keyword scores of all 17 topics.

Training, step by step (:func:`train`):

1. Exact duplicates (same title and body) are dropped, so that no text counts twice.
2. Features per article: :func:`archive.facets.topics.model_features` (lower-cased word
   unigrams, plurals folded, title words counted three times, one-letter tokens and tokens
   starting with a digit left out), minus the :data:`STOP_WORDS`; each count ``n`` enters
   as ``log(1 + n)``.
3. Vocabulary: words found in at least :data:`MIN_DF` distinct articles (so no word that
   identifies a single article is kept), at most :data:`MAX_VOCAB` of them, ranked by document
   frequency × spread of their weights. Unigrams only: the file holds word weights, no phrase
   or text of the training articles.
4. Naive Bayes: per topic, ``log((N_cw + ALPHA) / (N_c + ALPHA·|V|))`` from the summed
   ``log(1 + n)`` values ``N_cw``; each word's row is centred (only differences between topics
   matter); priors are the log shares of articles per topic.
5. The model's word evidence is tempered: it counts as at most :data:`EVIDENCE_CAP` words'
   worth (Naive Bayes treats words as independent and so is overconfident on long texts).
6. The factor γ of the keyword term (``γ · log(1 + keyword score)``) is chosen from
   :data:`GAMMAS` by an inner grouped 5-fold cross-validation on the training articles only,
   counting correct answers on the held-out full articles and on their short items (title +
   first sentence), since the product classifies both; the one-standard-error rule takes the
   largest γ whose accuracy is within one standard error of the best (see
   :func:`_choose_gamma`).
7. Weights are rounded to 1/:data:`SCALE` and written with sorted keys: the same input gives a
   byte-identical file.

Usage::

    .venv/bin/python scripts/train_topics.py [--data DIR_OR_FILE] [--output PATH] [--check]

``--check`` trains and compares with the committed file instead of writing it (exit 1 if it
differs). The training data (``<workspace>/shared/data/topic-gold``, BBC News 2004-05, for
non-commercial and research use only) is not part of the repository and is not shipped: only
the derived word weights are.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from archive.facets import topics as _topics  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "topic-gold"
DEFAULT_OUTPUT = REPO / "archive" / "facets" / "data" / "topics_model.json"

#: BBC section label → taxonomy display name.
LABEL_TO_TOPIC = {
    "business": "economy",
    "entertainment": "arts and culture",
    "politics": "politics",
    "sport": "sport",
    "tech": "science and technology",
}

#: Additive smoothing of the word counts.
ALPHA = 0.1
#: A word must occur in at least this many distinct training articles.
MIN_DF = 2
#: At most this many words are kept (the most informative, see the module docstring).
MAX_VOCAB = 12000
#: Candidate factors γ of the keyword term; the inner cross-validation picks one.
GAMMAS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
#: Weights are stored as integers in units of 1/SCALE.
SCALE = 100
#: Tempering: the model's word evidence counts as at most this many words' worth (sum of
#: log(1 + count)), about one paragraph; see docs/topics.md. Not tuned: the cross-validated
#: figures are flat for caps from 10 to 80.
EVIDENCE_CAP = 20.0
#: Folds of the inner cross-validation that chooses γ.
INNER_FOLDS = 5

#: Function words and reporting verbs: frequent everywhere, so left out of the vocabulary.
#: Compared after plural folding (:func:`archive.facets.topics.fold_token`).
STOP_WORDS = frozenset(_topics.fold_token(word) for word in """
a about after again against all also am an and any are as at be been before being between
both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me
more most my myself no nor not of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom
why will with would you your yours yourself yourselves
said say says mr mrs ms one two three year years
""".split())

_FORMAT = "archive-topics-nb/1"

Example = tuple[dict[str, int], dict[str, float]]


def featurize(title: str, body: str) -> Example:
    """The model features and the keyword scores (by topic name) of one article."""
    features = {w: n for w, n in _topics.model_features(title, body).items()
                if w not in STOP_WORDS}
    scores, _ = _topics.score_topics(title, body)
    return features, scores


# The first sentence: up to the first ".", "!" or "?" that is followed by white space and
# an upper-case letter, a digit or a quote (so "3.5%" does not end it).
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[\"'\u201c\u2018A-Z0-9])")


def short_item(title: str, body: str) -> tuple[str, str]:
    """The *short item* version of an article: its title and the first sentence of its body."""
    first = body.strip().split("\n", 1)[0].strip()
    return title, _SENTENCE_END.split(first, 1)[0]


def grouped_folds(keys: Sequence[str], labels: Sequence[str], k: int) -> list[int]:
    """A fold number (0 … k-1) for each item: equal keys share a fold, labels are spread evenly.

    Groups (distinct keys) are ordered by label, then by CRC32 of the key, and dealt out to the
    folds in turn: deterministic, stratified, and duplicates stay on the same side.
    """
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    order = sorted(first, key=lambda key: (labels[first[key]], zlib.crc32(key.encode("utf-8")),
                                           key))
    fold_of = {key: j % k for j, key in enumerate(order)}
    return [fold_of[key] for key in keys]


def _fit(examples: Sequence[Example], labels: Sequence[str], topic_order: Sequence[str],
         *, alpha: float = ALPHA, min_df: int = MIN_DF, max_vocab: int | None = MAX_VOCAB,
         ) -> tuple[list[float], dict[str, list[float]]]:
    """Naive Bayes log prior and centred word weights (floats, not yet rounded)."""
    index = {topic: c for c, topic in enumerate(topic_order)}
    width = len(topic_order)
    df: Counter[str] = Counter()
    for features, _ in examples:
        df.update(features.keys())
    vocab = sorted(w for w, n in df.items() if n >= min_df)
    mass = {w: [0.0] * width for w in vocab}
    for (features, _), label in zip(examples, labels):
        c = index[label]
        for word, count in features.items():
            row = mass.get(word)
            if row is not None:
                row[c] += math.log1p(count)
    totals = [0.0] * width
    for row in mass.values():
        for c in range(width):
            totals[c] += row[c]
    size = len(vocab)
    weights: dict[str, list[float]] = {}
    for word in vocab:
        row = [math.log((mass[word][c] + alpha) / (totals[c] + alpha * size))
               for c in range(width)]
        mean = sum(row) / width
        weights[word] = [v - mean for v in row]
    if max_vocab is not None and len(weights) > max_vocab:
        ranked = sorted(weights, key=lambda w: (-(df[w] * (max(weights[w]) - min(weights[w]))), w))
        weights = {w: weights[w] for w in sorted(ranked[:max_vocab])}
    counts = Counter(labels)
    prior = [math.log(counts[t] / len(labels)) if counts[t] else -50.0 for t in topic_order]
    return prior, weights


def _model_scores(prior: Sequence[float], weights: dict[str, Sequence[float]],
                  example: Example, topic_order: Sequence[str]) -> list[float]:
    """Tempered Naive Bayes scores without the keyword term (as in ``TopicModel.scores``)."""
    sums = [0.0] * len(prior)
    mass = 0.0
    for word, count in example[0].items():
        row = weights.get(word)
        if row is not None:
            value = math.log1p(count)
            mass += value
            for c in range(len(sums)):
                sums[c] += value * row[c]
    factor = min(1.0, EVIDENCE_CAP / mass) if mass else 0.0
    return [p + factor * s for p, s in zip(prior, sums)]


def _choose_gamma(examples: Sequence[Example], labels: Sequence[str], keys: Sequence[str],
                  topic_order: Sequence[str], *, alpha: float, min_df: int,
                  max_vocab: int | None, short_examples: Sequence[Example] | None) -> float:
    """γ by an inner grouped cross-validation on full articles and (if given) their short items.

    One-standard-error rule: the largest γ in :data:`GAMMAS` whose held-out accuracy is within
    one standard error of the best. A larger γ leans more on the hand-written keyword lexicon,
    which does not depend on the training set, so among figures that the data cannot tell
    apart the one that relies least on the training set is taken.
    """
    folds = grouped_folds(keys, labels, INNER_FOLDS)
    correct = [0] * len(GAMMAS)
    total = 0
    for k in range(INNER_FOLDS):
        train_idx = [i for i, f in enumerate(folds) if f != k]
        test_idx = [i for i, f in enumerate(folds) if f == k]
        if not train_idx or not test_idx:
            continue
        prior, weights = _fit([examples[i] for i in train_idx], [labels[i] for i in train_idx],
                              topic_order, alpha=alpha, min_df=min_df, max_vocab=max_vocab)
        weights = {w: [round(v * SCALE) / SCALE for v in row] for w, row in weights.items()}
        held_out = [(examples[i], labels[i]) for i in test_idx]
        if short_examples is not None:
            held_out += [(short_examples[i], labels[i]) for i in test_idx]
        total += len(held_out)
        for example, label in held_out:
            base = _model_scores(prior, weights, example, topic_order)
            keyword = [math.log1p(example[1].get(t, 0.0)) for t in topic_order]
            for g, gamma in enumerate(GAMMAS):
                z = [b + gamma * s for b, s in zip(base, keyword)]
                best = min(range(len(z)), key=lambda c: (-z[c], c))
                correct[g] += topic_order[best] == label
    if not total:
        return GAMMAS[0]
    best = max(correct) / total
    floor = best - math.sqrt(best * (1.0 - best) / total)
    return max(g for g, n in zip(GAMMAS, correct) if n / total >= floor)


def train_examples(examples: Sequence[Example], labels: Sequence[str], keys: Sequence[str], *,
                   alpha: float = ALPHA, min_df: int = MIN_DF,
                   max_vocab: int | None = MAX_VOCAB, gamma: float | None = None,
                   short_examples: Sequence[Example] | None = None,
                   meta: dict[str, object] | None = None) -> dict[str, object]:
    """Train on featurized articles (see :func:`featurize`); returns the model file's content.

    ``labels`` are taxonomy display names; ``keys`` identify duplicates (title + body): items
    with an already seen key are skipped. ``gamma`` fixes γ instead of choosing it by inner
    cross-validation; ``short_examples`` (the featurized :func:`short_item` of each article)
    make that choice count short items too. The model itself is fitted on full articles.
    """
    names = _topics.topic_names()
    seen: set[str] = set()
    kept: list[int] = []
    for i, key in enumerate(keys):
        if key not in seen:
            seen.add(key)
            kept.append(i)
    examples = [examples[i] for i in kept]
    labels = [labels[i] for i in kept]
    keys = [keys[i] for i in kept]
    if short_examples is not None:
        short_examples = [short_examples[i] for i in kept]
    unknown = sorted(set(labels) - set(names))
    if unknown:
        raise ValueError(f"labels that are not taxonomy topics: {unknown}")
    topic_order = [name for name in names if name in set(labels)]  # IPTC code order
    if len(topic_order) < 2:
        raise ValueError("need articles of at least two topics")
    if gamma is None:
        gamma = _choose_gamma(examples, labels, keys, topic_order, alpha=alpha,
                              min_df=min_df, max_vocab=max_vocab, short_examples=short_examples)
    prior, weights = _fit(examples, labels, topic_order,
                          alpha=alpha, min_df=min_df, max_vocab=max_vocab)
    quantized = {}
    for word in sorted(weights):
        row = [round(v * SCALE) for v in weights[word]]
        if any(row):
            quantized[word] = row
    return {
        "format": _FORMAT,
        **(meta or {}),
        "topics": topic_order,
        "articles": len(labels),
        "articles_per_topic": {t: labels.count(t) for t in topic_order},
        "settings": {"alpha": alpha, "min_df": min_df, "max_vocab": max_vocab,
                     "gammas": list(GAMMAS), "inner_folds": INNER_FOLDS,
                     "title_weight": _topics.TITLE_WEIGHT},
        "keyword_weight": gamma,
        "evidence_cap": EVIDENCE_CAP,
        "scale": SCALE,
        "prior": [round(v * SCALE) for v in prior],
        "vocabulary_size": len(quantized),
        "weights": quantized,
    }


def train(articles: Iterable[tuple[str, str, str]], **options: object) -> dict[str, object]:
    """Train on ``(title, body, topic)`` triples; returns the model file's content (a dict).

    ``topic`` is a taxonomy display name ("economy", "sport", ...). Options as for
    :func:`train_examples`. Deterministic: the same articles give the same result.
    """
    examples: list[Example] = []
    shorts: list[Example] = []
    labels: list[str] = []
    keys: list[str] = []
    for title, body, topic in articles:
        examples.append(featurize(title, body))
        shorts.append(featurize(*short_item(title, body)))
        labels.append(topic)
        keys.append(f"{title}\0{body}")
    return train_examples(examples, labels, keys, short_examples=shorts,
                          **options)  # type: ignore[arg-type]


def dumps(model: dict[str, object]) -> str:
    """The model as JSON text: header fields first, then one word a line, sorted."""
    header = {k: v for k, v in model.items() if k != "weights"}
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=True)},")
    weights = model["weights"]
    assert isinstance(weights, dict)
    rows = [f"    {json.dumps(w)}: {json.dumps(v, separators=(',', ':'))}"
            for w, v in sorted(weights.items())]
    lines.append('  "weights": {')
    lines.append(",\n".join(rows))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


PROVENANCE = {
    "description": ("Multinomial Naive Bayes word weights for the topic facet "
                    "(archive/facets/topics.py); see docs/topics.md."),
    "trained_by": "scripts/train_topics.py",
    "training_data": ("BBC News articles 2004-05 (the 'BBC' dataset of D. Greene and "
                      "P. Cunningham, ICML 2006, http://mlg.ucd.ie/datasets/bbc.html), "
                      "5 section labels mapped to taxonomy topics"),
    "licence_note": ("The training articles are (c) the BBC and were made available for "
                     "non-commercial and research purposes only; they are not shipped. This "
                     "file holds only derived per-word weights (single words found in at "
                     "least min_df articles), no text of the articles."),
}


def load_articles(path: Path) -> list[tuple[str, str, str]]:
    """``(title, body, topic)`` from the topic-gold ``articles.jsonl`` (ids are not used)."""
    if path.is_dir():
        path = path / "articles.jsonl"
    result = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                item = json.loads(line)
                result.append((item["title"], item["body"], LABEL_TO_TOPIC[item["label"]]))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"topic-gold directory or articles.jsonl (default: {DEFAULT_DATA})")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"model file to write (default: {DEFAULT_OUTPUT})")
    parser.add_argument("--check", action="store_true",
                        help="compare with the existing file instead of writing; exit 1 if stale")
    args = parser.parse_args(argv)
    target = args.data / "articles.jsonl" if args.data.is_dir() else args.data
    if not target.is_file():
        print(f"train_topics: training data not found at {target}", file=sys.stderr)
        return 2
    model = train(load_articles(target), meta=PROVENANCE)
    text = dumps(model)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            print(f"train_topics: {args.output} is stale; rerun without --check", file=sys.stderr)
            return 1
        print(f"train_topics: {args.output} is current")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"train_topics: wrote {args.output} ({len(text.encode('utf-8')):,} bytes, "
          f"{model['vocabulary_size']:,} words, keyword factor {model['keyword_weight']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
