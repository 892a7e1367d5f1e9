"""Scale features: incremental ingest (unchanged, changed, deleted files), duplicates, --jobs
giving the same index as one process, sidecar facet counts, optimize."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import api, pipeline, workers
from archive.catalog import CATALOG_FILE
from archive.cli import cli
from archive.files import MAX_FILE_BYTES
from archive.query import parse_query
from archive.store import KEYWORD_FIELDS, open_index, segment_count, split_values

PLACES = ("Oslo", "Lyon", "Porto", "Dublin", "Vienna", "Prague", "Madrid", "Warsaw")


def body(number: int, revision: int = 0) -> str:
    """An article body that differs by number and revision."""
    place = PLACES[number % len(PLACES)]
    return (
        f"Mayor Anna Berg of {place} met Prime Minister Jonas Gahr Store on Monday to discuss report {number}.\n\n"
        f"Officials in {place} said the harbour and the railway need repairs, revision {revision}. " * 3
    )


def write_text(folder: Path, number: int, revision: int = 0) -> Path:
    path = folder / f"story-{number:02d}.txt"
    path.write_text(f"Title: Story {number}\nDate: 2024-03-{number % 28 + 1:02d}\n\n{body(number, revision)}\n")
    return path


def make_pile(folder: Path, count: int = 12) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [write_text(folder, number) for number in range(count)]
    with open(folder / "wire.jsonl", "w", encoding="utf-8") as wire:
        for number in range(100, 106):
            wire.write(json.dumps({"title": f"Wire {number}", "date": "2024-05-01", "body": body(number)}) + "\n")
    return paths


def backdate(*paths: Path) -> None:
    """Give files a modification time old enough to be trusted (not racy)."""
    old = time.time() - 60
    for path in paths:
        os.utime(path, (old, old))


@pytest.fixture()
def parse_counter(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every file that gets parsed (in this process: jobs=1)."""
    parsed: list[str] = []
    real = pipeline.extract_path

    def counting(path: Path, max_file_bytes: int = MAX_FILE_BYTES):  # type: ignore[no-untyped-def]
        parsed.append(path.name)
        return real(path, max_file_bytes)

    monkeypatch.setattr(pipeline, "extract_path", counting)
    return parsed


def ids_and_paths(index: Path) -> dict[str, str]:
    with open_index(index).searcher() as searcher:
        return {fields["id"]: fields["path"] for fields in searcher.all_stored_fields()}


def test_unchanged_files_are_not_parsed_again(tmp_path: Path, parse_counter: list[str]) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    paths = make_pile(corpus)
    backdate(*paths, corpus / "wire.jsonl")
    first = api.ingest([corpus], index, jobs=1)
    assert first.added == 18 and (index / CATALOG_FILE).exists()
    parse_counter.clear()
    again = api.ingest([corpus], index, jobs=1)
    assert parse_counter == []
    assert (again.added, again.updated, again.unchanged, again.files) == (0, 0, 18, 13)


def test_touched_but_identical_files_cost_a_hash_not_a_parse(tmp_path: Path, parse_counter: list[str]) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    paths = make_pile(corpus)
    api.ingest([corpus], index, jobs=1)
    os.utime(paths[0])  # new modification time, same content
    parse_counter.clear()
    again = api.ingest([corpus], index, jobs=1)
    assert parse_counter == []
    assert again.unchanged == 18


def test_changed_files_are_updated_and_lost_articles_removed(tmp_path: Path, parse_counter: list[str]) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    paths = make_pile(corpus)
    backdate(*paths, corpus / "wire.jsonl")
    api.ingest([corpus], index, jobs=1)
    write_text(corpus, 3, revision=77)
    lines = (corpus / "wire.jsonl").read_text().splitlines()
    (corpus / "wire.jsonl").write_text("\n".join(lines[:4]) + "\n")  # two wire articles gone
    parse_counter.clear()
    report = api.ingest([corpus], index, jobs=1)
    assert sorted(parse_counter) == ["story-03.txt", "wire.jsonl"]
    assert report.updated == 1 and report.added == 0
    assert len(ids_and_paths(index)) == 16
    assert api.search('"revision 77"', index_path=index).total == 1


def test_deleted_files_are_pruned_only_with_prune(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    paths = make_pile(corpus)
    api.ingest([corpus], index, jobs=1)
    paths[0].unlink()
    paths[1].unlink()
    kept = api.ingest([corpus], index, jobs=1)
    assert kept.pruned == 0 and len(ids_and_paths(index)) == 18
    runner = CliRunner()
    result = runner.invoke(cli, ["--index", str(index), "ingest", "--prune", "--jobs", "1", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "2 pruned" in result.output
    assert len(ids_and_paths(index)) == 16
    assert api.search("Story 0", index_path=index).total == 0 or all(
        hit.fields["title"] not in ("Story 0", "Story 1") for hit in api.search("story", index_path=index, limit=None).hits
    )


def test_prune_leaves_files_outside_the_given_folders(tmp_path: Path) -> None:
    index = tmp_path / "index"
    make_pile(tmp_path / "a", 3)
    (tmp_path / "b").mkdir()
    other = write_text(tmp_path / "b", 50)
    api.ingest([tmp_path / "a", tmp_path / "b"], index, jobs=1)
    other.unlink()
    report = api.ingest([tmp_path / "a"], index, jobs=1, prune=True)
    assert report.pruned == 0
    assert len(ids_and_paths(index)) == 3 + 6 + 1


def test_same_body_in_text_and_json_is_indexed_once_with_both_locations(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    text = write_text(corpus, 7)
    (corpus / "copy.json").write_text(json.dumps({"title": "Story 7 (wire copy)", "body": body(7), "date": "2024-03-08"}))
    report = api.ingest([corpus], index, jobs=1)
    assert report.added == 1 and report.duplicates == 1
    stored = ids_and_paths(index)
    assert len(stored) == 1
    (article_id,) = stored
    shown = api.show(article_id, index_path=index)
    assert [Path(path).name for path in shown["locations"]] == ["copy.json", "story-07.txt"]
    runner = CliRunner()
    output = runner.invoke(cli, ["--index", str(index), "show", article_id]).output
    assert "also at:" in output and "story-07.txt" in output
    as_json = json.loads(runner.invoke(cli, ["--index", str(index), "show", article_id, "--format", "json"]).output)
    assert len(as_json["locations"]) == 2
    assert text.exists()


def test_removing_the_indexed_copy_keeps_the_article_under_its_other_location(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    first = corpus / "a-first.txt"
    first.write_text(f"Title: Twin\n\n{body(9)}\n")
    write_text(corpus, 9)  # story-09.txt: the same body
    assert api.ingest([corpus], index, jobs=1).duplicates == 1
    first.unlink()
    api.ingest([corpus], index, jobs=1, prune=True)
    stored = ids_and_paths(index)
    assert len(stored) == 1 and list(stored.values())[0].endswith("story-09.txt")
    assert api.search("harbour", index_path=index).total == 1


def test_jobs_two_gives_the_same_index_as_one_process(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_pile(corpus, 20)
    (corpus / "dup.json").write_text(json.dumps({"title": "Dup", "body": body(4)}))
    one = api.ingest([corpus], tmp_path / "one", jobs=1, batch_size=7)
    two = api.ingest([corpus], tmp_path / "two", jobs=2, batch_size=7)
    assert one.summary() == two.summary()

    def contents(index: Path) -> dict[str, dict[str, object]]:
        with open_index(index).searcher() as searcher:
            return {fields["id"]: dict(fields) for fields in searcher.all_stored_fields()}

    assert contents(tmp_path / "one") == contents(tmp_path / "two")
    for field in ("people", "places", "countries", "topics"):
        assert api.facets(field, index_path=tmp_path / "one") == api.facets(field, index_path=tmp_path / "two")


def test_process_file_is_a_plain_top_level_function(tmp_path: Path) -> None:
    path = write_text(tmp_path, 1)
    info = path.stat()
    task = workers.FileTask(str(path), str(path), info.st_size, info.st_mtime_ns)
    result = workers.process_file(task)
    assert len(result.documents) == 1 and not result.problems
    same = workers.process_file(workers.FileTask(str(path), str(path), info.st_size, info.st_mtime_ns, result.hash))
    assert same.same_content and not same.documents


def counts_from_stored(index: Path, field: str, text: str | None) -> list[tuple[str, int]]:
    """Facet counts the slow way, from every hit's stored fields (the reference for the sidecar),
    with the archive-wide spellings of people applied as the library shows them."""
    from collections import Counter

    from whoosh.query import Every

    from archive.facetstore import person_spellings
    from archive.fields import PERSON_FIELDS

    with open_index(index).searcher() as searcher:
        query = parse_query(searcher.schema, text)[0] if text else Every()
        shown = person_spellings(searcher) if field in PERSON_FIELDS else {}
        counts: Counter[str] = Counter()
        for number in searcher.docs_for_query(query):
            counts.update({shown.get(value, value) for value in split_values(searcher.stored_fields(number).get(field))})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))


@pytest.mark.parametrize("field", KEYWORD_FIELDS)
def test_sidecar_facet_counts_equal_counts_from_stored_fields(built_index: Path, field: str) -> None:
    with api.Archive(built_index) as archive:
        for text in (None, "gaza", "said"):
            assert archive.facets(field, text) == counts_from_stored(built_index, field, text), (field, text)


def test_facet_counts_survive_updates_deletes_and_optimize(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_pile(corpus, 10)
    for round_ in range(3):  # several segments, some documents deleted by updates
        write_text(corpus, round_, revision=round_ + 1)
        api.ingest([corpus], index, jobs=1, optimize=False)
    assert segment_count(open_index(index)) > 1

    def both() -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        return api.facets("places", "harbour", index_path=index), counts_from_stored(index, "places", "harbour")

    fast, slow = both()
    assert fast == slow and fast
    result = CliRunner().invoke(cli, ["--index", str(index), "optimize"])
    assert result.exit_code == 0, result.output
    assert "merged into 1" in result.output
    assert segment_count(open_index(index)) == 1
    assert both()[0] == fast
    sidecars = [entry for entry in (index / "facets").iterdir() if not entry.name.startswith(("spellings.", "terms."))]
    assert sidecars and len({entry.name.split(".")[0] for entry in sidecars}) == 1
    assert len(list((index / "facets").glob("spellings.*"))) == 1  # the merged-away state's files are gone
    assert len(list((index / "facets").glob("terms.*"))) == len(KEYWORD_FIELDS)


def test_search_path_imports_no_extraction_code(built_index: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from archive.cli import cli\n"
        f"try: cli(['--index', {str(built_index)!r}, 'search', 'gaza', '--person', 'gantz'])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in ('bs4', 'lxml', 'archive.clean', 'archive.facets.extract', 'multiprocessing', 'sqlite3') if m in sys.modules), file=sys.stderr)"
    )
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert finished.stderr.strip().splitlines()[-1] == "[]"
