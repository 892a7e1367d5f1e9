"""Score the ``countries`` facet against a hand-checked sample (benchmarks/country_sample.jsonl).

The sample holds 60 documents, labelled by hand (blind to the product's output) with the set of
countries each mentions or is about, by canonical name (column 2 of
``archive/facets/data/countries.tsv``):

* 40 Reuters documents from ``<data>/entity-gold/texts/valid-*.txt`` (every 5th ``valid-`` id in
  sorted order, starting with ``valid-0000``). The first line is used as the title, the rest as
  the body.
* 20 BBC articles from ``<data>/topic-gold/articles.jsonl`` (every 100th line: lines 100, 200, ...,
  2000), title and body as given.

Only ids are stored in the sample; the texts are read from the shared data directory, which by
default is ``<workspace>/shared/data`` (``Path(__file__).resolve().parents[2] / "shared" / "data"``).

Historic states ("Soviet Union", "Yugoslavia", "East Germany") are labelled as named, but the
product deliberately keeps them as historic *areas* with no country, so they are left out of the
country figures and checked separately against the ``places`` facet.

Each document is run through ``archive.facets.extract.extract_facets``; the script prints micro
precision, recall and F1 over (document, country) pairs, the macro F1 (mean of per-document F1; a
document where both sets are empty scores 1), figures per source, and with ``--show-errors`` the
documents where the sets disagree (missing = labelled but not predicted, extra = predicted but not
labelled) with the label's note.

Usage::

    .venv/bin/python benchmarks/bench_countries.py [--data DIR] [--sample FILE] [--show-errors]
                                                   [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_SAMPLE = Path(__file__).resolve().parent / "country_sample.jsonl"
COUNTRIES_TSV = REPO / "archive" / "facets" / "data" / "countries.tsv"

sys.path.insert(0, str(REPO))


@dataclass(frozen=True)
class Labelled:
    """One hand-labelled document of the sample."""

    source: str
    id: str
    countries: frozenset[str]
    note: str = ""


@dataclass
class Result:
    """The product's output for one document, next to its label."""

    doc: Labelled
    gold: frozenset[str]
    predicted: frozenset[str]
    historic_gold: frozenset[str] = field(default_factory=frozenset)
    historic_found: frozenset[str] = field(default_factory=frozenset)

    @property
    def missing(self) -> list[str]:
        """Countries labelled but not predicted."""
        return sorted(self.gold - self.predicted)

    @property
    def extra(self) -> list[str]:
        """Countries predicted but not labelled."""
        return sorted(self.predicted - self.gold)

    @property
    def f1(self) -> float:
        """F1 of this document's sets (1.0 when both are empty)."""
        return f1_score(len(self.gold & self.predicted), len(self.predicted), len(self.gold))


def f1_score(hits: int, predicted: int, gold: int) -> float:
    """F1 from counts; 1.0 when nothing was labelled and nothing predicted."""
    if predicted == 0 and gold == 0:
        return 1.0
    if hits == 0:
        return 0.0
    precision, recall = hits / predicted, hits / gold
    return 2 * precision * recall / (precision + recall)


def canonical_countries(path: Path = COUNTRIES_TSV) -> set[str]:
    """The canonical country names (column 2 of countries.tsv)."""
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            names.add(line.split("\t")[1])
    return names


def load_sample(path: Path) -> list[Labelled]:
    """The labelled documents of the sample file, in file order."""
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            docs.append(
                Labelled(record["source"], record["id"], frozenset(record["countries"]), record.get("note", ""))
            )
    return docs


def load_texts(data: Path, docs: list[Labelled]) -> dict[str, tuple[str, str]]:
    """(title, body) of every sample document, read from the shared data directory ``data``."""
    texts: dict[str, tuple[str, str]] = {}
    wanted_bbc = {doc.id for doc in docs if doc.source == "topic-gold"}
    if wanted_bbc:
        with (data / "topic-gold" / "articles.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                if record["id"] in wanted_bbc:
                    texts[record["id"]] = (record["title"], record["body"])
    for doc in docs:
        if doc.source == "entity-gold":
            raw = (data / "entity-gold" / "texts" / f"{doc.id}.txt").read_text(encoding="utf-8")
            title, _, body = raw.partition("\n")
            texts[doc.id] = (title.strip(), body.strip())
    missing = [doc.id for doc in docs if doc.id not in texts]
    if missing:
        raise FileNotFoundError(f"documents not found in {data}: {', '.join(missing)}")
    return texts


def run(docs: list[Labelled], texts: dict[str, tuple[str, str]]) -> list[Result]:
    """Extract the facets of every document and pair them with the labels."""
    from archive.facets.extract import extract_facets
    from archive.models import Article

    countries = canonical_countries()
    results = []
    for doc in docs:
        title, body = texts[doc.id]
        facets = extract_facets(Article(id=doc.id, path=doc.id, title=title, body=body))
        historic = frozenset(name for name in doc.countries if name not in countries)
        results.append(
            Result(
                doc=doc,
                gold=doc.countries - historic,
                predicted=frozenset(facets.countries),
                historic_gold=historic,
                historic_found=historic & frozenset(facets.places),
            )
        )
    return results


def scores(results: list[Result]) -> dict[str, float]:
    """Micro precision, recall, F1 and macro F1 of ``results``."""
    hits = sum(len(r.gold & r.predicted) for r in results)
    predicted = sum(len(r.predicted) for r in results)
    gold = sum(len(r.gold) for r in results)
    return {
        "documents": len(results),
        "gold": gold,
        "predicted": predicted,
        "correct": hits,
        "precision": hits / predicted if predicted else 1.0,
        "recall": hits / gold if gold else 1.0,
        "f1": f1_score(hits, predicted, gold),
        "macro_f1": sum(r.f1 for r in results) / len(results) if results else 1.0,
    }


def print_report(results: list[Result], show_errors: bool) -> None:
    """Print the figures overall and per source, and optionally the disagreements."""
    groups = {"all": results}
    for source in sorted({r.doc.source for r in results}):
        groups[source] = [r for r in results if r.doc.source == source]
    print(f"{'set':<12} {'docs':>4} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'macroF1':>8}")
    for name, group in groups.items():
        s = scores(group)
        print(
            f"{name:<12} {s['documents']:>4} {s['gold']:>5} {s['predicted']:>5} "
            f"{s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} {s['macro_f1']:>8.3f}"
        )
    historic = [(r.doc.id, name, name in r.historic_found) for r in results for name in sorted(r.historic_gold)]
    if historic:
        found = sum(1 for *_, ok in historic if ok)
        print(f"\nhistoric states (scored against places, not countries): {found}/{len(historic)} found")
        for doc_id, name, ok in historic:
            print(f"  {doc_id:<22} {name:<14} {'found' if ok else 'MISSING from places'}")
    if show_errors:
        wrong = [r for r in results if r.missing or r.extra]
        print(f"\ndisagreements: {len(wrong)} of {len(results)} documents")
        for r in wrong:
            print(f"  {r.doc.id:<22} missing={r.missing} extra={r.extra}")
            if r.doc.note:
                print(f"  {'':<22} note: {r.doc.note}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data directory (default: %(default)s)")
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE, help="labelled sample (default: %(default)s)")
    parser.add_argument("--show-errors", action="store_true", help="list the documents whose country sets disagree")
    parser.add_argument("--json", action="store_true", help="print the figures and disagreements as JSON instead")
    args = parser.parse_args(argv)

    needed = [args.data / "entity-gold" / "texts", args.data / "topic-gold" / "articles.jsonl"]
    absent = [str(path) for path in needed if not path.exists()]
    if absent:
        print(f"error: gold data not found: {', '.join(absent)}; pass --data DIR (the shared data directory)", file=sys.stderr)
        return 2
    if not args.sample.exists():
        print(f"error: sample file not found: {args.sample}", file=sys.stderr)
        return 2
    docs = load_sample(args.sample)
    try:
        texts = load_texts(args.data, docs)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    results = run(docs, texts)
    if args.json:
        report = {
            "scores": scores(results),
            "disagreements": [
                {"id": r.doc.id, "missing": r.missing, "extra": r.extra} for r in results if r.missing or r.extra
            ],
            "historic": [
                {"id": r.doc.id, "name": name, "found": name in r.historic_found}
                for r in results
                for name in sorted(r.historic_gold)
            ],
        }
        print(json.dumps(report, indent=2))
    else:
        print_report(results, args.show_errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
