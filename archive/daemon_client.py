"""The resident reader's client: hand a read command to the index's daemon, if one runs.

The ``archive`` console script (:mod:`archive.console`) asks here first. For a read command (``search``, ``facets``,
``related``, ``show``, ``timeline``, ``export`` to standard output, and shell completion) it
looks for the daemon of the index the command names (``archive daemon start``; see
:mod:`archive.daemon`), a Unix socket at ``INDEX/.daemon/sock``. When there is one, owned by
this user with owner-only permissions, answering the same protocol and code build, the
command runs there and its standard output, standard error and exit code come back
byte for byte; otherwise (no daemon, a stale socket, a dead or busy server, another version,
a changed index) nothing has been written yet and the command runs in this process as
before. Only the standard library is imported here: neither Click nor Whoosh is loaded
before the daemon has answered or been found absent, nor are the modules of the standard
library written in Python that a request does not need (``socket``, ``json``, ``typing``:
they import ``re``, ``enum`` and ``selectors``, together about as long to load as the rest
of the client): the client speaks through ``_socket`` and ``_json``, their C parts.

The protocol: a length-prefixed JSON request; a JSON answer (``ok``, or the reason for
refusing); the client's ``g`` (it is still waiting: a client that gave up on a busy server
has run the command itself, and the server must not run it again); then frames of one kind
byte and a four-byte length: ``o`` standard output bytes, ``e`` standard error bytes, ``x``
the exit code.
"""

from __future__ import annotations

import _json
import _socket
import os
import struct
import sys

from . import __version__

PROTOCOL = 1
DAEMON_FOLDER = ".daemon"  # inside the index folder; mode 0700
SOCKET_NAME = "sock"
LOCK_NAME = "lock"
LOG_NAME = "log"
HELLO_TIMEOUT = 1.0  # seconds to wait for the daemon to take the request before running here
MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes; longer paths go through /proc/self/fd
READ_COMMANDS = frozenset({"search", "facets", "related", "show", "timeline", "export"})
GLOBAL_FLAGS = frozenset({"-q", "--quiet", "-v", "--verbose"})
FORWARDED_ENV = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "COLUMNS", "LINES", "TERM", "_ARCHIVE_COMPLETE", "COMP_WORDS", "COMP_CWORD")
FORWARDED_PREFIXES = ("ARCHIVE_",)
FRAME = struct.Struct("!cI")
GO = b"g"  # the client's answer to the server's hello: it waited, the command may run
EXIT_INTERRUPTED = 130


def daemon_folder(index_folder: str | os.PathLike[str]) -> str:
    """Where an index's daemon keeps its socket, lock and log."""
    return os.path.join(os.fspath(index_folder), DAEMON_FOLDER)


def code_build() -> str:
    """The version and the state of the package's modules: a daemon serves only clients of
    the same build (an upgraded or edited installation falls back until it is restarted)."""
    package = os.path.dirname(os.path.abspath(__file__))
    stamps = [__version__]
    for name in sorted(os.listdir(package)):
        if name.endswith(".py"):
            info = os.stat(os.path.join(package, name))
            stamps.append(f"{name}:{info.st_mtime_ns}:{info.st_size}")
    return "|".join(stamps)


def forwarded_env(environ: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """The environment variables a command's output depends on."""
    return {key: value for key, value in environ.items() if key in FORWARDED_ENV or key.startswith(FORWARDED_PREFIXES)}


def routed_index(argv: list[str], environ: dict[str, str] | os._Environ[str]) -> str | None:
    """The index folder of a read command the daemon may run, or None for any other command.

    Reads the global options as Click would (``--index X``, ``--index=X``, ``-q``, ``-v``,
    ``-qv``); anything unusual (help, version, an unknown option, ``export --output FILE``, a
    QUERY of ``-`` read from standard input, output through the pager) runs in-process.
    """
    if environ.get("_ARCHIVE_COMPLETE"):
        return _completion_index(environ)
    index: str | None = None
    position = 0
    while position < len(argv):
        word = argv[position]
        if word == "--index":
            if position + 1 >= len(argv):
                return None
            index = argv[position + 1]
            position += 2
            continue
        if word.startswith("--index="):
            index = word[len("--index="):]
        elif word in GLOBAL_FLAGS or (word.startswith("-") and not word.startswith("--") and len(word) > 1 and set(word[1:]) <= {"q", "v"}):
            pass
        elif word.startswith("-"):
            return None
        else:
            break
        position += 1
    if position >= len(argv) or argv[position] not in READ_COMMANDS:
        return None
    rest = argv[position + 1:]
    if argv[position] == "export" and _writes_a_file(rest):
        return None
    if any(word in ("-h", "--help") for word in rest):
        return None
    if _reads_standard_input(rest) or _pages(rest, environ):
        return None
    return index or environ.get("ARCHIVE_INDEX") or "index"


def _reads_standard_input(args: list[str]) -> bool:
    """Whether the arguments read this process's standard input (a QUERY of ``-``, which the
    daemon, with a standard input of its own, would read as empty); ``-o -`` is an output."""
    for position, word in enumerate(args):
        if word == "--":
            return "-" in args[position + 1:]
        if word == "-" and (position == 0 or args[position - 1] not in ("-o", "--output")):
            return True
    return False


def _pages(args: list[str], environ: dict[str, str] | os._Environ[str]) -> bool:
    """Whether the output goes through ``$PAGER`` (``--pager`` or ``ARCHIVE_PAGER``, as Click
    reads a flag): the pager needs this process's terminal, which the daemon does not have."""
    given = [word for word in args if word in ("--pager", "--no-pager")]
    if given:
        return given[-1] == "--pager"
    return environ.get("ARCHIVE_PAGER", "").strip().lower() in ("1", "true", "t", "yes", "y", "on")


def _writes_a_file(args: list[str]) -> bool:
    """Whether ``export`` arguments name an output file (opened by the caller's process, so
    ``/dev/fd/N`` and relative paths mean what they should)."""
    for position, word in enumerate(args):
        if word == "--":
            return False
        if word in ("-o", "--output"):
            return position + 1 >= len(args) or args[position + 1] != "-"
        if word.startswith("--output=") and word != "--output=-":
            return True
        if word.startswith("-o") and len(word) > 2 and word != "-o-":
            return True
    return False


def _completion_index(environ: dict[str, str] | os._Environ[str]) -> str | None:
    """The index of a shell-completion request (``--index`` among the words typed so far)."""
    import shlex  # completion requests only: the client's start-up imports as little as it can

    try:
        words = shlex.split(environ.get("COMP_WORDS", ""))
    except ValueError:
        return None
    index = None
    for position, word in enumerate(words):
        if word == "--index" and position + 1 < len(words):
            index = words[position + 1]
        elif word.startswith("--index="):
            index = word[len("--index="):]
    return index or environ.get("ARCHIVE_INDEX") or "index"


def socket_address(folder: str | os.PathLike[str]) -> tuple[str, int | None]:
    """A path to connect or bind to for the daemon folder's socket, and a directory
    descriptor to close afterwards (paths too long for ``sun_path`` go through it)."""
    path = os.path.join(os.fspath(folder), SOCKET_NAME)
    if len(os.fsencode(path)) <= MAX_SOCKET_PATH:
        return path, None
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    return f"/proc/self/fd/{descriptor}/{SOCKET_NAME}", descriptor


class _Parsing:
    """The settings ``_json.make_scanner`` reads (those of ``json.loads``)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = float
    memo: dict[str, str] = {}


def encode_json(value: object) -> str:
    """JSON for the protocol's messages (text, numbers, booleans, null, lists, dicts with text
    keys), as ``json.dumps`` writes it: non-ASCII characters escaped."""
    if isinstance(value, str):
        return _json.encode_basestring_ascii(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} is not JSON")
        return float.__repr__(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(encode_json(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_json.encode_basestring_ascii(str(key))}: {encode_json(item)}" for key, item in value.items()) + "}"
    raise TypeError(f"{type(value).__name__} is not JSON")


def decode_json(text: str) -> object:
    """A JSON value (raises ValueError on anything else), read by ``_json``'s scanner."""
    scan = _json.make_scanner(_Parsing())
    start = len(text) - len(text.lstrip(" \t\n\r"))
    try:
        value, end = scan(text, start)
    except StopIteration as error:
        raise ValueError("not JSON") from error
    if text[end:].strip(" \t\n\r"):
        raise ValueError("extra data after the JSON value")
    return value


def peer_uid(connection: _socket.socket) -> int:
    """The user id of the process at the other end of a Unix socket (SO_PEERCRED)."""
    credentials = connection.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", credentials)[1]


def send_message(connection: _socket.socket, message: dict[str, object]) -> None:
    """One JSON message, length-prefixed."""
    data = encode_json(message).encode("ascii")
    connection.sendall(struct.pack("!I", len(data)) + data)


def receive_exactly(connection: _socket.socket, size: int) -> bytes:
    """``size`` bytes from the socket (fewer only when it closes)."""
    chunks = []
    while size:
        chunk = connection.recv(min(size, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive_message(connection: _socket.socket) -> dict[str, object] | None:
    """One length-prefixed JSON message, or None when the socket closes first."""
    head = receive_exactly(connection, 4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack("!I", head)
    data = receive_exactly(connection, size)
    if len(data) != size:
        return None
    found = decode_json(data.decode("utf-8"))
    return found if isinstance(found, dict) else None


def receive_frame(connection: _socket.socket) -> tuple[bytes, bytes] | None:
    """One output frame (kind, payload), or None when the socket closes first."""
    head = receive_exactly(connection, FRAME.size)
    if len(head) < FRAME.size:
        return None
    kind, size = FRAME.unpack(head)
    payload = receive_exactly(connection, size)
    return (kind, payload) if len(payload) == size else None


def connect(index: str | os.PathLike[str], timeout: float = HELLO_TIMEOUT) -> _socket.socket | None:
    """A connection to the index's daemon, or None: no socket, one not owned by this user or
    open to others, nobody listening, or a server running as another user."""
    folder = daemon_folder(os.path.abspath(index))
    try:
        info = os.lstat(os.path.join(folder, SOCKET_NAME))
        directory = os.lstat(folder)
    except OSError:
        return None
    uid = os.getuid()
    import stat  # loaded by os already

    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != uid or info.st_mode & 0o077 or directory.st_uid != uid:
        return None
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    connection.settimeout(timeout)
    descriptor = None
    try:
        address, descriptor = socket_address(folder)
        connection.connect(address)
        if peer_uid(connection) != uid:
            connection.close()
            return None
    except OSError:
        connection.close()
        return None
    finally:
        if descriptor is not None:
            os.close(descriptor)
    return connection


def request(connection: _socket.socket, message: dict[str, object]) -> dict[str, object] | None:
    """Send a control request (``status``, ``stop``) and read the answer."""
    try:
        send_message(connection, {"protocol": PROTOCOL, "build": code_build(), **message})
        return receive_message(connection)
    except (OSError, ValueError):
        return None


def _terminal_env(environ: dict[str, str]) -> dict[str, str]:
    """COLUMNS and LINES as ``shutil.get_terminal_size`` would find them in this process (the
    daemon has no terminal): the variables when set, else the terminal's size, else 80×24."""
    try:
        columns, lines = os.get_terminal_size(sys.__stdout__.fileno()) if sys.__stdout__ else (0, 0)
    except (AttributeError, ValueError, OSError):
        columns, lines = 0, 0
    for key, found, fallback in (("COLUMNS", columns, 80), ("LINES", lines, 24)):
        try:
            if int(environ.get(key, "0")) > 0:
                continue
        except ValueError:
            pass
        environ[key] = str(found or fallback)
    return environ


def run_command(argv: list[str]) -> int | None:
    """Run a read command on the index's daemon: its exit code, or None to run it here
    (nothing was written)."""
    index = routed_index(argv, os.environ)
    if index is None:
        return None
    connection = connect(index)
    if connection is None:
        if os.environ.get("ARCHIVE_DAEMON") == "auto":
            start_in_background(index)
        return None
    streams = (sys.stdout, sys.stderr)
    message = {
        "kind": "run",
        "argv": argv,
        "env": _terminal_env(forwarded_env(os.environ)),
        "cwd": os.getcwd(),
        "tty": [bool(stream is not None and stream.isatty()) for stream in streams],
        "encoding": [getattr(stream, "encoding", None) or "utf-8" for stream in streams],
    }
    wrote = False
    try:
        answer = request(connection, message)
        if not answer or not answer.get("ok"):
            return None
        connection.sendall(GO)  # from here on the command runs there, not here
        connection.settimeout(None)
        while True:
            frame = receive_frame(connection)
            if frame is None:
                if not wrote:
                    return None
                os.write(2, b"Error: the resident reader stopped before the command finished\n")
                return 1
            kind, payload = frame
            if kind == b"x":
                return int(payload.decode("ascii"))
            if payload:
                _write_all(1 if kind == b"o" else 2, payload)
                wrote = True
    except KeyboardInterrupt:
        connection.close()
        _write_all(2, b"Interrupted.\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        connection.close()
        return 1
    except OSError:
        if not wrote:
            return None
        os.write(2, b"Error: lost the resident reader before the command finished\n")
        return 1
    finally:
        connection.close()


def start_in_background(index: str) -> None:
    """With ``ARCHIVE_DAEMON=auto``: start the index's resident reader for the next commands
    (this one runs in-process), detached, when the folder holds an index and none is starting."""
    folder = os.path.abspath(index)
    try:
        if not any(name.endswith(".toc") for name in os.listdir(folder)):
            return
    except OSError:
        return
    import fcntl

    try:  # a server holding the lock is starting (or serving another build): leave it be
        with open(os.path.join(daemon_folder(folder), LOCK_NAME), "rb") as lock:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return
    except OSError:
        pass
    import subprocess

    command = [sys.executable, "-c", "from archive.cli import main; main()", "--index", folder, "-q", "daemon", "start"]
    try:
        subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    except OSError:
        pass


def _write_all(descriptor: int, data: bytes) -> None:
    """Write every byte (a pipe may take them in parts)."""
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]
