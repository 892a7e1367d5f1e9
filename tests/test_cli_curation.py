"""Entity curation (merge, rename, drop, list, undo) and saved searches."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archive.cli import cli

SEED_TITLE = "US Vice President Kamala Harris is scheduled for a Monday meeting with Israeli Defense Minister Benny Gantz at the White House."


def run(index: Path, *args: str):
    return CliRunner().invoke(cli, ["--index", str(index), *args], catch_exceptions=False)


def counts(index: Path, field: str, *args: str) -> dict[str, int]:
    result = run(index, "facets", field, *args, "--format", "json", "-n", "1000")
    assert result.exit_code == 0, result.output
    return {row["value"]: row["count"] for row in json.loads(result.stdout)}


def hits(index: Path, *args: str) -> list[dict]:
    return json.loads(run(index, "search", *args, "--format", "json", "--limit", "100").stdout)["hits"]


def test_merge_counts_each_article_once_and_filters_by_the_new_name(index_copy: Path) -> None:
    before = counts(index_copy, "people")
    with_either = {hit["id"] for hit in hits(index_copy, "--person", "Kamala Harris")} | {
        hit["id"] for hit in hits(index_copy, "--person", "Joe Biden")
    }
    result = run(index_copy, "entities", "merge", "Kamala Harris", "Joe Biden", "--into", "The Administration", "--field", "people")
    assert result.exit_code == 0
    after = counts(index_copy, "people")
    assert "Kamala Harris" not in after and "Joe Biden" not in after
    assert after["The Administration"] == len(with_either) < before["Kamala Harris"] + before["Joe Biden"]
    assert {hit["id"] for hit in hits(index_copy, "--person", "The Administration")} == with_either
    assert {hit["id"] for hit in hits(index_copy, "--person", "biden")} == with_either
    seed = next(hit for hit in hits(index_copy, "ceasefire") if hit["title"] == SEED_TITLE)
    assert "The Administration" in seed["people"] and "Joe Biden" not in seed["people"]
    assert "The Administration" in counts(index_copy, "actors")


def test_rename_without_field_applies_everywhere_and_shows_in_related_and_show(index_copy: Path) -> None:
    assert run(index_copy, "entities", "rename", "United States", "USA").exit_code == 0
    assert "USA" in counts(index_copy, "countries") and "United States" not in counts(index_copy, "countries")
    assert SEED_TITLE in {hit["title"] for hit in hits(index_copy, "--country", "usa")}
    related = json.loads(run(index_copy, "related", "gantz", "--field", "countries", "--format", "json").stdout)
    assert "USA" in {row["value"] for row in related}
    seed = next(hit for hit in hits(index_copy, "--person", "gantz") if hit["title"] == SEED_TITLE)
    shown = json.loads(run(index_copy, "show", seed["id"], "--format", "json").stdout)
    assert "USA" in shown["countries"]


def test_drop_hides_a_false_entity(index_copy: Path) -> None:
    assert "Jake Sullivan" in counts(index_copy, "people")
    assert run(index_copy, "entities", "drop", "Jake Sullivan", "--field", "people").exit_code == 0
    assert "Jake Sullivan" not in counts(index_copy, "people")
    assert all("Jake Sullivan" not in hit["people"] for hit in hits(index_copy, "ceasefire"))
    listed = json.loads(run(index_copy, "entities", "list", "--field", "people", "--format", "json", "-n", "1000").stdout)
    assert "Jake Sullivan" not in {row["value"] for row in listed}
    assert run(index_copy, "entities", "undo", "Jake Sullivan", "--field", "people").exit_code == 0
    assert "Jake Sullivan" in counts(index_copy, "people")


def test_curation_file_is_readable_and_survives_reingest(index_copy: Path, articles_dir: Path) -> None:
    run(index_copy, "entities", "merge", "US", "U.S.", "--into", "United States")
    run(index_copy, "entities", "drop", "Monday", "--field", "people")
    data = json.loads((index_copy / "curation.json").read_text(encoding="utf-8"))
    assert data["rename"]["*"] == {"U.S.": "United States", "US": "United States"}
    assert data["drop"] == {"people": ["Monday"]}
    rules = run(index_copy, "entities", "rules", "--format", "json")
    assert {"field": "people", "action": "drop", "value": "Monday", "into": ""} in json.loads(rules.stdout)
    run(index_copy, "entities", "rename", "Benny Gantz", "B. Gantz", "--field", "people")
    run(index_copy, "ingest", str(articles_dir))
    assert "B. Gantz" in counts(index_copy, "people")


def test_entities_list_text_and_errors(index_copy: Path) -> None:
    result = run(index_copy, "entities", "list", "-n", "2")
    assert result.exit_code == 0
    for field in ("people:", "organizations:", "places:", "countries:"):
        assert field in result.stdout
    bad = run(index_copy, "entities", "merge", "A,B", "--into", "C")
    assert bad.exit_code == 1 and "without commas" in bad.stderr


def test_saved_search_runs_again_and_shows_what_is_new(index_copy: Path, tmp_path: Path) -> None:
    saved = run(index_copy, "search", "--person", "gantz", "--save", "gantz")
    assert saved.exit_code == 0 and "Saved as 'gantz'" in saved.stderr
    again = json.loads(run(index_copy, "saved", "gantz", "--format", "json").stdout)["hits"]
    assert SEED_TITLE in {hit["title"] for hit in again}
    assert json.loads(run(index_copy, "saved", "gantz", "--new", "--format", "json").stdout)["hits"] == []
    new_article = tmp_path / "new.txt"
    new_article.write_text("Title: Gantz meets envoys\nDate: 2024-08-01\n\nBenny Gantz met envoys in Tel Aviv on Thursday.", encoding="utf-8")
    assert run(index_copy, "ingest", str(new_article)).exit_code == 0
    new = json.loads(run(index_copy, "saved", "gantz", "--new", "--format", "json").stdout)["hits"]
    assert [hit["title"] for hit in new] == ["Gantz meets envoys"]
    assert json.loads(run(index_copy, "saved", "gantz", "--new", "--format", "json").stdout)["hits"] == []
    listing = json.loads(run(index_copy, "saved", "--format", "json").stdout)
    assert listing[0]["name"] == "gantz" and "--person 'gantz'" in listing[0]["search"]
    assert run(index_copy, "saved", "gantz", "--delete").exit_code == 0
    missing = run(index_copy, "saved", "gantz")
    assert missing.exit_code == 1 and "no saved search called 'gantz'" in missing.stderr
