"""Dates when the publisher declared none, and numeric dates read by the article's locale.

* :func:`header_date`: a header date such as ``12/02/2024`` is ambiguous; it is read in the
  order of the article's locale (month first for US English, ``en`` and ``en-US``; day first
  for other English locales such as ``en-GB`` and every other language), so 12/02 and 13/02
  are read the same way. Only when that order gives no valid date (13/02 in the US) is the
  one valid reading used. Other forms go to :func:`archive.clean.dates.parse_date`.
* :func:`undeclared_date`: the date of a dateline at the start of the text ("MEXICO CITY,
  Oct. 1, 2024 —", "BRUSSELS 1996-08-22"), else one in the file name
  (``2024-06-09-harbour.txt``, ``20240609_report.html``).
"""

from __future__ import annotations

import datetime as _dt
import os
import re

from .dates import parse_date

__all__ = ["header_date", "month_first", "undeclared_date"]

_NUMERIC = re.compile(r"\s*(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})\s*")
_MONTH_FIRST_LOCALES = frozenset({"en", "en-us", "en-ph", "en-um", "en-as", "en-gu", "en-mp", "en-pr", "en-vi"})
# A dateline: a place in capitals, then (an optional state, agency or comma and) a date, then a
# dash or the end of the line.
_DATELINE = re.compile(r"^\s*[A-ZÀ-Ý][A-ZÀ-Ý.'’\- ]{1,40}[A-ZÀ-Ý.](?P<rest>[,\s(][^—–\n]{4,60}?)\s*(?:[—–]|--|-\s|$)")
_PARENTHESES = re.compile(r"\([^)]*\)")
_FILE_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-_.]?)(?P<m>[01]\d)(?P=sep)(?P<d>[0-3]\d)(?!\d)")
_LEAD_CHARS = 300


def month_first(locale: str | None) -> bool:
    """Whether numeric dates put the month first in this locale (a language tag)."""
    tag = (locale or "").strip().lower().replace("_", "-")
    return tag in _MONTH_FIRST_LOCALES or (not tag)


def header_date(value: str | None, locale: str | None) -> str | None:
    """A declared date as ISO 8601, numeric day/month order read by ``locale`` (see the module)."""
    if not value:
        return None
    match = _NUMERIC.fullmatch(value)
    if not match:
        return parse_date(value)
    first, second, year_text = int(match[1]), int(match[3]), match[4]
    year = int(year_text) + (0 if len(year_text) == 4 else 2000 if int(year_text) < 70 else 1900)
    orders = [(first, second), (second, first)] if month_first(locale) else [(second, first), (first, second)]
    for month, day in orders:
        try:
            return _dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def undeclared_date(body: str, path: str | None) -> str | None:
    """A dateline's date at the start of ``body``, else a date in the file name of ``path``."""
    lead = (body or "")[:_LEAD_CHARS]
    for line in lead.splitlines()[:3]:
        match = _DATELINE.match(line)
        if not match:
            continue
        parts = [part.strip() for part in _PARENTHESES.sub(" ", match["rest"]).split(",")]
        for start in range(len(parts)):  # "Calif., March 5, 2023": the date may follow a state
            found = parse_date(", ".join(part for part in parts[start:] if part))
            if found:
                return found
    if path:
        name = os.path.basename(str(path))
        for match in _FILE_DATE.finditer(name):
            try:
                return _dt.date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
            except ValueError:
                continue
    return None
