"""Tests for archive.clean.clean_record: from raw records to articles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archive.clean import clean_record
from archive.models import Article, RawRecord, article_id

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
NEWS_PAGE = (FIXTURES / "news_page.html").read_text("utf-8")


def test_html_record() -> None:
    article = clean_record(RawRecord("site/bridge.html", "", "html", NEWS_PAGE))
    assert isinstance(article, Article)
    assert article.id == article_id("site/bridge.html", "")
    assert article.path == "site/bridge.html"
    assert article.title == "Harbour Bridge Reopens After Repairs"
    assert article.body.startswith("The Harbour Bridge reopened to traffic on Sunday morning")
    assert article.body.endswith("when a decision on tolls is also expected.")
    assert article.date == "2024-03-03T08:15:00+01:00"
    assert article.author == "Mira Okafor"
    assert article.source == "The Riverside Courier"
    assert article.url == "https://courier.example.com/news/harbour-bridge-reopens"
    assert article.language == "en"


def test_record_meta_wins_over_page() -> None:
    meta = {"title": "  Given\ntitle ", "date": "5 May 2024", "author": "Desk", "source": "Wire",
            "url": "https://wire.example.org/x", "language": "EN-gb"}
    article = clean_record(RawRecord("feed.json", "3", "html", NEWS_PAGE, meta))
    assert (article.title, article.date, article.author, article.source, article.url, article.language) == (
        "Given title", "2024-05-05", "Desk", "Wire", "https://wire.example.org/x", "en")
    assert article.id == article_id("feed.json", "3")


def test_unparseable_meta_date_falls_back_to_page() -> None:
    article = clean_record(RawRecord("p.html", "", "html", NEWS_PAGE, {"date": "sometime"}))
    assert article.date == "2024-03-03T08:15:00+01:00"


def test_text_record() -> None:
    content = "Flood warning lifted\n\n\n  The river   fell below the alert level overnight,\nofficials said.  \n\n\nRoads reopen today.\n"
    article = clean_record(RawRecord("notes/flood.txt", "", "text", content, {"date": "2024-04-02"}))
    assert article.body == "Flood warning lifted\n\nThe river fell below the alert level overnight,\nofficials said.\n\nRoads reopen today."
    assert article.title == "Flood warning lifted"  # first line, as no title was given
    assert article.date == "2024-04-02"
    assert article.language == "en"  # detected
    assert article.author is None and article.source is None and article.url is None


def test_long_first_line_is_not_a_title() -> None:
    content = ("word " * 80).strip() + "\n\nSecond paragraph."
    assert clean_record(RawRecord("a.txt", "", "text", content)).title == ""


def test_language_detected_from_body_when_not_declared() -> None:
    html = ("<html><body><article><p>Der Minister sagte am Montag, dass der neue Plan bis zum Ende "
            "des Jahres fertig sein wird, und die Opposition hat das kritisiert.</p></article></body></html>")
    assert clean_record(RawRecord("de.html", "", "html", html)).language == "de"


def test_html_without_title_uses_first_body_line() -> None:
    html = "<html><body><p>Short opening line</p><p>And then the rest of the story follows here.</p></body></html>"
    assert clean_record(RawRecord("t.html", "", "html", html)).title == "Short opening line"


def test_empty_html_gives_empty_article() -> None:
    article = clean_record(RawRecord("empty.html", "", "html", ""))
    assert (article.title, article.body, article.date, article.language) == ("", "", None, None)


def test_meta_values_that_are_not_strings() -> None:
    record = RawRecord("x.json", "0", "text", "Body text here.", {"author": ["Ann", "Bo"], "date": None})  # type: ignore[dict-item]
    assert clean_record(record).author == "Ann, Bo"


def test_unknown_kind_raises_value_error() -> None:
    with pytest.raises(ValueError, match="unknown record kind"):
        clean_record(RawRecord("x.pdf", "", "pdf", "data"))


def test_importing_the_package_is_light() -> None:
    code = ("import sys, archive.clean; "
            "assert 'bs4' not in sys.modules, 'bs4 imported'; "
            "from archive.clean.language import stopword_profiles; "
            "assert stopword_profiles.cache_info().currsize == 0, 'stopwords loaded at import'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)
