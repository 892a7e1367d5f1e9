"""The bad input zoo: every broken input gets one clear line naming the file and the reason,
the rest of the run goes on, the index stays intact, and recoverable encodings are recovered.

Small inputs live in ``tests/fixtures/zoo/``; large, odd or unportable ones (deep HTML, 200 MB
files, vanishing or unreadable files, symlink loops, non-UTF-8 names) are generated here.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from process_helpers import unprivileged

from archive.cli import EXIT_SKIPPED, cli

ZOO = Path(__file__).parent / "fixtures" / "zoo"
CLI = [sys.executable, "-c", "from archive.cli import main; main()"]
MEGABYTE = 1024 * 1024

# File name → the reason its one line must give.
REFUSED = {
    "empty.txt": "empty file",
    "binary.txt": "binary data, not text",
    "truncated.txt.gz": "broken gzip file",
    "malformed.json": "malformed JSON",
    "number.json": "expected an article object, got int",
    "numbers.json": "no usable article in 3 JSON items (item 1: expected an article object, got int)",
    "no-body.json": "article has no body text",
    "one-bad-line.jsonl": "line 2: malformed JSON",
    "no-text.html": "no article text found",
}
# File name → text that must come out right after recovering its encoding.
RECOVERED = {
    "invalid-utf8.txt": "The café in Zürich hosted the trade talks on Monday.",
    "latin1.txt": "Der Bürgermeister von Köln sprach über die Straßenbahn und die Brücke.",
    "windows-1252.txt": "The minister’s café bill – €5 – was paid in Paris.",
    "wrong-charset.html": "Crème brûlée – “déjà vu” for the chefs of Lyon",
    "mojibake.txt": "The café in São Paulo hosted talks; it’s a naïve plan, said the mayor.",
}
RECOVERED_TITLES = {
    "latin1.txt": "Grüße aus Köln",
    "windows-1252.txt": "“Smart” quotes in Paris",
    "wrong-charset.html": "Crème brûlée in Lyon",
    "mojibake.txt": "Café talks in São Paulo",
}


def run(*args: str, index: Path) -> object:
    """The CLI in-process, exceptions not caught (a traceback fails the test)."""
    return CliRunner().invoke(cli, ["--index", str(index), *args], catch_exceptions=False)


def stats(index: Path) -> dict:
    return json.loads(run("stats", "--format", "json", index=index).stdout)


def lines_naming(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if name in line]


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the zoo with the generated inputs added."""
    folder = tmp_path_factory.mktemp("zoo") / "zoo"
    shutil.copytree(ZOO, folder)
    depth = 100_000
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * depth + "<p>Deep text about the summit in Berlin.</p>" + "</div>" * depth + "</body></html>"
    )
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    (folder / "cycle").mkdir()
    (folder / "cycle" / "back").symlink_to(folder)
    (folder / os.fsdecode(b"caf\xe9-latin1-name.txt")).write_text("Title: Odd name\n\nA file whose name is not UTF-8, about Madrid.\n")
    (folder / "control\x1b[2J-name.txt").write_text("Title: Control name\n\nA file whose name holds an escape, about Lisbon.\n")
    (folder / "good.txt").write_text("Title: Harbour reopens\n\nThe harbour in Oslo reopened after repairs on Tuesday.\n")
    return folder


@pytest.fixture(scope="module")
def zoo_run(zoo: Path, built_index: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, object]:
    """The zoo and a missing path ingested into a copy of the test index: (index, articles
    before, CLI result)."""
    index = tmp_path_factory.mktemp("zoo-index") / "index"
    shutil.copytree(built_index, index)
    before = stats(index)["articles"]
    return index, before, run("ingest", str(zoo), str(zoo.parent / "does-not-exist.txt"), index=index)


def test_every_bad_input_gets_one_clear_line_and_the_rest_goes_in(zoo: Path, zoo_run: tuple[Path, int, object]) -> None:
    index, before, result = zoo_run
    assert result.exit_code == EXIT_SKIPPED
    assert "Traceback" not in result.output
    stderr = result.stderr
    for name, reason in {**REFUSED, "loop.txt": "symbolic link loop", "dangling.txt": "broken symbolic link"}.items():
        (line,) = lines_naming(stderr, name)
        assert line.startswith(f"skipped {zoo / name}: ")
        assert reason in line, line
    (line,) = lines_naming(stderr, "does-not-exist.txt")
    assert line == f"skipped {zoo.parent / 'does-not-exist.txt'}: no such file or directory"
    skipped = len(REFUSED) + 3
    # recovered encodings, the two good JSON lines, deep HTML, odd names and a good file
    added = len(RECOVERED) + 2 + 1 + 3
    assert stderr.splitlines()[-1] == f"{added} added, 0 updated, 0 unchanged, {skipped} skipped (18 files)"
    assert len(stderr.splitlines()) == skipped + 1
    assert stats(index)["articles"] == before + added


def _hits(index: Path, *args: str) -> list[dict]:
    return json.loads(run("search", *args, "--format", "json", "--limit", "1000", index=index).stdout)["hits"]


def test_recoverable_encodings_come_out_right(zoo_run: tuple[Path, int, object]) -> None:
    index = zoo_run[0]
    hits = _hits(index)
    for name, text in RECOVERED.items():
        (hit,) = [hit for hit in hits if hit["path"].endswith(f"/{name}")]
        body = json.loads(run("show", hit["id"], "--format", "json", index=index).stdout)["body"]
        assert text in body, (name, body)
        assert "Ã" not in body and "â€" not in body
        if name in RECOVERED_TITLES:
            assert hit["title"] == RECOVERED_TITLES[name]


def test_json_lines_good_lines_go_in_around_a_bad_one(zoo_run: tuple[Path, int, object]) -> None:
    titles = {hit["title"] for hit in _hits(zoo_run[0]) if hit["path"].endswith("one-bad-line.jsonl")}
    assert titles == {"Alpha report", "Beta report"}


def test_deeply_nested_html_keeps_its_text(zoo_run: tuple[Path, int, object]) -> None:
    (hit,) = [hit for hit in _hits(zoo_run[0]) if hit["path"].endswith("deep.html")]
    assert "Deep text about the summit in Berlin" in hit["snippet"]


def test_file_names_that_are_not_utf8_or_hold_controls_are_shown_safely(zoo: Path, zoo_run: tuple[Path, int, object], tmp_path: Path) -> None:
    index = zoo_run[0]
    paths = {hit["path"] for hit in _hits(index) if "-name.txt" in hit["path"]}
    assert paths == {f"{zoo}/caf\\xe9-latin1-name.txt", f"{zoo}/control\\x1b[2J-name.txt"}
    text = run("search", "madrid", index=index).stdout
    assert "caf\\xe9-latin1-name.txt" in text and "\x1b" not in text
    broken = tmp_path / os.fsdecode(b"bad\xff.json")
    broken.write_text("{oops")
    result = run("ingest", str(broken), index=tmp_path / "index")
    assert result.stderr.splitlines()[0] == (
        f"skipped {tmp_path}/bad\\xff.json: malformed JSON: Expecting property name enclosed in double quotes at line 1 column 2"
    )


def test_files_that_vanish_or_become_unreadable_mid_run(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("a", "b", "c", "d"):
        (folder / f"{name}.txt").write_text(f"Title: Report {name}\n\nA report about the harbour of Hamburg, part {name}.\n")
    (folder / "locked").mkdir()
    (folder / "locked" / "e.txt").write_text("Title: E\n\nHidden away.\n")
    (folder / "locked").chmod(0)
    script = (
        "import json, os, sys\n"
        "from archive.api import ingest\n"
        "folder, index = sys.argv[1], sys.argv[2]\n"
        "def progress(path, report):\n"
        "    if path.endswith('a.txt'):\n"
        "        os.remove(os.path.join(folder, 'b.txt'))\n"
        "        os.chmod(os.path.join(folder, 'c.txt'), 0)\n"
        "report = ingest([folder], index, progress=progress)\n"
        "print(json.dumps({'problems': [str(p) for p in report.problems], 'summary': report.summary()}))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(folder), str(tmp_path / "index")],
            capture_output=True, text=True, timeout=60, **unprivileged(),
        )
    finally:
        (folder / "locked").chmod(0o755)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert sorted(report["problems"]) == [
        f"{folder}/b.txt: no such file or directory",
        f"{folder}/c.txt: cannot read file: Permission denied",
        f"{folder}/locked: cannot list folder: Permission denied",
    ]
    assert report["summary"] == "2 added, 0 updated, 0 unchanged, 3 skipped (3 files)"


def _huge_inputs(folder: Path, size: int) -> dict[str, str]:
    """Files of ``size`` bytes: a sparse text file, a gzip bomb and a JSON Lines file whose
    middle line is the whole size; returns the reason each must be refused with."""
    with open(folder / "huge.txt", "wb") as sparse:
        sparse.truncate(size)
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    with open(folder / "bomb.txt.gz", "wb") as bomb:
        chunk = b"words " * (MEGABYTE // 6)
        for _ in range(size // len(chunk) + 1):
            bomb.write(compressor.compress(chunk))
        bomb.write(compressor.flush())
    with open(folder / "long-line.jsonl", "wb") as lines:
        lines.write(b'{"title": "Before", "body": "The line before the long one, about Prague."}\n')
        lines.write(b'{"title": "Huge", "body": "')
        block = b"x" * MEGABYTE
        for _ in range(size // MEGABYTE):
            lines.write(block)
        lines.write(b'"}\n{"title": "After", "body": "The line after the long one, about Warsaw."}\n')
    return {
        "huge.txt": "file too large",
        "bomb.txt.gz": "once decompressed",
        "long-line.jsonl": "line 2: line too long",
    }


def _check_huge(folder: Path, index: Path, reasons: dict[str, str], result: subprocess.CompletedProcess) -> None:
    assert result.returncode == EXIT_SKIPPED, result.stderr
    for name, reason in reasons.items():
        (line,) = lines_naming(result.stderr, name)
        assert reason in line
    titles = {hit["title"] for hit in json.loads(run("search", "--format", "json", index=index).stdout)["hits"]}
    assert titles == {"Before", "After"}


def test_files_over_the_size_limit_are_refused_without_reading_them_whole(tmp_path: Path) -> None:
    """The cheap version: a 1 MB limit and 3 MB inputs take the same paths as 200 MB ones."""
    folder = tmp_path / "big"
    folder.mkdir()
    reasons = _huge_inputs(folder, 3 * MEGABYTE)
    index = tmp_path / "index"
    result = run("ingest", str(folder), "--max-file-size", "1", index=index)
    _check_huge(folder, index, reasons, subprocess.CompletedProcess([], result.exit_code, result.stdout, result.stderr))
    assert "huge.txt: file too large (3 MB; the limit for an article file is 1 MB)" in result.stderr


# The CLI, reporting its peak memory (VmHWM: the high-water mark of its own address space,
# unlike ru_maxrss, which also counts the parent's memory a spawned child inherited).
MEASURED_CLI = [
    sys.executable, "-c",
    "import atexit, os\n"
    "def peak():\n"
    "    with open('/proc/self/status') as status, open(os.environ['PEAK_FILE'], 'w') as out:\n"
    "        out.write(status.read().split('VmHWM:')[1].split()[0])\n"
    "atexit.register(peak)\n"
    "from archive.cli import main; main()",
]


@pytest.mark.slow
def test_200_megabyte_files_are_refused_in_bounded_memory(tmp_path: Path) -> None:
    """Read whole, the 200 MB inputs would take over 260 MB with the program; streamed, the
    peak follows the article size limit, not the size of the input."""
    folder = tmp_path / "big"
    folder.mkdir()
    reasons = _huge_inputs(folder, 200 * MEGABYTE)
    for limit, bound in ((50, 200), (5, 100)):
        index = tmp_path / f"index-{limit}"
        peak_file = tmp_path / "peak"
        result = subprocess.run(
            [*MEASURED_CLI, "--index", str(index), "ingest", "--max-file-size", str(limit), str(folder)],
            capture_output=True, text=True, timeout=600, env={**os.environ, "PEAK_FILE": str(peak_file)},
        )
        _check_huge(folder, index, reasons, result)
        peak = int(peak_file.read_text()) * 1024
        assert peak < bound * MEGABYTE, f"peak memory {peak // MEGABYTE} MB with a {limit} MB limit"


def test_gzip_json_lines_stream_and_a_truncated_tail_keeps_the_lines_before(tmp_path: Path) -> None:
    lines = b"".join(b'{"title": "Item %d", "body": "Story number %d about the bridge in Porto."}\n' % (n, n) for n in range(200))
    whole = gzip.compress(lines)
    (tmp_path / "wire.jsonl.gz").write_bytes(whole[: len(whole) * 3 // 4])
    index = tmp_path / "index"
    result = run("ingest", str(tmp_path / "wire.jsonl.gz"), index=index)
    assert result.exit_code == EXIT_SKIPPED
    (line,) = result.stderr.splitlines()[:-1]
    assert "wire.jsonl.gz: broken gzip file" in line
    assert 0 < stats(index)["articles"] < 200


def test_a_json_lines_file_of_garbage_is_one_line_and_many_bad_lines_are_capped(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text("not json\n" * 500)
    mostly_bad = tmp_path / "mostly-bad.jsonl"
    mostly_bad.write_text('{"title": "Good", "body": "The one good line, about Dublin."}\n' + "oops\n" * 50)
    result = run("ingest", str(garbage), str(mostly_bad), index=tmp_path / "index")
    lines = result.stderr.splitlines()
    assert lines_naming(result.stderr, "garbage.jsonl") == [f"skipped {garbage}: no usable article in 500 lines (line 1: malformed JSON: Expecting value)"]
    bad = lines_naming(result.stderr, "mostly-bad.jsonl")
    assert len(bad) == 11 and bad[-1] == f"skipped {mostly_bad}: 40 more bad lines not shown"
    assert lines[-1] == "1 added, 0 updated, 0 unchanged, 51 skipped (2 files)"


def test_fifo_and_folder_named_like_articles(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    result = run("ingest", str(tmp_path / "pipe.txt"), index=tmp_path / "index")
    assert result.stderr.splitlines()[0] == f"skipped {tmp_path}/pipe.txt: not a regular file"


def test_articles_sharing_an_id_in_one_batch_are_not_duplicated(tmp_path: Path) -> None:
    items = [{"id": "same", "title": title, "body": f"{title} story about the harbour in Oslo."} for title in ("One", "Two")]
    (tmp_path / "dup.json").write_text(json.dumps(items))
    index = tmp_path / "index"
    for _ in range(2):
        run("ingest", str(tmp_path / "dup.json"), index=index)
    assert [hit["title"] for hit in json.loads(run("search", "--format", "json", index=index).stdout)["hits"]] == ["Two"]
    assert stats(index)["articles"] == 1
