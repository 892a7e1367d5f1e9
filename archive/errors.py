"""The one exception users see: :class:`ArchiveError`, a message meant for people."""

from __future__ import annotations

import re

UNSAFE_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


class ArchiveError(Exception):
    """A problem the user can fix (bad option, missing index, unparsable query).

    The command line prints its message on one line and exits with ``exit_code``.
    """

    exit_code = 1


def one_line(message: str) -> str:
    """A message as one printable line: line breaks, terminal control characters and
    invalid characters are shown as escapes (``\\n``, ``\\x1b``) instead of acting."""
    return UNSAFE_IN_LINE.sub(lambda match: match.group().encode("unicode_escape", "backslashreplace").decode("ascii"), message)
