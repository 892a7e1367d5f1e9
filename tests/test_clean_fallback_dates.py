"""Numeric header dates read in the article's locale; datelines and file names when no date is declared."""

from __future__ import annotations

import pytest

from archive.clean import clean_record
from archive.clean.fallback_dates import header_date, undeclared_date
from archive.models import RawRecord


@pytest.mark.parametrize(
    "locale, twelfth, thirteenth",
    [("fr", "2024-02-12", "2024-02-13"), ("de", "2024-02-12", "2024-02-13"), ("en-GB", "2024-02-12", "2024-02-13"),
     ("en-US", "2024-12-02", "2024-02-13"), ("en", "2024-12-02", "2024-02-13")],
)
def test_day_and_month_follow_the_locale_alike_for_12_and_13(locale: str, twelfth: str, thirteenth: str) -> None:
    assert header_date("12/02/2024", locale) == twelfth
    assert header_date("13/02/2024", locale) == thirteenth  # the one valid reading
    assert header_date("12-02-24", locale) == twelfth


def test_other_header_forms_are_parsed_as_before() -> None:
    assert header_date("2024-03-01T09:30", "de") == "2024-03-01T09:30:00"
    assert header_date("March 3, 2024", "en") == "2024-03-03"
    assert header_date("31/31/2024", "fr") is None
    assert header_date("", "fr") is None


@pytest.mark.parametrize(
    "lead, expected",
    [("MEXICO CITY, Oct. 1, 2024 — The president said", "2024-10-01"),
     ("BRUSSELS 1996-08-22\nThe EU said on Thursday", "1996-08-22"),
     ("LOS ANGELES, Calif., March 5, 2023 -- Stars arrived", "2023-03-05"),
     ("PARIS, 3 mars 2024 – Le gouvernement a dit", "2024-03-03"),
     ("WASHINGTON (Reuters) - Officials said on Monday", None),
     ("The harbour reopened on March 3, 2024 - officials said", None)],
)
def test_datelines(lead: str, expected: str | None) -> None:
    assert undeclared_date(lead, None) == expected


def test_file_names() -> None:
    assert undeclared_date("No dateline.", "/news/2024-06-09-harbour.txt") == "2024-06-09"
    assert undeclared_date("No dateline.", "/news/20240609_report.html") == "2024-06-09"
    assert undeclared_date("No dateline.", "/news/report-2024.txt") is None
    assert undeclared_date("No dateline.", "/news/2024-13-40-a.txt") is None


def test_clean_record_uses_them_only_when_nothing_is_declared() -> None:
    def cleaned(meta: dict, content: str, path: str = "/news/2024-06-09-harbour.txt") -> str | None:
        return clean_record(RawRecord(path=path, key="", kind="text", content=content, meta=meta)).date

    assert cleaned({"date": "12/02/2024", "language": "fr"}, "Le port a rouvert.") == "2024-02-12"
    assert cleaned({"date": "2023-01-01"}, "MEXICO CITY, Oct. 1, 2024 — The port reopened.") == "2023-01-01"
    assert cleaned({}, "MEXICO CITY, Oct. 1, 2024 — The port reopened.") == "2024-10-01"
    assert cleaned({}, "The port reopened.") == "2024-06-09"
    assert cleaned({}, "The port reopened.", path="/news/harbour.txt") is None


@pytest.mark.parametrize(
    "lang, text, expected",
    [(' lang="fr"', "Le port a rouvert après la tempête, a dit le maire.", "2024-02-12"),
     (' lang="en-US"', "The port reopened after the storm, the mayor said.", "2024-12-02"),
     ("", "Le port a rouvert après la tempête, a dit le maire de la ville. Les bateaux sont revenus dans le port.", "2024-02-12")],
)
def test_a_pages_numeric_date_follows_its_locale_like_a_text_header(lang: str, text: str, expected: str) -> None:
    """The same 12/02/2024 in an HTML page's meta tag: the page's declared language (else the
    detected one) decides, as for a text file's Date: header (it was always month first)."""
    page = (f'<html{lang}><head><title>Port</title><meta property="article:published_time" content="12/02/2024"></head>'
            f"<body><article><h1>Port</h1><p>{text}</p></article></body></html>")
    record = RawRecord(path="/news/port.html", key="", kind="html", content=page, meta={})
    assert clean_record(record).date == expected
    declared = RawRecord(path="/news/port.html", key="", kind="html", content=page, meta={"language": "de"})
    assert clean_record(declared).date == "2024-02-12"
