"""Tests for archive.clean.dates.parse_date."""

from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.clean import parse_date

ISO_OUTPUT = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2})?)?")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO 8601 and friends
        ("2024-03-03", "2024-03-03"),
        ("2024-3-3", "2024-03-03"),
        ("2024-03-03T10:20:00Z", "2024-03-03T10:20:00+00:00"),
        ("2024-03-03T10:20:00.123456+01:00", "2024-03-03T10:20:00+01:00"),
        ("2024-03-03T10:20:00-0500", "2024-03-03T10:20:00-05:00"),
        ("2024-03-03T10:20:00+05", "2024-03-03T10:20:00+05:00"),
        ("2024-03-03 10:20", "2024-03-03T10:20:00"),
        ("2024-03-03T10:20", "2024-03-03T10:20:00"),
        ("20240303", "2024-03-03"),
        ("20240303T102000Z", "2024-03-03T10:20:00+00:00"),
        ("2024-03", "2024-03-01"),
        # RFC 2822
        ("Sun, 03 Mar 2024 10:20:00 GMT", "2024-03-03T10:20:00+00:00"),
        ("Sun, 3 Mar 2024 10:20:00 +0530", "2024-03-03T10:20:00+05:30"),
        ("03 Mar 2024 10:20:00 -0800", "2024-03-03T10:20:00-08:00"),
        # month names
        ("March 3, 2024", "2024-03-03"),
        ("3 March 2024", "2024-03-03"),
        ("Mar 3 2024", "2024-03-03"),
        ("Mar. 3, 2024", "2024-03-03"),
        ("3rd March 2024", "2024-03-03"),
        ("Sunday, March 3, 2024", "2024-03-03"),
        ("Published on March 3, 2024", "2024-03-03"),
        ("March 3, 2024 10:20 AM EST", "2024-03-03T10:20:00-05:00"),
        ("March 3, 2024 at 3:05 p.m.", "2024-03-03T15:05:00"),
        ("March 3, 2024, 12:30 am", "2024-03-03T00:30:00"),
        ("3. März 2024", "2024-03-03"),
        ("3 mars 2024", "2024-03-03"),
        ("3 de marzo de 2024", "2024-03-03"),
        ("March 2024", "2024-03-01"),
        # numeric
        ("03/03/2024", "2024-03-03"),
        ("04/03/2024", "2024-04-03"),  # month/day/year by default
        ("13/03/2024", "2024-03-13"),  # day > 12: day/month/year
        ("03/13/2024", "2024-03-13"),
        ("2024/03/03", "2024-03-03"),
        ("2024.03.03", "2024-03-03"),
        ("03.04.2024", "2024-04-03"),  # dotted is day.month.year
        ("03/03/2024 10:20", "2024-03-03T10:20:00"),
        # other languages, weekdays and East Asian forms
        ("sexta-feira, 22 de outubro de 2010 às 20:13", "2010-10-22T20:13:00"),
        ("18 novembre 2019 alle 10:20", "2019-11-18T10:20:00"),
        ("maandag 18 november 2019", "2019-11-18"),
        ("18 listopada 2019", "2019-11-18"),
        ("3 de março de 2024", "2024-03-03"),
        ("Mo, 18.11.2019", "2019-11-18"),
        ("Montag, 18.11.2019, 10:20 Uhr", "2019-11-18T10:20:00"),
        ("2019年11月18日 10:20", "2019-11-18T10:20:00"),
        ("发布时间：2019年11月18日 星期一", "2019-11-18"),
        ("2019년 11월 18일", "2019-11-18"),
        # Unix timestamps
        ("1709461200", "2024-03-03T10:20:00+00:00"),
        ("1709461200000", "2024-03-03T10:20:00+00:00"),
        # whitespace around
        ("  2024-03-03\n", "2024-03-03"),
    ],
)
def test_formats(value: str, expected: str) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "", "   ", "junk", "yesterday", "May the force be with you", "2024",
        "2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "31/02/2024", "13/13/2024",
        "February 30, 2024", "25:00 March 3 2024", "2024-03-03T24:61:00",
        "0001-01-01T00:00:00", "hello 2024", "March 3 4 2024", "x" * 500,
    ],
)
def test_junk_and_impossible_dates_give_none(value: str) -> None:
    assert parse_date(value) is None


def test_leap_day() -> None:
    assert parse_date("Feb 29, 2024") == "2024-02-29"


def test_non_strings_give_none() -> None:
    assert parse_date(None) is None  # type: ignore[arg-type]
    assert parse_date(20240303) is None  # type: ignore[arg-type]


@given(st.text(max_size=60))
def test_never_raises_and_output_is_iso(value: str) -> None:
    result = parse_date(value)
    assert result is None or ISO_OUTPUT.fullmatch(result)


@given(st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(2999, 12, 31)))
def test_iso_dates_round_trip(day: datetime.date) -> None:
    assert parse_date(day.isoformat()) == day.isoformat()
