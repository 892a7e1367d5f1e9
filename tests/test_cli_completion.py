"""Shell completion with Click's completion helpers: commands, options and values from the index."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from archive.cli import cli


def complete(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(cli, {}, "archive", "_ARCHIVE_COMPLETE")
    return [item.value for item in completer.get_completions(args, incomplete)]


def test_commands_and_options_complete() -> None:
    commands = complete([], "")
    for name in ("search", "facets", "timeline", "export", "entities", "saved", "serve", "completion"):
        assert name in commands
    assert complete([], "ti") == ["timeline"]
    assert "--person" in complete(["search"], "--pe")
    assert complete(["timeline", "--by"], "") == ["day", "week", "month", "year"]


def test_person_values_complete_from_the_index(built_index: Path) -> None:
    assert complete(["--index", str(built_index), "search", "--person"], "Gan") == ["Benny Gantz"]
    assert "Benny Gantz" in complete(["--index", str(built_index), "search", "--person"], "benny")
    assert "United States" in complete(["--index", str(built_index), "timeline", "--country"], "uni")
    assert "Rafah" in complete(["--index", str(built_index), "related"], "Raf")


def test_index_from_environment_and_missing_index(built_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHIVE_INDEX", str(built_index))
    assert complete(["search", "--person"], "Gan") == ["Benny Gantz"]
    assert complete(["--index", str(tmp_path / "none"), "search", "--person"], "Gan") == []


def test_saved_names_complete(index_copy: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["--index", str(index_copy), "search", "--person", "gantz", "--save", "gantz-watch"]).exit_code == 0
    assert complete(["--index", str(index_copy), "saved"], "gan") == ["gantz-watch"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    result = CliRunner().invoke(cli, ["completion", shell])
    assert result.exit_code == 0
    assert "_ARCHIVE_COMPLETE" in result.output


def test_completion_through_the_environment_protocol(built_index: Path) -> None:
    """What the shell actually runs: the console script with _ARCHIVE_COMPLETE set."""
    env = {
        "_ARCHIVE_COMPLETE": "bash_complete",
        "COMP_WORDS": f"archive --index {built_index} search --person Gan",
        "COMP_CWORD": "5",
        "PATH": "",
    }
    code = "from archive.cli import main; main()"
    output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False).stdout
    assert output.strip() == "plain,Benny\\ Gantz"  # escaped for bash (read back with read -r)
