"""The single writer's speed-ups keep the index the same: text analysed by the workers, the
tiered merge policy, the end-of-ingest compaction and the bounded in-flight window."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import api, store, workers
from archive.store import analyse, open_index, open_or_create_index, segment_count, writer_fields

TEXTS = [
    "Benny Gantz met Jake Sullivan in Washington; the talks (on Rafah) ran late.",
    "U.S. officials said the U.N. vote, on 3.5% growth, is due at 10.30 a.m.",
    "Ça va? Öffentliche Straßen, İstanbul, ΑΘΗΝΑ and 東京 all appear — twice: İstanbul.",
    "the the THE a an and of to In it is",  # stop words only, in several cases
    "",
]


def document(number: int, text: str) -> dict[str, object]:
    """A plain index document (no facets) with ``text`` as title, body and author."""
    return {"id": f"doc-{number}", "path": f"/pile/{number}.txt", "title": text[:40], "body": text, "author": text[:20]}


def build(folder: Path, documents: list[dict[str, object]]) -> Path:
    """An index holding ``documents`` written as they are given."""
    folder.mkdir()
    index = open_or_create_index(folder)
    with store.locked_writer(index) as writer:
        for item in documents:
            writer.add_document(**writer_fields(item))
    return folder


def postings_and_stored(folder: Path) -> tuple[dict[str, list[tuple[bytes, list[int], list[bytes]]]], list[dict[str, object]]]:
    """Every posting (term, documents, encoded positions) of the text fields, and every stored document."""
    with open_index(folder).searcher() as searcher:
        reader = searcher.reader()
        terms: dict[str, list[tuple[bytes, list[int], list[bytes]]]] = {}
        for name in store.ANALYSED_FIELDS:
            for term in reader.lexicon(name):
                matcher = reader.postings(name, term)
                docs, values = [], []
                while matcher.is_active():
                    docs.append(matcher.id())
                    values.append(matcher.value())
                    matcher.next()
                terms.setdefault(name, []).append((term, docs, values))
        stored = [searcher.stored_fields(number) for number in range(searcher.doc_count_all())]
    return terms, stored


def test_documents_analysed_by_workers_give_the_same_index_as_plain_ones(tmp_path: Path) -> None:
    documents = [document(number, text) for number, text in enumerate(TEXTS)]
    plain = build(tmp_path / "plain", documents)
    analysed = build(tmp_path / "analysed", [analyse(item) for item in documents])
    assert postings_and_stored(analysed) == postings_and_stored(plain)
    terms, stored = postings_and_stored(analysed)
    assert {b"gantz", b"rafah", b"washington"} <= {term for term, _, _ in terms["body"]}
    assert stored[0]["body"] == TEXTS[0]  # the text is stored, not its terms


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_analysed_text_matches_whooshs_own_analysis(text: str) -> None:
    item = analyse(document(1, text))
    field = store.build_schema()["body"]
    expected = sorted(field.index(text)) if text else []
    got = sorted(item["_analysed"]["body"].terms()) if "body" in item["_analysed"] else []
    assert got == expected
    assert writer_fields(item)["_stored_body"] == text if text else "_stored_body" not in writer_fields(item)


# Words, numbers with separators, accents, CJK runs, apostrophes, dashes, underscores and
# Greek final sigma: every branch of the analyser's pattern.
ANALYSER_ALPHABET = st.sampled_from(list("aAbéÉßøłıİΣσς東京語한国 ,.-'’_0123456789\n\t") + ["3,000", "12,345,678", "ΟΔΟΣ", "naïve"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(ANALYSER_ALPHABET, max_size=80).map("".join),
    st.sampled_from([None, "en", "de", "fr", "tr", "el", "ru", "zh", "ja", "xx"]),
    st.sampled_from(store.ANALYSED_FIELDS),
)
def test_positions_terms_equal_whooshs_own_analysis(text: str, language: str | None, field_name: str) -> None:
    """The writer's fast analysis gives Whoosh's tuples, in Whoosh's order, for every field and language."""
    field = store.build_schema()[field_name]
    assert store.positions_terms(field, text, language) == list(field.index(text, lang=language))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300), st.sampled_from([None, "en", "tr", "el"]))
def test_index_terms_equal_the_analysers_tokens(text: str, language: str | None) -> None:
    from archive.analysis import index_terms, tokens

    assert index_terms(text, language) == [term for term, _, _ in tokens(text, language)]


def test_positions_terms_on_article_text() -> None:
    """Repeated words (positions as deltas), a title's field boost, stems and numbers."""
    text = "Talks resumed. The talks, on 3,000 troops, resumed in Geneva; talks again."
    schema = store.build_schema()
    for name in ("title", "body"):
        got = store.positions_terms(schema[name], text, "en")
        assert got == list(schema[name].index(text, lang="en"))
    terms = {term: (count, weight) for term, count, weight, _ in store.positions_terms(schema["title"], text, "en")}
    assert terms[b"talk"] == (3, 6.0) and terms[b"3000"] == (1, 2.0) and terms[b"resum"] == (2, 4.0)


def test_fingerprint_ignores_the_analysed_terms() -> None:
    item = document(1, TEXTS[0])
    assert store.fingerprint(analyse(item)) == store.fingerprint(item)


def make_stories(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"story-{number:03d}.txt").write_text(
            f"Title: Story {number}\n\nReport number {number} from the harbour of Bergen, filed by the desk.\n"
        )


def test_many_small_commits_are_merged_by_tier(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_stories(corpus, 35)
    report = api.ingest([corpus], index, jobs=1, batch_size=1, optimize=False)
    assert report.added == 35
    # 35 one-article commits: every ten one-digit segments were merged into one, so far
    # fewer segments remain than commits, and every article is still found once.
    count = segment_count(open_index(index))
    assert count < 35 and count <= 2 * (store.MERGE_FAN_IN - 1)
    result = api.search("harbour", index_path=index, limit=100)
    assert result.total == 35 and len({hit.fields["id"] for hit in result.hits}) == 35


def test_an_ingest_leaves_at_most_max_segments(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    make_stories(corpus, 35)
    api.ingest([corpus], index, jobs=1, batch_size=1)
    assert segment_count(open_index(index)) <= store.MAX_SEGMENTS
    assert api.search("harbour", index_path=index, limit=100).total == 35


def fake_segment(count: int) -> SimpleNamespace:
    return SimpleNamespace(doc_count_all=lambda: count, name=f"segment-{count}")


@pytest.mark.parametrize(
    ("sizes", "merged"),
    [
        ([500] * 9, []),  # nine of a tier: nothing to do yet
        ([500] * 10, [500] * 10),  # ten of a tier merge into one of the next
        ([5500] * 3 + [500] * 10 + [2], [500] * 10),  # smallest full tier only
        ([7, 5500, 900], []),
    ],
)
def test_merge_by_tier_merges_a_full_tier(monkeypatch: pytest.MonkeyPatch, sizes: list[int], merged: list[int]) -> None:
    taken: list[int] = []
    monkeypatch.setattr(store, "_merge_into", lambda writer, segments: taken.extend(s.doc_count_all() for s in segments))
    segments = [fake_segment(size) for size in sizes]
    kept = store.merge_by_tier(None, segments)
    assert sorted(taken) == sorted(merged)
    assert len(kept) == len(sizes) - len(merged)


def test_merge_smallest_keeps_the_largest(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[int] = []
    monkeypatch.setattr(store, "_merge_into", lambda writer, segments: taken.extend(s.doc_count_all() for s in segments))
    segments = [fake_segment(size) for size in (40, 3, 900, 12, 7, 5000)]
    kept = store.merge_smallest(4)(None, segments)
    # three smallest merged into the new segment: with the three largest kept, four remain
    assert sorted(taken) == [3, 7, 12]
    assert sorted(s.doc_count_all() for s in kept) == [40, 900, 5000]
    assert store.merge_smallest(6)(None, segments) == segments


def test_in_flight_is_bounded_in_files_and_bytes() -> None:
    bound = workers.InFlight(minimum=2, max_files=5, max_bytes=100)
    task = lambda size: workers.FileTask("p", "p", size, 0)  # noqa: E731
    big = task(1000)
    bound.add(big)
    bound.add(big)
    assert bound.files == 2 and not bound.has_room()  # over the bytes, past the minimum
    bound.remove(big)
    assert bound.has_room()  # under the minimum again
    bound.remove(big)
    for _ in range(5):
        assert bound.has_room()
        bound.add(task(1))
    assert not bound.has_room()  # the file limit


def test_pool_results_come_back_in_order_whatever_their_size(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_stories(corpus, 6)
    with open(corpus / "story-002.jsonl", "w", encoding="utf-8") as wire:  # a big file among small ones
        for number in range(300):
            wire.write(json.dumps({"title": f"Wire {number}", "body": f"Wire report {number} from Bergen."}) + "\n")
    paths = sorted(corpus.iterdir())
    tasks = [workers.FileTask(str(path), str(path), path.stat().st_size, 0) for path in paths]
    with workers.FilePool(2) as pool:
        results = list(pool.run(tasks))
    assert [result.task.path for result in results] == [str(path) for path in paths]
    assert sum(len(result.documents) for result in results) == 306
