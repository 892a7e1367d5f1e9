"""Issue 17, the shell side: every rough edge a newcomer met, each with the test that would have
caught it (CliRunner here; the terminal cases are in test_cli_terminal.py)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.dates import parse_bound
from archive.errors import BadQuery

SEED_TITLE = "US Vice President Kamala Harris is scheduled for a Monday meeting with Israeli Defense Minister Benny Gantz at the White House."
ARTICLES = {
    "berlin.txt": "Title: Gespräche in Berlin\nDate: 2024-03-01T09:30\nLanguage: de\nAuthor: Von Anna Schmidt und Paul Meyer\nURL: https://example.org/berlin\n\n"
    "Die Regierung in Berlin verhandelt über den Haushalt. Die Gespräche dauern an und der Haushalt bleibt offen.",
    "paris.txt": "Title: Réunion à Paris\nDate: 2024-03-01T15:00\nLanguage: fr\nURL: https://example.org/paris\n\n"
    "Le gouvernement à Paris discute du budget. La réunion continue et le budget reste ouvert.",
    "old.txt": "Title: Harbour reopens\nDate: 1990-01-05\nLanguage: en\nAuthor: Paul Meyer\n\nThe harbour reopened after the storm, the harbour master said.",
    "newer.txt": "Title: Harbour dredged\nDate: 1990-01-20\nLanguage: en\n\nThe harbour was dredged this month, the harbour master said.",
    "undated.txt": "Title: Harbour notes\nLanguage: en\n\nNotes about the harbour without any date at all.",
}


def run(*args: str, index: Path | None = None, input: str | None = None, env: dict[str, str] | None = None):
    prefix = ["--index", str(index)] if index else []
    return CliRunner().invoke(cli, [*prefix, *args], input=input, env=env, catch_exceptions=False)


def one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.output
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("newcomer")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = folder / "index"
    assert run("ingest", str(corpus), index=index).exit_code == 0
    return index


def search_hits(index: Path, *args: str) -> dict:
    result = run("search", *args, "--format", "json", index=index)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# Output paths: one line naming the path, exit 1, never a traceback.


@pytest.mark.parametrize(
    "target, reason",
    [("/nonexistent/dir/x.csv", "No such file or directory"), ("/proc/version", ""), ("/dev/full", "No space left on device")],
)
def test_export_output_path_errors_are_one_line_naming_the_path(built_index: Path, target: str, reason: str) -> None:
    result = run("export", "--format", "csv", "-o", target, index=built_index)
    assert result.exit_code == 1
    line = one_error_line(result)
    assert line.startswith("Error: cannot write ") and target in line and reason in line


@pytest.mark.parametrize(
    "args", [["export"], ["export", "--format", "csv"], ["search", "gaza"], ["search", "gaza", "--format", "json"], ["show", "--format", "json"],
             ["facets", "people"], ["timeline"], ["stats"], ["entities", "list"], ["related", "Benny Gantz"]],
)
def test_a_full_disk_behind_standard_output_is_named(built_index: Path, args: list[str]) -> None:
    """`archive search gaza > /dev/full`: one line naming standard output (it said only
    "Error: No space left on device", or "cannot write No space left on device" for export)."""
    import subprocess
    import sys

    if args[0] == "show":
        args = [*args, search_hits(built_index, "gaza")["hits"][0]["id"]]
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-c", "from archive.cli import run_here; run_here()", "--index", str(built_index), *args],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error")]
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert errors == ["Error: cannot write standard output: No space left on device"], done.stderr


def test_permission_errors_name_the_path(built_index: Path, articles_dir: Path, tmp_path: Path) -> None:
    """As an ordinary user (capabilities dropped when the tests run as root)."""
    import subprocess
    import sys

    from process_helpers import unprivileged

    locked = tmp_path / "locked"
    locked.mkdir()
    index = tmp_path / "index"
    import shutil

    shutil.copytree(built_index, index)
    locked.chmod(0o555)
    index.chmod(0o555)
    cli_command = [sys.executable, "-c", "from archive.cli import main; main()"]
    try:
        cases = [
            (["--index", str(built_index), "export", "-o", str(locked / "out.jsonl")], str(locked / "out.jsonl")),
            (["enrich", str(articles_dir / "seed-harris-gantz.txt"), "-o", str(locked / "enriched")], str(locked / "enriched")),
            (["--index", str(index), "entities", "drop", "Benny Gantz"], str(index)),
        ]
        for args, path in cases:
            result = subprocess.run([*cli_command, *args], capture_output=True, text=True, timeout=120, **unprivileged())
            assert result.returncode == 1, (args, result.stderr)
            lines = [line for line in result.stderr.splitlines() if not line.startswith("warning:")]
            assert len(lines) == 1 and lines[0].startswith("Error: ") and path in lines[0], (args, result.stderr)
            assert "Traceback" not in result.stderr
    finally:
        locked.chmod(0o755)
        index.chmod(0o755)


def test_export_to_a_folder_is_a_usage_error(built_index: Path, tmp_path: Path) -> None:
    result = run("export", "-o", str(tmp_path), index=built_index)
    assert result.exit_code == 2 and "Traceback" not in result.output


# Exit codes.


@pytest.mark.parametrize(
    "args",
    [["search", "--limit", "-1"], ["search", "--since", "bogus"], ["timeline", "--until", "2024-13"], ["search", "--offset", "-2"],
     ["facets", "nonsense"], ["timeline", "--by", "decade"], ["search", "--sort", "sideways"]],
)
def test_bad_option_values_are_usage_errors(built_index: Path, args: list[str]) -> None:
    result = run(*args, index=built_index)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Error:" in result.stderr


@pytest.mark.parametrize(
    "args", [["search", "gaza"], ["facets", "people"], ["timeline"], ["export"], ["show", "abcd"], ["stats"], ["saved"],
             ["entities", "list"], ["related", "gantz"]],
)
def test_missing_index_is_exit_1_naming_the_path(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "no-index-here"
    result = run(*args, index=missing)
    assert result.exit_code == 1
    assert str(missing) in one_error_line(result)


def test_fail_if_empty_is_grep_style(built_index: Path) -> None:
    assert run("search", "gaza", "--fail-if-empty", index=built_index).exit_code == 0
    assert run("search", "zzzyyyxxx", index=built_index).exit_code == 0
    assert run("search", "zzzyyyxxx", "--fail-if-empty", index=built_index).exit_code == 1
    assert run("export", "zzzyyyxxx", "--fail-if-empty", index=built_index).exit_code == 1
    assert run("export", "gaza", "--fail-if-empty", index=built_index).exit_code == 0


# Shell conventions.


def test_query_dash_reads_standard_input(built_index: Path) -> None:
    from_stdin = run("search", "-", "--format", "jsonl", index=built_index, input="ceasefire\n  AND rafah\n")
    given = run("search", "ceasefire AND rafah", "--format", "jsonl", index=built_index)
    assert from_stdin.exit_code == 0 and from_stdin.stdout == given.stdout and given.stdout


def test_ingest_and_extract_dash_read_paths_from_standard_input(articles_dir: Path, tmp_path: Path) -> None:
    listed = f"{articles_dir / 'seed-harris-gantz.txt'}\n{articles_dir / 'aid-convoy.html'}\n"
    index = tmp_path / "index"
    result = run("ingest", "-", index=index, input=listed)
    assert result.exit_code == 0, result.output
    assert "2 added" in result.stderr and "(2 files)" in result.stderr
    extracted = run("extract", "-", "--format", "jsonl", input=listed)
    assert [json.loads(line)["title"] for line in extracted.stdout.splitlines()][0] == SEED_TITLE
    assert run("ingest", "-", index=index, input="\n").exit_code == 2


def test_global_options_after_the_command_and_its_query(built_index: Path) -> None:
    before = run("--index", str(built_index), "search", "gaza", "--format", "jsonl")
    after = run("search", "gaza", "--format", "jsonl", "--index", str(built_index))
    assert before.exit_code == after.exit_code == 0 and before.stdout == after.stdout
    quiet = run("search", "zzzyyyxxx", "-q", "--index", str(built_index))
    assert quiet.stderr == ""


def test_color_always_never_auto(built_index: Path) -> None:
    always = run("--color", "always", "search", "gaza", index=built_index)
    assert "\x1b[" in always.stdout
    assert "\x1b[" in run("search", "gaza", "--color", "always", index=built_index).stdout
    assert "\x1b[" not in run("search", "gaza", "--color", "never", index=built_index).stdout
    assert "\x1b[" not in run("search", "gaza", index=built_index).stdout  # auto, not a terminal
    assert run("--color", "sometimes", "search", "gaza", index=built_index).exit_code == 2


def test_piped_text_is_not_wrapped(built_index: Path) -> None:
    record = json.loads(run("show", "--format", "json", search_hits(built_index, "gaza", "--person", "gantz")["hits"][0]["id"], index=built_index).stdout)
    shown = run("show", record["id"], index=built_index).stdout
    first_paragraph = " ".join(record["body"].split("\n\n")[0].split())
    assert len(first_paragraph) > 100 and first_paragraph in shown


# Dates people type.


def test_parse_bound_forms() -> None:
    today = date(2024, 3, 31)
    assert parse_bound("7d", today=today) == date(2024, 3, 24)
    assert parse_bound("2w", today=today) == date(2024, 3, 17)
    assert parse_bound("1m", today=today) == date(2024, 2, 29)
    assert parse_bound("1y", today=today) == date(2023, 3, 31)
    assert parse_bound("yesterday", today=today) == date(2024, 3, 30)
    assert parse_bound("today", today=today) == today
    assert parse_bound("2024-03") == date(2024, 3, 1)
    assert parse_bound("2024-02", end=True) == date(2024, 2, 29)
    assert parse_bound("2024-03-01T12:00") == datetime(2024, 3, 1, 12, 0)
    assert parse_bound("2024-03-01 12:00", end=True) == datetime(2024, 3, 1, 12, 0, 59)
    for bad in ("bogus", "2024-13", "7x", "2024-03-01T25:00"):
        with pytest.raises(BadQuery):
            parse_bound(bad)


def test_since_with_a_time_of_day_and_relative_dates(small_index: Path) -> None:
    titles = {hit["title"] for hit in search_hits(small_index, "--since", "2024-03-01T12:00")["hits"]}
    assert titles == {"Réunion à Paris"}
    both = {hit["title"] for hit in search_hits(small_index, "--since", "2024-03")["hits"]}
    assert both == {"Réunion à Paris", "Gespräche in Berlin"}
    assert search_hits(small_index, "--since", "7d")["total"] == 0  # nothing this week in this archive
    assert search_hits(small_index, "--until", "yesterday")["total"] == 4


# Filters and facets.


def test_repeating_a_single_value_filter_means_or_and_language_names_work(small_index: Path) -> None:
    assert search_hits(small_index, "--language", "de")["total"] == 1
    assert search_hits(small_index, "--language", "de", "--language", "fr")["total"] == 2
    assert search_hits(small_index, "--language", "German", "--language", "français")["total"] == 2
    help_text = " ".join(run("search", "--help").output.split())
    assert "--language NAME Articles in this language (e.g. en). Repeat for any of them (OR)." in help_text
    assert "--person NAME Articles mentioning this person" in help_text and "Repeat to AND" in help_text


def test_repeating_source_means_or_too(built_index: Path) -> None:
    """--source, the other single-value filter: repeats are any of them, as the README says."""
    counts = {row["value"]: row["count"] for row in json.loads(run("facets", "source", "--format", "json", index=built_index).stdout)}
    first, second = sorted(counts)[:2]
    assert search_hits(built_index, "--source", first)["total"] == counts[first]
    assert search_hits(built_index, "--source", first, "--source", second)["total"] == counts[first] + counts[second]


def test_facets_accepts_the_option_names(built_index: Path) -> None:
    people = run("facets", "people", "--format", "json", index=built_index)
    person = run("facets", "person", "--format", "json", index=built_index)
    assert people.exit_code == person.exit_code == 0 and people.stdout == person.stdout
    assert run("facets", "org", index=built_index).stdout == run("facets", "organizations", index=built_index).stdout


def test_author_facet_and_filter(small_index: Path) -> None:
    counts = json.loads(run("facets", "author", "--format", "json", index=small_index).stdout)
    assert {"value": "Paul Meyer", "count": 2} in counts and {"value": "Anna Schmidt", "count": 1} in counts
    assert run("facets", "authors", "--format", "json", index=small_index).stdout == run("facets", "author", "--format", "json", index=small_index).stdout
    assert {hit["title"] for hit in search_hits(small_index, "--author", "paul meyer")["hits"]} == {"Gespräche in Berlin", "Harbour reopens"}
    assert {hit["title"] for hit in search_hits(small_index, "--author", "Paul Meyer", "--author", "Anna Schmidt")["hits"]} == {"Gespräche in Berlin"}
    assert "authors: Anna Schmidt, Paul Meyer" in run("search", "Berlin", index=small_index).stdout


def test_oldest_and_newest_first(small_index: Path) -> None:
    oldest = [hit["title"] for hit in search_hits(small_index, "harbour", "--sort", "oldest")["hits"]]
    newest = [hit["title"] for hit in search_hits(small_index, "harbour", "--sort", "newest")["hits"]]
    dated = ["Harbour reopens", "Harbour dredged"]
    assert [title for title in oldest if title in dated] == dated
    assert [title for title in newest if title in dated] == dated[::-1]


# Output.


def test_text_results_show_the_url_and_json_carries_the_total(small_index: Path) -> None:
    text = run("search", "Berlin", index=small_index).stdout
    assert "https://example.org/berlin" in text
    found = search_hits(small_index, "harbour", "--limit", "1")
    assert found["total"] == 3 and len(found["hits"]) == 1 and found["offset"] == 0
    with_fields = json.loads(run("search", "harbour", "--fields", "id,title", "--format", "json", index=small_index).stdout)
    assert with_fields["total"] == 3


def test_show_several_ids(built_index: Path) -> None:
    ids = [hit["id"] for hit in search_hits(built_index, "gaza")["hits"][:2]]
    several = run("show", *ids, "--format", "json", index=built_index)
    assert [record["id"] for record in json.loads(several.stdout)] == ids
    text = run("show", *ids, index=built_index)
    assert text.exit_code == 0 and text.stdout.count("id:") == 2
    lines = run("show", *ids, "--format", "jsonl", index=built_index).stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ids


def test_ambiguous_id_prefix_lists_the_candidates(tmp_path: Path) -> None:
    """1,500 articles: some two ids (16 hex digits, fixed by path and line) share their first four."""
    pile = tmp_path / "pile.jsonl"
    pile.write_text("".join(json.dumps({"title": f"Note {n}", "body": f"Harbour note number {n} about boats."}) + "\n" for n in range(1500)))
    index = tmp_path / "index"
    assert run("ingest", str(pile), index=index).exit_code == 0
    ids = [json.loads(line)["id"] for line in run("export", "--fields", "id", index=index).stdout.splitlines()]
    prefixes = [i[:4] for i in ids]
    shared = next(prefix for prefix in prefixes if prefixes.count(prefix) > 1)
    result = run("show", shared, index=index)
    assert result.exit_code == 1 and "ambiguous" in result.stderr
    for candidate in (i for i in ids if i.startswith(shared)):
        assert candidate in result.stderr


@pytest.mark.parametrize(
    "args", [["search", "gaza"], ["export"], ["facets", "people"], ["related", "gantz"], ["entities", "list"]]
)
def test_offset_past_the_end_says_so(built_index: Path, args: list[str]) -> None:
    result = run(*args, "--offset", "500", index=built_index)
    assert result.exit_code == 0 and "--offset 500 is past the end" in result.stderr
    assert "past the end" not in run(*args, "--offset", "1", index=built_index).stderr


def test_timeline_by_day_collapses_empty_runs(small_index: Path) -> None:
    result = run("timeline", "--by", "day", index=small_index)
    lines = result.stdout.splitlines()
    assert len(lines) < 20, lines
    assert any(re.search(r"… [\d,]+ empty days …", line) for line in lines)
    assert "1990-01-05" in result.stdout and "2024-03-01" in result.stdout
    every = json.loads(run("timeline", "--by", "day", "--format", "json", index=small_index).stdout)
    assert len(every["periods"]) > 12000  # scripts get every day


def test_plurals(small_index: Path, tmp_path: Path) -> None:
    one = run("search", "Berlin", index=small_index)
    assert "1-1 of 1 article\n" in one.stdout
    assert run("timeline", "--language", "de", index=small_index).stdout.endswith("1 article\n")
    single = tmp_path / "one.txt"
    single.write_text("Title: One\n\nA single article about the harbour.", encoding="utf-8")
    assert "(1 file)" in run("ingest", str(single), index=tmp_path / "index").stderr


def test_plurals_of_one_elsewhere(small_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same '1 articles' kind of slip in the other counts: optimize, --verbose, an interrupted ingest."""
    from archive.cli import RunProgress

    single = tmp_path / "one.txt"
    single.write_text("Title: One\n\nA single article about the harbour.", encoding="utf-8")
    index = tmp_path / "index"
    assert run("ingest", str(single), index=index).exit_code == 0
    assert "1 segment merged into 1" in run("optimize", index=index).stderr
    assert "1 match in " in run("-v", "search", "Berlin", index=small_index).stderr

    def first_ctrl_c(self, files: int, articles: int, errors: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(RunProgress, "update", first_ctrl_c)
    other = tmp_path / "other.txt"
    other.write_text("Title: Two\n\nAnother article about the harbour.", encoding="utf-8")
    interrupted = CliRunner().invoke(cli, ["--index", str(tmp_path / "index2"), "ingest", "--jobs", "1", str(other)])
    assert interrupted.exit_code == 130 and "interrupted after 1 file (" in interrupted.stderr, interrupted.stderr


@pytest.mark.parametrize(
    "command, formats",
    [(["show"], {"text", "json", "jsonl"}), (["export"], {"jsonl", "json", "csv"}), (["extract"], {"text", "json", "jsonl", "csv"}),
     (["search"], {"text", "table", "json", "jsonl", "csv"}), (["stats"], {"text", "table", "json", "jsonl", "csv"})],
)
def test_each_help_lists_exactly_its_formats(command: list[str], formats: set[str]) -> None:
    help_text = " ".join(run(*command, "--help").output.split())
    described = re.search(r"--format \[([a-z|]+)\].*?Output format: ([^.]+)\.", help_text)
    assert described, help_text
    assert set(described.group(1).split("|")) == formats
    named = set(re.findall(r"\b(text|table|json|jsonl|csv)\b", described.group(2)))
    assert named == formats


def _commands(group, path: tuple[str, ...] = ()):
    """Every command under a Click group, with its words."""
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


def test_every_help_with_a_format_option_lists_exactly_its_choices() -> None:
    """Not only the five above: each command's --format help names exactly the formats it takes."""
    checked = []
    for words, command in _commands(cli):
        option = next((param for param in command.params if "--format" in param.opts), None)
        if option is None:
            continue
        help_text = " ".join(run(*words, "--help").output.split())
        described = re.search(r"Output format: ([^.]+)\.", help_text)
        assert described, (words, help_text)
        assert set(re.findall(r"\b(text|table|json|jsonl|csv)\b", described.group(1))) == set(option.type.choices), words
        checked.append(" ".join(words))
    assert {"search", "facets", "related", "timeline", "entities list", "saved", "daemon status"} <= set(checked)


# Saved searches and curation.


def test_save_on_an_existing_name_needs_force(index_copy: Path) -> None:
    assert run("search", "gaza", "--save", "watch", index=index_copy).exit_code == 0
    again = run("search", "rafah", "--save", "watch", index=index_copy)
    assert again.exit_code == 2 and "--force" in again.stderr
    assert run("search", "rafah", "--save", "watch", "--force", index=index_copy).exit_code == 0
    listing = json.loads(run("saved", "--format", "json", index=index_copy).stdout)
    assert "'rafah'" in listing[0]["search"]


def test_entities_undo_any_field_and_drop_unknown_warns(index_copy: Path) -> None:
    assert run("entities", "drop", "Benny Gantz", "--field", "people", index=index_copy).exit_code == 0
    assert "Benny Gantz" not in run("facets", "people", index=index_copy).stdout
    undone = run("entities", "undo", "Benny Gantz", index=index_copy)  # no --field: the README's own example
    assert undone.exit_code == 0 and "removed 1 rule" in undone.stderr
    assert "Benny Gantz" in run("facets", "people", index=index_copy).stdout
    unknown = run("entities", "drop", "Nobody Atall", index=index_copy)
    assert unknown.exit_code == 0 and "warning: 'Nobody Atall' is in no article" in unknown.stderr
    nothing = run("entities", "undo", "Nobody Else", index=index_copy)
    assert "warning: no rule" in nothing.stderr


def test_one_date_style_on_screen(small_index: Path) -> None:
    from archive.dates import shown_date

    assert shown_date("2024-03-01T09:30:00") == "2024-03-01 09:30"
    assert shown_date("2024-03-01T09:30:00+02:00") == "2024-03-01 09:30 +02:00"
    assert shown_date("2024-03-01") == "2024-03-01"
    text = run("search", "Berlin", index=small_index).stdout
    assert "2024-03-01 09:30 ·" in text and "T09:30" not in text
    hit = search_hits(small_index, "Berlin")["hits"][0]
    assert hit["date"] == "2024-03-01T09:30:00"  # scripts keep ISO 8601
    assert "date:          2024-03-01 09:30" in run("show", hit["id"], index=small_index).stdout
