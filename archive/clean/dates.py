"""Parsing the many ways pages write a publication date into ISO 8601.

``parse_date`` returns ``"YYYY-MM-DD"`` when only the day is known and
``"YYYY-MM-DDTHH:MM:SS"`` (plus ``"+HH:MM"`` when a zone or offset is given) when the time
is known. It uses the standard library only and never raises.
"""

from __future__ import annotations

import datetime as _dt
import re
from types import MappingProxyType
from typing import Mapping

__all__ = ["parse_date"]

_MIN_YEAR, _MAX_YEAR = 1000, 2999
_MAX_INPUT = 120

_MONTH_NAMES = (
    "january jan janvier janv januar jän enero ene janeiro gennaio gen januari stycznia styczeń",
    "february feb febr février fév févr februar febrero fevereiro fev febbraio februari lutego luty",
    "march mar mars märz mär marzo março marco maart marca marzec",
    "april apr avril avr abril abr aprile kwietnia kwiecień",
    "may mai mayo maio maggio mag mei maj maja",
    "june jun juin juni junio junho giugno giu czerwca czerwiec",
    "july jul juillet juil juli julio julho luglio lug lipca lipiec",
    "august aug août aout agosto ago augustus augusti sierpnia sierpień",
    "september sep sept septembre septiembre setiembre setembro settembre set września wrzesień",
    "october oct octobre oktober okt octubre outubro out ottobre ott października październik",
    "november nov novembre noviembre novembro listopada listopad",
    "december dec décembre déc dezember dez diciembre dic dezembro dicembre grudnia grudzień",
)
_MONTHS: Mapping[str, int] = MappingProxyType(
    {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}
)

_WEEKDAYS = frozenset(
    "monday mon tuesday tue tues wednesday wed thursday thu thur thurs friday fri "
    "saturday sat sunday sun montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "mo di mi do fr sa so "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lunes martes miércoles miercoles jueves viernes sábado sabado domingo "
    "segunda terça terca quarta quinta sexta feira "
    "lunedì lunedi martedì martedi mercoledì mercoledi giovedì giovedi venerdì venerdi domenica "
    "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag "
    "poniedziałek wtorek środa czwartek piątek sobota niedziela".split()
)
# Words that may surround a date without changing it ("Published on March 3, 2024").
_FILLER = frozenset(
    "on at of the de del le el am um uhr published updated posted modified last created date "
    "st nd rd th er e h às as à a alle ore il om uur godz o r roku kl".split()
)
_NOT_NUMERIC = _WEEKDAYS | _FILLER
# East Asian dates: 2024年3月3日, 2024년 3월 3일.
_CJK_DATE_RE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号]?")
_CJK_RE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef()]")
_ZONES: Mapping[str, str] = MappingProxyType({
    "z": "+00:00", "utc": "+00:00", "gmt": "+00:00", "ut": "+00:00",
    "est": "-05:00", "edt": "-04:00", "cst": "-06:00", "cdt": "-05:00",
    "mst": "-07:00", "mdt": "-06:00", "pst": "-08:00", "pdt": "-07:00",
    "bst": "+01:00", "cet": "+01:00", "cest": "+02:00", "eet": "+02:00", "eest": "+03:00",
    "wet": "+00:00", "west": "+01:00", "mez": "+01:00", "mesz": "+02:00", "jst": "+09:00",
})

_OFFSET = (
    r"(?P<tz>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?|(?i:"
    + "|".join(sorted((zone for zone in _ZONES if len(zone) > 1), key=len, reverse=True))
    + r")\b)"
)
_ISO_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:(?:[Tt]|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s*" + _OFFSET + "?)?"
)
_COMPACT_RE = re.compile(
    r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"
    r"(?:[Tt]?(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?(?:[.,]\d+)?" + _OFFSET + "?)?"
)
_YEAR_MONTH_RE = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})")
_YMD_RE = re.compile(r"(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})")
_DMY_RE = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})")
_EPOCH_RE = re.compile(r"\d{10}|\d{13}")
_TIME_RE = re.compile(
    r"(?<![\d:])(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?",
    re.I,
)
_ZONE_AFTER_TIME_RE = re.compile(
    r"\s*(?:(?P<name>z|utc|gmt|ut|[a-z]{3,4})\b)?\s*(?P<sign>[+-])?(?(sign)(?P<oh>\d{1,2}):?(?P<om>\d{2})?)",
    re.I,
)
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")


def parse_date(value: str) -> str | None:
    """Parse a date written in any common way into ISO 8601, or return ``None``.

    Accepts ISO forms (``2024-03-03``, ``2024-03-03T10:20:00Z``, ``2024-03-03 10:20``,
    ``20240303``), RFC 2822 (``Sun, 03 Mar 2024 10:20:00 GMT``), month names in English
    (and German, French, Spanish, Portuguese, Italian, Dutch, Polish) in either order
    (``March 3, 2024``, ``3 March 2024``, ``Mar 3 2024``, ``3 de março de 2024``), East
    Asian ``2024年3月3日``, numeric ``03/03/2024`` (month/day/year unless the first number is
    above 12; ``03.03.2024`` is day.month.year), ``2024/03/03``, and Unix timestamps.
    A month without a day (``2024-03``, ``March 2024``) gives the first of the month.
    Junk, impossible dates and non-strings give ``None``; this function never raises.
    """
    if not isinstance(value, str):
        return None
    try:
        return _parse(value)
    except (ValueError, OverflowError, TypeError, KeyError, IndexError):
        return None


def _parse(value: str) -> str | None:
    text = " ".join(value.split())
    if not text or len(text) > _MAX_INPUT:
        return None
    cjk = _CJK_DATE_RE.search(text)
    if cjk:
        text = text[:cjk.start()] + f" {cjk[1]}/{cjk[2]}/{cjk[3]} " + text[cjk.end():]
        text = " ".join(_CJK_RE.sub(" ", text).split())
    for pattern in (_ISO_RE, _COMPACT_RE):
        match = pattern.fullmatch(text)
        if match:
            return _build(match["y"], match["m"], match["d"], match["H"], match["M"], match["S"],
                          _offset_of(match["tz"]) if match["tz"] else None)
    match = _YEAR_MONTH_RE.fullmatch(text)
    if match:
        return _build(match["y"], match["m"], "1")
    if _EPOCH_RE.fullmatch(text):
        return _from_epoch(int(text) / (1000 if len(text) == 13 else 1))
    return _parse_free(text)


def _parse_free(text: str) -> str | None:
    """Dates with month names or numeric day/month/year, optionally with a time and zone."""
    hour = minute = second = None
    offset: str | None = None
    time_match = _TIME_RE.search(text)
    if time_match:
        hour, minute, second = time_match["H"], time_match["M"], time_match["S"]
        if time_match["ampm"]:
            hour = _twelve_hour(int(hour), time_match["ampm"].lower())
            if hour is None:
                return None
        rest = text[time_match.end():]
        zone = _ZONE_AFTER_TIME_RE.match(rest)
        end = time_match.end()
        if zone and zone.group().strip():
            name = (zone["name"] or "").lower()
            if name and name not in _ZONES:
                name = ""  # an ordinary word, not a zone: leave it for the tokens below
            if name or zone["sign"]:
                offset = _ZONES.get(name) if name else None
                if zone["sign"]:
                    offset = _offset_of(f"{zone['sign']}{zone['oh']:0>2}{zone['om'] or '00'}")
                    if offset is None:
                        return None
                consumed = zone.end() if zone["sign"] else zone.start("name") + len(zone["name"])
                end += consumed
        text = (text[:time_match.start()] + " " + text[end:]).strip(" ,")
    text = text.strip(" ,")
    numeric = " ".join(
        word for word in re.split(r"[\s,]+", text) if word.lower().strip(".") not in _NOT_NUMERIC
    )

    for pattern in (_YMD_RE, _DMY_RE):
        match = pattern.fullmatch(numeric)
        if match:
            if pattern is _YMD_RE:
                year, month, day = match["y"], match["m"], match["d"]
            else:
                year = _full_year(match["y"])
                first, second_num = int(match["a"]), int(match["b"])
                if match["sep"] == "." or first > 12:
                    day, month = first, second_num
                else:
                    month, day = first, second_num
            return _build(year, month, day, hour, minute, second, offset)

    month_number = year_number = day_number = None
    for token in _TOKEN_RE.findall(text.lower()):
        if token.isdigit():
            if len(token) == 4:
                if year_number is not None:
                    return None
                year_number = int(token)
            elif len(token) <= 2 and day_number is None:
                day_number = int(token)
            else:
                return None
        elif token in _MONTHS:
            if month_number is not None:
                return None
            month_number = _MONTHS[token]
        elif token in _ZONES and hour is not None and offset is None:
            offset = _ZONES[token]
        elif token in _WEEKDAYS or token in _FILLER:
            continue
        else:
            return None
    if month_number is None or year_number is None:
        return None
    if day_number is None:
        if hour is not None:
            return None
        day_number = 1
    return _build(year_number, month_number, day_number, hour, minute, second, offset)


def _twelve_hour(hour: int, ampm: str) -> int | None:
    if not 1 <= hour <= 12:
        return None
    if ampm.startswith("a"):
        return 0 if hour == 12 else hour
    return 12 if hour == 12 else hour + 12


def _full_year(year: str) -> int:
    number = int(year)
    if len(year) == 2:
        number += 2000 if number < 70 else 1900
    return number


def _offset_of(zone: str) -> str | None:
    """``"Z"``, ``"UTC"``, ``"+05"``, ``"+0530"`` or ``"+05:30"`` as ``"+HH:MM"``."""
    named = _ZONES.get(zone.lower())
    if named:
        return named
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})?", zone)
    if not match:
        return None
    hours, minutes = int(match[2]), int(match[3] or 0)
    if hours > 14 or minutes > 59:
        return None
    return f"{match[1]}{hours:02d}:{minutes:02d}"


def _build(year: int | str, month: int | str, day: int | str, hour: int | str | None = None,
           minute: int | str | None = None, second: int | str | None = None,
           offset: str | None = None) -> str | None:
    """Validate the parts and format them; ``None`` for an impossible date or time."""
    year, month, day = int(year), int(month), int(day)
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    date = _dt.date(year, month, day)  # ValueError for impossible dates
    if hour is None:
        return date.isoformat()
    time = _dt.time(int(hour), int(minute or 0), min(int(second or 0), 59))
    return f"{date.isoformat()}T{time.isoformat()}{offset or ''}"


def _from_epoch(seconds: float) -> str | None:
    moment = _dt.datetime.fromtimestamp(seconds, tz=_dt.timezone.utc)
    if not 1990 <= moment.year <= _MAX_YEAR:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"
