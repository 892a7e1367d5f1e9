"""Small helpers every layer uses: printable paths, counts worded for messages (``plural``),
atomic writes, the file-size limit."""

from __future__ import annotations

import os
import re
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024  # the largest article file read, unless told otherwise
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as one printable line of valid UTF-8, whatever its bytes.

    Bytes of a file name that are not UTF-8 (kept by Python as surrogate escapes) are shown
    as ``\\xNN``, and control characters such as newlines or terminal escapes as ``\\xNN``
    too, so a hostile file name cannot break a message or change the terminal.
    """
    name = os.fsdecode(path)
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # surrogates that stand for no byte (from JSON escapes, say)
        raw = name.encode("utf-8", "surrogatepass")
    return UNPRINTABLE.sub(_escape, raw.decode("utf-8", "backslashreplace"))


def _escape(match: re.Match[str]) -> str:
    """A control character as ``\\xNN`` (or a line separator as ``\\uNNNN``)."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def write_atomically(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder renamed into
    place, so readers see the old content or the new, never a part. Raises ``OSError``."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if isinstance(data, bytes):
            temporary.write_bytes(data)
        else:
            temporary.write_text(data, encoding="utf-8")
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 article``, ``2 articles``."""
    return f"{count} {word if count == 1 else (words or word + 's')}"
