"""The resident reader (``archive daemon``): lifecycle, permissions, fallback, and the same
output, errors and exit codes with and without it."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import daemon_client
from archive.daemon_client import DAEMON_FOLDER, SOCKET_NAME

ARCHIVE = [sys.executable, "-m", "archive.console"]


def archive(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the ``archive`` console script (the client path) in a fresh process."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("ARCHIVE_")}
    environment.update(env or {})
    return subprocess.run([*ARCHIVE, *args], capture_output=True, cwd=cwd, env=environment, timeout=120)


def status(index: Path) -> dict | None:
    """The daemon's status, or None when none answers."""
    found = archive("--index", str(index), "daemon", "status", "--format", "json")
    answer = json.loads(found.stdout)
    return answer if answer.get("ok") else None


def start(index: Path, *extra: str) -> int:
    """Start the index's daemon; its pid."""
    started = archive("--index", str(index), "daemon", "start", *extra)
    assert started.returncode == 0, started.stderr
    found = re.search(rb"\(pid (\d+)\)", started.stderr)
    assert found, started.stderr
    return int(found.group(1))


def wait_until(condition, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as found:
            return found.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture()
def daemons() -> Iterator[list[tuple[Path, int]]]:
    """Daemons a test started (index, pid), stopped afterwards whatever happened."""
    started: list[tuple[Path, int]] = []
    yield started
    for index, pid in started:
        archive("--index", str(index), "daemon", "stop")
        if not wait_until(lambda: not alive(pid), 10):
            os.kill(pid, 9)


READ_COMMANDS = [
    ["search", "gaza"],
    ["search", "ceasefire", "--format", "json"],
    ["search", "--person", "gantz", "--fields", "id,title", "--format", "csv"],
    ["search", "netanyhu"],  # no hits: did-you-mean on stderr
    ["search", '"unbalanced'],  # a query error: exit code 1
    ["search", "gaza", "--limit", "0"],  # a usage error from Click: exit code 2
    ["-q", "search", "zzzznothing"],
    ["facets", "people"],
    ["facets", "places", "gaza", "--format", "table"],
    ["facets", "nosuchfield"],
    ["related", "Benny Gantz"],
    ["related", "Nobody Atall"],
    ["timeline", "gaza", "--by", "year"],
    ["export", "--format", "csv", "--fields", "id,title"],
    ["export", "--format", "jsonl", "-o", "-"],
    ["show", "nosuchid"],
]


def run_all(index: Path, cwd: Path, env: dict[str, str] | None = None) -> list[tuple[int, bytes, bytes]]:
    results = []
    for command in READ_COMMANDS:
        done = archive("--index", str(index), *command, cwd=cwd, env=env)
        results.append((done.returncode, done.stdout, done.stderr))
    return results



def terminal_output(command: list[str], environment: dict[str, str], *, input_too: bool = False) -> bytes:
    """What a command writes to its standard output on a pseudo-terminal (standard input on it
    too when ``input_too``), read until it closes."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(command, stdin=follower if input_too else None, stdout=follower, stderr=subprocess.PIPE, env=environment)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    child.wait(timeout=60)
    os.close(leader)
    return output

def test_same_output_errors_and_exit_codes_with_and_without_the_daemon(index_copy: Path, tmp_path: Path, daemons: list) -> None:
    relative = os.path.relpath(index_copy, tmp_path)
    show_id = json.loads(archive("--index", str(index_copy), "search", "gaza", "--format", "json").stdout)["hits"][0]["id"][:6]
    READ_COMMANDS.append(["show", show_id])
    try:
        without = run_all(Path(relative), tmp_path)
        without_env = run_all(Path(relative), tmp_path, {"NO_COLOR": "1", "COLUMNS": "50"})
        daemons.append((index_copy, start(index_copy, "--idle-timeout", "120")))
        served_before = status(index_copy)["requests"]
        with_daemon = run_all(Path(relative), tmp_path)
        with_env = run_all(Path(relative), tmp_path, {"NO_COLOR": "1", "COLUMNS": "50"})
        served = status(index_copy)["requests"] - served_before
    finally:
        READ_COMMANDS.pop()
    for command, before, after in zip(READ_COMMANDS + [["show", show_id]], without, with_daemon):
        assert before == after, command
    assert without_env == with_env
    assert served == 2 * (len(READ_COMMANDS) + 1)  # every read command went to the daemon
    codes = {code for code, _, _ in without}
    assert {0, 1, 2} <= codes


def test_colours_on_a_terminal_are_the_same(index_copy: Path, daemons: list) -> None:
    """stdout a terminal: colours as in-process; NO_COLOR honoured."""

    def on_terminal(env: dict[str, str]) -> bytes:
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("ARCHIVE_", "NO_COLOR"))}
        environment.update(env)
        return terminal_output([*ARCHIVE, "--index", str(index_copy), "search", "gaza"], environment)

    plain_before, coloured_before = on_terminal({"NO_COLOR": "1"}), on_terminal({})
    daemons.append((index_copy, start(index_copy)))
    requests = status(index_copy)["requests"]
    assert on_terminal({"NO_COLOR": "1"}) == plain_before
    assert on_terminal({}) == coloured_before
    assert b"\x1b[" in coloured_before and b"\x1b[" not in plain_before
    assert status(index_copy)["requests"] == requests + 2


def test_start_status_stop_and_permissions(index_copy: Path, daemons: list) -> None:
    pid = start(index_copy)
    daemons.append((index_copy, pid))
    folder = index_copy / DAEMON_FOLDER
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    sock = folder / SOCKET_NAME
    assert stat.S_ISSOCK(sock.lstat().st_mode) and stat.S_IMODE(sock.lstat().st_mode) == 0o600
    again = archive("--index", str(index_copy), "daemon", "start")
    assert again.returncode == 0 and b"already running" in again.stderr
    assert status(index_copy)["pid"] == pid
    text = archive("--index", str(index_copy), "daemon", "status")
    assert text.returncode == 0 and text.stdout.startswith(b"running: pid")
    stopped = archive("--index", str(index_copy), "daemon", "stop")
    assert stopped.returncode == 0 and f"pid {pid}".encode() in stopped.stderr
    assert wait_until(lambda: not alive(pid))
    assert not sock.exists()
    gone = archive("--index", str(index_copy), "daemon", "status")
    assert gone.returncode == 1 and gone.stdout == b"not running\n"
    # stats counts the index's files only: the daemon's folder adds nothing
    assert archive("--index", str(index_copy), "stats", "--format", "json").returncode == 0


def test_a_socket_open_to_others_is_not_used(index_copy: Path, daemons: list) -> None:
    daemons.append((index_copy, start(index_copy)))
    sock = index_copy / DAEMON_FOLDER / SOCKET_NAME
    requests = status(index_copy)["requests"]
    os.chmod(sock, 0o666)
    try:
        assert daemon_client.connect(index_copy) is None
        done = archive("--index", str(index_copy), "search", "gaza")
        assert done.returncode == 0 and b"Gaza" in done.stdout
    finally:
        os.chmod(sock, 0o600)
    assert status(index_copy)["requests"] == requests  # the search ran in-process


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a client as another user")
def test_another_user_is_refused_by_the_server(index_copy: Path, daemons: list) -> None:
    daemons.append((index_copy, start(index_copy)))
    folder = index_copy / DAEMON_FOLDER
    os.chmod(folder, 0o777)
    os.chmod(folder / SOCKET_NAME, 0o777)
    system_python = shutil.which("python3", path="/usr/bin:/bin") or sys.executable
    # The child reaches the socket through an inherited descriptor of the daemon's folder
    # (the test's temporary folders are closed to other users).
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    code = (
        "import socket, sys, json, struct\n"
        "c = socket.socket(socket.AF_UNIX); c.settimeout(10); c.connect(sys.argv[1])\n"
        "data = json.dumps({'protocol': 1, 'kind': 'status'}).encode()\n"
        "try:\n"
        "    c.sendall(struct.pack('!I', len(data)) + data)\n"
        "    print(repr(c.recv(100)))\n"
        "except (ConnectionResetError, BrokenPipeError):\n"
        "    print('reset')\n"
    )
    try:
        done = subprocess.run(
            [system_python, "-c", code, f"/proc/self/fd/{descriptor}/{SOCKET_NAME}"], capture_output=True, text=True, timeout=30,
            preexec_fn=lambda: (os.setgid(65534), os.setuid(65534)), pass_fds=(descriptor,), cwd="/",
        )
    finally:
        os.close(descriptor)
        os.chmod(folder, 0o700)
        os.chmod(folder / SOCKET_NAME, 0o600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in ("b''", "reset")  # closed without an answer
    assert status(index_copy) is not None  # and still serving its owner


def test_refreshed_after_an_ingest(index_copy: Path, tmp_path: Path, daemons: list) -> None:
    daemons.append((index_copy, start(index_copy)))
    assert archive("--index", str(index_copy), "search", "quokka").stdout == b""
    new = tmp_path / "new"
    new.mkdir()
    (new / "quokka.txt").write_text("Quokkas seen on Rottnest\n\nA quokka colony was counted on Rottnest Island this week.\n")
    requests = status(index_copy)["requests"]
    ingested = archive("--index", str(index_copy), "ingest", "-q", str(new))
    assert ingested.returncode == 0, ingested.stderr
    found = archive("--index", str(index_copy), "search", "quokka", "--format", "json")
    assert len(json.loads(found.stdout)["hits"]) == 1
    assert status(index_copy)["requests"] == requests + 1  # answered by the daemon, which saw the commit


def test_idle_timeout_ends_the_daemon(index_copy: Path, daemons: list) -> None:
    pid = start(index_copy, "--idle-timeout", "1")
    daemons.append((index_copy, pid))
    assert wait_until(lambda: not alive(pid), 20)
    assert not (index_copy / DAEMON_FOLDER / SOCKET_NAME).exists()
    assert archive("--index", str(index_copy), "search", "gaza").returncode == 0


def test_stale_socket_falls_back_and_is_replaced_by_start(index_copy: Path, daemons: list) -> None:
    folder = index_copy / DAEMON_FOLDER
    folder.mkdir(mode=0o700)
    stale = socket.socket(socket.AF_UNIX)
    previous = os.umask(0o177)
    stale.bind(str(folder / SOCKET_NAME))
    os.umask(previous)
    stale.close()  # a socket file nobody listens on: a daemon killed with SIGKILL leaves this
    expected = archive("--index", str(index_copy), "search", "gaza")
    (folder / SOCKET_NAME).rename(folder / "moved")
    assert archive("--index", str(index_copy), "search", "gaza").stdout == expected.stdout
    (folder / "moved").rename(folder / SOCKET_NAME)
    assert daemon_client.connect(index_copy) is None
    done = archive("--index", str(index_copy), "search", "gaza")
    assert (done.returncode, done.stdout, done.stderr) == (expected.returncode, expected.stdout, expected.stderr)
    daemons.append((index_copy, start(index_copy)))
    assert daemon_client.connect(index_copy) is not None


def test_killed_daemon_falls_back(index_copy: Path, daemons: list) -> None:
    pid = start(index_copy)
    daemons.append((index_copy, pid))
    expected = archive("--index", str(index_copy), "facets", "people")
    os.kill(pid, 9)
    assert wait_until(lambda: not alive(pid))
    done = archive("--index", str(index_copy), "facets", "people")
    assert (done.returncode, done.stdout, done.stderr) == (expected.returncode, expected.stdout, expected.stderr)
    assert archive("--index", str(index_copy), "daemon", "start").returncode == 0  # the lock died with it
    daemons.append((index_copy, status(index_copy)["pid"]))


def test_no_daemon_means_in_process(built_index: Path) -> None:
    assert daemon_client.run_command(["--index", str(built_index), "search", "gaza"]) is None
    done = archive("--index", str(built_index), "search", "gaza")
    assert done.returncode == 0 and b"Gaza" in done.stdout


def test_other_builds_fall_back(index_copy: Path, daemons: list, monkeypatch: pytest.MonkeyPatch) -> None:
    daemons.append((index_copy, start(index_copy)))
    monkeypatch.setattr(daemon_client, "code_build", lambda: "another version")
    assert daemon_client.run_command(["--index", str(index_copy), "search", "gaza"]) is None
    monkeypatch.undo()
    assert status(index_copy) is not None


def test_a_rebuilt_index_falls_back_and_stops_the_daemon(index_copy: Path, daemons: list) -> None:
    pid = start(index_copy)
    daemons.append((index_copy, pid))
    meta = index_copy / "archive.json"
    content = meta.read_bytes()
    meta.unlink()
    meta.write_bytes(content)  # a new file: what rebuilding the index in place does
    assert daemon_client.run_command(["--index", str(index_copy), "search", "gaza"]) is None
    assert wait_until(lambda: not alive(pid))


def test_two_indexes_at_once(index_copy: Path, tmp_path: Path, daemons: list) -> None:
    other = tmp_path / "other-index"
    shutil.copytree(index_copy, other)
    new = tmp_path / "new"
    new.mkdir()
    (new / "wombat.txt").write_text("Wombat crossing\n\nA wombat crossed the road near Canberra.\n")
    assert archive("--index", str(other), "ingest", "-q", str(new)).returncode == 0
    first, second = start(index_copy), start(other)
    daemons.extend([(index_copy, first), (other, second)])
    assert first != second
    assert json.loads(archive("--index", str(index_copy), "search", "wombat", "--format", "json").stdout)["hits"] == []
    assert len(json.loads(archive("--index", str(other), "search", "wombat", "--format", "json").stdout)["hits"]) == 1
    assert status(index_copy)["requests"] == 1 and status(other)["requests"] == 1


def test_commands_that_write_or_are_not_reads_run_in_process(tmp_path: Path) -> None:
    env: dict[str, str] = {}
    assert daemon_client.routed_index(["search", "x"], env) == "index"
    assert daemon_client.routed_index(["--index", "a", "-qv", "facets", "people"], env) == "a"
    assert daemon_client.routed_index(["--index=b", "show", "x"], env) == "b"
    assert daemon_client.routed_index(["search", "x"], {"ARCHIVE_INDEX": "c"}) == "c"
    for argv in (["ingest", "x"], ["export", "-o", "out.csv"], ["export", "--output=x"], ["search", "--help"], ["--version"], ["stats"], [], ["--bogus", "search"]):
        assert daemon_client.routed_index(argv, env) is None, argv
    assert daemon_client.routed_index(["export", "-o", "-"], env) == "index"
    # standard input and the pager belong to the caller's process (issue 17's `search -` and --pager)
    for argv in (["search", "-"], ["export", "-", "-o", "-"], ["timeline", "--", "-"], ["search", "gaza", "--pager"], ["--index", "a", "search", "x", "--no-pager", "--pager"]):
        assert daemon_client.routed_index(argv, env) is None, argv
    assert daemon_client.routed_index(["search", "gaza"], {"ARCHIVE_PAGER": "yes"}) is None
    assert daemon_client.routed_index(["search", "gaza", "--no-pager"], {"ARCHIVE_PAGER": "1"}) == "index"
    assert daemon_client.routed_index(["search", "gaza"], {"ARCHIVE_PAGER": "0"}) == "index"
    assert daemon_client.routed_index([], {"_ARCHIVE_COMPLETE": "bash_complete", "COMP_WORDS": "archive --index z search --person Ga", "COMP_CWORD": "5"}) == "z"


def test_completion_goes_through_the_daemon(index_copy: Path, daemons: list) -> None:
    env = {"_ARCHIVE_COMPLETE": "bash_complete", "COMP_WORDS": f"archive --index {index_copy} search --person Gan", "COMP_CWORD": "5"}
    before = archive(env=env)
    daemons.append((index_copy, start(index_copy)))
    requests = status(index_copy)["requests"]
    after = archive(env=env)
    assert (before.returncode, before.stdout, before.stderr) == (after.returncode, after.stdout, after.stderr)
    assert b"Benny\\ Gantz" in after.stdout  # escaped for bash, as without the daemon
    assert status(index_copy)["requests"] == requests + 1


def test_the_client_loads_neither_click_nor_whoosh(index_copy: Path, daemons: list) -> None:
    daemons.append((index_copy, start(index_copy)))
    code = (
        "import sys, os\n"
        "from archive.daemon_client import run_command\n"
        "out = os.dup(1); os.dup2(os.open(os.devnull, os.O_WRONLY), 1)\n"
        f"result = run_command(['--index', {str(index_copy)!r}, 'search', 'gaza'])\n"
        "os.dup2(out, 1)\n"
        "print(result, sorted(m for m in ('click', 'whoosh', 'archive.cli', 'archive.api') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "0 []", done.stderr


def test_auto_start_is_off_by_default_and_on_with_the_variable(index_copy: Path, daemons: list) -> None:
    assert archive("--index", str(index_copy), "search", "gaza").returncode == 0
    time.sleep(0.5)
    assert status(index_copy) is None  # nothing started by itself
    first = archive("--index", str(index_copy), "search", "gaza", env={"ARCHIVE_DAEMON": "auto"})
    assert first.returncode == 0 and b"Gaza" in first.stdout  # this one ran in-process
    assert wait_until(lambda: status(index_copy) is not None, 60)
    pid = status(index_copy)["pid"]
    daemons.append((index_copy, pid))
    second = archive("--index", str(index_copy), "search", "gaza", env={"ARCHIVE_DAEMON": "auto"})
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    assert status(index_copy)["requests"] >= 1 and status(index_copy)["pid"] == pid


def test_the_client_reads_and_writes_json_as_the_json_module_does() -> None:
    """The client's JSON (``_json`` only, no ``json`` import): the bytes ``json.dumps``
    writes, and what ``json.loads`` reads, for the protocol's kinds of values (Hypothesis)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text())
    values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=12)

    @settings(max_examples=300, deadline=None)
    @given(value=values)
    def check(value: object) -> None:
        written = daemon_client.encode_json(value)
        assert written == json.dumps(value)
        assert daemon_client.decode_json(written) == json.loads(written)
        assert daemon_client.decode_json(f" {written}\n") == value

    check()
    with pytest.raises(ValueError):
        daemon_client.decode_json('{"ok": true} trailing')
    with pytest.raises(ValueError):
        daemon_client.decode_json("")


def test_the_client_path_imports_no_python_module_of_the_standard_library() -> None:
    """``archive`` reaches the resident reader with what the interpreter loads anyway, plus
    C modules: no ``socket``, ``json``, ``typing``, ``re``, ``enum`` (each a few milliseconds)."""
    code = "import sys; import archive.console; print(' '.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent).stdout.split())
    assert {"archive.console", "archive.daemon_client"} <= loaded
    assert not loaded & {"socket", "json", "typing", "re", "enum", "selectors", "click", "whoosh"}


def test_standard_input_and_the_pager_stay_with_the_caller(index_copy: Path, daemons: list) -> None:
    """`echo QUERY | archive search -` reads the caller's standard input and `--pager` pages on
    the caller's terminal while a daemon runs (the daemon read its own, empty, standard input and
    searched for everything; its pager had no terminal)."""

    def piped(query: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([*ARCHIVE, "--index", str(index_copy), "search", "-", "--format", "jsonl"], input=query.encode(),
                              capture_output=True, timeout=120, env={k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")})

    def paged(*args: str) -> bytes:
        environment = {key: value for key, value in os.environ.items() if not key.startswith("ARCHIVE_")}
        environment.update(PAGER="sed s/^/PAGED:/", NO_COLOR="1")
        return terminal_output([*ARCHIVE, "--index", str(index_copy), *args], environment, input_too=True)

    given = archive("--index", str(index_copy), "search", "ceasefire AND rafah", "--format", "jsonl")
    assert given.returncode == 0 and given.stdout
    before = piped("ceasefire\n AND rafah\n")
    daemons.append((index_copy, start(index_copy)))
    after = piped("ceasefire\n AND rafah\n")
    assert before.stdout == after.stdout == given.stdout
    assert b"PAGED:1. " in paged("search", "gaza", "--pager")
    assert b"PAGED:" not in paged("search", "gaza") and b"1. " in paged("search", "gaza")
