"""Benchmark article extraction on the article-extraction-benchmark pages (quality and speed).

The data (181 real news pages with human-marked article bodies) lives outside the repository,
in ``<workspace>/shared/data/article-extraction-benchmark/`` (``html/<id>.html.gz`` and
``ground-truth.json``); see its README. Scoring reproduces the upstream ``evaluate.py``
exactly: tokens are ``\\w+`` matches, shingles are runs of 4 tokens counted with
multiplicity, each page's tp/fp/fn are normalised by their sum, precision and recall are the
means over pages (those with predicted, respectively gold, shingles) and F1 is computed from
the two means.

The package's cleaner (:func:`archive.clean.clean_record`: parsing, metadata, main text,
language) runs over every page, then, in the same process and one after the other,
trafilatura (with its defaults, and without comments as upstream runs it) and readability-lxml
when they are installed (``pip install -e '.[bench]'``). Speed is pages per second over the
same in-memory pages; the extractors take turns for ``--repeat`` timing passes and the median
is reported.

Usage::

    .venv/bin/python benchmarks/bench_extraction.py [--data DIR] [--repeat K] [--only archive]
                                                    [--worst N] [--metadata FILE] [--heldout [DIR]]

Besides the table, the script prints archive's scores on two deterministic halves of the pages
(ids whose first hex digit is even / odd; one half can be held out while tuning) and the
accuracy per metadata field against the hand-checked sample in
``benchmarks/extraction_metadata_sample.json``. ``--heldout`` also scores archive and
trafilatura on the 16 pages of ``benchmarks/heldout_pages/`` (written for issue 18 and frozen
before any tuning; aggregate figures only). Exit status 2 when the data is missing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "article-extraction-benchmark"
DEFAULT_SAMPLE = Path(__file__).resolve().parent / "extraction_metadata_sample.json"
DEFAULT_HELDOUT = Path(__file__).resolve().parent / "heldout_pages"
METADATA_FIELDS = ("title", "date", "author", "source", "url", "language")

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# --- scoring (upstream evaluate.py) ---------------------------------------------------------

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
Counts = tuple[float, float, float]


def shingles(text: str | None, size: int = 4) -> Counter[tuple[str, ...]]:
    """The runs of ``size`` consecutive ``\\w+`` tokens of ``text``, with multiplicity.

    A text with fewer than ``size`` tokens gives one shorter shingle (none when empty).
    """
    tokens = _TOKEN_RE.findall(text or "")
    return Counter(
        tuple(tokens[i:i + size]) for i in range(max(1, len(tokens) - size + 1)) if tokens[i:i + size]
    )


def page_counts(true: str | None, pred: str | None) -> Counts:
    """A page's (tp, fp, fn) over shingles, divided by their sum so every page weighs the same."""
    gold, guess = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for key in gold.keys() | guess.keys():
        t, p = gold.get(key, 0), guess.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def scores(counts: list[Counts]) -> dict[str, float]:
    """Precision, recall (means over pages) and F1 (of the two means), as upstream."""
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def page_f1(counts: Counts) -> float:
    """One page's F1 (for listing the worst pages)."""
    precision, recall = _precision(*counts), _recall(*counts)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def half_of(page_id: str) -> str:
    """The deterministic half a page belongs to: ``"A"`` (first hex digit even) or ``"B"``."""
    return "A" if int(page_id[0], 16) % 2 == 0 else "B"


# --- extractors -----------------------------------------------------------------------------


@dataclass
class Extractor:
    """A named text extractor: a function from an HTML string to the article text."""

    name: str
    run: Callable[[str], str | None]


def _version(distribution: str) -> str:
    try:
        return importlib_metadata.version(distribution)
    except importlib_metadata.PackageNotFoundError:
        return "?"


def archive_extractor() -> Extractor:
    """The package's cleaner, as ``archive ingest`` runs it on a web page."""
    from archive.clean import clean_record
    from archive.models import RawRecord

    def run(html: str) -> str:
        return clean_record(RawRecord("page.html", "", "html", html)).body

    return Extractor(f"archive {_version('archive')}", run)


def peer_extractors() -> tuple[list[Extractor], list[str]]:
    """trafilatura (defaults; without comments) and readability-lxml, those importable."""
    found: list[Extractor] = []
    missing: list[str] = []
    try:
        import trafilatura
    except ImportError as error:
        missing.append(f"trafilatura ({error})")
    else:
        version = _version("trafilatura")
        found.append(Extractor(f"trafilatura {version} (defaults)", trafilatura.extract))
        found.append(Extractor(
            f"trafilatura {version} (no comments)",
            lambda html: trafilatura.extract(html, include_comments=False),
        ))
    try:
        import lxml.html
        from readability import Document
    except ImportError as error:
        missing.append(f"readability-lxml ({error})")
    else:
        def readability(html: str) -> str:
            summary = Document(html).summary(html_partial=True)
            return _html_text(lxml.html.fragment_fromstring(summary, create_parent="div"))

        found.append(Extractor(f"readability-lxml {_version('readability-lxml')}", readability))
    return found, missing


_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 "
    "h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul".split()
)


def _html_text(element: Any) -> str:
    """Visible text of an lxml element with line breaks at block boundaries (as html-text)."""
    from lxml import etree

    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if tag and node.text:
                parts.append(node.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if node.tail and node is not element:
                parts.append(node.tail)
    return re.sub(r"\n\s*\n+", "\n\n", "".join(parts)).strip()


# --- running --------------------------------------------------------------------------------


def load_pages(data: Path) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """The pages (id → HTML text) and the ground truth (id → record)."""
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    pages = {}
    for page_id in sorted(truth):
        with gzip.open(data / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8") as handle:
            pages[page_id] = handle.read()
    return pages, truth


def run_once(extractor: Extractor, pages: dict[str, str]) -> tuple[dict[str, str | None], float]:
    """The extractor's output for every page and the pages per second it managed."""
    outputs: dict[str, str | None] = {}
    start = time.perf_counter()
    for page_id, html in pages.items():
        try:
            outputs[page_id] = extractor.run(html)
        except Exception as error:  # a peer crashing on a page scores that page as empty
            print(f"  {extractor.name} failed on {page_id}: {error!r}", file=sys.stderr)
            outputs[page_id] = None
    elapsed = time.perf_counter() - start
    return outputs, len(pages) / elapsed if elapsed else float("inf")


# --- metadata -------------------------------------------------------------------------------


def _fold(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).casefold()
    return " ".join(_TOKEN_RE.findall(text))


def _names(value: Any) -> set[str]:
    if isinstance(value, list):
        items = value
    else:
        items = re.split(r"\s*(?:,|;|\band\b|&)\s*", str(value or ""))
    return {_fold(item) for item in items if _fold(item)}


def _url_key(value: Any) -> str:
    text = str(value or "").strip()
    text = re.sub(r"^https?://(?:www\.)?", "", text, flags=re.I)
    return text.split("#", 1)[0].split("?", 1)[0].rstrip("/").lower()


def metadata_match(field: str, expected: Any, found: Any) -> bool:
    """Whether an extracted metadata value agrees with the hand-checked one.

    Titles and site names compare ignoring case, quotes, punctuation and spacing; dates by
    their day (``YYYY-MM-DD``); authors as sets of names; URLs ignoring scheme, ``www.``,
    query, fragment and a trailing slash; languages by primary subtag. ``None`` expects no
    value; a list gives acceptable alternatives.
    """
    if isinstance(expected, list):
        return any(metadata_match(field, alternative, found) for alternative in expected)
    if expected is None:
        return not found
    if not found:
        return False
    if field == "date":
        return str(found)[:10] == str(expected)[:10]
    if field == "author":
        return _names(found) == _names(expected)
    if field == "url":
        return _url_key(found) == _url_key(expected)
    if field == "language":
        return str(found).lower().split("-")[0] == str(expected).lower().split("-")[0]
    return _fold(found) == _fold(expected)


def metadata_report(pages: dict[str, str], sample_path: Path, verbose: bool) -> None:
    """Print the accuracy per metadata field against the hand-checked sample."""
    from archive.clean import clean_record
    from archive.models import RawRecord

    if not sample_path.is_file():
        print(f"\nmetadata: sample {sample_path} not found, skipped")
        return
    sample = json.loads(sample_path.read_text("utf-8"))["pages"]
    right = Counter()
    total = Counter()
    misses: list[str] = []
    for page_id, expected in sorted(sample.items()):
        if page_id not in pages:
            continue
        article = clean_record(RawRecord("page.html", "", "html", pages[page_id]))
        for field in METADATA_FIELDS:
            if field not in expected:
                continue
            found = getattr(article, field)
            total[field] += 1
            if metadata_match(field, expected[field], found):
                right[field] += 1
            else:
                misses.append(f"  {page_id[:12]} {field}: expected {expected[field]!r}, got {found!r}")
    pages_checked = sum(1 for page_id in sample if page_id in pages)
    print(f"\nmetadata accuracy on {pages_checked} hand-checked pages ({sample_path.name})")
    print(f"{'field':<10} {'right':>9} {'accuracy':>9}")
    for field in METADATA_FIELDS:
        if total[field]:
            print(f"{field:<10} {right[field]:>4}/{total[field]:<4} {right[field] / total[field]:>9.3f}")
    if verbose and misses:
        print("misses:")
        print("\n".join(misses))


# --- held-out pages -------------------------------------------------------------------------


_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2018": "'", "\u2019": "'", "\u201a": "'"})


def title_contained(expected: str, found: str | None) -> bool:
    """Whether the titles agree, one contained in the other (case, quotes and spacing folded)."""
    def fold(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().split())

    if not found:
        return False
    a, b = fold(expected), fold(found)
    return a in b or b in a


def heldout_report(directory: Path) -> None:
    """Score archive (and trafilatura, when installed) once on the frozen held-out pages.

    ``directory`` holds ``NN.html`` pages and ``expected.json`` (body, title, date, language per
    page), written by hand before any tuning; see its README. Body F1 uses the benchmark's
    scoring; titles match when one contains the other; dates by their day.
    """
    from archive.clean import clean_record
    from archive.models import RawRecord

    expected = json.loads((directory / "expected.json").read_text("utf-8"))
    pages = {key: (directory / f"{key}.html").read_text("utf-8") for key in sorted(expected)}
    counts: list[Counts] = []
    right = Counter()
    for key, html in pages.items():
        article = clean_record(RawRecord(f"{key}.html", "", "html", html))
        counts.append(page_counts(expected[key]["body"], article.body))
        right["title"] += title_contained(expected[key]["title"], article.title)
        right["date"] += metadata_match("date", expected[key]["date"], article.date)
        right["language"] += metadata_match("language", expected[key]["language"], article.language)
    score = scores(counts)
    total = len(pages)
    print(f"\nheld-out pages ({total}, {directory}):")
    print(f"archive      body F1 {score['f1']:.3f}  P {score['precision']:.3f}  R {score['recall']:.3f}  "
          f"title {right['title']}/{total}  date {right['date']}/{total}  language {right['language']}/{total}")
    try:
        import trafilatura
    except ImportError:
        return
    peer_counts: list[Counts] = []
    peer_right = Counter()
    for key, html in pages.items():
        document = trafilatura.bare_extraction(html, with_metadata=True)
        body = getattr(document, "text", None) if document is not None else None
        title = getattr(document, "title", None) if document is not None else None
        date = getattr(document, "date", None) if document is not None else None
        peer_counts.append(page_counts(expected[key]["body"], body))
        peer_right["title"] += title_contained(expected[key]["title"], title)
        peer_right["date"] += metadata_match("date", expected[key]["date"], date)
    score = scores(peer_counts)
    print(f"trafilatura  body F1 {score['f1']:.3f}  P {score['precision']:.3f}  R {score['recall']:.3f}  "
          f"title {peer_right['title']}/{total}  date {peer_right['date']}/{total}")


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"benchmark directory (default: {DEFAULT_DATA})")
    parser.add_argument("--repeat", type=int, default=3, metavar="K",
                        help="timing passes per extractor; the median is reported (default 3)")
    parser.add_argument("--only", choices=("archive", "all"), default="all",
                        help="run only the package's cleaner, or the peers too (default all)")
    parser.add_argument("--worst", type=int, default=0, metavar="N",
                        help="also list archive's N worst pages by F1")
    parser.add_argument("--metadata", type=Path, default=DEFAULT_SAMPLE, metavar="FILE",
                        help="hand-checked metadata sample (default: %(default)s)")
    parser.add_argument("--misses", action="store_true", help="list every metadata miss")
    parser.add_argument("--heldout", nargs="?", const=DEFAULT_HELDOUT, type=Path, default=None,
                        metavar="DIR", help="also score the frozen held-out pages (default DIR: "
                        f"{DEFAULT_HELDOUT}); aggregate figures only")
    args = parser.parse_args(argv)

    if not (args.data / "ground-truth.json").is_file() or not (args.data / "html").is_dir():
        print(f"bench_extraction: benchmark data not found at {args.data}\n"
              "  (expected <workspace>/shared/data/article-extraction-benchmark/ with "
              "ground-truth.json and html/; pass --data DIR)", file=sys.stderr)
        return 2

    pages, truth = load_pages(args.data)
    extractors = [archive_extractor()]
    if args.only == "all":
        peers, missing = peer_extractors()
        extractors += peers
        for name in missing:
            print(f"not installed, skipped: {name} (pip install -U 'pip>=24'; pip install -e '.[bench]')")

    # Timing passes go round the extractors in turn, so that the load of a shared machine
    # weighs on all of them alike; quality comes from the first pass (outputs do not vary).
    outputs: dict[str, dict[str, str | None]] = {}
    speeds: dict[str, list[float]] = {extractor.name: [] for extractor in extractors}
    for _ in range(max(args.repeat, 1)):
        for extractor in extractors:
            output, speed = run_once(extractor, pages)
            outputs.setdefault(extractor.name, output)
            speeds[extractor.name].append(speed)
    results = []
    archive_counts: dict[str, Counts] = {}
    for extractor in extractors:
        counts = {page_id: page_counts(truth[page_id].get("articleBody", ""), outputs[extractor.name][page_id])
                  for page_id in pages}
        if extractor is extractors[0]:
            archive_counts = counts
        results.append((extractor.name, scores(list(counts.values())), statistics.median(speeds[extractor.name])))

    print(f"\n{len(pages)} pages from {args.data}; speed = median of {max(args.repeat, 1)} passes "
          "taken in turns")
    print(f"{'extractor':<34} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>8}")
    for name, score, speed in results:
        print(f"{name:<34} {score['f1']:>6.3f} {score['precision']:>6.3f} "
              f"{score['recall']:>6.3f} {speed:>8.1f}")
    trafilatura_speeds = [speed for name, _, speed in results if name.startswith("trafilatura")]
    if trafilatura_speeds:
        print(f"speed ratio archive / trafilatura (defaults): {results[0][2] / trafilatura_speeds[0]:.2f}")

    print("\narchive on the two halves of the pages (first hex digit of the id even / odd)")
    for half in ("A", "B"):
        half_counts = [c for page_id, c in archive_counts.items() if half_of(page_id) == half]
        score = scores(half_counts)
        print(f"half {half} ({len(half_counts)} pages): F1 {score['f1']:.3f}  "
              f"P {score['precision']:.3f}  R {score['recall']:.3f}")

    if args.worst:
        print(f"\narchive's {args.worst} worst pages (F1, P, R, url)")
        ranked = sorted(archive_counts.items(), key=lambda item: page_f1(item[1]))[:args.worst]
        for page_id, counts in ranked:
            print(f"  {page_id[:12]} {page_f1(counts):.3f} {_precision(*counts):.3f} "
                  f"{_recall(*counts):.3f} {truth[page_id].get('url', '')}")

    metadata_report(pages, args.metadata, args.misses)
    if args.heldout is not None:
        heldout_report(args.heldout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
