"""Train the entity recogniser (archive/facets/data/entities.crfsuite) from the shared entity gold.

The gold (``../shared/data/entity-gold``, see its README; research use only) lists, for each
document, the distinct people, organizations and places it names, not their positions. Training
tags are projected onto the tokens: every occurrence of a gold name (longest names first, no
overlaps) is tagged ``B-``/``I-`` with its kind; a string the gold gives two kinds in one document
is left untagged. Only ``train-`` documents are trained on; ``valid-`` documents pick the
regularisation (``--select``) and report token-level F1. Training is deterministic (L-BFGS, fixed
order), so the same data and options rebuild the same model.

Usage::

    .venv/bin/python scripts/train_entities.py                  # rebuild the shipped model
    .venv/bin/python scripts/train_entities.py --select         # try the SETTINGS on valid-
    .venv/bin/python scripts/train_entities.py --limit-docs 40 --output /tmp/m.crfsuite  # quick check
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from archive.facets.gazetteer import load_gazetteer  # noqa: E402
from archive.facets.lexicon import load_lexicon  # noqa: E402
from archive.facets.mentions import tokenize  # noqa: E402
from archive.facets.tagger import FeatureExtractor, Line, model_path, split_lines  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "entity-gold"
KINDS = {"people": "PER", "organizations": "ORG", "places": "LOC"}
DEFAULT_C1 = 0.1
DEFAULT_C2 = 0.1  # chosen on valid- span F1 among SETTINGS (docs/facets.md)
DEFAULT_ITERATIONS = 150
MIN_FEATURE_FREQUENCY = 1
SETTINGS = ((0.1, 0.01, 150), (0.05, 0.01, 150), (0.2, 0.01, 150), (0.1, 0.1, 150), (0.1, 0.01, 300), (0.05, 0.05, 200))


def load_gold(data: Path, prefix: str, limit: int | None = None) -> list[tuple[str, str, dict]]:
    """(id, text, gold record) of the documents whose id starts with ``prefix``, in id order."""
    records = [json.loads(line) for line in (data / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = sorted((record for record in records if record["id"].startswith(prefix)), key=lambda r: r["id"])
    if limit is not None:
        chosen = chosen[:limit]
    return [(r["id"], (data / "texts" / f"{r['id']}.txt").read_text(encoding="utf-8"), r) for r in chosen]


def project_tags(lines: list[Line], record: dict) -> list[list[str]]:
    """BIO tags for each line's tokens from the document's gold name sets."""
    kinds: dict[tuple[str, ...], set[str]] = {}
    for field, label in KINDS.items():
        for name in record.get(field, []):
            words = tuple(token.text for token in tokenize(name))
            if words:
                kinds.setdefault(words, set()).add(label)
    names = sorted(((words, next(iter(labels))) for words, labels in kinds.items() if len(labels) == 1), key=lambda item: -len(item[0]))
    tagged = []
    for line in lines:
        words = [token.text for token in line.tokens]
        tags = ["O"] * len(words)
        for name, label in names:
            size = len(name)
            for start in range(len(words) - size + 1):
                if tuple(words[start:start + size]) == name and all(tag == "O" for tag in tags[start:start + size]):
                    tags[start] = "B-" + label
                    for position in range(start + 1, start + size):
                        tags[position] = "I-" + label
        tagged.append(tags)
    return tagged


def build_sequences(documents: list[tuple[str, str, dict]], extractor: FeatureExtractor) -> list[tuple[list, list]]:
    """(features, tags) per line of every document."""
    sequences = []
    for _, text, record in documents:
        lines = split_lines(text)
        tags = dict(zip((line.number for line in lines), project_tags(lines, record)))
        for segment in extractor.document_segments(lines):
            sequences.append((segment.features, tags[segment.line.number][segment.first:segment.last]))
    return sequences


def train(sequences: list[tuple[list, list]], output: Path, c1: float, c2: float, iterations: int) -> None:
    """Train a CRF on the sequences and write it to ``output``."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, tags in sequences:
        trainer.append(features, tags)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": MIN_FEATURE_FREQUENCY,
        }
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))


def span_f1(model: Path, sequences: list[tuple[list, list]]) -> float:
    """Exact-span F1 of the model's tags against the projected tags."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    found = gold = correct = 0
    for features, tags in sequences:
        predicted = _spans(tagger.tag(features))
        expected = _spans(tags)
        found += len(predicted)
        gold += len(expected)
        correct += len(predicted & expected)
    precision = correct / found if found else 0.0
    recall = correct / gold if gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """(start, end, label) of the BIO spans."""
    spans = set()
    start, label = -1, ""
    for index, tag in enumerate(list(tags) + ["O"]):
        if tag == "O" or tag.startswith("B-") or tag[2:] != label:
            if start >= 0:
                spans.add((start, index, label))
            start, label = -1, ""
        if tag != "O" and start < 0:
            start, label = index, tag[2:]
    return spans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path, default=model_path())
    parser.add_argument("--limit-docs", type=int, default=None, help="train on the first N train- documents only")
    parser.add_argument("--c1", type=float, default=DEFAULT_C1)
    parser.add_argument("--c2", type=float, default=DEFAULT_C2)
    parser.add_argument("--iterations", type=int, default=DEFAULT_ITERATIONS)
    parser.add_argument("--select", action="store_true", help="compare regularisation settings on valid- documents")
    args = parser.parse_args()
    if not (args.data / "gold.jsonl").exists():
        print(f"entity gold not found under {args.data}", file=sys.stderr)
        return 2
    extractor = FeatureExtractor(load_lexicon(), load_gazetteer())
    started = time.perf_counter()
    training = build_sequences(load_gold(args.data, "train-", args.limit_docs), extractor)
    validation = build_sequences(load_gold(args.data, "valid-", args.limit_docs), extractor)
    print(f"{len(training)} training lines, {len(validation)} validation lines ({time.perf_counter() - started:.1f}s features)")
    if args.select:
        for c1, c2, iterations in SETTINGS:
            candidate = args.output.with_suffix(f".c1_{c1}_c2_{c2}_it_{iterations}.crfsuite")
            train(training, candidate, c1, c2, iterations)
            print(f"c1={c1} c2={c2} iterations={iterations}: valid span F1 {span_f1(candidate, validation):.4f}, "
                  f"{candidate.stat().st_size / 1e6:.2f} MB")
            candidate.unlink()
        return 0
    train(training, args.output, args.c1, args.c2, args.iterations)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - started:.1f}s")
    print(f"valid span F1 (projected tags): {span_f1(args.output, validation):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
