"""Where an ingested article's CPU goes, stage by stage, and one writer against several.

In one process, over the first ``--files`` files of a pile: CPU (``process_time``) an article
of reading, cleaning, facets (and of it the entity tagger), the index document, the index
analysis (Whoosh's ``field.index`` against ``store.positions_terms``) and the Whoosh writer
(one commit, sidecars included). Then the same analysed articles written by one Whoosh
writer and by Whoosh's ``MpWriter`` (``--procs`` sub-writers, each its own segment), CPU of
this process and of its children from ``getrusage``, ``--rounds`` times each, alternating.

    .venv/bin/python benchmarks/bench_writer.py ~/.cache/archive-bench/pile-10000 --files 600

Wrap it in ``flock /tmp/archive-bench.lock`` on a shared machine.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from archive import sidecars
from archive.catalog import body_hash, file_hash
from archive.clean import clean_record
from archive.facets import extract as facet_extraction
from archive.facets.extract import extract_facets
from archive.indexer import IngestReport, _write
from archive.sources import iter_records
from archive.store import (
    ANALYSED_FIELDS,
    Analysed,
    analyse,
    build_schema,
    document_for,
    merge_by_tier,
    writable_index,
    writer_fields,
)

BIG = 10**9


def stage_times(files: list[Path], scratch: Path) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """CPU seconds of each stage over ``files``, and the analysed documents."""
    totals: dict[str, float] = {}
    clock = time.process_time

    def add(stage: str, seconds: float) -> None:
        totals[stage] = totals.get(stage, 0.0) + seconds

    for record in iter_records(files[0], BIG):  # load word lists and models before timing
        if not isinstance(record, Exception):
            extract_facets(clean_record(record))
    tagger = facet_extraction.learned_mentions

    def timed_tagger(*args: Any, **kwargs: Any) -> Any:
        start = clock()
        found = tagger(*args, **kwargs)
        add("  of which the entity tagger (learned_mentions)", clock() - start)
        return found

    facet_extraction.learned_mentions = timed_tagger
    schema = build_schema()
    documents: list[dict[str, Any]] = []
    try:
        for path in files:
            start = clock()
            file_hash(path)
            records = [record for record in iter_records(path, BIG) if not isinstance(record, Exception)]
            add("read and hash", clock() - start)
            for record in records:
                start = clock()
                try:
                    article = clean_record(record)
                except Exception:  # counted as a problem by a real ingest
                    continue
                add("clean", clock() - start)
                if not article.body.strip():
                    continue
                start = clock()
                facets = extract_facets(article)
                add("facets", clock() - start)
                start = clock()
                document = document_for(article, facets)
                body_hash(article.body)
                add("index document and hashes", clock() - start)
                language = document.get("language") or None
                start = clock()
                for name in ANALYSED_FIELDS:
                    if document.get(name):
                        Analysed.of(schema[name].index(document[name], lang=language))
                add("analysis: Whoosh's field.index (before)", clock() - start)
                start = clock()
                documents.append(analyse(document))
                add("analysis: store.positions_terms (after)", clock() - start)
    finally:
        facet_extraction.learned_mentions = tagger
    unique = list({document["id"]: document for document in documents}.values())
    sidecars.install()
    with writable_index(scratch / "stages") as index:
        start = clock()
        _write(index, unique, set(), set(), IngestReport())
        add("Whoosh writer, one commit, sidecars included", clock() - start)
    return totals, unique


def cpu_now() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def write_once(documents: list[dict[str, Any]], folder: Path, procs: int) -> tuple[float, float]:
    """Write ``documents`` into a fresh index with one writer (``procs`` 1) or Whoosh's MpWriter;
    CPU seconds of this process and of the children."""
    shutil.rmtree(folder, ignore_errors=True)
    with writable_index(folder) as index:
        own, children = cpu_now()
        if procs == 1:
            writer = index.writer(limitmb=256)
        else:
            from whoosh.multiproc import MpWriter

            writer = MpWriter(index, procs=procs, batchsize=500, multisegment=True, limitmb=256 // procs)
        for document in documents:
            writer.add_document(**writer_fields(document))
        writer.commit(mergetype=merge_by_tier)
        own_after, children_after = cpu_now()
    return own_after - own, children_after - children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pile", type=Path, help="a folder of articles (e.g. a bench_scale pile)")
    parser.add_argument("--files", type=int, default=600, help="files to read [600]")
    parser.add_argument("--procs", type=int, default=2, help="MpWriter sub-writers [2]")
    parser.add_argument("--rounds", type=int, default=3, help="writer runs each, alternating [3]")
    args = parser.parse_args()
    files = sorted(path for path in args.pile.rglob("*") if path.is_file() and not path.name.startswith("."))[: args.files]
    if not files:
        raise SystemExit(f"no files under {args.pile}")
    with tempfile.TemporaryDirectory(prefix="bench-writer-") as scratch_name:
        scratch = Path(scratch_name)
        totals, documents = stage_times(files, scratch)
        count = len(documents)
        print(f"{count} articles from {len(files)} files; CPU an article, one process:")
        for stage, seconds in totals.items():
            print(f"  {stage:50s} {seconds * 1000 / count:6.2f} ms")
        print(f"writer CPU an article, one writer against MpWriter({args.procs}) (this process + children):")
        for _ in range(args.rounds):
            for procs in (1, args.procs):
                own, children = write_once(documents, scratch / "writer", procs)
                label = "one writer" if procs == 1 else f"MpWriter({procs})"
                print(f"  {label:14s} {(own + children) * 1000 / count:6.2f} ms (this process {own * 1000 / count:.2f}, children {children * 1000 / count:.2f})")


if __name__ == "__main__":
    main()
