"""The errors users see, typed: each kind carries its exit code (command line) and HTTP status
(web view), mapped once in each interface.

:class:`ArchiveError` is the base; :class:`SourceError` is a file (or part of one) that cannot
be read as articles: a problem an ingest reports and goes past, not the end of a run.
"""

from __future__ import annotations

import os
import re

from .files import display_path

UNSAFE_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


class ArchiveError(Exception):
    """A problem the user can fix; its message is meant for people, on one line."""

    exit_code = 1
    http_status = 400


class NotFound(ArchiveError):
    """No article, saved search or name by that id or name."""

    http_status = 404


class IndexMissing(ArchiveError):
    """No index (or an index this version cannot read) at the folder given."""

    http_status = 503


class IndexBusy(ArchiveError):
    """Another writer holds the index for longer than we may wait."""

    http_status = 503


class BadQuery(ArchiveError):
    """A query, filter, date, field or option value that cannot be understood."""


class BadInput(ArchiveError):
    """Input that cannot be used (a file, a folder, a record)."""


class SourceError(BadInput):
    """A file (or part of one) that cannot be read as articles; ``str()`` gives path and reason.

    ``count`` is the number of articles or lines the problem stands for (more than one when
    the bad lines of a JSON Lines file beyond the first few are reported together).
    """

    def __init__(self, path: str | os.PathLike[str], reason: str, count: int = 1) -> None:
        super().__init__(reason)
        self.path = str(path)
        self.reason = reason
        self.count = count

    def __str__(self) -> str:
        return f"{display_path(self.path)}: {self.reason}"

    def __reduce__(self) -> tuple[object, ...]:
        return (SourceError, (self.path, self.reason, self.count))


def one_line(message: str) -> str:
    """A message as one printable line: line breaks, terminal control characters and
    invalid characters are shown as escapes (``\\n``, ``\\x1b``) instead of acting."""
    return UNSAFE_IN_LINE.sub(lambda match: match.group().encode("unicode_escape", "backslashreplace").decode("ascii"), message)
