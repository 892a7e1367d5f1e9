"""The command line, end to end with Click's CliRunner: every command, formats and errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import EXIT_SKIPPED, cli


def run(*args: str, index: Path | None = None, env: dict[str, str] | None = None):
    runner = CliRunner()
    prefix = ["--index", str(index)] if index else []
    return runner.invoke(cli, [*prefix, *args], env=env, catch_exceptions=False)


def search_json(index: Path, *args: str) -> list[dict]:
    result = run("search", *args, "--format", "json", index=index)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["hits"]


def titles(hits: list[dict]) -> set[str]:
    return {hit["title"] for hit in hits}


SEED_TITLE = "US Vice President Kamala Harris is scheduled for a Monday meeting with Israeli Defense Minister Benny Gantz at the White House."


def test_help_shows_examples() -> None:
    for command in ([], ["ingest"], ["search"], ["facets"], ["related"], ["show"], ["extract"], ["stats"]):
        result = run(*command, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.output


def test_ingest_reports_summary_and_skips_bad_line(articles_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "idx"
    result = run("ingest", str(articles_dir), index=index)
    assert result.exit_code == EXIT_SKIPPED
    assert "wire.jsonl: line 2: malformed JSON" in result.stderr
    assert "6 added, 0 updated, 0 unchanged, 1 skipped (4 files)" in result.stderr
    again = run("ingest", str(articles_dir), index=index)
    assert "0 added, 0 updated, 6 unchanged, 1 skipped" in again.stderr
    assert json.loads(run("stats", "--format", "json", index=index).stdout)["articles"] == 6


def test_reingest_of_changed_file_updates_not_duplicates(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title: First\n\nThe ceasefire talks in Cairo began.", encoding="utf-8")
    index = tmp_path / "idx"
    assert run("ingest", str(article), index=index).exit_code == 0
    article.write_text("Title: Second\n\nThe ceasefire talks in Cairo ended.", encoding="utf-8")
    result = run("ingest", str(article), index=index)
    assert "0 added, 1 updated" in result.stderr
    hits = search_json(index, "ceasefire")
    assert [hit["title"] for hit in hits] == ["Second"]


def test_search_examples_find_the_seed(built_index: Path) -> None:
    assert SEED_TITLE in titles(search_json(built_index, "ceasefire"))
    assert SEED_TITLE in titles(search_json(built_index, "--person", "gantz"))
    assert SEED_TITLE in titles(search_json(built_index, "--country", "us"))
    assert SEED_TITLE in titles(search_json(built_index, "--place", "Rafah", "--since", "2024-01-01"))
    assert SEED_TITLE not in titles(search_json(built_index, "--place", "Rafah", "--until", "2024-01-01"))
    assert SEED_TITLE not in titles(search_json(built_index, '"humanitarian aid" AND NOT airdrop'))


def test_boolean_and_phrase_queries(built_index: Path) -> None:
    aid = titles(search_json(built_index, '"humanitarian aid" AND NOT airdrop'))
    assert "Aid convoy reaches Rafah crossing" in aid
    assert "UN Security Council demands ceasefire in Gaza" in aid
    assert SEED_TITLE in titles(search_json(built_index, "airdrop"))
    either = titles(search_json(built_index, "marathon OR inflation"))
    assert either == {"Tokyo marathon draws record field", "European Central Bank holds rates as inflation eases"}


def test_search_json_fields(built_index: Path) -> None:
    hits = search_json(built_index, "ceasefire", "--person", "Benny Gantz")
    assert len(hits) == 1
    hit = hits[0]
    for key in ("id", "title", "date", "source", "path", "score", "snippet", "people", "organizations", "actors", "places", "countries", "topics"):
        assert key in hit
    assert hit["date"] == "2024-03-03"
    assert "Benny Gantz" in hit["people"] and "Benny Gantz" in hit["actors"]
    assert "ceasefire" in hit["snippet"].lower()
    assert "\x02" not in hit["snippet"]


def test_filters_are_case_accent_and_alias_insensitive(built_index: Path) -> None:
    assert titles(search_json(built_index, "--country", "U.S.")) == titles(search_json(built_index, "--country", "united states"))
    assert titles(search_json(built_index, "--place", "RAFAH")) == titles(search_json(built_index, "--place", "rafah"))
    ecb = titles(search_json(built_index, "--org", "ECB"))
    assert ecb == {"European Central Bank holds rates as inflation eases"}
    both = search_json(built_index, "--person", "gantz", "--place", "rafah")
    assert titles(both) == {SEED_TITLE}
    assert search_json(built_index, "--person", "gantz", "--place", "tokyo") == []


def test_text_output_highlights_without_colour(built_index: Path) -> None:
    result = run("search", "ceasefire", index=built_index, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "[ceasefire]" in result.stdout.lower()
    assert "\x1b[" not in result.stdout
    assert "articles" in result.stdout.splitlines()[-1]


def test_jsonl_and_csv_output(built_index: Path) -> None:
    lines = run("search", "gaza", "--format", "jsonl", index=built_index).stdout.splitlines()
    assert lines and all(json.loads(line)["id"] for line in lines)
    table = list(csv.DictReader(io.StringIO(run("search", "gaza", "--format", "csv", index=built_index).stdout)))
    assert len(table) == len(lines)
    assert {"id", "title", "people", "snippet"} <= set(table[0])


def test_search_sort_limit_offset(built_index: Path) -> None:
    everything = search_json(built_index, "--sort", "date", "--limit", "100")
    dates = [hit["date"] for hit in everything]
    assert dates == sorted(dates, reverse=True)
    assert search_json(built_index, "--sort", "date", "--limit", "2", "--offset", "1") == everything[1:3]


def test_facets_counts(built_index: Path) -> None:
    result = run("facets", "countries", "--format", "json", index=built_index)
    counts = {row["value"]: row["count"] for row in json.loads(result.stdout)}
    assert counts["United States"] >= 2
    gaza_people = run("facets", "people", "gaza", index=built_index).stdout
    assert "Benny Gantz" in gaza_people
    assert "Christine Lagarde" not in gaza_people


def test_related(built_index: Path) -> None:
    result = run("related", "Benny Gantz", "--format", "json", index=built_index)
    values = {row["value"] for row in json.loads(result.stdout)}
    assert {"Kamala Harris", "Hamas"} <= values
    assert "Benny Gantz" not in values
    places = run("related", "gantz", "--field", "places", index=built_index)
    assert "Rafah" in places.stdout


def test_show_by_id_and_prefix(built_index: Path) -> None:
    hit = search_json(built_index, "--person", "lagarde")[0]
    full = run("show", hit["id"], "--format", "json", index=built_index)
    record = json.loads(full.stdout)
    assert record["title"] == hit["title"]
    assert "Frankfurt" in record["body"]
    text = run("show", hit["id"][:6], index=built_index)
    assert text.exit_code == 0 and hit["title"] in text.stdout


def test_extract_json(articles_dir: Path) -> None:
    result = run("extract", str(articles_dir / "seed-harris-gantz.txt"), "--format", "json")
    assert result.exit_code == 0
    (record,) = json.loads(result.stdout)
    for key in ("path", "title", "body", "date", "author", "source", "url", "language", "people", "organizations", "places", "countries", "topics"):
        assert key in record
    assert set(record["people"]) == {"Kamala Harris", "Benny Gantz", "Jake Sullivan", "Benjamin Netanyahu", "Joe Biden"}
    assert record["date"] == "2024-03-03" and record["language"] == "en"


def test_extract_html_cleans_boilerplate(articles_dir: Path) -> None:
    result = run("extract", str(articles_dir / "aid-convoy.html"), "--format", "jsonl")
    record = json.loads(result.stdout)
    assert record["title"] == "Aid convoy reaches Rafah crossing"
    assert record["author"] == "Dana Reporter"
    assert record["source"] == "Example Post"
    assert record["url"] == "https://post.example.com/world/aid-convoy-rafah"
    assert record["date"].startswith("2024-05-02")
    for boilerplate in ("Privacy Policy", "Advertisement", "Airdrop", "Reader123", "Home"):
        assert boilerplate not in record["body"]
    assert "Hospitals short of fuel" in record["body"]
    assert "World Health Organization" in record["organizations"]
    assert "Privacy Policy" not in record["organizations"]


def test_stats(built_index: Path) -> None:
    result = run("stats", "--format", "json", index=built_index)
    stats = json.loads(result.stdout)
    assert stats["articles"] == 6
    assert stats["first_date"] == "2024-03-03" and stats["last_date"].startswith("2024-07-18")
    assert stats["distinct"]["people"] >= 5
    assert "articles:" in run("stats", index=built_index).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "--since", "March"], "bad date 'March'"),
        (["search", "--until", "2024-13-01"], "bad date"),
        (["facets", "colour"], "Invalid value"),
        (["search", "--bogus"], "No such option"),
        (["show", "ffffffffffffffff"], "no article with id"),
        (["related", "Nobody Atall"], "no person, organization"),
        (["export", "-o", "/nonexistent/dir/x.csv"], "cannot write /nonexistent/dir/x.csv: No such file or directory"),
        (["export", "-o", "/proc/version"], "cannot write /proc/version"),
        (["export", "-o", "/dev/full"], "cannot write /dev/full: No space left on device"),
        (["search", "--limit", "-1"], "Invalid value for '--limit'"),
    ],
)
def test_errors_are_one_line_without_traceback(built_index: Path, args: list[str], message: str) -> None:
    result = run(*args, index=built_index)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    result = run("search", "gaza", index=tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "no index at" in result.stderr and "archive ingest" in result.stderr


def test_index_from_environment(built_index: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "--format", "json"], env={"ARCHIVE_INDEX": str(built_index)})
    assert json.loads(result.stdout)["articles"] == 6


def test_unknown_facet_value_says_so(built_index: Path) -> None:
    result = run("search", "--person", "Nobody Atall", index=built_index)
    assert result.exit_code == 0
    assert "No people matching 'Nobody Atall'" in result.stderr
    assert "No articles found." in result.stderr


def test_bad_files_do_not_harm_the_index(index_copy: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "broken.json").write_text("{nope")
    (bad / "binary.html").write_bytes(b"\x00\xff\x00\xfe" * 100)
    result = run("ingest", str(bad), str(tmp_path / "missing.txt"), index=index_copy)
    assert result.exit_code == EXIT_SKIPPED
    for name in ("empty.txt: empty file", "broken.json: malformed JSON", "binary.html:", "missing.txt: no such file"):
        assert name in result.stderr
    assert "Traceback" not in result.output
    assert json.loads(run("stats", "--format", "json", index=index_copy).stdout)["articles"] == 6


def test_cli_import_is_light() -> None:
    import subprocess
    import sys

    code = "import sys, archive.cli; print(sorted(m for m in ('bs4', 'lxml', 'whoosh', 'archive.clean', 'archive.facets.extract') if m in sys.modules))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
