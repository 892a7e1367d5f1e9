"""Shared fixtures: the small article folder and an index built from it once per session."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"


def pytest_configure(config: pytest.Config) -> None:
    """Let the Ctrl-C tests' child processes receive SIGINT.

    A suite started as a background job of a non-interactive shell (``pytest ... &``) inherits
    SIGINT ignored, and so would every process it starts: the interrupt tests would then fail
    for a reason that is not theirs. A handled signal is reset to its default in a child.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def articles_dir() -> Path:
    """The folder of small test articles (text, HTML, JSON list, JSON Lines with one bad line)."""
    return ARTICLES


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the test articles, built once; tests must not write to it."""
    from archive.api import ingest

    folder = tmp_path_factory.mktemp("index") / "index"
    ingest([ARTICLES], folder)
    return folder


@pytest.fixture()
def index_copy(built_index: Path, tmp_path: Path) -> Path:
    """A private copy of the built index that a test may change."""
    target = tmp_path / "index"
    shutil.copytree(built_index, target)
    return target
