"""Sidecars written with their segment (archive.sidecars) hold exactly what reading the segment
back gives (postingstore.build, facetstore.build_sidecar), after commits, updates and merges;
those of a commit that never completed are removed by the next ingest."""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path

import pytest

from archive import facetstore, postingstore, sidecars
from archive.errors import ArchiveError
from archive.fields import FIELD_NAMES
from archive.indexer import ingest, optimize
from archive.store import open_index

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def make_pile(folder: Path, count: int) -> Path:
    """The fixture articles and ``count`` short stories naming people, places and organizations."""
    shutil.copytree(FIXTURES, folder)
    people = ["Benny Gantz", "Jake Sullivan", "Kamala Harris", "Olaf Scholz"]
    places = ["Bergen", "Geneva", "Cairo", "Washington"]
    for number in range(count):
        person, place = people[number % len(people)], places[number % len(places)]
        (folder / f"story-{number:03d}.txt").write_text(
            f"Title: {person} in {place}\n\n{person} met officials of the United Nations in {place} on "
            f"Monday, report {number} said. The talks on aid ran late, {person} told reporters.\n",
            encoding="utf-8",
        )
    return folder


def segment_as_written(leaf, name: str) -> tuple[list[str], list[tuple[int, ...]]]:  # type: ignore[no-untyped-def]
    """A facet sidecar read from the segment's raw postings, deleted documents included (as
    the posting sidecar is): a sidecar written with its segment, or before any deletion."""
    values: list[str] = []
    per_doc: list[list[int]] = [[] for _ in range(leaf.doc_count_all())]
    if name in leaf.indexed_field_names():
        for raw in leaf.lexicon(name):
            for number in postingstore.posting_arrays(postingstore.raw_postings(leaf, name, raw))[0].tolist():
                per_doc[number].append(len(values))
            values.append(raw.decode("utf-8"))
    return values, [tuple(row) for row in per_doc]


def sidecars_on_disk_match_the_segments(index: Path) -> int:
    """Assert every segment's sidecars equal what reading the segment gives; return how many segments."""
    segments = 0
    with open_index(index).reader() as reader:
        for leaf, _ in reader.leaf_readers():
            segment_id = leaf.segment().segment_id()
            on_disk = postingstore.postings_path(index, segment_id).read_bytes()
            assert on_disk == postingstore.encode(*postingstore.build(leaf)), segment_id
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else set()
            for name in FIELD_NAMES:
                values, per_doc = marshal.loads(facetstore.sidecar_path(index, segment_id, name).read_bytes())
                assert (values, per_doc) == segment_as_written(leaf, name), (segment_id, name)
                read_back_values, read_back = facetstore.build_sidecar(leaf, name)  # skips deleted documents
                assert values == read_back_values
                assert [row for number, row in enumerate(per_doc) if number not in deleted] == [
                    row for number, row in enumerate(read_back) if number not in deleted
                ]
            segments += 1
    return segments


def test_sidecars_written_with_each_segment_equal_those_read_back(tmp_path: Path) -> None:
    pile = make_pile(tmp_path / "pile", 12)
    index = tmp_path / "index"
    built: list[str] = []
    original = postingstore.build

    def counting_build(reader, *args):  # type: ignore[no-untyped-def]
        built.append(reader.segment().segment_id())
        return original(reader, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(postingstore, "build", counting_build)
        report = ingest([pile], index, batch_size=4)
    assert report.added >= 12
    assert built == []  # prebuild found every segment's sidecar already written
    assert sidecars_on_disk_match_the_segments(index) >= 3
    with open_index(index).searcher() as searcher:
        people = facetstore.value_counts(searcher, "people", index)
        stored = [searcher.stored_fields(number).get("people", "").split(",") for number in range(searcher.doc_count_all())]
    assert people["Benny Gantz"] == sum("Benny Gantz" in names for names in stored) >= 3


def test_sidecars_stay_exact_after_updates_and_merges(tmp_path: Path) -> None:
    pile = make_pile(tmp_path / "pile", 12)
    index = tmp_path / "index"
    ingest([pile], index, batch_size=5)
    story = pile / "story-001.txt"
    story.write_text("Title: Olaf Scholz in Cairo\n\nOlaf Scholz spoke in Cairo about the aid convoy.\n", encoding="utf-8")
    (pile / "story-002.txt").unlink()
    ingest([pile], index, batch_size=5, prune=True)
    sidecars_on_disk_match_the_segments(index)
    before, after = optimize(index)
    assert before > 1 and after == 1
    assert sidecars_on_disk_match_the_segments(index) == 1


def test_sidecars_of_a_commit_that_never_completed_are_removed_next_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from whoosh.writing import SegmentWriter

    pile = make_pile(tmp_path / "pile", 6)
    index = tmp_path / "index"
    ingest([pile], index, batch_size=100)
    kept = {entry.name for entry in (index / "facets").iterdir()}
    (pile / "story-000.txt").write_text("Title: New\n\nKamala Harris visited Geneva.\n", encoding="utf-8")

    def fail(self, segments):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")  # after the segment's files, before its table of contents

    sidecars.install()
    monkeypatch.setattr(SegmentWriter, "_commit_toc", fail)
    with pytest.raises((OSError, ArchiveError)):
        ingest([pile], index, batch_size=100)
    orphans = {entry.name for entry in (index / "facets").iterdir()} - kept
    assert any(name.endswith(f".postings.v{postingstore.POSTINGS_VERSION}") for name in orphans)
    monkeypatch.undo()
    ingest([pile], index, batch_size=100)
    live = {leaf.segment().segment_id() for leaf, _ in open_index(index).reader().leaf_readers()}
    for entry in (index / "facets").iterdir():
        owner = entry.name.split(".", 1)[0]
        assert owner in live or not owner.startswith("MAIN_"), entry.name
    sidecars_on_disk_match_the_segments(index)


def test_a_second_ctrl_c_while_sidecars_are_written_abandons_the_commit_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C, then Ctrl-C again while the last commit writes its new segment's sidecars: the
    commit is abandoned, index and catalog stay as the previous commit left them, and the
    next ingest completes with exact sidecars and no leftovers."""
    pile = make_pile(tmp_path / "pile", 8)
    index = tmp_path / "index"
    ingest([pile], index, batch_size=100)
    with open_index(index).searcher() as searcher:
        before = sorted(fields["id"] for fields in searcher.all_stored_fields())
    for number in range(8, 14):
        (pile / f"story-{number:03d}.txt").write_text(f"Title: Later {number}\n\nKamala Harris visited Cairo, report {number}.\n", encoding="utf-8")

    def first_ctrl_c(path: str, report) -> None:  # type: ignore[no-untyped-def]
        if report.read >= 3:
            raise KeyboardInterrupt

    def second_ctrl_c(self, doc_count):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(sidecars.PostingRecorder, "posting_sidecar", second_ctrl_c)
    report = ingest([pile], index, batch_size=100, progress=first_ctrl_c)
    assert report.interrupted and report.abandoned >= 3
    with open_index(index).searcher() as searcher:
        assert sorted(fields["id"] for fields in searcher.all_stored_fields()) == before
    assert not [entry.name for entry in (index / "facets").iterdir() if entry.name.endswith(".tmp")]
    monkeypatch.undo()
    again = ingest([pile], index, batch_size=100)
    assert again.added == 6
    sidecars_on_disk_match_the_segments(index)
    live = {leaf.segment().segment_id() for leaf, _ in open_index(index).reader().leaf_readers()}
    assert {entry.name.split(".", 1)[0] for entry in (index / "facets").iterdir() if entry.name.startswith("MAIN_")} == live
