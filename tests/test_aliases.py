"""Archive-wide canonical names: spellings and surnames grouped when the evidence supports it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archive.cli import cli
from archive.facets.aliases import canonical_names


def test_spelling_variants_and_surnames_join_the_most_frequent_spelling() -> None:
    shown = canonical_names({"Benjamin Netanyahu": 5, "Binyamin Netanyahu": 2, "Netanyahu": 1, "Joe Biden": 3})
    assert shown["Binyamin Netanyahu"] == "Benjamin Netanyahu"
    assert shown["Netanyahu"] == "Benjamin Netanyahu"
    assert shown["Joe Biden"] == "Joe Biden"


def test_ambiguous_surname_and_different_given_names_stay_apart() -> None:
    shown = canonical_names({"Kamala Harris": 3, "Kevin Harris": 1, "Harris": 2, "Joe Biden": 2, "Hunter Biden": 1})
    assert shown["Harris"] == "Harris"
    assert shown["Kevin Harris"] == "Kevin Harris"
    assert shown["Hunter Biden"] == "Hunter Biden"


def test_short_given_names_need_exact_match() -> None:
    shown = canonical_names({"Ian Smith": 2, "Ivan Smith": 1})
    assert shown["Ivan Smith"] == "Ivan Smith"


def test_facets_and_filters_show_one_spelling(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    texts = {
        "a.txt": "Title: One\n\nPrime Minister Benjamin Netanyahu spoke in Jerusalem on Monday.",
        "b.txt": "Title: Two\n\nBenjamin Netanyahu met envoys in Jerusalem.",
        "c.txt": "Title: Three\n\nPrime Minister Binyamin Netanyahu flew to Washington.",
        "d.txt": "Title: Four\n\nCritics said Netanyahu had failed, Mr Netanyahu's aides replied.",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    index = tmp_path / "index"
    runner = CliRunner()
    assert runner.invoke(cli, ["--index", str(index), "ingest", str(folder)]).exit_code == 0
    counts = json.loads(runner.invoke(cli, ["--index", str(index), "facets", "people", "--format", "json"]).stdout)
    assert counts == [{"value": "Benjamin Netanyahu", "count": 4}]
    hits = json.loads(
        runner.invoke(cli, ["--index", str(index), "search", "--person", "Binyamin Netanyahu", "--format", "json"]).stdout
    )["hits"]
    assert {hit["title"] for hit in hits} == {"One", "Two", "Three", "Four"}


def test_a_surname_alone_is_never_shown_when_the_full_name_is_known() -> None:
    shown = canonical_names({"Harris": 32, "Kamala Harris": 5, "Joe Biden": 3})
    assert shown["Harris"] == shown["Kamala Harris"] == "Kamala Harris"  # not "Harris", though written more often
