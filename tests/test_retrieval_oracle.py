"""Search answers checked against an oracle nobody on the project wrote: SQLite FTS5 (with and
without Porter's stemmer) and regular expressions over the same titles and bodies
(``benchmarks/retrieval_oracle.py``), on a seeded pile of generated news text, per query
class; then named cases for each way search used to go wrong."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import api
from archive.cli import cli
from archive.query import Filters
from archive.store import open_index

ORACLE_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "retrieval_oracle.py"
SUBJECTS = (
    "The government", "Officials", "The ministry", "Investigators", "The committee", "Local leaders", "The company",
    "Residents of São Paulo", "Fans in München", "Traders in Łódź", "Coach Müller", "President Erdoğan",
)
VERBS = (
    "planned", "plans", "is planning", "ran", "is running", "runs", "stopped", "stops", "associated", "associates",
    "investigated", "is investigating", "announced", "denied", "delayed", "approved", "released", "were not released by",
)
OBJECTS = (
    "a government-backed scheme", "the market's reaction", "the markets", "3,000 new homes", "3000 jobs", "a 3-1 win",
    "a long-term plan", "the talks in the air", "a plan of the city", "the association", "the runners", "a stop-gap budget",
    "plans for the harbour", "the investigators' report", "0 cases", "an associate", "the running costs",
)
TAILS = (
    "on Monday.", "in May.", "after the vote.", "despite protests.", "as IT systems failed.", "for the US market.",
    "they don't know why.", "they don’t know why.", "with little support.", "in 2024.", "by the end of the year.",
)


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"


def write_pile(folder: Path, count: int = 160, seed: int = 7) -> list[dict[str, str]]:
    """``count`` generated articles as one JSON Lines file; returns the records."""
    rng = random.Random(seed)
    records = []
    for number in range(count):
        paragraphs = ["\n".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(1, 3))]
        records.append({
            "id": f"a{number:03d}",
            "title": sentence(rng).rstrip("."),
            "body": "\n\n".join(paragraphs),
            "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if number % 5 else None,
            "language": "en",
        })
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "pile.jsonl", "w", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return records


@pytest.fixture(scope="module")
def oracle_module():
    spec = importlib.util.spec_from_file_location("retrieval_oracle", ORACLE_PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("retrieval")
    write_pile(folder / "pile")
    report = api.ingest([folder / "pile"], folder / "index", jobs=1)
    assert report.added == 160 and not report.skipped
    return folder / "index"


def ids(index: Path, text: str | None, **options: object) -> set[str]:
    return {hit.fields["id"] for hit in api.search(text, index_path=index, limit=None, **options).hits}


def titles(index: Path, text: str | None, **options: object) -> set[str]:
    return {hit.fields["title"] for hit in api.search(text, index_path=index, limit=None, **options).hits}


# Query words of this pile whose articles under Porter's stemmer (FTS5) differ from those
# under Snowball's English stemmer (archive), found by retrieval_oracle.stemmer_differences:
# none for this vocabulary (the 5,000-article benchmark lists the ones it meets). The test
# fails if one appears, so that a difference is always named here.
STEMMER_DIFFERENCES: frozenset[str] = frozenset()


def compared_with_the_oracle(oracle_module, index: Path, seed: int, per_class: int, arrays: bool, named: frozenset[str]) -> dict:
    """Per-class figures of the generated queries on ``index`` (through the posting arrays of a
    long-lived reader, or the sets of the one-shot command line), after checking that the words
    whose Porter and Snowball groups differ are exactly the ``named`` ones."""
    import Stemmer

    with open_index(index).searcher() as searcher:
        articles = [(fields["id"], fields.get("title", ""), fields.get("body", "")) for fields in searcher.all_stored_fields()]
    oracle = oracle_module.Oracle(articles)
    stem = Stemmer.Stemmer("english").stemWord
    queries = oracle_module.generate(oracle, seed=seed, per_class=per_class, stem=stem)
    words = sorted({word for query in queries for word in query.words})
    differences = oracle_module.stemmer_differences(oracle, words, stem)
    assert set(differences) == named, sorted(differences)
    with api.Archive(index, arrays=arrays) as archive:
        return oracle_module.compare(
            oracle, queries, lambda text: {hit.fields["id"] for hit in archive.search(text, limit=None).hits}, set(differences)
        )


@pytest.mark.parametrize("arrays", [True, False], ids=["arrays", "sets"])
def test_every_query_class_gives_the_oracles_set(pile: Path, oracle_module, arrays: bool) -> None:
    figures = compared_with_the_oracle(oracle_module, pile, 3, 25, arrays, STEMMER_DIFFERENCES)
    assert set(figures) == set(oracle_module.CLASSES)
    for name, row in figures.items():
        assert row.queries >= 20, name
        assert row.equal >= 0.98 * row.queries, (name, row.differing)
        assert row.unstemmed_missed == 0, name


# The same for the fixture pile of real-looking news text (tests/fixtures/articles and the
# invented documents of tests/fixtures/entity_gold_tiny): no word of seeds 1 and 2 has
# different Porter and Snowball groups there.
FIXTURE_STEMMER_DIFFERENCES: frozenset[str] = frozenset()


@pytest.mark.parametrize("arrays", [True, False], ids=["arrays", "sets"])
def test_every_query_class_gives_the_oracles_set_on_the_fixture_pile(
    tmp_path_factory: pytest.TempPathFactory, oracle_module, arrays: bool
) -> None:
    fixtures = Path(__file__).resolve().parent / "fixtures"
    index = tmp_path_factory.mktemp("fixture-pile") / "index"
    report = api.ingest([fixtures / "articles", fixtures / "entity_gold_tiny" / "texts"], index, jobs=1)
    assert report.added >= 20
    for seed in (1, 2):
        figures = compared_with_the_oracle(oracle_module, index, seed, 12, arrays, FIXTURE_STEMMER_DIFFERENCES)
        assert set(figures) == set(oracle_module.CLASSES)
        for name, row in figures.items():
            assert row.queries == 12 and row.equal == row.queries, (seed, name, row.differing, row.explained)
            assert row.unstemmed_missed == 0, (seed, name)


def test_inflected_forms_are_found_by_the_base_word(pile: Path) -> None:
    for base, forms in (("plan", ("planned", "planning", "plans")), ("run", ("running", "runs")),
                        ("stop", ("stopped", "stops")), ("associate", ("associated", "associates"))):
        found = ids(pile, base)
        for form in forms:
            holding = ids(pile, f'="{form}"')
            assert holding and holding <= found, (base, form)
    # The NOT side is stemmed too: no article saying "investigating" survives NOT investigators.
    excluded = ids(pile, '="investigating"') | ids(pile, '="investigated"') | ids(pile, '="investigators"')
    kept = ids(pile, "plan AND NOT investigators")
    assert excluded and kept and not kept & excluded


def test_stop_words_count_in_phrases_and_can_be_searched(pile: Path) -> None:
    assert ids(pile, '"in the air"') == ids(pile, '="in the air"')
    assert ids(pile, '"plan of the city"') == ids(pile, '="plan of the city"') and not ids(pile, '"plan city"')
    assert ids(pile, '"were not released by"') == ids(pile, '="were not released by"')
    assert ids(pile, '"were not released by"') != ids(pile, '"were released"')
    for text in ("US", "May", "IT", '="of the"', '="in May"', "0", "3-1"):
        assert ids(pile, text), text


@pytest.mark.parametrize("arrays", [True, False], ids=["arrays", "sets"])
def test_stop_words_rank_low(pile: Path, arrays: bool) -> None:
    """A stop word counts, but little: every article holding the other word of an OR ranks
    above every article holding only the stop word (found and not dropped)."""
    with api.Archive(pile, arrays=arrays) as archive:
        for stop_word, word in (("the", "harbour"), ("of", "investigators"), ("in", "association"), ("us", "harbour")):
            holding = {hit.fields["id"] for hit in archive.search(word, limit=None).hits}
            ranked = [hit.fields["id"] for hit in archive.search(f"{stop_word} OR {word}", limit=None).hits]
            assert holding and len(ranked) > len(holding), (stop_word, word)
            assert set(ranked[: len(holding)]) == holding, (stop_word, word)


def test_hyphens_apostrophes_and_numbers_are_searched_as_written(pile: Path) -> None:
    assert ids(pile, "government-backed") == ids(pile, '="government-backed"') < ids(pile, "government")
    assert ids(pile, "market's") == ids(pile, '="market\'s"') < ids(pile, "market")
    assert ids(pile, "3,000") == ids(pile, "3000") == ids(pile, '="3,000"') | ids(pile, '="3000"')
    assert not ids(pile, "000")
    assert ids(pile, "3-1") == ids(pile, '="3-1"')


def test_accented_and_plain_spellings_find_the_same_articles(pile: Path) -> None:
    for written, plain in (("São", "Sao"), ("Erdoğan", "erdogan"), ("München", "munchen"), ("Łódź", "lodz"), ("Müller", "MULLER")):
        assert ids(pile, written) == ids(pile, plain) == ids(pile, f'="{written}"'), written


def test_exact_phrases_stay_within_one_field_and_treat_apostrophes_alike(tmp_path: Path) -> None:
    (tmp_path / "pile").mkdir()
    (tmp_path / "pile" / "a.jsonl").write_text(
        json.dumps({"id": "x1", "title": "Hopes rise for peace", "body": "Talks resumed on Monday in Doha."}) + "\n"
        + json.dumps({"id": "x2", "title": "Peace talks resume", "body": "Delegates met on Monday."}) + "\n"
        + json.dumps({"id": "x3", "title": "Voters", "body": "They don’t know whom to trust."}) + "\n"
        + json.dumps({"id": "x4", "title": "Voters", "body": "They don't know whom to trust."}) + "\n",
        encoding="utf-8",
    )
    api.ingest([tmp_path / "pile"], tmp_path / "index", jobs=1)
    titles = {hit.fields["title"] for hit in api.search('="peace talks"', index_path=tmp_path / "index").hits}
    assert titles == {"Peace talks resume"}
    assert len(ids(tmp_path / "index", '="don’t know"')) == len(ids(tmp_path / "index", '="don\'t know"')) == 2


@pytest.mark.parametrize("arrays", [True, False], ids=["arrays", "sets"])
def test_totals_are_exact_for_every_query_shape_and_limit(pile: Path, arrays: bool) -> None:
    with api.Archive(pile, arrays=arrays) as archive, archive.reader() as reader:
        for text in ("plan AND NOT market", "NOT stopped", '"the market" OR running', "associ*", "plan~", '="in May"'):
            every = {reader.searcher.stored_fields(number)["id"] for number in reader.matching(text, Filters())}
            for limit in (1, 3, None):
                result = archive.search(text, limit=limit)
                assert result.total == len(every), (text, limit)


@pytest.mark.parametrize("arrays", [True, False], ids=["arrays", "sets"])
def test_undated_articles_come_last_in_date_orders(pile: Path, arrays: bool) -> None:
    for options in ({"sort": "date"}, {}, {"sort": "oldest"}):
        with api.Archive(pile, arrays=arrays) as archive:
            hits = archive.search(None if not options else "plan", limit=None, **options).hits
        dates = [hit.fields.get("date_iso") or "" for hit in hits]
        dated = [value for value in dates if value]
        assert dates[: len(dated)] == dated and not any(dates[len(dated):]), options
        assert dated == sorted(dated, reverse=options.get("sort") != "oldest")


def test_dates_with_offsets_compare_as_instants(tmp_path: Path) -> None:
    (tmp_path / "pile").mkdir()
    rows = [
        {"title": "late", "body": "Written late in Bogotá on 1 March.", "date": "2024-03-01T23:30:00-05:00"},
        {"title": "early", "body": "Written early in Tokyo on 2 March.", "date": "2024-03-02T01:00:00+09:00"},
        {"title": "noon", "body": "Written at noon in London on 1 March.", "date": "2024-03-01T12:00:00+00:00"},
    ]
    (tmp_path / "pile" / "a.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    api.ingest([tmp_path / "pile"], tmp_path / "index", jobs=1)
    index = tmp_path / "index"
    from datetime import date

    second = Filters(since=date(2024, 3, 2), until=date(2024, 3, 2))
    assert titles(index, None, filters=second) == {"late"}  # 04:30 UTC on 2 March; Tokyo's 01:00 is 1 March 16:00 UTC
    hits = api.search(None, index_path=index, limit=None).hits
    assert [hit.fields["title"] for hit in hits] == ["late", "early", "noon"]
    assert api.show(hits[0].fields["id"], index_path=index)["date"] == "2024-03-01T23:30:00-05:00"  # shown as written


def test_other_languages_are_stemmed_in_their_own_language_and_cjk_is_found(tmp_path: Path) -> None:
    (tmp_path / "pile").mkdir()
    rows = [
        {"title": "de", "body": "Die Regierung plant neue Häuser in den Städten.", "language": "de"},
        {"title": "en", "body": "The government plans new houses in the cities.", "language": "en"},
        {"title": "zh", "body": "国家主席习近平在北京会见了来访的外国领导人。", "language": "zh"},
    ]
    (tmp_path / "pile" / "a.jsonl").write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    api.ingest([tmp_path / "pile"], tmp_path / "index", jobs=1)
    index = tmp_path / "index"
    assert titles(index, "Haus") == {"de"}  # German stems: Häuser → haus
    assert titles(index, "house") == {"en"}
    assert titles(index, "习近平") == titles(index, "北京") == {"zh"}
    assert not titles(index, "习北")


def test_query_language_errors_are_said(index_copy: Path) -> None:
    runner = CliRunner()
    for text, message in (("foo:bar", "unknown field 'foo'"), ('"peace talks', "unbalanced quote"), ("(gaza OR rafah", "unbalanced parentheses")):
        result = runner.invoke(cli, ["--index", str(index_copy), "search", text])
        assert result.exit_code == 1 and message in result.stderr, (text, result.stderr)
    by_query = ids(index_copy, "people:gantz")
    assert by_query and by_query == ids(index_copy, "person:gantz") == ids(index_copy, None, filters=Filters(values={"people": ("gantz",)}))


def test_facet_filters_fold_every_accent(tmp_path: Path) -> None:
    """Facet values with ø and ı are found by their plain spellings, in filters and in the query."""
    from archive.partitions import MANIFEST

    enriched = tmp_path / "enriched"
    enriched.mkdir()
    rows = [
        {"id": "k1", "path": "k1.txt", "title": "Philosophy", "body": "A lecture on Søren Kierkegaard.", "people": ["Søren Kierkegaard"]},
        {"id": "k2", "path": "k2.txt", "title": "Turkish politics", "body": "Kemal Kılıçdaroğlu spoke.", "people": ["Kemal Kılıçdaroğlu"]},
    ]
    (enriched / "part-00000.jsonl").write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    (enriched / MANIFEST).write_text(json.dumps({"format": "archive-enriched", "version": 1}), encoding="utf-8")
    api.ingest([enriched], tmp_path / "index", jobs=1)
    index = tmp_path / "index"
    assert ids(index, None, filters=Filters(values={"people": ("soren kierkegaard",)})) == {"k1"}
    assert ids(index, None, filters=Filters(values={"people": ("kilicdaroglu",)})) == {"k2"}
    assert ids(index, 'person:"soren kierkegaard"') == {"k1"}
    assert ids(index, "soren") == {"k1"} and ids(index, "kilicdaroglu") == {"k2"}  # the text, folded alike


def test_every_facet_filter_and_its_query_field_fold_accents(tmp_path: Path) -> None:
    """Accented and plain spellings find the same articles in every facet filter (places,
    organizations, actors, authors, source, topics, people), and the filter option's name in
    the query (``place:"sao paulo"``) answers as the option does."""
    from archive.partitions import MANIFEST

    enriched = tmp_path / "enriched"
    enriched.mkdir()
    rows = [
        {"id": "f1", "path": "f1.txt", "title": "Trip", "body": "A visit to São Paulo and Łódź.", "places": ["São Paulo", "Łódź"],
         "organizations": ["Türk Telekom"], "actors": ["Türk Telekom"], "author": "Søren Ødegaard", "authors": ["Søren Ødegaard"],
         "source": "Dagbladet Ærø", "topics": ["Économie"], "people": ["Recep Tayyip Erdoğan"]},
        {"id": "f2", "path": "f2.txt", "title": "Other", "body": "Nothing here.", "places": ["Paris"], "organizations": ["Turkish Airlines"],
         "author": "Jane Doe", "authors": ["Jane Doe"], "source": "Le Monde", "topics": ["Sport"], "people": ["Jane Doe"]},
    ]
    (enriched / "part-00000.jsonl").write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    (enriched / MANIFEST).write_text(json.dumps({"format": "archive-enriched", "version": 1}), encoding="utf-8")
    api.ingest([enriched], tmp_path / "index", jobs=1)
    index = tmp_path / "index"
    cases = (
        ("places", "place", "São Paulo", "sao paulo"), ("places", "place", "Łódź", "LODZ"),
        ("organizations", "org", "Türk Telekom", "turk telekom"), ("actors", "actor", "Türk Telekom", "turk telekom"),
        ("authors", "author", "Søren Ødegaard", "soren odegaard"), ("source", "source", "Dagbladet Ærø", "dagbladet aero"),
        ("topics", "topic", "Économie", "economie"), ("people", "person", "Erdoğan", "erdogan"),
    )
    for field_name, option, written, plain in cases:
        for spelling in (written, plain):
            assert ids(index, None, filters=Filters(values={field_name: (spelling,)})) == {"f1"}, (field_name, spelling)
            assert ids(index, f'{option}:"{spelling}"') == {"f1"}, (option, spelling)
        if option != "author":  # author: in the query is the written author line, a text field
            assert ids(index, f'{field_name}:"{plain}"') == {"f1"}, field_name


def test_export_and_timeline_count_dates_as_instants_with_undated_last(tmp_path: Path) -> None:
    (tmp_path / "pile").mkdir()
    rows = [
        {"title": "late", "body": "Written late in Bogotá on 1 March.", "date": "2024-03-01T23:30:00-05:00"},
        {"title": "early", "body": "Written early in Tokyo on 2 March.", "date": "2024-03-02T01:00:00+09:00"},
        {"title": "none", "body": "Written on a day nobody knows."},
        {"title": "noon", "body": "Written at noon in London on 1 March.", "date": "2024-03-01T12:00:00+00:00"},
    ]
    (tmp_path / "pile" / "a.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    api.ingest([tmp_path / "pile"], tmp_path / "index", jobs=1)
    index = tmp_path / "index"
    count, records = api.export(None, index_path=index)
    assert count == 4 and [record["title"] for record in records] == ["noon", "early", "late", "none"]
    found = api.timeline(None, index_path=index, by="day")
    assert found.periods == [("2024-03-01", 2), ("2024-03-02", 1)] and found.undated == 1  # Bogotá's 23:30 is 2 March in UTC
    runner = CliRunner()
    exported = runner.invoke(cli, ["--index", str(index), "export", "--fields", "title,date", "--format", "jsonl"])
    assert [json.loads(line)["title"] for line in exported.stdout.splitlines()] == ["noon", "early", "late", "none"]
    assert json.loads(exported.stdout.splitlines()[2])["date"] == "2024-03-01T23:30:00-05:00"  # shown as written
    for command in ("search", "export"):
        assert "undated" in " ".join(runner.invoke(cli, [command, "--help"]).stdout.split()), command


def test_filter_names_in_the_query_resolve_aliases_like_the_options(built_index: Path) -> None:
    """``country:usa``, ``org:ecb``, ``place:"united states"`` answer as ``--country usa``,
    ``--org ecb``, ``--place "united states"``: aliases to canonical names, case and accents."""
    for option, field_name, value in (("country", "countries", "usa"), ("country", "countries", "american"),
                                      ("org", "organizations", "ecb"), ("place", "places", "united states"),
                                      ("topic", "topics", "economy")):
        by_option = ids(built_index, None, filters=Filters(values={field_name: (value,)}))
        assert by_option, (option, value)
        assert ids(built_index, f'{option}:"{value}"') == ids(built_index, f'{field_name}:"{value}"') == by_option, (option, value)
