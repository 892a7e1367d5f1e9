"""Crash safety and concurrent use: ingest killed at random moments, stale locks, a second
writer, readers during writes, Ctrl-C, incompatible and read-only indexes.

The kill harness runs ``archive ingest`` in a child process with a small batch size (so it
commits often), kills it with SIGKILL at a random moment (half of the trials at a random
time over the whole run, half just after a writer has started, that is while a segment is
written or committed) while a reader thread searches, counts facets and shows articles, and
checks after every kill that the index opens, holds every article any reader saw committed
and nothing twice; every few trials the same ingest is run to completion and must leave
exactly the expected articles, at their latest revision. The default run does
``ARCHIVE_KILL_TRIALS`` trials (10); ``pytest -m slow`` runs 200 (or ``ARCHIVE_KILL_TRIALS``).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from process_helpers import unprivileged

from archive import api, indexer
from archive.cli import cli
from archive.errors import ArchiveError
from archive.store import LOCK_FILE, SCHEMA_VERSION, index_exists, open_index

CLI = [sys.executable, "-c", "from archive.cli import main; main()"]
PLACES = ("Oslo", "Lyon", "Porto", "Dublin", "Vienna", "Prague", "Madrid", "Warsaw", "Lisbon", "Berlin")
BATCH = "3"
STALE = "cleared a stale lock"
# When a trial kills: at any time from the start (imports included), at a random time while
# the ingest holds the lock (reading, cleaning, writing), or just after a writer has started
# (a segment being written or committed).
MOMENTS = ("any time", "while working", "while writing")


def write_article(folder: Path, number: int, revision: int) -> str:
    """Write test article ``number`` at ``revision``; returns its title."""
    place = PLACES[number % len(PLACES)]
    title = f"Report {number} revision {revision}"
    paragraphs = [
        f"The council of {place} met on Monday to discuss report {number}, revision {revision}.",
        f"Officials in {place} said the harbour, the railway and the schools need repairs. " * 4,
        f"Mayor Anna Berg of {place} promised an answer before the summer holidays. " * 3,
    ]
    (folder / f"report-{number:03d}.txt").write_text(f"Title: {title}\nDate: 2024-{number % 12 + 1:02d}-{number % 28 + 1:02d}\n\n" + "\n\n".join(paragraphs) + "\n")
    return title


def make_corpus(folder: Path, files: int = 16, lines: int = 16) -> dict[str, str]:
    """Text files and a JSON Lines file; returns {file name: title} for the text files."""
    folder.mkdir(parents=True)
    titles = {f"report-{number:03d}.txt": write_article(folder, number, 0) for number in range(files)}
    with open(folder / "wire.jsonl", "w", encoding="utf-8") as wire:
        for number in range(lines):
            place = PLACES[number % len(PLACES)]
            wire.write(json.dumps({"title": f"Wire {number}", "date": "2024-05-01", "body": f"A wire story from {place} about trains and ports, number {number}. " * 5}) + "\n")
    return titles


def wait_for_lock(index: Path, child: subprocess.Popen, timeout: float) -> float:
    """Wait until the child holds the index lock (or ends); returns the time it did."""
    deadline = time.monotonic() + timeout
    while child.poll() is None and time.monotonic() < deadline and lock_holder(index) != child.pid:
        time.sleep(0.002)
    return time.monotonic()


def ingest_command(index: Path, corpus: Path) -> list[str]:
    return [*CLI, "--index", str(index), "ingest", "--batch-size", BATCH, str(corpus)]


def stored_ids(index: Path) -> list[str]:
    """Every article id in the index, repeats included."""
    with open_index(index).searcher() as searcher:
        return [fields["id"] for fields in searcher.all_stored_fields()]


def stored_titles(index: Path) -> dict[str, str]:
    with open_index(index).searcher() as searcher:
        return {Path(fields["path"]).name: fields["title"] for fields in searcher.all_stored_fields()}


def lock_holder(index: Path) -> int | None:
    """The process id recorded in the lock file, if any."""
    try:
        return json.loads((index / LOCK_FILE).read_text() or "{}").get("pid")
    except (OSError, ValueError):
        return None


class Reader(threading.Thread):
    """Searches, counts facets and shows articles in a loop while an ingest writes."""

    def __init__(self, index: Path) -> None:
        super().__init__(daemon=True)
        self.index = index
        self.states: list[list[str]] = []
        self.errors: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        chooser = random.Random(0)
        while not self.halt.is_set():
            try:
                ids = [hit.fields["id"] for hit in api.search(index_path=self.index, limit=None).hits]
                api.facets("places", index_path=self.index)
                if ids:
                    shown = chooser.choice(ids)
                    assert api.show(shown, index_path=self.index)["id"] == shown
                self.states.append(ids)
            except ArchiveError as error:
                if "no index at" not in str(error):
                    self.errors.append(str(error))
            except Exception as error:  # anything else is a failure to report
                self.errors.append(repr(error))
            time.sleep(0.01)

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=30)


def leftovers(index: Path) -> set[str]:
    """Evidence of what a killed writer left: a held lock, an open writer, an unfinished commit."""
    found = set()
    if not index.is_dir():
        return found
    names = os.listdir(index)
    if lock_holder(index):
        found.add("lock held")
    if "MAIN.tmp" in names:
        found.add("writer open")
    if any(re.match(r"^_MAIN_\d+\.toc\.", name) for name in names):
        found.add("table of contents half written")
    if index_exists(index):
        from whoosh.filedb.filestore import FileStorage
        from whoosh.index import TOC

        listed = {segment.segment_id() for segment in TOC.read(FileStorage(str(index)), "MAIN").segments}
        if any(re.match(r"^MAIN_[0-9a-z]+\.", name) and name.split(".")[0] not in listed for name in names):
            found.add("segment files not committed")
    return found


@dataclass
class Figures:
    """What the trials did and found."""

    trials: int = 0
    killed: int = 0
    finished_first: int = 0
    killed_when: Counter = field(default_factory=Counter)
    left: Counter = field(default_factory=Counter)
    stale_cleared: int = 0
    completions: int = 0
    reader_polls: int = 0
    violations: list[str] = field(default_factory=list)

    def report(self) -> str:
        return (
            f"{self.trials} kill trials: {self.killed} killed mid-run ({dict(self.killed_when)}), "
            f"{self.finished_first} finished before the kill; leftovers {dict(self.left)}; "
            f"{self.stale_cleared} stale locks cleared; {self.completions} completing re-runs; "
            f"{self.reader_polls} reader polls; {len(self.violations)} violations"
        )


def run_kill_trials(tmp_path: Path, trials: int, seed: int) -> Figures:
    """Kill ``archive ingest`` at random moments ``trials`` times; check the invariants."""
    chooser = random.Random(seed)
    corpus = tmp_path / "corpus"
    titles = make_corpus(corpus)
    revisions = {name: 0 for name in titles}
    reference = tmp_path / "reference"
    started = time.monotonic()
    child = subprocess.Popen(ingest_command(reference, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    locked = wait_for_lock(reference, child, 120)
    assert child.wait(timeout=120) == 0, child.stderr.read()
    full_run = time.monotonic() - started
    work = full_run - (locked - started)
    expected = set(stored_ids(reference))
    index = tmp_path / "index"
    figures = Figures()
    stale = False

    def check(condition: bool, message: str) -> None:
        if not condition:
            figures.violations.append(f"trial {figures.trials} (seed {seed}): {message}")

    def complete() -> None:
        nonlocal stale
        result = subprocess.run(ingest_command(index, corpus), capture_output=True, text=True, timeout=120)
        check(result.returncode == 0, f"completing run failed: {result.stderr}")
        check((STALE in result.stderr) == stale, f"stale lock message {'missing' if stale else 'unexpected'}: {result.stderr}")
        figures.stale_cleared += STALE in result.stderr
        stale = False
        ids = stored_ids(index)
        check(len(ids) == len(set(ids)), f"duplicates after completion: {len(ids) - len(set(ids))}")
        check(set(ids) == expected, f"completion left {len(expected - set(ids))} missing, {len(set(ids) - expected)} extra")
        current = {name: f"Report {int(name[7:10])} revision {revision}" for name, revision in revisions.items()}
        check({name: title for name, title in stored_titles(index).items() if name in current} == current, "stale revisions")
        check(not leftovers(index), f"leftovers after completion: {leftovers(index)}")
        figures.completions += 1

    for trial in range(trials):
        figures.trials += 1
        if chooser.random() < 0.2 and index.exists():
            shutil.rmtree(index)
            stale = False
        if chooser.random() < 0.3:
            for name in chooser.sample(sorted(titles), 4):
                revisions[name] += 1
                write_article(corpus, int(name[7:10]), revisions[name])
        before = set(stored_ids(index)) if index_exists(index) else set()
        names_before = set(os.listdir(index)) if index.exists() else set()
        reader = Reader(index)
        reader.start()
        child = subprocess.Popen(ingest_command(index, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        moment = chooser.choices(MOMENTS, weights=(1, 2, 2))[0]
        if moment == "any time":
            deadline = time.monotonic() + chooser.uniform(0, full_run * 1.1)
        else:
            deadline = wait_for_lock(index, child, full_run * 2) + (work * 1.5 if moment == "while writing" else chooser.uniform(0, work * 1.1))
        while time.monotonic() < deadline and child.poll() is None:
            if moment == "while writing" and index.exists():
                fresh = set(os.listdir(index)) - names_before
                if any(name.startswith("MAIN") and name != "MAIN_WRITELOCK" for name in fresh):
                    time.sleep(chooser.uniform(0, 0.04))
                    break
            time.sleep(0.001)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            figures.killed += 1
            figures.killed_when[moment] += 1
        else:
            figures.finished_first += 1
        stderr = child.communicate(timeout=60)[1]
        reader.stop()
        figures.reader_polls += len(reader.states)
        check(not reader.errors, f"reader errors: {reader.errors[:3]}")
        for earlier, later in zip(reader.states, reader.states[1:]):
            check(set(earlier) <= set(later), "a reader saw articles disappear")
        check(all(len(state) == len(set(state)) for state in reader.states), "a reader saw an article twice")
        holder = lock_holder(index) if index.exists() else None
        acquired = child.returncode in (0, 3) or holder == child.pid
        if stale and acquired:
            check(STALE in stderr, f"stale lock not reported: {stderr}")
        if not stale:
            check(STALE not in stderr, f"stale lock reported without one: {stderr}")
        figures.stale_cleared += STALE in stderr
        stale = holder is not None
        found = leftovers(index)
        figures.left.update(found)
        seen = set().union(*map(set, reader.states)) if reader.states else set()
        if index_exists(index):
            ids = stored_ids(index)
            check(len(ids) == len(set(ids)), "duplicate articles after the kill")
            check(set(ids) >= before | seen, f"committed articles lost: {len((before | seen) - set(ids))}")
            check(set(ids) <= expected, "unknown articles")
            check(api.search("council", index_path=index).total >= 0, "search after the kill")
        else:
            check(not before and not seen, "the index vanished")
        if trial % 4 == 3 or trial == trials - 1:
            complete()
    return figures


def test_kill_trials(tmp_path: Path) -> None:
    trials = int(os.environ.get("ARCHIVE_KILL_TRIALS", "10"))
    figures = run_kill_trials(tmp_path, trials, seed=int(os.environ.get("ARCHIVE_KILL_SEED", "1")))
    print(figures.report())
    assert not figures.violations, figures.violations
    assert figures.killed >= trials // 2
    assert figures.completions >= trials // 4


@pytest.mark.slow
def test_many_kill_trials(tmp_path: Path) -> None:
    trials = int(os.environ.get("ARCHIVE_KILL_TRIALS", "200"))
    figures = run_kill_trials(tmp_path, trials, seed=int(os.environ.get("ARCHIVE_KILL_SEED", "2")))
    print(figures.report())
    assert not figures.violations, figures.violations[:10]
    assert figures.left["segment files not committed"] + figures.left["writer open"] > 0


def run(*args: str, index: Path):
    return CliRunner().invoke(cli, ["--index", str(index), *args], catch_exceptions=False)


def test_a_stale_lock_and_an_unfinished_commit_are_cleared_with_a_message(index_copy: Path, tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (index_copy / LOCK_FILE).write_text(json.dumps({"pid": dead.pid, "host": os.uname().nodename, "started": "2024-01-01T00:00:00"}))
    (index_copy / "MAIN_zzzzzzzzzzzzzzzz.seg").write_bytes(b"half a segment")
    (index_copy / "_MAIN_99.toc.1700000000.25").write_bytes(b"half a table")
    (index_copy / "MAIN.tmp").mkdir()
    (index_copy / "MAIN.tmp" / "pool.tmp").write_bytes(b"postings")
    assert json.loads(run("stats", "--format", "json", index=index_copy).stdout)["articles"] == 6
    article = tmp_path / "new.txt"
    article.write_text("Title: New\n\nThe harbour in Oslo reopened.\n")
    result = run("ingest", str(article), index=index_copy)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"cleared a stale lock on {index_copy} left by archive ingest (pid {dead.pid}, started 2024-01-01T00:00:00), "
        "which is no longer running, and 3 files of its unfinished commit",
        "1 added, 0 updated, 0 unchanged, 0 skipped (1 file)",
    ]
    names = os.listdir(index_copy)
    assert "MAIN_zzzzzzzzzzzzzzzz.seg" not in names and "MAIN.tmp" not in names and not any(".toc." in name for name in names)
    assert (index_copy / LOCK_FILE).read_text() == ""


def test_a_second_ingest_waits_then_fails_clearly(index_copy: Path, articles_dir: Path) -> None:
    from archive.store import writable_index

    with writable_index(index_copy):
        started = time.monotonic()
        result = subprocess.run([*CLI, "--index", str(index_copy), "ingest", "--wait", "1", str(articles_dir)], capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - started
    assert result.returncode == 1
    holder = rf"archive ingest \(pid {os.getpid()}, started [\d\-T:]+\)"
    first, second = result.stderr.splitlines()
    assert re.fullmatch(rf"waiting up to 1 s for {holder} to finish writing to {re.escape(str(index_copy))}\.\.\.", first)
    assert re.fullmatch(
        rf"Error: the index at {re.escape(str(index_copy))} is busy: {holder} is writing to it; "
        r"try again when it finishes \(or wait longer with --wait SECONDS\)",
        second,
    )
    assert waited >= 1
    assert json.loads(run("stats", "--format", "json", index=index_copy).stdout)["articles"] == 6


def test_two_ingests_at_once_both_finish_without_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    extra = tmp_path / "extra.txt"
    extra.write_text("Title: Extra\n\nAn extra report about the port of Lisbon.\n")
    index = tmp_path / "index"
    first = subprocess.Popen(ingest_command(index, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen([*ingest_command(index, corpus), str(extra)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    errors = [first.communicate(timeout=120)[1], second.communicate(timeout=120)[1]]
    assert (first.returncode, second.returncode) == (0, 0), errors
    assert sum("waiting up to 30 s for archive ingest" in error for error in errors) <= 1  # 1 if they overlapped
    ids = stored_ids(index)
    assert len(ids) == len(set(ids)) == 16 + 16 + 1


def test_readers_see_the_last_commit_while_an_ingest_writes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    index = tmp_path / "index"
    reader = Reader(index)
    reader.start()
    done = subprocess.run([*CLI, "--index", str(index), "ingest", "--batch-size", "2", str(corpus)], capture_output=True, text=True, timeout=120)
    time.sleep(0.1)
    reader.stop()
    assert done.returncode == 0, done.stderr
    assert not reader.errors
    sizes = [len(state) for state in reader.states]
    assert sizes == sorted(sizes) and sizes[-1] == 32
    assert len(set(sizes)) > 2, "the reader saw too few commits"
    assert all(len(state) == len(set(state)) for state in reader.states)


def test_ctrl_c_commits_what_was_read_says_how_far_and_exits_130(tmp_path: Path) -> None:
    """Ctrl-C at a terminal: stderr is a pseudo-terminal, so the progress line shows how far
    the ingest got; SIGINT is sent once five files are in."""
    import pty

    corpus = tmp_path / "corpus"
    make_corpus(corpus, files=40, lines=0)
    (corpus / "wire.jsonl").unlink()
    index = tmp_path / "index"
    terminal, child_end = pty.openpty()
    child = subprocess.Popen([*CLI, "--index", str(index), "ingest", str(corpus)], stdout=subprocess.DEVNULL, stderr=child_end)
    os.close(child_end)
    output = b""
    while not any(int(done) >= 5 for done in re.findall(rb"(\d+)/40\b", output)):  # files done, on the progress bar
        output += os.read(terminal, 4096)
    child.send_signal(signal.SIGINT)
    try:
        while chunk := os.read(terminal, 4096):
            output += chunk
    except OSError:  # the terminal closes when the child ends
        pass
    os.close(terminal)
    assert child.wait(timeout=60) == 130
    last = re.sub(r"\x1b\[[?0-9;]*[A-Za-z]", "", output.decode()).replace("\r", "\n").split("\n")
    assert any(re.fullmatch(r"interrupted: committing \d+ articles? read so far \(Ctrl-C again to abandon them\)", line.strip()) for line in last), output
    message = [line.strip() for line in last if line.startswith("interrupted after")]
    assert len(message) == 1, output
    match = re.fullmatch(
        r"interrupted after (\d+) files \((\d+) added, 0 updated, 0 unchanged, 0 skipped \(\d+ files\)\); "
        r"run the same command again to finish",
        message[0],
    )
    assert match, message
    files, added = int(match.group(1)), int(match.group(2))
    assert 5 <= files < 40 and added == files
    assert len(stored_ids(index)) == added
    again = subprocess.run([*CLI, "--index", str(index), "ingest", str(corpus)], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0
    assert again.stderr.strip() == f"{40 - added} added, 0 updated, {added} unchanged, 0 skipped (40 files)"


def test_ctrl_c_during_a_commit_lets_the_commit_finish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    corpus = tmp_path / "corpus"
    make_corpus(corpus, files=5, lines=0)
    (corpus / "wire.jsonl").unlink()
    real_writer = indexer.locked_writer

    @contextmanager
    def interrupted_writer(index: object) -> object:
        with real_writer(index) as writer:
            yield writer
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(indexer, "locked_writer", interrupted_writer)
    report = api.ingest([corpus], tmp_path / "index", batch_size=2)
    assert report.interrupted
    # The first commit (two articles) finishes; the file whose article started it is taken
    # whole before the interrupt counts; the last commit, interrupted again, abandons it.
    assert (report.added, report.files, report.abandoned) == (2, 3, 1)
    assert len(stored_ids(tmp_path / "index")) == 2


def test_an_index_from_an_incompatible_version_is_refused_with_rebuild_steps(index_copy: Path, articles_dir: Path) -> None:
    (index_copy / "archive.json").write_text('{"schema_version": 0}\n')
    message = (
        f"Error: the index at {index_copy} was written by an incompatible version of archive (schema 0; this version "
        f"reads schema {SCHEMA_VERSION}): rebuild it with 'rm -r {index_copy}' then 'archive --index {index_copy} ingest PATH...'"
    )
    for args in (["search", "gaza"], ["ingest", str(articles_dir)], ["stats"]):
        result = run(*args, index=index_copy)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [message]
    (index_copy / "archive.json").unlink()
    assert "(schema None;" in run("search", "gaza", index=index_copy).stderr


def test_a_read_only_index_can_be_searched_but_not_written(index_copy: Path, articles_dir: Path, tmp_path: Path) -> None:
    for folder, _, names in os.walk(index_copy):
        for name in names:
            os.chmod(os.path.join(folder, name), 0o444)
    index_copy.chmod(0o555)
    try:
        search = subprocess.run([*CLI, "--index", str(index_copy), "search", "gaza", "--format", "json"], capture_output=True, text=True, timeout=60, **unprivileged())
        ingest = subprocess.run([*CLI, "--index", str(index_copy), "ingest", str(articles_dir)], capture_output=True, text=True, timeout=60, **unprivileged())
        tmp_path.chmod(0o555)
        create = subprocess.run([*CLI, "--index", str(tmp_path / "new"), "ingest", str(articles_dir)], capture_output=True, text=True, timeout=60, **unprivileged())
    finally:
        tmp_path.chmod(0o755)
        index_copy.chmod(0o755)
    assert search.returncode == 0 and json.loads(search.stdout)
    assert ingest.returncode == 1
    assert ingest.stderr.splitlines() == [
        f"Error: cannot write to the index at {index_copy}: Permission denied "
        "(ingest needs a writable folder; searching a read-only index works)"
    ]
    assert create.returncode == 1
    assert create.stderr.splitlines() == [f"Error: cannot create an index at {tmp_path / 'new'}: Permission denied"]


def test_ingest_help_gives_the_library_defaults() -> None:
    from archive.store import LOCK_TIMEOUT_SECONDS

    text = " ".join(CliRunner().invoke(cli, ["ingest", "--help"]).output.split())
    assert f"[default: {api.COMMIT_EVERY}]" in text
    assert f"[default: {LOCK_TIMEOUT_SECONDS:g}]" in text
    assert "--max-file-size MB" in text and "[default: 50;" in text
