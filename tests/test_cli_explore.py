"""Did you mean, timelines, export, richer queries, output formats and quiet/verbose."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli

SEED_TITLE = "US Vice President Kamala Harris is scheduled for a Monday meeting with Israeli Defense Minister Benny Gantz at the White House."


def run(*args: str, index: Path | None = None, env: dict[str, str] | None = None):
    prefix = ["--index", str(index)] if index else []
    return CliRunner().invoke(cli, [*prefix, *args], env=env, catch_exceptions=False)


def titles_of(index: Path, *args: str) -> set[str]:
    result = run("search", *args, "--format", "json", "--limit", "100", index=index)
    assert result.exit_code == 0, result.output
    return {hit["title"] for hit in json.loads(result.stdout)["hits"]}


@pytest.fixture(scope="module")
def phrase_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two articles telling exact from stemmed phrases apart."""
    folder = tmp_path_factory.mktemp("phrases")
    (folder / "a.txt").write_text("Title: Plural\nDate: 2024-01-05\n\nThe peace talks resumed in Doha on Monday.", encoding="utf-8")
    (folder / "b.txt").write_text("Title: Singular\nDate: 2024-03-20\n\nA peace talk was held, briefly, in Oslo.", encoding="utf-8")
    index = folder / "index"
    assert run("ingest", str(folder), index=index).exit_code == 0
    return index


def test_did_you_mean_for_a_person(built_index: Path) -> None:
    result = run("search", "--person", "Netanyhu", index=built_index)
    assert result.exit_code == 0
    assert "No articles for --person 'Netanyhu'. Did you mean: Benjamin Netanyahu?" in result.stderr
    assert "No articles found." in result.stderr


def test_did_you_mean_for_a_place_and_a_query_word(built_index: Path) -> None:
    assert "Did you mean: Rafah?" in run("search", "--place", "Rafha", index=built_index).stderr
    result = run("search", "ceasfire", index=built_index)
    assert "No articles for 'ceasfire'. Did you mean: ceasefire?" in result.stderr


def test_did_you_mean_names_only_the_words_the_archive_lacks(built_index: Path) -> None:
    """A word the archive holds in another form ("relations": the stem "relat") is not offered
    a correction when another word of the query finds nothing."""
    found = run("search", "relations", "--format", "json", index=built_index)
    assert json.loads(found.stdout)["total"] > 0 and "Did you mean" not in found.stderr
    result = run("search", "ceasfire relations", index=built_index)
    assert "No articles for 'ceasfire'. Did you mean: ceasefire?" in result.stderr
    assert "'relations'" not in result.stderr


def test_did_you_mean_stays_off_stdout_and_quiet_hides_it(built_index: Path) -> None:
    result = run("search", "ceasfire", "--format", "json", index=built_index)
    assert json.loads(result.stdout) == {"total": 0, "offset": 0, "hits": []}
    assert "Did you mean" in result.stderr
    assert run("--quiet", "search", "ceasfire", index=built_index).stderr == ""


def test_related_suggests_a_close_name(built_index: Path) -> None:
    result = run("related", "Netanyhu", index=built_index)
    assert result.exit_code == 1
    assert "Did you mean: Benjamin Netanyahu?" in result.stderr


def test_timeline_text_bars_and_empty_months(built_index: Path) -> None:
    result = run("timeline", "gaza", "--by", "month", index=built_index, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2024-03")
    assert "█" in lines[0]
    assert any(line.split()[:2] == ["2024-04", "0"] for line in lines)
    assert lines[-1].endswith("articles")


def test_timeline_json_csv_and_periods(built_index: Path) -> None:
    data = json.loads(run("timeline", "--by", "year", "--format", "json", index=built_index).stdout)
    assert data["by"] == "year" and data["total"] == 6
    assert [row["period"] for row in data["periods"]] == ["2024"]
    assert sum(row["count"] for row in data["periods"]) + data["undated"] == data["total"]
    rows = list(csv.DictReader(io.StringIO(run("timeline", "--by", "week", "--format", "csv", index=built_index).stdout)))
    assert rows[0]["period"] == "2024-W09" and all(row["period"].startswith("2024-W") for row in rows)
    days = json.loads(run("timeline", "--person", "gantz", "--by", "day", "--format", "json", index=built_index).stdout)
    assert days["periods"][0] == {"period": "2024-03-03", "count": 1}


def test_export_jsonl_has_every_field(built_index: Path) -> None:
    result = run("export", "--person", "gantz", index=built_index)
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert SEED_TITLE in {record["title"] for record in records}
    for key in ("id", "title", "date", "author", "source", "url", "language", "path", "people", "organizations", "actors", "places", "countries", "topics", "body"):
        assert key in records[0]
    assert "ceasefire" in next(record for record in records if record["title"] == SEED_TITLE)["body"]


def test_export_csv_fields_limit_and_file(built_index: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = run("export", "--fields", "id,date,title", "--format", "csv", "--limit", "2", "-o", str(target), index=built_index)
    assert result.exit_code == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == 2 and list(rows[0]) == ["id", "date", "title"]
    everything = json.loads(run("export", "--format", "json", index=built_index).stdout)
    assert len(everything) == 6
    bad = run("export", "--fields", "nope", index=built_index)
    assert bad.exit_code == 2 and "unknown field 'nope'" in bad.output


def test_fuzzy_proximity_prefix_and_field_queries(built_index: Path) -> None:
    assert SEED_TITLE in titles_of(built_index, "netanyhu~")
    assert titles_of(built_index, "netanyhu") == set()
    assert SEED_TITLE in titles_of(built_index, '"vice gantz"~16')  # stop words count as positions, as in FTS5 NEAR
    assert SEED_TITLE not in titles_of(built_index, '"vice gantz"')
    assert SEED_TITLE in titles_of(built_index, "gant*")
    assert SEED_TITLE in titles_of(built_index, "g?ntz")
    in_title = titles_of(built_index, "title:ceasefire")
    assert "UN Security Council demands ceasefire in Gaza" in in_title
    assert SEED_TITLE not in in_title and SEED_TITLE in titles_of(built_index, "body:ceasefire")


def test_exact_phrase_is_not_stemmed(phrase_index: Path) -> None:
    assert titles_of(phrase_index, '"peace talks"') == {"Plural", "Singular"}
    assert titles_of(phrase_index, '="peace talks"') == {"Plural"}
    assert titles_of(phrase_index, '="peace talk"') == {"Singular"}
    assert titles_of(phrase_index, '="PEACE  talks" doha') == {"Plural"}
    counts = json.loads(run("timeline", '="peace talks"', "--format", "json", index=phrase_index).stdout)
    assert counts["total"] == 1


def test_fields_and_table_views(built_index: Path) -> None:
    hits = json.loads(run("search", "gaza", "--fields", "id,title", "--format", "json", index=built_index).stdout)["hits"]
    assert hits and all(set(hit) == {"id", "title"} for hit in hits)
    table = run("search", "gaza", "--fields", "date,title", index=built_index, env={"NO_COLOR": "1"}).stdout
    assert table.splitlines()[0].split() == ["DATE", "TITLE"]
    assert run("facets", "people", "--format", "table", "-n", "3", index=built_index).stdout.splitlines()[0].split() == ["VALUE", "COUNT"]
    assert run("related", "gantz", "--format", "table", index=built_index).stdout.startswith("VALUE")
    assert "articles" in run("stats", "--format", "table", index=built_index).stdout
    assert json.loads(run("stats", "--format", "jsonl", index=built_index).stdout)["articles"] == 6


def test_facets_and_related_offset(built_index: Path) -> None:
    everything = json.loads(run("facets", "people", "--format", "json", "-n", "100", index=built_index).stdout)
    page = json.loads(run("facets", "people", "--format", "json", "-n", "2", "--offset", "1", index=built_index).stdout)
    assert page == everything[1:3]
    near = json.loads(run("related", "gantz", "--format", "json", "-n", "100", index=built_index).stdout)
    assert json.loads(run("related", "gantz", "--format", "json", "-n", "1", "--offset", "2", index=built_index).stdout) == near[2:3]


def test_verbose_reports_timing(built_index: Path) -> None:
    result = run("--verbose", "search", "gaza", "--format", "json", index=built_index)
    assert "matches in" in result.stderr


@pytest.mark.parametrize("command", [["timeline"], ["export"], ["entities"], ["entities", "merge"], ["entities", "list"], ["saved"], ["completion"], ["serve"]])
def test_new_commands_have_examples(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Examples:" in result.output
