"""Dates, one contract: an article's date is ISO 8601 text as the publisher wrote it
(``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS][±HH:MM]``), shown as written; :func:`article_datetime`
turns it into the UTC instant the index's date column holds (sorting and day filters compare
instants), and :func:`parse_bound` reads the dates
people type in filters (``2024``, ``2024-03``, ``2024-03-01``).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timezone

from .errors import BadQuery

BOUND_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def article_datetime(value: str | None) -> datetime | None:
    """An article's ISO 8601 date as the instant it names, in UTC without a zone, for the
    index's date column (None when absent or bad). A date without an offset is taken as UTC.

    ``2024-03-01T23:30:00-05:00`` is 2 March 04:30 UTC: sorting and day filters compare
    instants, while the date is shown as written.
    """
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc)
    return parsed.replace(tzinfo=None)


def article_day(value: str | None) -> date | None:
    """The UTC day of an article's ISO date, as day filters count it (None when absent or bad)."""
    found = article_datetime(value)
    return found.date() if found else None


def parse_bound(value: str, *, end: bool = False) -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a date: the first day, or the last if ``end``."""
    match = BOUND_PATTERN.match(value.strip())
    if not match:
        raise BadQuery(f"bad date {value!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if day:
            return date(year, int(month), int(day))
        if month:
            first = date(year, int(month), 1)
            return first.replace(day=calendar.monthrange(year, first.month)[1]) if end else first
        return date(year, 12, 31) if end else date(year, 1, 1)
    except ValueError as error:
        raise BadQuery(f"bad date {value!r}: {error}") from error
