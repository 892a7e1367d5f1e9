"""The extraction benchmark's scoring reproduces the upstream rules (see the data's README)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_extraction.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_extraction", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_shingles_are_runs_of_four_word_tokens_with_multiplicity(bench: ModuleType) -> None:
    assert bench.shingles("a b c d a b c d") == {
        ("a", "b", "c", "d"): 2, ("b", "c", "d", "a"): 1, ("c", "d", "a", "b"): 1, ("d", "a", "b", "c"): 1,
    }
    assert bench.shingles("Zürich, 2024!") == {("Zürich", "2024"): 1}  # fewer than 4 tokens: one shingle
    assert bench.shingles("") == {}


def test_page_counts_are_normalised(bench: ModuleType) -> None:
    tp, fp, fn = bench.page_counts("one two three four five", "one two three four six")
    # gold shingles: (1234), (2345); predicted: (1234), (2346)
    assert (tp, fp, fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert bench.page_counts("", "") == (0.0, 0.0, 0.0)


def test_scores_are_means_over_pages_and_f1_of_the_means(bench: ModuleType) -> None:
    counts = [bench.page_counts("a b c d e", "a b c d e"),   # perfect
              bench.page_counts("a b c d e", ""),            # nothing predicted: no precision
              bench.page_counts("", "x y z w")]              # nothing expected: no recall
    result = bench.scores(counts)
    assert result["precision"] == pytest.approx((1.0 + 0.0) / 2)
    assert result["recall"] == pytest.approx((1.0 + 0.0) / 2)
    assert result["f1"] == pytest.approx(0.5)


def test_metadata_comparison(bench: ModuleType) -> None:
    assert bench.metadata_match("title", "‘The Medium’: a festival", "'The Medium': a Festival")
    assert bench.metadata_match("date", "2019-11-19", "2019-11-19T11:00:09+00:00")
    assert bench.metadata_match("author", "Ana Lopez, Ben Ode", "Ben Ode and Ana Lopez")
    assert bench.metadata_match("url", "https://www.example.com/a/", "http://example.com/a?utm=1")
    assert bench.metadata_match("source", ["WSJ", "Wall Street Journal"], "Wall Street Journal")
    assert bench.metadata_match("author", None, None)
    assert not bench.metadata_match("author", None, "admin")
    assert not bench.metadata_match("date", "2019-11-19", None)


def test_missing_data_exits_with_status_2(bench: ModuleType, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--data", str(tmp_path / "nowhere")]) == 2
    assert "benchmark data not found" in capsys.readouterr().err


def test_held_out_titles_match_when_one_contains_the_other(bench: ModuleType) -> None:
    assert bench.title_contained("Storm hits coast", "Storm hits coast | Daily Planet")
    assert bench.title_contained("“We were lucky”: flood", '"We were lucky": flood')
    assert not bench.title_contained("Storm hits coast", "Daily Planet")
    assert not bench.title_contained("Storm hits coast", None)


def test_held_out_pages_have_expected_values_for_every_page(bench: ModuleType) -> None:
    import json

    directory = bench.DEFAULT_HELDOUT
    expected = json.loads((directory / "expected.json").read_text("utf-8"))
    assert len(expected) == 16
    for key, record in expected.items():
        assert (directory / f"{key}.html").is_file()
        assert record["body"] and record["title"] and record["date"] and record["language"]
