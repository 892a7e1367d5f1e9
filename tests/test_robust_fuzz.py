"""Property-based tests: random strings for the query language, every filter option, the date
options and paging never give a traceback, only results (exit 0) or one error line (exit != 0).

Each property runs ``ARCHIVE_FUZZ_EXAMPLES`` examples (100 by default); the slow variants
(``pytest -m slow``) run ten times as many. Facet values and queries with quotes, Unicode,
emoji, right-to-left text and Whoosh syntax characters are tested on an index built for them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.cli import cli

EXAMPLES = int(os.environ.get("ARCHIVE_FUZZ_EXAMPLES", "100"))
FILTERS = ("person", "org", "actor", "place", "country", "topic", "source", "language")
SYNTAX = list(':"()[]{}*?~^+-\\/!&|<>=\'`.,;') + ["AND", "OR", "NOT", "TO", " ", "title:", "people:", "date:", "body:", "*:*"]
WORDS = ["gaza", "ceasefire", "Gantz", "rafah", "aid", "é", "日本", "🕊️", "שלום", "غزة", "\u202e", "\x00", "\x1b[2J", "\udcff"]


def pieces() -> st.SearchStrategy[str]:
    """Strings built from query syntax, index words, odd characters and random text."""
    piece = st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS), st.text(max_size=8))
    return st.one_of(
        st.lists(piece, max_size=12).map("".join),
        st.lists(piece, max_size=8).map(" ".join),
        st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40),
    )


def dates() -> st.SearchStrategy[str]:
    """Date option values: well-formed, almost well-formed and random."""
    return st.one_of(
        st.dates().map(str),
        st.from_regex(r"\A[0-9]{1,5}(-[0-9]{1,3}){0,2}\Z"),
        st.integers(min_value=0, max_value=9999).map(lambda year: f"{year:04d}-12"),
        pieces(),
    )


def check_outcome(args: list[str], index: Path) -> None:
    """Run the command: success, or a non-zero exit with one error line and no traceback."""
    result = CliRunner().invoke(cli, ["--index", str(index), *args], catch_exceptions=False)
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        return
    lines = result.stderr.splitlines()
    if result.exit_code == 2:  # a usage error from Click: usage, hint and the one error line
        assert sum(line.startswith("Error: ") for line in lines) == 1, lines
    else:
        assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("Error: "), (result.exit_code, lines)


def fuzz(examples: int) -> Callable:
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def searches(draw: st.DrawFn) -> list[str]:
    """A ``search`` command line: a query, some filters, dates and paging options."""
    args = ["search"]
    for option in draw(st.lists(st.sampled_from(FILTERS), max_size=3)):
        args.append(f"--{option}={draw(pieces())}")
    if draw(st.booleans()):
        args.append(f"--since={draw(dates())}")
    if draw(st.booleans()):
        args.append(f"--until={draw(dates())}")
    if draw(st.booleans()):
        args.append(f"--limit={draw(st.one_of(st.integers(-5, 10**12).map(str), pieces()))}")
    if draw(st.booleans()):
        args.append(f"--offset={draw(st.one_of(st.integers(-5, 10**12).map(str), pieces()))}")
    args += [f"--sort={draw(st.sampled_from(['relevance', 'date']))}", f"--format={draw(st.sampled_from(['text', 'json', 'jsonl', 'csv']))}"]
    if draw(st.booleans()):
        args += ["--", draw(pieces())]
    return args


@st.composite
def other_commands(draw: st.DrawFn) -> list[str]:
    """``facets``, ``related`` and ``show`` command lines with random arguments."""
    command = draw(st.sampled_from(["facets", "related", "show"]))
    if command == "show":
        return ["show", "--", draw(st.one_of(pieces(), st.from_regex(r"\A[0-9a-f]{1,16}\Z")))]
    args = [command]
    for option in draw(st.lists(st.sampled_from(FILTERS), max_size=2)):
        args.append(f"--{option}={draw(pieces())}")
    if draw(st.booleans()):
        args.append(f"--since={draw(dates())}")
    if command == "facets":
        return [*args, "--", draw(st.sampled_from(["people", "places", "topics", "source"])), draw(pieces())]
    return [*args, f"--field={draw(st.sampled_from(['actors', 'countries', 'topics']))}", "--", draw(pieces())]


@fuzz(EXAMPLES)
@given(query=pieces())
def test_random_queries(built_index: Path, query: str) -> None:
    check_outcome(["search", "--format", "json", "--", query], built_index)


@fuzz(EXAMPLES)
@given(args=searches())
def test_random_search_options(built_index: Path, args: list[str]) -> None:
    check_outcome(args, built_index)


@fuzz(EXAMPLES)
@given(since=dates(), until=dates())
def test_random_dates(built_index: Path, since: str, until: str) -> None:
    check_outcome(["search", f"--since={since}", f"--until={until}", "--format", "csv"], built_index)


@fuzz(EXAMPLES)
@given(args=other_commands())
def test_random_facets_related_show(built_index: Path, args: list[str]) -> None:
    check_outcome(args, built_index)


@pytest.mark.slow
@fuzz(EXAMPLES * 10)
@given(args=st.one_of(searches(), other_commands()))
def test_many_random_command_lines(built_index: Path, args: list[str]) -> None:
    check_outcome(args, built_index)


EXOTIC_SOURCES = {
    "quotes.json": 'Le "Monde" d\'aujourd\'hui',
    "emoji.json": "News 🗞️ Daily 🕊️",
    "rtl.json": "הארץ",
    "arabic.json": "الجزيرة",
    "syntax.json": "AND (OR) NOT: [a TO b] {x} *star? ~tilde^2 +plus -minus \\back/slash",
    "cjk.json": "朝日新聞",
}


@pytest.fixture(scope="module")
def exotic_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index whose sources, titles and bodies hold quotes, emoji, RTL text and query syntax."""
    folder = tmp_path_factory.mktemp("exotic")
    for name, source in EXOTIC_SOURCES.items():
        article = {
            "title": f"{source} reports on the harbour",
            "body": f"{source} wrote about the harbour in Haifa: שלום and سلام, 🕊️ peace, \"quoted\" words, a:b (c) [d] *e*.",
            "source": source,
            "date": "2024-04-01",
        }
        (folder / name).write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
    index = folder / "index"
    result = CliRunner().invoke(cli, ["--index", str(index), "ingest", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return index


def search_json(index: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["--index", str(index), "search", "--format", "json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["hits"]


@pytest.mark.parametrize("source", EXOTIC_SOURCES.values())
def test_exotic_facet_values_filter_and_count(exotic_index: Path, source: str) -> None:
    (hit,) = search_json(exotic_index, f"--source={source}")
    assert hit["source"] == source and hit["title"].startswith(source)
    result = CliRunner().invoke(cli, ["--index", str(exotic_index), "facets", "source", "--format", "json"], catch_exceptions=False)
    assert {"value": source, "count": 1} in json.loads(result.stdout)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("שלום", 6),
        ("سلام", 6),
        ("朝日新聞", 1),
        ('"quoted words"', 6),
        ("הארץ", 1),
        ('source:"朝日新聞"', 1),
        ("harbour AND NOT peace", 0),
        ("harbour OR nothing", 6),
    ],
)
def test_unicode_and_syntax_queries_find_what_they_should(exotic_index: Path, query: str, expected: int) -> None:
    assert len(search_json(exotic_index, "--", query)) == expected


@pytest.mark.parametrize("query", ["🗞️", "🕊️", '"', "(", ")", "[a TO", "title:", "*", "AND", "NOT", ":", "\\", "\udcff"])
def test_queries_of_only_syntax_or_symbols_work_or_fail_clearly(exotic_index: Path, query: str) -> None:
    check_outcome(["search", "--", query], exotic_index)
