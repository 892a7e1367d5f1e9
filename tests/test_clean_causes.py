"""The causes of lost or extra text found on pages nobody tuned on (issue 18), one test each.

Each fixture in ``tests/fixtures/clean/causes/`` is a small page written for the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.clean import clean_record
from archive.clean.dates import parse_date
from archive.clean.html import extract_main_text, parse_html
from archive.models import Article, RawRecord

CAUSES = Path(__file__).parent / "fixtures" / "clean" / "causes"


def page(name: str) -> str:
    return (CAUSES / name).read_text("utf-8")


def body_of(name: str) -> list[str]:
    return extract_main_text(parse_html(page(name))).split("\n\n")


def cleaned(html: str) -> Article:
    return clean_record(RawRecord("page.html", "", "html", html))


def test_repeated_paragraphs_and_list_items_of_the_article_are_kept() -> None:
    body = body_of("repeated.html")
    assert body.count("We will rise with the morning.") == 2
    assert body.count("Bring a flask") == 2
    assert body[0].startswith("Every year on the first Sunday")
    assert body[-1].startswith("This year the march starts")
    assert "Home" not in body  # the navigation repeated in the footer is still chrome


def test_hidden_blocks_are_dropped() -> None:
    body = body_of("hidden.html")
    assert body == [
        "Islanders will pay the same ferry fares next year after the transport board agreed on "
        "Thursday to freeze prices for residents for a third year running.",
        "The board said the freeze would cost about two hundred thousand pounds, which would come "
        "from the harbour dues paid by cruise ships in the summer.",
        "Visitors' fares will rise by four per cent from April, in line with inflation.",
    ]


def test_an_article_hidden_until_a_script_shows_it_is_still_read() -> None:
    body = body_of("hidden_article.html")
    assert len(body) == 2
    assert body[0].startswith("Villagers in Upper Ditton")


def test_noscript_tracking_markup_is_not_text() -> None:
    article = cleaned(page("noscript.html"))
    assert article.body.split("\n\n") == [
        "駅前の再開発ビルに新しい市立図書館が開館した。",
        "蔵書は約十万冊で、夜九時まで利用できる。",
        "市は年間五十万人の利用を見込んでいる。",
    ]
    assert article.language == "ja"


def test_noscript_holding_the_article_as_paragraphs_is_read() -> None:
    body = body_of("noscript_article.html")
    assert len(body) == 2
    assert body[0].startswith("The towpath along the Grand Union canal")


def test_galleries_inside_the_article_are_left_out() -> None:
    body = body_of("gallery.html")
    assert len(body) == 3
    assert body[0].startswith("A new exhibition at the maritime museum")
    assert body[-1].startswith("The exhibition runs until March")
    assert not any("keeper polishes" in paragraph or "washing" in paragraph for paragraph in body)


def test_video_player_labels_and_dialogs_are_left_out() -> None:
    body = body_of("player.html")
    assert len(body) == 2
    assert body[0].startswith("More than two thousand people")
    assert body[1].startswith("The council said")


def test_the_list_of_related_stories_after_the_article_is_left_out() -> None:
    body = body_of("related.html")
    assert len(body) == 3
    assert body[-1].startswith("Swift numbers in Britain")


def test_title_is_the_visible_headline_without_site_name_and_with_its_quotes() -> None:
    article = cleaned(page("title_quotes.html"))
    assert article.title == "“We were lucky”: flood village counts the cost"
    assert article.source == "Riverside Gazette"


def test_date_keeps_the_publishers_day_rather_than_the_utc_one() -> None:
    # JSON-LD gives 05:40 UTC on 1 December; the page's own time is 23:40 on 30 November.
    assert cleaned(page("title_quotes.html")).date == "2024-11-30T23:40:00-06:00"


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-11-30 23:40 CST", "2024-11-30T23:40:00-06:00"),
    ("2024-11-30T23:40:00 PST", "2024-11-30T23:40:00-08:00"),
    ("Sat, 30 Nov 2024 23:40:00 -0600", "2024-11-30T23:40:00-06:00"),
])
def test_dates_are_parsed_as_written_with_their_offset(text: str, expected: str) -> None:
    assert parse_date(text) == expected


def test_a_utc_date_alone_stays_utc() -> None:
    html = ('<html><head><meta property="article:published_time" content="2024-12-01T05:40:00Z">'
            "</head><body><p>Text.</p></body></html>")
    assert cleaned(html).date == "2024-12-01T05:40:00+00:00"


def test_a_utc_datetime_yields_to_the_local_time_the_page_writes_beside_it() -> None:
    # The <time> element's attribute is UTC (3 March, 02:30); its text is the publisher's own
    # time, still 2 March in Chicago.
    html = ('<html><head><title>Snow closes schools</title></head><body><article>'
            '<h1>Snow closes schools</h1><p class="meta">By Lee Park, '
            '<time datetime="2025-03-03T02:30:00Z">March 2, 2025, 8:30 p.m. CST</time></p>'
            '<p>Every school in the district will be closed on Monday after a night of heavy snow.</p>'
            '</article></body></html>')
    assert cleaned(html).date == "2025-03-02T20:30:00-06:00"


def test_a_utc_datetime_stays_when_the_text_beside_it_is_another_moment() -> None:
    html = ('<html><head><title>Snow closes schools</title></head><body><article>'
            '<h1>Snow closes schools</h1>'
            '<time datetime="2025-03-03T02:30:00Z">Updated March 4, 2025, 9:00 a.m. CST</time>'
            '<p>Every school in the district will be closed on Monday after a night of heavy snow.</p>'
            '</article></body></html>')
    assert cleaned(html).date == "2025-03-03T02:30:00+00:00"
