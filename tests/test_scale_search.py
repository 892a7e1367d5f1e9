"""Search-path speed features: person spellings stored per index state, the zero-copy segment
stream, exact hit counts, bounded highlighting and the reusable :class:`archive.api.Archive`."""

from __future__ import annotations

import json
from pathlib import Path

from archive import api
from archive._light import MemoryStream
from archive.facets.aliases import canonical_names
from archive.facetstore import SIDECAR_FOLDER, SPELLINGS_PREFIX, person_spellings, spellings_key
from archive.store import open_index


def spelling_files(index: Path) -> list[Path]:
    return sorted((index / SIDECAR_FOLDER).glob(f"{SPELLINGS_PREFIX}*"))


def reference_spellings(searcher) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The spellings computed from stored fields: every name with its count of live articles."""
    from collections import Counter

    from archive.store import split_values

    counts: Counter[str] = Counter({raw.decode(): 0 for raw in searcher.lexicon("people")})
    for fields in searcher.all_stored_fields():
        counts.update(set(split_values(fields.get("people"))))
    return canonical_names(dict(counts))


def add_article(folder: Path, name: str, title: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps({"title": title, "date": "2024-06-01", "body": text}) + "\n")


def test_spellings_are_built_by_ingest_and_match_the_reference(index_copy: Path) -> None:
    files = spelling_files(index_copy)
    assert len(files) == 1
    with open_index(index_copy).searcher() as searcher:
        assert files[0].name.startswith(f"{SPELLINGS_PREFIX}{spellings_key(searcher)}")
        assert person_spellings(searcher) == reference_spellings(searcher)
        assert person_spellings(searcher, None) == person_spellings(searcher, index_copy)


def test_spellings_are_loaded_not_recomputed(index_copy: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import archive.facets.aliases as aliases

    def refuse(counts: dict[str, int]) -> dict[str, str]:
        raise AssertionError("spellings recomputed")

    monkeypatch.setattr(aliases, "canonical_names", refuse)
    with open_index(index_copy).searcher() as searcher:
        assert person_spellings(searcher)


def test_spellings_follow_the_index_state(index_copy: Path, tmp_path: Path) -> None:
    with open_index(index_copy).searcher() as searcher:
        before = person_spellings(searcher)
    assert "Zebulon Quartermaine" not in before
    more = tmp_path / "more"
    add_article(
        more, "new.jsonl", "Quartermaine visits",
        "Zebulon Quartermaine arrived on Monday. Quartermaine said the talks went well, Zebulon Quartermaine added.",
    )
    api.ingest([more], index_copy)
    files = spelling_files(index_copy)
    assert len(files) == 1  # the earlier state's file was removed
    with open_index(index_copy).searcher() as searcher:
        after = person_spellings(searcher)
        assert after == reference_spellings(searcher)
    assert after.get("Zebulon Quartermaine") == "Zebulon Quartermaine"


def test_a_missing_spellings_file_is_computed_and_saved(index_copy: Path) -> None:
    for path in spelling_files(index_copy):
        path.unlink()
    with open_index(index_copy).searcher() as searcher:
        shown = person_spellings(searcher)
        assert shown == reference_spellings(searcher)
    assert len(spelling_files(index_copy)) == 1


def test_memory_stream_reads_like_a_file() -> None:
    data = b"first line\nsecond\nthird"
    stream = MemoryStream(memoryview(data))
    assert stream.read(5) == b"first"
    assert stream.tell() == 5
    assert stream.readline() == b" line\n"
    assert list(stream) == [b"second\n", b"third"]
    assert stream.seek(-5, 2) == len(data) - 5
    assert stream.read() == b"third"
    assert stream.read(3) == b""
    stream.seek(0)
    target = bytearray(6)
    assert stream.readinto(target) == 6 and bytes(target) == b"first "
    stream.seek(2)
    stream.seek(3, 1)
    assert stream.read(1) == b" "


def test_snippets_equal_whooshs_highlights(built_index: Path) -> None:
    from whoosh import highlight

    from archive.query import Filters
    from archive.snippets import SNIPPET_CHARS, Snippets, _MarkFormatter

    compared = 0
    with api.Archive(built_index) as archive, archive.reader() as reader:
        for text in ("gaza", "ceasefire OR talks", '"prime minister"', "said", "hostages AND israel", "aid*"):
            results = reader.searcher.search(reader.query(text, Filters())[0], limit=None, terms=True)
            results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80)
            results.formatter = _MarkFormatter()
            snippets = Snippets(results, "body")
            assert snippets.fast  # the fast path is the one compared
            for hit in results:
                assert snippets.of(hit, hit["body"]) == hit.highlights("body", top=2)
                compared += 1
    assert compared > 10


def test_snippets_fall_back_for_other_analyzers(tmp_path: Path) -> None:
    from whoosh import index as whoosh_index
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import TEXT, Schema

    from archive.snippets import Snippets

    schema = Schema(body=TEXT(analyzer=StandardAnalyzer(), stored=True))
    index = whoosh_index.create_in(str(tmp_path), schema)
    with index.writer() as writer:
        writer.add_document(body="The harbour of Oslo needs repairs, officials said.")
    with index.searcher() as searcher:
        from whoosh.query import Term

        results = searcher.search(Term("body", "harbour"), terms=True)
        snippets = Snippets(results, "body")
        assert not snippets.fast
        assert "\x02harbour\x03" in snippets.of(results[0], results[0]["body"])


def test_archive_handle_answers_like_the_functions(index_copy: Path) -> None:
    with api.Archive(index_copy) as archive:
        assert archive.search("gaza").total == api.search("gaza", index_path=index_copy).total
        assert [hit.fields["id"] for hit in archive.search("gaza", limit=3).hits] == [
            hit.fields["id"] for hit in api.search("gaza", index_path=index_copy, limit=3).hits
        ]
        assert archive.facets("people") == api.facets("people", index_path=index_copy)
        assert api.search("gaza", index_path=archive).total == api.search("gaza", index_path=index_copy).total
        assert api.facets("countries", "gaza", index_path=archive) == api.facets("countries", "gaza", index_path=index_copy)
        assert api.timeline("gaza", index_path=archive).total == api.timeline("gaza", index_path=index_copy).total
        assert str(archive) == str(index_copy)
        assert api.show(archive.search("gaza", limit=1).hits[0].fields["id"], index_path=archive)["id"]


def test_archive_handle_sees_new_commits(index_copy: Path, tmp_path: Path) -> None:
    with api.Archive(index_copy) as archive:
        assert archive.search("quartermaine").total == 0
        before = archive.search(None, limit=1).total
        more = tmp_path / "more"
        add_article(more, "new.jsonl", "Quartermaine visits", "Zebulon Quartermaine arrived in Oslo on Monday.")
        api.ingest([more], index_copy)
        assert archive.search("quartermaine").total == 1
        assert archive.search(None, limit=1).total == before + 1
        assert any(name == "Zebulon Quartermaine" for name, _ in archive.facets("people", "quartermaine"))


def test_archive_handle_follows_curation_changes(index_copy: Path) -> None:
    from archive.curation import Curation, save_curation

    with api.Archive(index_copy) as archive:
        name, count = archive.facets("people")[0]
        save_curation(index_copy, Curation(rename={"people": {name: "Someone Renamed"}}))
        assert ("Someone Renamed", count) in archive.facets("people")


def test_archive_handle_is_closed_cleanly(index_copy: Path) -> None:
    import pytest

    from archive.errors import ArchiveError

    archive = api.Archive(index_copy)
    archive.close()
    archive.close()
    with pytest.raises(ArchiveError):
        archive.search("gaza")
    with pytest.raises(ArchiveError):
        api.Archive(index_copy / "missing")


def test_search_counts_are_exact(index_copy: Path) -> None:
    from archive.query import Filters

    with api.Archive(index_copy) as archive, archive.reader() as reader:
        for text in ("gaza", "said", "ceasefire OR talks", "said AND NOT gaza", 'NOT "prime minister"'):
            every = len(list(reader.searcher.docs_for_query(reader.query(text, Filters())[0])))
            assert api.search(text, index_path=index_copy, limit=1).total == every
            assert api.search(text, index_path=index_copy, limit=2, sort="date").total == every


def test_lean_gazetteer_answers_like_the_whole_one() -> None:
    from archive.facets.gazetteer import load_gazetteer
    from archive.query import _lean_gazetteer

    whole = load_gazetteer()
    for value in ("Israel", "us", "U.S.", "Rafah", "Gaza's", "georgia", "Kyiv", "Israeli", "Israelis", "Nowhereland", "", "new york"):
        lean = _lean_gazetteer(value)
        assert lean.lookup(value) == whole.lookup(value), value
        assert lean.country_of_demonym(value) == whole.country_of_demonym(value), value


def test_folded_values_match_the_lexicon(index_copy: Path) -> None:
    from archive.facetstore import TERMS_PREFIX, folded_values
    from archive.folding import fold_key
    from archive.store import KEYWORD_FIELDS

    assert len(list((index_copy / SIDECAR_FOLDER).glob(f"{TERMS_PREFIX}*"))) == len(KEYWORD_FIELDS)
    with open_index(index_copy).searcher() as searcher:
        for name in KEYWORD_FIELDS:
            expected = sorted((raw.decode(), fold_key(raw.decode())) for raw in searcher.lexicon(name))
            assert folded_values(searcher, name) == expected, name


def test_match_count_equals_whooshs_count_with_deletions(tmp_path: Path) -> None:
    from whoosh.query import And, AndNot, NullQuery, Or, Term

    from archive.postings import match_count
    from archive.query import parse_query

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    places = ("Oslo", "Lyon", "Porto", "Dublin")
    for number in range(12):
        add_article(
            corpus, f"a{number:02d}.jsonl", f"Story {number}",
            f"Mayor Anna Berg of {places[number % 4]} met Jonas Store about the harbour, report {number}. Officials said repairs wait.",
        )
    api.ingest([corpus], index, optimize=False)
    for number in (1, 2, 5):  # updates delete the old documents in the first segment
        add_article(corpus, f"a{number:02d}.jsonl", f"Story {number} revised", f"Officials in Oslo said the railway needs work, revision {number}.")
    api.ingest([corpus], index, optimize=False)
    with open_index(index).searcher() as searcher:
        assert searcher.ixreader.has_deletions() or any(leaf.reader().has_deletions() for leaf, _ in searcher.leaf_searchers())
        queries = [parse_query(searcher.schema, text)[0] for text in ("said", "harbour", "oslo AND railway", "oslo OR lyon", "said NOT harbour", '"railway needs"', "rail*")]
        queries += [
            parse_query(searcher.schema, "harbor~")[0],
            And([Term("places", "Oslo"), Term("body", "said")]),
            Or([Term("places", "Lyon"), Term("places", "Nowhere")]),
            AndNot(Term("body", "said"), Term("places", "Oslo")),
            And([Term("body", "said"), NullQuery]),
            Term("nosuchfield", "x"),
        ]
        for query in queries:
            expected = len(list(searcher.docs_for_query(query)))
            assert match_count(searcher, query) == expected, query
        assert person_spellings(searcher) == reference_spellings(searcher)


def test_spellings_key_changes_with_deletions(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    for number in range(4):
        add_article(corpus, f"a{number}.jsonl", f"Story {number}", f"Benjamin Netanyahu met Jonas Store in Oslo, report {number}.")
    api.ingest([corpus], index, optimize=False)
    with open_index(index).searcher() as searcher:
        first = spellings_key(searcher)
    add_article(corpus, "a1.jsonl", "Story 1 revised", "Binyamin Netanyahu spoke in Oslo again.")
    api.ingest([corpus], index, optimize=False)
    with open_index(index).searcher() as searcher:
        assert spellings_key(searcher) != first
        assert person_spellings(searcher) == reference_spellings(searcher)
    assert len(spelling_files(index)) == 1


def test_sidecar_counts_count_a_shared_name_once_per_document(index_copy: Path) -> None:
    from collections import Counter

    from whoosh.query import Every

    from archive.facetstore import count_values
    from archive.postings import leaf_matches
    from archive.query import parse_query
    from archive.store import split_values

    with open_index(index_copy).searcher() as searcher:
        documents = [split_values(fields.get("countries")) for fields in searcher.all_stored_fields()]
        pairs = Counter((a, b) for values in documents for a in values for b in values if a < b)
        (first, second), _ = pairs.most_common(1)[0]  # two values held together by some articles
        shown = {first: "Merged", second: "Merged"}
        expected: Counter[str] = Counter()
        for values in documents:
            expected.update({shown.get(value, value) for value in values})
        assert count_values(searcher, Every(), "countries", index_copy, shown) == expected
        query = parse_query(searcher.schema, "said")[0]
        for leaf, _ in searcher.leaf_searchers():
            assert leaf_matches(leaf, query) == list(query.docs(leaf))
