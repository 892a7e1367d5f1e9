"""The resident reader: a background process per index that keeps it open and runs read
commands handed to it by :mod:`archive.daemon_client`.

Lifecycle (after dmypy's and watchman's): ``archive daemon start`` launches ``archive daemon
run`` in a new session and waits until it answers; the server takes an exclusive lock on
``INDEX/.daemon/lock`` (one daemon per index; the lock dies with the process, so a crashed
server leaves nothing that blocks the next), opens the index, warms it, and only then binds
``INDEX/.daemon/sock`` (created 0600 in a 0700 folder). Every connection's peer is checked
with ``SO_PEERCRED``: another user's process is refused. The server exits after
``idle_timeout`` seconds without a request, when its socket is removed or replaced, when the
index's ``archive.json`` changes (a rebuilt index: the client runs the command itself), or
on ``archive daemon stop``.

Requests run one at a time, each as the same Click command the client would have run, with
the client's arguments, working directory, output-related environment variables and
terminal flags; standard output and standard error are sent back as written, then the exit
code. The open :class:`archive.api.Archive` refreshes its searcher when a commit has changed
the index since the last request, so an ingest is seen by the next search.
"""

from __future__ import annotations

import fcntl
import io
import os
import socket
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .api import Archive
from .daemon_client import (
    FRAME,
    GO,
    LOCK_NAME,
    PROTOCOL,
    SOCKET_NAME,
    code_build,
    connect,
    daemon_folder,
    forwarded_env,
    peer_uid,
    receive_message,
    request,
    send_message,
    socket_address,
)
from .errors import ArchiveError
from .files import display_path
from .store import META_FILE, open_index

DEFAULT_IDLE_TIMEOUT = 1800.0  # seconds without a request before the daemon exits
POLL_SECONDS = 1.0  # how often an idle server checks its socket, index and timeout
REQUEST_TIMEOUT = 5.0  # seconds a connected client has to send its request

# Runs one command line: (argv, the open Archive) -> None, raising SystemExit with the code.
CommandRunner = Callable[[list[str], Archive], None]


class AlreadyRunning(ArchiveError):
    """Another daemon holds the index's lock."""


class SocketStream(io.RawIOBase):
    """A writable raw stream that sends what is written as frames of one kind."""

    def __init__(self, connection: socket.socket, kind: bytes, tty: bool) -> None:
        super().__init__()
        self.connection = connection
        self.kind = kind
        self.tty = tty

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.tty

    def write(self, data: Any) -> int:
        payload = bytes(data)
        if payload:
            self.connection.sendall(FRAME.pack(self.kind, len(payload)) + payload)
        return len(payload)


def text_stream(connection: socket.socket, kind: bytes, tty: bool, encoding: str, *, line_buffering: bool) -> io.TextIOWrapper:
    """A text stream like the client's own (encoding, errors escaped as ``main`` sets them)."""
    raw = SocketStream(connection, kind, tty)
    return io.TextIOWrapper(
        io.BufferedWriter(raw, 1 << 16), encoding=encoding, errors="backslashreplace",
        line_buffering=line_buffering, write_through=kind == b"e",
    )


class Server:
    """One index's resident reader (see the module's docstring)."""

    def __init__(self, index: str | os.PathLike[str], run: CommandRunner, idle_timeout: float = DEFAULT_IDLE_TIMEOUT) -> None:
        self.location = Path(os.path.abspath(index))
        self.folder = Path(daemon_folder(self.location))
        self.run = run
        self.idle_timeout = idle_timeout
        self.build = code_build()
        self.started = time.time()
        self.requests = 0
        self.last_request = time.monotonic()
        self.archive: Archive | None = None
        self.listener: socket.socket | None = None
        self._lock_file: Any = None
        self._socket_id: tuple[int, int] | None = None
        self._meta = self._meta_state()
        self._base_env = {key: value for key, value in os.environ.items() if key not in forwarded_env(os.environ)}

    def _meta_state(self) -> tuple[int, int, int] | None:
        """Identity of the index's ``archive.json`` (replaced when the index is rebuilt)."""
        try:
            info = os.stat(self.location / META_FILE)
        except OSError:
            return None
        return info.st_ino, info.st_mtime_ns, info.st_size

    def acquire(self) -> None:
        """Take the index's daemon lock, or raise :class:`AlreadyRunning`."""
        self.folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(self.folder, 0o700)
        handle = open(os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600), "r+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise AlreadyRunning(f"a resident reader already serves {display_path(self.location)}") from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._lock_file = handle

    def open(self, warm: Callable[[Archive], None] | None = None) -> None:
        """Open the index (and warm it), then listen on a fresh socket."""
        self.archive = Archive(self.location)
        if warm is not None:
            warm(self.archive)
        path = self.folder / SOCKET_NAME
        path.unlink(missing_ok=True)  # a stale socket: we hold the lock, so nobody serves it
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        address, descriptor = socket_address(self.folder)
        previous = os.umask(0o177)
        try:
            listener.bind(address)
        finally:
            os.umask(previous)
            if descriptor is not None:
                os.close(descriptor)
        os.chmod(path, 0o600)
        info = os.stat(path)
        self._socket_id = (info.st_dev, info.st_ino)
        listener.listen(16)
        listener.settimeout(POLL_SECONDS)
        self.listener = listener

    def should_stop(self) -> str | None:
        """Why an idle server should exit now (None: keep serving)."""
        if time.monotonic() - self.last_request > self.idle_timeout:
            return "idle"
        try:
            info = os.stat(self.folder / SOCKET_NAME)
        except OSError:
            return "socket removed"
        if (info.st_dev, info.st_ino) != self._socket_id:
            return "socket replaced"
        if self._meta_state() != self._meta:
            return "index rebuilt"
        return None

    def serve_forever(self) -> str:
        """Answer requests until a reason to stop; returns the reason."""
        assert self.listener is not None
        while True:
            reason = self.should_stop()
            if reason:
                return reason
            try:
                connection, _ = self.listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            with connection:
                try:
                    stop = self.handle(connection)
                except OSError:  # the client went away
                    stop = None
            if stop:
                return stop

    def handle(self, connection: socket.socket) -> str | None:
        """One connection: a command to run, a status or a stop request."""
        if peer_uid(connection) != os.getuid():
            return None  # never serve another user
        connection.settimeout(REQUEST_TIMEOUT)
        message = receive_message(connection)
        if message is None:
            return None
        connection.settimeout(None)
        self.last_request = time.monotonic()
        if message.get("kind") == "stop" and message.get("protocol") == PROTOCOL:  # any build may stop it (an upgrade)
            send_message(connection, {"ok": True, "pid": os.getpid()})
            return "stopped"
        if message.get("protocol") != PROTOCOL or message.get("build") != self.build:
            send_message(connection, {"ok": False, "reason": "version", "build": self.build})
            return None
        kind = message.get("kind")
        if kind == "status":
            send_message(connection, {"ok": True, **self.status()})
            return None
        if kind == "stop":
            send_message(connection, {"ok": True, "pid": os.getpid()})
            return "stopped"
        if kind != "run":
            send_message(connection, {"ok": False, "reason": f"unknown request {kind!r}"})
            return None
        if self._meta_state() != self._meta:
            send_message(connection, {"ok": False, "reason": "index rebuilt"})
            return "index rebuilt"
        send_message(connection, {"ok": True})
        connection.settimeout(REQUEST_TIMEOUT)
        if connection.recv(1) != GO:  # the client gave up waiting and ran the command itself
            return None
        connection.settimeout(None)
        self.requests += 1
        code = self.run_request(connection, message)
        try:
            connection.sendall(FRAME.pack(b"x", len(str(code))) + str(code).encode("ascii"))
        except OSError:
            pass
        return None

    def run_request(self, connection: socket.socket, message: dict[str, Any]) -> int:
        """Run a command as the client would have, its output going to the client; the exit code."""
        assert self.archive is not None
        tty_out, tty_err = (bool(flag) for flag in message.get("tty", (False, False)))
        out_encoding, err_encoding = message.get("encoding", ("utf-8", "utf-8"))
        stdout = text_stream(connection, b"o", tty_out, out_encoding, line_buffering=tty_out)
        stderr = text_stream(connection, b"e", tty_err, err_encoding, line_buffering=True)
        saved = sys.stdout, sys.stderr, dict(os.environ), os.getcwd()
        code = 0
        try:
            os.environ.clear()
            os.environ.update(self._base_env)
            os.environ.update({str(key): str(value) for key, value in dict(message.get("env", {})).items()})
            os.chdir(str(message.get("cwd", "/")))
            sys.stdout, sys.stderr = stdout, stderr
            self.run([str(word) for word in message.get("argv", [])], self.archive)
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
            if done.code is not None and not isinstance(done.code, int):
                print(done.code, file=sys.stderr)
        except OSError as error:  # the client went away (a closed pipe, Ctrl-C)
            if not isinstance(error, BrokenPipeError | ConnectionError):
                traceback.print_exc()
            code = 1
        except Exception:  # what Python itself would print for an uncaught error
            traceback.print_exc()
            code = 1
        finally:
            for stream in (stdout, stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            sys.stdout, sys.stderr = saved[0], saved[1]
            os.environ.clear()
            os.environ.update(saved[2])
            os.chdir(saved[3])
        return code

    def status(self) -> dict[str, Any]:
        """What ``archive daemon status`` shows."""
        return {
            "pid": os.getpid(),
            "index": str(self.location),
            "started": self.started,
            "uptime_seconds": round(time.time() - self.started, 1),
            "requests": self.requests,
            "idle_timeout_seconds": self.idle_timeout,
            "rss_bytes": resident_bytes(),
        }

    def close(self) -> None:
        """Stop listening, remove the socket (if still ours), close the index and the lock."""
        if self.listener is not None:
            self.listener.close()
            self.listener = None
            path = self.folder / SOCKET_NAME
            try:
                info = os.stat(path)
                if (info.st_dev, info.st_ino) == self._socket_id:
                    path.unlink()
            except OSError:
                pass
        if self.archive is not None:
            self.archive.close()
            self.archive = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None


def resident_bytes() -> int:
    """This process's resident memory (VmRSS), in bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def serve(
    index: str | os.PathLike[str], run: CommandRunner, *, idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    warm: Callable[[Archive], None] | None = None, announce: Callable[[str], None] | None = None,
) -> str:
    """Run the resident reader of ``index`` in this process until it stops; the reason."""
    server = Server(index, run, idle_timeout)
    server.acquire()
    try:
        server.open(warm)
        if announce:
            announce(f"resident reader of {display_path(server.location)} listening (pid {os.getpid()})")
        reason = server.serve_forever()
    finally:
        server.close()
    if announce:
        announce(f"resident reader of {display_path(server.location)} stopped: {reason}")
    return reason


def _ask(index: str | os.PathLike[str], kind: str) -> dict[str, Any] | None:
    """One request of ``kind`` to the index's daemon: its answer, or None when none answers."""
    connection = connect(index)
    if connection is None:
        return None
    try:  # a plain _socket.socket (see archive.daemon_client): no context manager
        return request(connection, {"kind": kind})
    finally:
        connection.close()


def server_status(index: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The running daemon's status, or None when none answers."""
    answer = _ask(index, "status")
    return answer if answer and answer.get("ok") else answer and {**answer, "mismatch": True}


def stop_server(index: str | os.PathLike[str], wait: float = 10.0) -> int | None:
    """Ask the daemon to stop and wait until its lock is free; its pid, or None if none ran."""
    answer = _ask(index, "stop")
    if not answer or not answer.get("ok"):
        return None
    lock = Path(daemon_folder(os.path.abspath(index))) / LOCK_NAME
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        with open(lock, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(handle, fcntl.LOCK_UN)
                break
            except OSError:
                time.sleep(0.02)
    return int(answer["pid"])


def start_server(
    index: str | os.PathLike[str], command: list[str], *, wait: float = 120.0
) -> tuple[int, bool]:
    """Launch ``command`` (``archive --index INDEX daemon run``) detached, in a new session,
    its output in ``INDEX/.daemon/log``; wait until it answers. Returns (pid, started now);
    raises :class:`ArchiveError` when it stops before answering."""
    import subprocess

    open_index(os.path.abspath(index))  # a missing or foreign index is said here, not in a log
    running = server_status(index)
    if running and running.get("ok"):
        return int(running["pid"]), False
    folder = Path(daemon_folder(os.path.abspath(index)))
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    log = os.open(folder / "log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        child = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True, cwd="/",
        )
    finally:
        os.close(log)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        found = server_status(index)
        if found and found.get("ok") and found.get("pid") == child.pid:
            return child.pid, True
        if child.poll() is not None:
            found = server_status(index)
            if found and found.get("ok"):  # another start won the race
                return int(found["pid"]), False
            reason = (folder / "log").read_text(encoding="utf-8", errors="replace").strip().splitlines()
            raise ArchiveError(f"the resident reader stopped at start: {reason[-1] if reason else 'no message'}")
        time.sleep(0.05)
    raise ArchiveError(f"the resident reader did not answer within {wait:.0f} s (see {display_path(folder / 'log')})")
