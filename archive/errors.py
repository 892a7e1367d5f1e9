"""The one exception users see: :class:`ArchiveError`, a message meant for people."""

from __future__ import annotations


class ArchiveError(Exception):
    """A problem the user can fix (bad option, missing index, unparsable query).

    The command line prints its message on one line and exits with ``exit_code``.
    """

    exit_code = 1
