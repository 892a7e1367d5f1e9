"""Tests for archive.clean.metadata: JSON-LD, OpenGraph, meta tags, title clean-up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.clean.html import parse_html
from archive.clean.metadata import (
    PageMetadata,
    extract_metadata,
    json_ld_article,
    json_ld_objects,
    strip_site_suffix,
)

FIXTURES = Path(__file__).parent / "fixtures" / "clean"


def page(head: str = "", body: str = "", lang: str = "") -> PageMetadata:
    attribute = f' lang="{lang}"' if lang else ""
    return extract_metadata(parse_html(f"<html{attribute}><head>{head}</head><body>{body}</body></html>"))


def ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


# --- JSON-LD ----------------------------------------------------------------------------


def test_json_ld_graph_with_references() -> None:
    meta = extract_metadata(parse_html((FIXTURES / "jsonld_only.html").read_text("utf-8")))
    assert meta.title == "Orchestra announces new season"
    assert meta.date == "2024-05-14T09:00:00+00:00"
    assert meta.author == "Lena Varga"  # resolved through the @graph @id reference
    assert meta.source == "Music Notes"
    assert meta.url == "https://music.example.org/2024/orchestra-season"
    assert meta.language == "en"  # inLanguage en-GB beats <html lang="fr">
    assert meta.body is not None and meta.body.startswith("The city orchestra")


def test_json_ld_news_article_fields() -> None:
    meta = page(ld({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council approves &#8220;green&#8221; budget",
        "datePublished": "2024-01-15T07:30:00-05:00",
        "author": [{"@type": "Person", "name": "Ana Lopez"}, {"@type": "Person", "name": "Ben Ode"}],
        "publisher": {"@type": "Organization", "name": "City Ledger"},
        "url": "https://ledger.example.com/budget",
        "inLanguage": "es-MX",
    }))
    assert meta == PageMetadata(
        title="Council approves “green” budget",
        date="2024-01-15T07:30:00-05:00",
        author="Ana Lopez, Ben Ode",
        source="City Ledger",
        url="https://ledger.example.com/budget",
        language="es",
    )


@pytest.mark.parametrize("kind", ["Article", "BlogPosting", "ReportageNewsArticle",
                                  ["NewsArticle", "AnalysisNewsArticle"], "http://schema.org/NewsArticle"])
def test_json_ld_article_types(kind: object) -> None:
    assert page(ld({"@type": kind, "headline": "Typed headline"})).title == "Typed headline"


def test_json_ld_top_level_list_and_author_string() -> None:
    head = ld([
        {"@type": "BreadcrumbList", "itemListElement": []},
        {"@type": "BlogPosting", "headline": "Listed post", "author": "Kim Park",
         "mainEntityOfPage": {"@id": "https://blog.example.net/listed-post"}},
    ])
    meta = page(head)
    assert (meta.title, meta.author, meta.url) == ("Listed post", "Kim Park", "https://blog.example.net/listed-post")


def test_json_ld_author_object_and_url_authors_skipped() -> None:
    meta = page(ld({"@type": "NewsArticle", "headline": "H",
                    "author": ["https://facebook.com/someone", {"name": "Real Name"}]}))
    assert meta.author == "Real Name"


def test_bad_json_ld_is_ignored() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": broken</script>'
            '<meta property="og:title" content="From OpenGraph">')
    assert page(head).title == "From OpenGraph"


def test_json_ld_with_comment_wrapper_and_trailing_semicolon() -> None:
    head = ('<script type="application/ld+json"><!--\n{"@type": "NewsArticle", '
            '"headline": "Wrapped"};\n--></script>')
    assert page(head).title == "Wrapped"


def test_json_ld_objects_and_best_article() -> None:
    tree = parse_html("<html><head>" + ld({"@graph": [
        {"@type": "NewsArticle", "headline": "Teaser"},
        {"@type": "NewsArticle", "headline": "Full", "articleBody": "Long body text."},
    ]}) + "</head></html>")
    assert len(json_ld_objects(tree)) == 3
    assert json_ld_article(tree)["headline"] == "Full"


# --- OpenGraph and meta tags ------------------------------------------------------------------


def test_open_graph() -> None:
    meta = page(
        '<meta property="og:title" content="Storm hits the coast">'
        '<meta property="og:site_name" content="Coastal Times">'
        '<meta property="og:url" content="https://coastal.example.com/storm">'
        '<meta property="og:locale" content="de_DE">'
        '<meta property="article:published_time" content="2024-02-10T18:00:00Z">'
        '<meta property="article:author" content="https://facebook.com/reporter">'
        '<meta property="article:author" content="Jo Reporter">'
    )
    assert meta == PageMetadata(title="Storm hits the coast", date="2024-02-10T18:00:00+00:00",
                                author="Jo Reporter", source="Coastal Times",
                                url="https://coastal.example.com/storm", language="de")


def test_json_ld_beats_open_graph_beats_title() -> None:
    head = (ld({"@type": "NewsArticle", "headline": "LD headline", "datePublished": "2024-01-02"})
            + '<meta property="og:title" content="OG title">'
            + '<meta property="article:published_time" content="2023-12-31">'
            + "<title>Title element</title>")
    meta = page(head)
    assert (meta.title, meta.date) == ("LD headline", "2024-01-02")
    assert page('<meta property="og:title" content="OG title"><title>Title element</title>').title == "OG title"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ('<meta name="author" content="Sam Writer">', "Sam Writer"),
        ('<meta name="byl" content="By Sam Writer">', "Sam Writer"),
        ('<meta name="dc.creator" content="Sam Writer">', "Sam Writer"),
        ('<meta name="citation_author" content="Sam Writer"><meta name="citation_author" content="Lee Other">',
         "Sam Writer, Lee Other"),
    ],
)
def test_author_meta_tags(tag: str, expected: str) -> None:
    assert page(tag).author == expected


def test_author_from_microdata() -> None:
    body = '<div itemprop="author" itemscope><span itemprop="name">Micro Author</span></div>'
    assert page(body=body).author == "Micro Author"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ('<meta name="date" content="2024-04-01">', "2024-04-01"),
        ('<meta name="pubdate" content="20240401">', "2024-04-01"),
        ('<meta name="publishdate" content="April 1, 2024">', "2024-04-01"),
        ('<meta name="dc.date" content="2024-04-01">', "2024-04-01"),
        ('<meta name="sailthru.date" content="2024-04-01 08:00:00">', "2024-04-01T08:00:00"),
        ('<meta name="parsely-pub-date" content="2024-04-01T08:00:00Z">', "2024-04-01T08:00:00+00:00"),
        ('<meta itemprop="datePublished" content="2024-04-01">', "2024-04-01"),
    ],
)
def test_date_meta_tags(tag: str, expected: str) -> None:
    assert page(tag).date == expected


def test_date_from_time_element_in_article() -> None:
    body = ('<time datetime="2020-01-01">site clock</time>'
            '<article><time datetime="2024-06-30T12:00:00+02:00">30 June</time></article>')
    assert page(body=body).date == "2024-06-30T12:00:00+02:00"


def test_unparseable_date_is_skipped() -> None:
    assert page('<meta name="date" content="soon"><meta name="dc.date" content="2024-05-05">').date == "2024-05-05"


def test_canonical_link_and_relative_canonical() -> None:
    assert page('<link rel="canonical" href="https://site.example.org/a">').url == "https://site.example.org/a"
    assert page('<link rel="canonical" href="/relative">').url is None
    head = '<base href="https://site.example.org/news/"><link rel="canonical" href="/relative">'
    assert page(head).url == "https://site.example.org/relative"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"lang": "en-US"}, "en"),
        ({"lang": "PT_br"}, "pt"),
        ({"head": '<meta http-equiv="content-language" content="nl">'}, "nl"),
        ({"head": '<meta property="og:locale" content="sv_SE">'}, "sv"),
        ({"lang": "und"}, None),
        ({}, None),
    ],
)
def test_language(kwargs: dict[str, str], expected: str | None) -> None:
    assert page(**kwargs).language == expected


def test_empty_page_gives_empty_metadata() -> None:
    assert extract_metadata(parse_html("")) == PageMetadata()
    assert extract_metadata(None) == PageMetadata()


# --- title suffix ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Bridge reopens | The Riverside Courier", "Bridge reopens"),
        ("Bridge reopens - The Riverside Courier", "Bridge reopens"),
        ("Bridge reopens — Riverside Courier", "Bridge reopens"),
        ("The Riverside Courier | Bridge reopens", "Bridge reopens"),
        ("Bridge reopens | News | The Riverside Courier", "Bridge reopens | News"),
        ("Bridge reopens - courier.example.com", "Bridge reopens"),
        ("Covid-19 - what happens next", "Covid-19 - what happens next"),
        ("Left | Right", "Left | Right"),
    ],
)
def test_strip_site_suffix(title: str, expected: str) -> None:
    assert strip_site_suffix(title, ["The Riverside Courier"], "https://www.courier.example.com/x") == expected


def test_title_suffix_stripped_from_title_element() -> None:
    head = '<title>Harbour news - Daily Example</title><meta property="og:site_name" content="Daily Example">'
    assert page(head).title == "Harbour news"


def test_title_suffix_kept_when_site_unknown() -> None:
    assert page("<title>Harbour news - Daily Example</title>").title == "Harbour news - Daily Example"


def test_news_page_fixture() -> None:
    meta = extract_metadata(parse_html((FIXTURES / "news_page.html").read_text("utf-8")))
    assert meta == PageMetadata(
        title="Harbour Bridge Reopens After Repairs",
        date="2024-03-03T08:15:00+01:00",
        author="Mira Okafor",
        source="The Riverside Courier",
        url="https://courier.example.com/news/harbour-bridge-reopens",
        language="en",
    )


# --- evidence: visible headline, confirmed site name, canonical URL, dates, bylines -------------


def test_visible_headline_beats_a_different_seo_headline() -> None:
    head = (ld({"@type": "NewsArticle", "headline": "Delhi air pollution: the law behind it, explained"})
            + '<meta property="og:title" content="The law that fuels Delhi’s deadly air">')
    assert page(head, "<h1>The law that fuels Delhi’s deadly air</h1>").title == "The law that fuels Delhi’s deadly air"


def test_section_prefix_dropped_when_the_h1_is_the_rest() -> None:
    head = '<meta property="og:title" content="Opinion | Republicans are following Trump">'
    assert page(head, "<h1>Republicans are following Trump</h1>").title == "Republicans are following Trump"


def test_h1_naming_the_site_is_no_headline() -> None:
    head = ('<title>Do not hate too much | Kabar Dunia</title>'
            '<meta property="og:site_name" content="Kabar Dunia">')
    assert page(head, "<h1>Kabar Dunia</h1>").title == "Do not hate too much"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # og:site_name is a section here; the title's suffix is confirmed by the host
        ('<meta property="og:site_name" content="U.S."><title>Oil drifts lower - Reuters</title>'
         '<link rel="canonical" href="https://www.reuters.com/article/oil">', "Reuters"),
        # the syndication source in JSON-LD loses to the site confirmed by the <title>
        (ld({"@type": "NewsArticle", "publisher": {"name": "Associated Press"}})
         + '<meta property="og:site_name" content="Connecticut Post">'
         + '<title>Auto show opens - Connecticut Post</title>', "Connecticut Post"),
        # a site name listing the site's sections
        ('<meta property="og:site_name" content="Autoracing | F1 | Indy | NASCAR">'
         '<link rel="canonical" href="http://www.autoracing.com.br/calendar/">', "Autoracing"),
        # initials and skipped articles: nytimes.com
        ('<title>Trade war keeps world guessing - The New York Times</title>'
         '<link rel="canonical" href="https://www.nytimes.com/2019/11/18/business/x.html">', "The New York Times"),
    ],
)
def test_site_name(head: str, expected: str) -> None:
    assert page(head).source == expected


def test_canonical_link_beats_og_url_and_json_ld() -> None:
    head = (ld({"@type": "NewsArticle", "url": "https://site.example.org/section/"})
            + '<meta property="og:url" content="https://mirror.example.net/a">'
            + '<link rel="canonical" href="https://site.example.org/a">')
    assert page(head).url == "https://site.example.org/a"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.com/2019/11/19/teachers-protest/", "2019-11-19"),
        ("https://news.example.com/world/2024-03-05-ferry", "2024-03-05"),
        ("https://news.example.com/20240305/ferry.html", "2024-03-05"),
        ("https://news.example.com/2024/13/45/not-a-date", None),
    ],
)
def test_date_from_the_url(url: str, expected: str | None) -> None:
    assert page(f'<link rel="canonical" href="{url}">').date == expected


def test_date_shown_in_a_date_element() -> None:
    assert page(body='<div class="press-date">August 23, 2018</div><p>Text.</p>').date == "2018-08-23"


def test_comment_dates_are_not_the_article_date() -> None:
    body = ('<article><div class="comment"><time datetime="2023-06-13">13 June</time></div></article>'
            '<span class="posted-on">12 June 2023</span>')
    assert page(body=body).date == "2023-06-12"


def test_web_page_json_ld_when_there_is_no_article() -> None:
    head = ld({"@type": "MedicalWebPage", "headline": "15 tips", "datePublished": "2019-11-14T08:00:00Z",
               "author": {"@type": "Person", "name": "Rachael Link, MS, RD"}})
    meta = page(head)
    assert (meta.date, meta.author) == ("2019-11-14T08:00:00+00:00", "Rachael Link")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("By TOM KRISHER, AP Auto Writer", "Tom Krisher"),
        ("Jill Disis, CNN Business", "Jill Disis"),
        ("Sandee LaMotte, CNN", "Sandee LaMotte"),
        ("Ana Lopez, Ben Ode", "Ana Lopez, Ben Ode"),
        ("News Nation Bureau", "News Nation Bureau"),
    ],
)
def test_author_roles_and_affiliations_are_dropped(value: str, expected: str) -> None:
    assert page(f'<meta name="author" content="{value}">').author == expected


def test_author_shown_in_the_byline_beats_a_stale_declaration() -> None:
    head = '<meta name="author" content="Kevin Rebong"><meta name="sailthru.author" content="By David Jeans">'
    assert page(head, '<span class="single-header-byline">By David Jeans</span>').author == "David Jeans"


def test_author_from_the_byline_element() -> None:
    body = '<div class="byline-section"><span class="author">Tom Davies</span> Associated Press</div>'
    assert page(body=body).author == "Tom Davies"


def test_author_from_an_author_page_reference() -> None:
    head = ld({"@type": "Article", "author": {"@id": "https://example.com/author/adauto-silva/#author"}})
    assert page(head).author == "Adauto Silva"
