"""Tests for archive.clean.html: robust parsing and main-text extraction."""

from __future__ import annotations

import copy
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.clean.html import extract_main_text, parse_html

FIXTURES = Path(__file__).parent / "fixtures" / "clean"


def extract(html: str) -> str:
    return extract_main_text(parse_html(html))


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# --- a realistic page -----------------------------------------------------------------


@pytest.fixture(scope="module")
def news_body() -> str:
    return extract((FIXTURES / "news_page.html").read_text("utf-8"))


def test_news_page_body_is_complete_and_in_order(news_body: str) -> None:
    assert paragraphs(news_body) == [
        "The Harbour Bridge reopened to traffic on Sunday morning after eleven weeks of repairs, "
        "ending a long detour for commuters on the east bank.",
        "Engineers replaced forty-two steel cables and resurfaced the entire deck, the city's "
        "transport office said. The work finished two days ahead of the revised schedule, "
        "although it ran over the original budget by about eight percent.",
        "What changes for drivers",
        "The speed limit on the bridge drops from sixty to fifty kilometres per hour, and the "
        "right-hand lane is now reserved for buses during rush hours.",
        "Cyclists get a separated lane on the northern side.",
        "Heavy lorries remain banned between ten at night and six in the morning.",
        '"We promised a safer crossing, and this is what it looks like," said the deputy mayor, '
        "Tomas Lind.",
        "Residents of the east bank welcomed the news.\nSome said the detour had added forty "
        "minutes to each trip.",
        "The transport office will publish traffic counts for the first month in April, when a "
        "decision on tolls is also expected.",
    ]


@pytest.mark.parametrize(
    "boilerplate",
    [
        "cookie", "Accept all", "Sport", "Weather", "Home", "Share on", "Advertisement",
        "Sign up", "morning briefing", "Subscribe", "Related stories", "Ferry timetable",
        "tunnel plan", "Comments", "Finally!", "far too slow", "Most read", "bakery",
        "Privacy policy", "©", "All rights reserved", "Bridges", "By Mira Okafor",
        "Harbour Bridge Reopens After Repairs", "3 March 2024", "dataLayer", "height: 250px",
    ],
)
def test_news_page_has_no_boilerplate(news_body: str, boilerplate: str) -> None:
    assert boilerplate not in news_body


def test_extraction_does_not_modify_the_tree() -> None:
    tree = parse_html((FIXTURES / "news_page.html").read_text("utf-8"))
    before = lxml.html.tostring(tree)
    extract_main_text(tree)
    assert lxml.html.tostring(tree) == before
    assert extract_main_text(tree) == extract_main_text(copy.deepcopy(tree))


# --- choosing the content -------------------------------------------------------------


def test_div_soup_found_by_density() -> None:
    body = extract((FIXTURES / "div_soup.html").read_text("utf-8"))
    found = paragraphs(body)
    assert len(found) == 4
    assert found[0].startswith("The town library will stay open until nine")
    assert found[3].endswith("the chair of the board explained to reporters.")
    for noise in ("Archive 2023", "Vote in our poll", "Weather forecast", "Town Portal", "Start"):
        assert noise not in body


LONG = (
    "This sentence is part of the real article and carries enough words, commas, and detail "
    "to look like a proper paragraph of news writing. "
)


def test_item_prop_article_body_is_preferred() -> None:
    html = f"""<html><body>
      <div class="promo-box"><p>{LONG * 3}</p></div>
      <div itemprop="articleBody"><p>{LONG}</p><p>Second real paragraph, written by the reporter.</p></div>
      <div class="box"><p>{"Unrelated but long filler text that is not part of the story. " * 8}</p></div>
    </body></html>"""
    body = extract(html)
    assert body == f"{LONG.strip()}\n\nSecond real paragraph, written by the reporter."


def test_largest_article_wins_over_teasers() -> None:
    teaser = "<article><h2><a href='/t'>Teaser headline</a></h2><p>Short teaser text.</p></article>"
    html = f"""<html><body>{teaser * 3}
      <article><h1>Main headline</h1><p>{LONG}</p><p>{LONG}Second.</p><p>{LONG}Third.</p></article>
      {teaser * 2}</body></html>"""
    body = extract(html)
    assert len(paragraphs(body)) == 3
    assert body.endswith("Third.")
    assert "teaser" not in body.lower()
    assert "Main headline" not in body


def test_article_spread_over_sibling_containers() -> None:
    html = f"""<html><body><div id="page">
      <div class="chunk"><p>{LONG}One.</p><p>{LONG}Two.</p></div>
      <div class="chunk"><p>{LONG}Three.</p><p>{LONG}Four.</p><p>{LONG}Five.</p></div>
      <div class="links"><a href="/a">Link one goes here</a> <a href="/b">Link two goes here</a></div>
    </div></body></html>"""
    body = extract(html)
    assert [p.split(". ")[-1] for p in paragraphs(body)] == ["One.", "Two.", "Three.", "Four.", "Five."]


def test_json_ld_article_body_fallback() -> None:
    body = extract((FIXTURES / "jsonld_only.html").read_text("utf-8"))
    assert paragraphs(body) == [
        "The city orchestra will open its new season in September with a programme of works "
        "by living composers.",
        "Tickets go on sale next week, and students will again be offered seats at half price.",
        "The conductor said the season would end with an open-air concert in the park.",
    ]


def test_explicit_fallback_body_with_markup() -> None:
    tree = parse_html("<html><body><p>Loading</p></body></html>")
    body = extract_main_text(tree, fallback_body="<p>First &amp; foremost.</p><p>Second part.</p>")
    assert body == "First & foremost.\n\nSecond part."


def test_dom_text_preferred_over_short_json_ld_body() -> None:
    html = f"""<html><head><script type="application/ld+json">
      {{"@type": "NewsArticle", "articleBody": "A short summary."}}</script></head>
      <body><article><p>{LONG}</p><p>{LONG}</p></article></body></html>"""
    assert "A short summary" not in extract(html)


def test_all_text_is_the_last_resort() -> None:
    assert extract("<html><body><div>Tiny note.</div><span>Another one.</span></body></html>") == (
        "Tiny note.\n\nAnother one."
    )


# --- boilerplate rules ----------------------------------------------------------------


def test_class_tokens_match_whole_words() -> None:
    html = f"""<html><body><article>
      <div class="shadow-box"><p>{LONG}Shadow.</p></div>
      <div class="thread-head"><p>{LONG}Head.</p></div>
      <div class="download-links"><p>{LONG}Download.</p></div>
      <div class="ad"><p>Buy our product now.</p></div>
      <div class="ad-container"><p>Another product to buy.</p></div>
      <div id="relatedArticles"><p>Something related to read.</p></div>
    </article></body></html>"""
    body = extract(html)
    assert "Shadow." in body and "Head." in body and "Download." in body
    assert "product" not in body and "related" not in body


def test_article_header_div_is_kept_but_site_header_dropped() -> None:
    html = f"""<html><body>
      <div class="site-header"><p>Welcome to the site, the best site there is.</p></div>
      <article><div class="article-header"><p>The lead paragraph sits in the header block.</p></div>
      <p>{LONG}</p><p>{LONG}</p></article></body></html>"""
    body = extract(html)
    assert body.startswith("The lead paragraph sits in the header block.")
    assert "Welcome" not in body


def test_boilerplate_lines_inside_the_article_are_dropped() -> None:
    html = f"""<html><body><article>
      <p>{LONG}</p>
      <p>Read more: <a href="/x">Another story about something</a></p>
      <p><a href="/y">Short link line</a></p>
      <p>Advertisement</p>
      <p>Share this article</p>
      <p>Sign up for our newsletter</p>
      <p>Copyright 2024 Example Media. All rights reserved.</p>
      <p>{LONG}End.</p>
    </article></body></html>"""
    assert paragraphs(extract(html)) == [LONG.strip(), f"{LONG}End.".strip()]


def test_hidden_elements_are_dropped() -> None:
    html = f"""<html><body><article><p>{LONG}</p>
      <div style="display: none"><p>Hidden text.</p></div>
      <p hidden>Also hidden.</p><span class="sr-only">Screen reader only.</span>
    </article></body></html>"""
    body = extract(html)
    assert "idden" not in body and "Screen reader" not in body


def test_comments_section_dropped_even_when_long() -> None:
    comment = "<div class='comment'><p>" + "I really disagree with this article for many reasons. " * 5 + "</p></div>"
    html = f"""<html><body><article><h1>Title</h1><p>{LONG}One.</p><p>{LONG}Two.</p></article>
      <section id="comments">{comment * 6}</section></body></html>"""
    assert "disagree" not in extract(html)


def test_embedded_tweet_in_social_box_is_kept() -> None:
    html = f"""<html><body><article><p>{LONG}</p>
      <div class="social-embed"><blockquote class="twitter-tweet"><p>What a day for the city.</p></blockquote></div>
      <p>{LONG}</p></article></body></html>"""
    assert "What a day for the city." in extract(html)


# --- serialisation ---------------------------------------------------------------------


def test_inline_elements_do_not_break_words() -> None:
    html = ("<html><body><article><p>Un<b>believ</b>able <a href='#'>re</a>sults, "
            "<span>spa</span><em>nning</em> tags and <i>italics</i>.</p></article></body></html>")
    assert extract(html) == "Unbelievable results, spanning tags and italics."


def test_br_becomes_newline_and_blocks_become_paragraphs() -> None:
    html = ("<html><body><article><h2>Heading</h2><p>Line one<br>line two<br/>line three</p>"
            "<ul><li>First item</li><li>Second item</li></ul><blockquote>Quoted words.</blockquote>"
            "<h3>Sub</h3><pre>code  keeps\n  spacing</pre></article></body></html>")
    assert extract(html) == (
        "Heading\n\nLine one\nline two\nline three\n\nFirst item\n\nSecond item\n\n"
        "Quoted words.\n\nSub\n\ncode keeps\nspacing"
    )


def test_whitespace_and_entities_are_normalised() -> None:
    html = "<html><body><p>  Caf&eacute;&nbsp;&nbsp;and\n\n   tea &amp; cake  </p></body></html>"
    assert extract(html) == "Café and tea & cake"


# --- robustness --------------------------------------------------------------------------


@pytest.mark.parametrize("html", ["", "   ", "\n\t", "<html></html>", "<!-- only a comment -->",
                                  "<html><body></body></html>", "<<<>>>", "\x00\x00"])
def test_empty_html_gives_empty_body(html: str) -> None:
    tree = parse_html(html)
    assert tree.tag == "html"
    assert tree.find("body") is not None
    assert extract_main_text(tree) == ""


def test_deeply_nested_divs_do_not_crash() -> None:
    depth = 100_000
    html = ("<html><body><p>Before the nest.</p>" + "<div>" * depth + "Deep inside the nest."
            + "</div>" * depth + "<p>After the nest.</p></body></html>")
    assert extract(html) == "Before the nest.\n\nDeep inside the nest.\n\nAfter the nest."


def test_deeply_nested_inline_elements_do_not_crash() -> None:
    depth = 50_000
    html = "<p>" + "<span>" * depth + "Deep span text." + "</span>" * depth + "</p>"
    assert extract(html) == "Deep span text."


def test_deeply_nested_unknown_tags_fall_back_to_text() -> None:
    depth = 100_000
    html = ("<html><body><style>p { color: red }</style>" + "<x-box>" * depth
            + "Deep &amp; custom<script>var hidden = 1;</script>" + "</x-box>" * depth + "</body></html>")
    assert extract(html) == "Deep & custom"


def test_moderately_nested_text_is_kept() -> None:
    html = "<body>" + "<div>" * 500 + "Five hundred levels down." + "</div>" * 500 + "</body>"
    assert extract(html) == "Five hundred levels down."


def test_xml_declaration_in_string() -> None:
    html = "<?xml version='1.0' encoding='iso-8859-1'?><html><body><p>Déjà vu.</p></body></html>"
    assert extract(html) == "Déjà vu."


def test_bytes_input_is_decoded() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>\x93Quoted\x94 caf\xe9</p></body></html>'
    assert extract_main_text(parse_html(html.encode("latin-1"))) == "“Quoted” café"


def test_binary_bytes_give_empty_document() -> None:
    assert extract_main_text(parse_html(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")) == ""


def test_broken_markup() -> None:
    html = "<html><body><p>Unclosed <b>bold <i>and italic<p>Next paragraph</div></span></body>"
    assert extract(html) == "Unclosed bold and italic\n\nNext paragraph"


def test_script_content_never_leaks() -> None:
    html = "<html><body><p>Visible.</p><script>var x = '</p>secret';</script><style>p{}</style></body></html>"
    assert extract(html) == "Visible."


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdivpanhtml-!&;#\n\x00é")), max_size=200))
def test_random_markup_never_crashes(html: str) -> None:
    assert isinstance(extract(html), str)


# --- evidence for the main content -------------------------------------------------------------


def test_data_table_rows_become_lines() -> None:
    rows = "".join(f"<tr><td>{i}</td><td>Driver number {i}</td><td>{5000 - i}</td></tr>" for i in (1, 2, 3))
    html = f"""<html><body><article><p>{LONG}</p>
      <table><tr><th>Pos.</th><th>Driver</th><th>Points</th></tr>{rows}</table></article></body></html>"""
    assert paragraphs(extract(html))[1] == (
        "Pos. | Driver | Points\n1 | Driver number 1 | 4999\n2 | Driver number 2 | 4998\n"
        "3 | Driver number 3 | 4997"
    )


def test_layout_table_cells_stay_paragraphs() -> None:
    html = f"""<html><body><table><tr><td><p>{LONG}One.</p><p>{LONG}Two.</p></td>
      <td><a href="/a">Menu link</a></td></tr></table></body></html>"""
    assert [p.split(". ")[-1] for p in paragraphs(extract(html))] == ["One.", "Two."]


def test_comments_are_the_content_when_there_is_nothing_else() -> None:
    comment = "<div class='comment'><p>{}</p></div>"
    html = "<html><body><h2>Which tent for the Alps?</h2>" + "".join(comment.format(text) for text in (
        f"I am looking for a light tent for a week in the Alps, any advice? {LONG}",
        f"Take a tunnel tent with a low profile, the wind up there is brutal. {LONG}",
    )) + "</body></html>"
    body = extract(html)
    assert "light tent for a week" in body and "tunnel tent" in body


def test_forum_page_keeps_comment_classed_posts() -> None:
    post = "<div class='comment'><p>{}</p></div>"
    html = ("<html><body class='forum-thread'><article><h1>Thread title</h1><p>Opening post of the thread "
            "asks a question about bikes, with some detail and context.</p></article>"
            + "".join(post.format(f"Reply number {i}. {LONG}") for i in range(3)) + "</body></html>")
    body = extract(html)
    assert all(f"Reply number {i}." in body for i in range(3))


def test_comment_form_is_never_content() -> None:
    html = f"""<html><body><div class="comment-list"><div class="comment"><p>{LONG}</p></div></div>
      <div id="respond" class="comment-respond"><h3>Leave a Reply</h3><p>Your email address will
      not be published. Required fields are marked with a star, please fill them all in.</p></div>
      </body></html>"""
    assert "email address" not in extract(html)


def test_noscript_content_is_kept_when_it_holds_the_article() -> None:
    html = f"""<html><body><script>render()</script><noscript><div class="post">
      <p>{LONG * 2}First.</p><p>{LONG * 2}Second.</p></div></noscript>
      <noscript><img src="pixel.gif"></noscript></body></html>"""
    assert [p.split(". ")[-1] for p in paragraphs(extract(html))] == ["First.", "Second."]


def test_ruby_annotations_are_dropped() -> None:
    html = "<html><body><p><ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>を読む練習をします。</p></body></html>"
    assert extract(html) == "漢字を読む練習をします。"


def test_article_headed_by_the_page_title_wins() -> None:
    def article(title: str, words: str) -> str:
        return f"<article><h1>{title}</h1><p>{words} {LONG}</p><p>{LONG}</p></article>"

    html = ("<html><head><meta property='og:title' content='Harbour reopens after storm'></head><body>"
            + article("Harbour reopens after storm", "Requested story.")
            + article("Next story in the endless scroll", "Another story. " + LONG * 3)
            + "</body></html>")
    body = extract(html)
    assert body.startswith("Requested story.") and "Another story." not in body


def test_link_list_article_is_not_the_content() -> None:
    links = "".join(f"<li><a href='/{i}'>Another headline from the archive number {i}</a></li>" for i in range(30))
    html = f"""<html><body><article class="story"><p>{LONG}Story.</p><p>{LONG}End.</p></article>
      <article class="more"><ul>{links}</ul></article></body></html>"""
    body = extract(html)
    assert body.endswith("End.") and "archive number" not in body


def test_row_of_article_components_is_read_as_one_page() -> None:
    block = "<article class='text-block'><p>{} {}</p></article>"
    html = ("<html><body><main>" + "".join(block.format(f"Section {i}.", LONG * 2) for i in range(3))
            + "</main></body></html>")
    body = extract(html)
    assert all(f"Section {i}." in body for i in range(3))


def test_product_description_is_the_content_of_a_shop_page() -> None:
    reviews = "".join(f"<div class='review'><p>Review {i}: {LONG}</p></div>" for i in range(5))
    html = f"""<html><body><div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Mug</h1>
      <div itemprop="description"><p>A sturdy enamel mug for camping trips, light and tough.</p></div></div>
      <section class="reviews">{reviews}</section></body></html>"""
    assert extract(html) == "A sturdy enamel mug for camping trips, light and tough."


@pytest.mark.parametrize(
    "line",
    ["Lesen Sie auch: Der Hafen wächst", "À lire aussi : la suite", "Le puede interesar: otra nota",
     "Foto: dpa", "Whatsapp Facebook Pint Baixar", "相关阅读：另一篇文章", "Posted in News"],
)
def test_furniture_lines_inside_the_article_are_dropped(line: str) -> None:
    html = f"<html><body><article><p>{LONG}</p><p>{line}</p><p>{LONG}End.</p></article></body></html>"
    assert paragraphs(extract(html)) == [LONG.strip(), f"{LONG}End.".strip()]


def test_furniture_lines_after_line_breaks_are_dropped() -> None:
    html = f"<html><body><article><p>{LONG}<br>Foto: Reuters<br>The story goes on here.</p></article></body></html>"
    assert extract(html) == f"{LONG.strip()}\nThe story goes on here."


# --- pages libxml2 mangles: read again with Beautiful Soup --------------------------------


def test_page_with_an_unclosed_title_keeps_its_body() -> None:
    # libxml2 reads everything after an unclosed <title> as the title; html.parser does not.
    paragraph = ("<p>The council met on Tuesday to discuss the new footbridge over the river "
                 "and agreed to pay for half of it from the reserves.</p>")
    page = "<html><head><title>Footbridge approved</head><body>" + paragraph * 4 + "</body></html>"
    document = parse_html(page)
    assert document.findtext(".//title") == "Footbridge approved"
    body = extract_main_text(document)
    assert body.count("The council met on Tuesday") == 4


def test_a_page_that_is_only_short_is_not_reparsed() -> None:
    document = parse_html("<html><head><title>Short</title></head><body><p>One line.</p></body></html>")
    assert extract_main_text(document) == "One line."
