"""Output safety: articles cannot drive the user's terminal, and CSV cells cannot run as
spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.cli import cli
from archive.models import MATCH_END, MATCH_START, Hit, SearchResult
from archive.render import render_article, render_counts, render_extracted, render_search, spreadsheet_safe, terminal_safe

ESCAPES = ["\x1b]0;owned\x07", "\x1b[2J", "\x1b[31m", "\x1bc", "\x9b1m", "\x07", "\x08", "\x1b]8;;http://evil\x1b\\"]
HOSTILE = "".join(ESCAPES)
NAME_HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31m\x9b1m"  # no slash: it goes into file names
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def run(*args: str, index: Path | None = None):
    prefix = ["--index", str(index)] if index else []
    return CliRunner().invoke(cli, [*prefix, *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Articles whose every field carries terminal escapes or spreadsheet formulas."""
    folder = tmp_path_factory.mktemp("hostile")
    articles = [
        {
            "title": f"Harbour {HOSTILE}news",
            "body": f"The harbour in Oslo {HOSTILE} reopened.\n\nSecond {HOSTILE} paragraph about Oslo.",
            "author": f"Ann {HOSTILE}Berg",
            "source": f"Evil{HOSTILE} Times",
            "url": f"https://example.org/{HOSTILE}",
            "date": "2024-02-02",
        },
        {"title": "=HYPERLINK(\"http://evil\",\"click\")", "body": "The harbour in Oslo is open.", "source": "+Plus Daily", "author": "@Ann", "date": "2024-02-03"},
        {"title": "-2+3 harbour tally", "body": "The harbour in Oslo counted ships.", "source": "=cmd|' /C calc'!A0", "date": "2024-02-04"},
    ]
    (folder / "hostile.json").write_text(json.dumps(articles))
    (folder / f"name{NAME_HOSTILE}.txt").write_text("Title: Named\n\nA file named with escapes, about the harbour in Oslo.\n")
    index = folder / "index"
    assert run("ingest", str(folder), index=index).exit_code == 0
    return index


def assert_terminal_safe(text: str) -> None:
    """No control character but newline and tab: what is left of an escape is inert text."""
    assert not CONTROL.search(text.replace("\n", "").replace("\t", "")), repr(text)


def test_text_output_of_every_command_is_terminal_safe(hostile_index: Path) -> None:
    outputs = [run("search", "harbour", index=hostile_index), run("search", "--source", "evil times", index=hostile_index)]
    hit = json.loads(run("search", "harbour", "--format", "json", index=hostile_index).stdout)["hits"]
    ids = [record["id"] for record in hit]
    outputs += [run("show", article, index=hostile_index) for article in ids]
    outputs += [run("facets", "source", index=hostile_index), run("related", "Oslo", "--field", "source", index=hostile_index), run("stats", index=hostile_index)]
    for result in outputs:
        assert result.exit_code == 0, result.output
        assert_terminal_safe(result.stdout)
        assert_terminal_safe(result.stderr)
    assert re.search(r"^\d\. Harbour .*news$", outputs[0].stdout, re.M)


def test_extract_and_problem_lines_are_terminal_safe(tmp_path: Path) -> None:
    page = tmp_path / f"page{NAME_HOSTILE}.txt"
    page.write_text(f"Title: Hello {HOSTILE}\n\nBody {HOSTILE} about Oslo.\n")
    broken = tmp_path / f"broken{NAME_HOSTILE}.json"
    broken.write_text("{nope")
    result = run("extract", str(page), str(broken), "--format", "text")
    assert result.exit_code == 3
    assert_terminal_safe(result.stdout)
    assert_terminal_safe(result.stderr)
    assert "broken\\x1b]0;owned\\x07" in result.stderr


def test_colour_output_keeps_only_its_own_styles() -> None:
    fields = {"id": "abc", "title": f"T{HOSTILE}", "path": "p", "people": f"A{HOSTILE}B", "date_iso": "2024-01-01"}
    hit = Hit(fields, 1.0, f"x {MATCH_START}ma{HOSTILE}tch{MATCH_END} y {HOSTILE}")
    text = render_search(SearchResult([hit], 1, []), "text", color=True)
    assert set(re.findall(r"\x1b\[[0-9;]*m", text)) <= {"\x1b[1m", "\x1b[2m", "\x1b[1;33m", "\x1b[0m"}
    assert "\x1b[1;33mmatch\x1b[0m" in text
    assert_terminal_safe(re.sub(r"\x1b\[[0-9;]*m", "", text))
    for rendered in (
        render_article({"title": HOSTILE, "body": f"a{HOSTILE}b\n\nc", "people": [HOSTILE], "url": HOSTILE}, "text", color=True),
        render_counts([(f"v{HOSTILE}", 2)], "text", "people"),
        render_extracted([{"title": HOSTILE, "path": HOSTILE, "body": "b", "people": [HOSTILE], "organizations": [], "places": [], "countries": [], "topics": []}], "text"),
    ):
        assert_terminal_safe(re.sub(r"\x1b\[[0-9;]*m", "", rendered))


def test_terminal_safe_keeps_text_and_layout() -> None:
    assert terminal_safe("Ünïcödé 日本 שלום 🕊️\n\tok") == "Ünïcödé 日本 שלום 🕊️\n\tok"
    assert terminal_safe("a\x1b[1;31mb\x1b]0;t\x07c\x1b]8;;u\x1b\\d\x9b1me\x00f\x9d2;x\x9cg") == "abcdefg"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_cells_are_neutralised(value: str) -> None:
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", "1=1", "", "a-b", 3, None, 1.5])
def test_other_cells_are_left_alone(value: object) -> None:
    assert spreadsheet_safe(value) == value


def test_csv_output_neutralises_formulas(hostile_index: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("search", "harbour", "--format", "csv", "--sort", "date", index=hostile_index).stdout)))
    by_title = {row["title"]: row for row in rows}
    assert "'=HYPERLINK(\"http://evil\",\"click\")" in by_title
    assert by_title["'=HYPERLINK(\"http://evil\",\"click\")"]["source"] == "'+Plus Daily"
    assert by_title["'=HYPERLINK(\"http://evil\",\"click\")"]["author"] == "'@Ann"
    assert by_title["'-2+3 harbour tally"]["source"] == "'=cmd|' /C calc'!A0"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    counts = list(csv.DictReader(io.StringIO(run("facets", "source", "--format", "csv", index=hostile_index).stdout)))
    assert {"value": "'=cmd|' /C calc'!A0", "count": "1"} in counts
    hits = json.loads(run("search", "harbour", "--format", "json", index=hostile_index).stdout)["hits"]
    assert "=HYPERLINK(\"http://evil\",\"click\")" in {hit["title"] for hit in hits}


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(list("ab é\t\n\x1b[]0;m\x07\x9b\x9d\x00\x7f\u00a0\u2028\ud800") + ["\x1b[31m", "\x1b]0;x\x07"])).map("".join))
def test_terminal_safe_equals_the_pattern_with_or_without_its_shortcut(text: str) -> None:
    """Printable text is returned as it is; any other text loses exactly what the pattern matches."""
    from archive.render import TERMINAL_SEQUENCES

    assert terminal_safe(text) == TERMINAL_SEQUENCES.sub("", text)
