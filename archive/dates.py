"""Dates, one contract: an article's date is ISO 8601 text as the publisher wrote it
(``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS][±HH:MM]``), shown as written; :func:`article_datetime`
turns it into the UTC instant the index's date column holds (sorting and day filters compare
instants), and :func:`parse_bound` reads the dates people type in filters: ``2024``,
``2024-03``, ``2024-03-01``, a time of day (``2024-03-01T12:00`` or ``2024-03-01 12:00``),
``today``, ``yesterday`` and relative ones counted back from today (``7d`` days, ``2w`` weeks,
``3m`` months, ``1y`` years).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta, timezone

from .errors import BadQuery

BOUND_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
TIME_PATTERN = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$")
RELATIVE_PATTERN = re.compile(r"^(\d{1,5})\s*(d|w|m|y)$", re.IGNORECASE)
NAMED_DAYS = {"today": 0, "yesterday": 1}
DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM, today, yesterday or 7d/2w/3m/1y ago"


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


def parse_bound(value: str, *, end: bool = False, today: date | None = None) -> date:
    """A date people type, as the first day it names (the last if ``end``).

    ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` give a day; ``YYYY-MM-DDTHH:MM[:SS]`` a
    :class:`datetime` (that very minute); ``today``, ``yesterday`` and ``7d``/``2w``/``3m``/``1y``
    (days, weeks, months, years before ``today``, by default the local date) a day.
    """
    text = value.strip()
    relative = _relative_day(text.lower(), today or date.today())
    if relative is not None:
        return relative
    timed = TIME_PATTERN.match(text)
    if timed:
        day, hour, minute, second = timed.groups()
        try:
            found = parse_bound(day)
            return datetime(found.year, found.month, found.day, int(hour), int(minute), int(second or (59 if end else 0)))
        except ValueError as error:
            raise BadQuery(f"bad date {value!r}: {error}") from error
    match = BOUND_PATTERN.match(text)
    if not match:
        raise BadQuery(f"bad date {value!r}: use {DATE_FORMS}")
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


def _relative_day(text: str, today: date) -> date | None:
    """``today``, ``yesterday`` or ``N`` days/weeks/months/years before ``today``; None for other text."""
    if text in NAMED_DAYS:
        return today - timedelta(days=NAMED_DAYS[text])
    match = RELATIVE_PATTERN.match(text)
    if not match:
        return None
    count, unit = int(match.group(1)), match.group(2).lower()
    if unit == "d":
        return today - timedelta(days=count)
    if unit == "w":
        return today - timedelta(weeks=count)
    months = today.year * 12 + today.month - 1 - (count if unit == "m" else 12 * count)
    year, month = divmod(months, 12)
    if year < 1:
        raise BadQuery(f"bad date {text!r}: too far back")
    return date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


def shown_date(value: str | None) -> str:
    """An article's ISO date as every text view shows it: ``2024-03-01``, or ``2024-03-01 09:30``
    with a time of day (its zone offset, if any, after it); text that is not a date as it is."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)  # as written: the publisher's wall-clock time
    except ValueError:
        return value
    if "T" not in value and " " not in value.strip():
        return moment.date().isoformat()
    offset = value[-6:] if len(value) > 19 and value[-6] in "+-" else ("UTC" if value.endswith("Z") else "")
    return f"{moment:%Y-%m-%d %H:%M}" + (f" {offset}" if offset else "")
