"""Names across the archive: a name of several kinds is asked about, not picked silently;
`entities retype` moves a name to the right kind in the index and for later ingests; values
left only by deleted articles are not offered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import api
from archive.cli import cli
from archive.errors import BadQuery
from archive.partitions import MANIFEST


def write_partition(folder: Path, rows: list[dict[str, object]], name: str = "part-00000.jsonl") -> Path:
    """Enriched records (facets given, no extraction) as a partition ``archive ingest`` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    for row in rows:
        row.setdefault("path", f"{row['id']}.txt")
        row.setdefault("body", f"Story {row['id']}.")
        row.setdefault("title", f"Story {row['id']}")
        people, organizations = list(row.get("people", [])), list(row.get("organizations", []))
        row["actors"] = people + [name for name in organizations if name not in people]
    (folder / name).write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    (folder / MANIFEST).write_text(json.dumps({"format": "archive-enriched", "version": 1}), encoding="utf-8")
    return folder


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    rows = [
        {"id": "a1", "organizations": ["Paris"], "people": ["Kylian Mbappé"], "places": ["Madrid"]},
        {"id": "a2", "places": ["Paris", "Lyon"], "people": ["Emmanuel Macron"]},
        {"id": "a3", "places": ["Jordan"], "people": ["Michael Jordan", "Abdullah II"]},
        {"id": "a4", "organizations": ["Paris"], "people": ["Kylian Mbappé"]},
    ]
    index = tmp_path / "index"
    api.ingest([write_partition(tmp_path / "parts", rows)], index, jobs=1)
    return index


def test_a_name_of_several_kinds_is_asked_about(mixed: Path) -> None:
    with pytest.raises(BadQuery, match="--as organizations .* --as places"):
        api.related("paris", index_path=mixed)
    found_in, names, counts = api.related("paris", "people", index_path=mixed, source="places")
    assert (found_in, names, counts) == ("places", ["Paris"], [("Emmanuel Macron", 1)])
    result = CliRunner().invoke(cli, ["--index", str(mixed), "related", "paris"])
    assert result.exit_code == 1 and "--as" in result.stderr
    result = CliRunner().invoke(cli, ["--index", str(mixed), "related", "paris", "--as", "organizations", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["value"] == "Kylian Mbappé"


def test_a_name_written_in_full_wins_over_a_word_of_another_name(mixed: Path) -> None:
    found_in, names, _ = api.related("jordan", index_path=mixed)
    assert (found_in, names) == ("places", ["Jordan"])  # not Michael Jordan, matched by a word
    assert api.related("mbappe", index_path=mixed)[0] == "people"


def test_retype_moves_a_name_in_the_index_and_in_later_ingests(mixed: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--index", str(mixed), "entities", "retype", "Paris", "--to", "place"])
    assert result.exit_code == 0, result.output
    assert "2 articles rewritten" in result.stderr
    assert "Paris" not in dict(api.facets("organizations", index_path=mixed))
    assert dict(api.facets("places", index_path=mixed))["Paris"] == 3
    assert "Paris" not in dict(api.facets("actors", index_path=mixed))
    found_in, names, _ = api.related("paris", index_path=mixed)  # one kind now: nothing to ask
    assert (found_in, names) == ("places", ["Paris"])
    rules = CliRunner().invoke(cli, ["--index", str(mixed), "entities", "rules", "--format", "json"])
    assert {"field": "places", "action": "retype", "value": "Paris", "into": ""} in json.loads(rules.stdout)
    later = write_partition(tmp_path / "later", [{"id": "a5", "organizations": ["PARIS", "UEFA"]}])
    api.ingest([later], mixed, jobs=1)
    hit = api.search(None, index_path=mixed, filters=api.Filters(values={"organizations": ("UEFA",)})).hits[0]
    assert hit.fields["organizations"] == "UEFA" and hit.fields["places"] == "PARIS"


def test_retype_refuses_an_unknown_kind(mixed: Path) -> None:
    result = CliRunner().invoke(cli, ["--index", str(mixed), "entities", "retype", "Paris", "--to", "river"])
    assert result.exit_code == 2


def test_values_left_only_by_deleted_articles_are_not_offered(tmp_path: Path) -> None:
    parts = write_partition(tmp_path / "parts", [{"id": "b1", "organizations": ["Acme"]}, {"id": "b2", "organizations": ["Zenith"]}])
    index = tmp_path / "index"
    api.ingest([parts], index, jobs=1, optimize=False)
    write_partition(parts, [{"id": "b1", "organizations": ["Globex"]}, {"id": "b2", "organizations": ["Zenith"]}])
    api.ingest([parts], index, jobs=1, optimize=False)  # b1's old document is deleted, not merged away
    with api.Archive(index) as archive:
        assert archive.completions("organizations") == ["Globex", "Zenith"]
        assert archive.search(None, filters=api.Filters(values={"organizations": ("acme",)})).unmatched == [("organizations", "acme")]
