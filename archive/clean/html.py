"""Parsing HTML robustly and extracting the main article text from it.

``parse_html`` never fails: broken, empty, huge or absurdly deep markup gives a usable
(possibly empty) lxml document. ``extract_main_text`` removes boilerplate (scripts, navigation,
ads, cookie banners, share bars, comments, related links, footers...), finds the element
holding the article (``itemprop="articleBody"``, ``<article>``, ``<main>``, or the best
container by text density), and serialises it as paragraphs separated by blank lines. When
the page yields little it falls back to the JSON-LD ``articleBody``, then to all paragraphs.
"""

from __future__ import annotations

import copy
import functools
import html as _html
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping

from lxml import etree

from .boilerplate import is_furniture, is_related_lead
from .encoding import DecodeError, decode_bytes
from .metadata import document_root, json_ld_article_body, json_ld_objects, ld_types
from .text import normalize_text

__all__ = ["extract_main_text", "parse_html"]

# --- parsing ------------------------------------------------------------------------

_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Tags that pathological pages nest thousands deep; flattened when libxml2 gives up.
_FLATTEN_BLOCK_RE = re.compile(
    r"</?(?:div|section|article|main|center|table|tbody|thead|tr|td|th|ul|ol|li|dl|dd|dt|"
    r"blockquote|header|footer|aside|nav|figure|form|fieldset)\b[^>]*>",
    re.I,
)
_FLATTEN_INLINE_RE = re.compile(r"</?(?:span|font|a|b|i|u|s|em|strong|small|big|sub|sup|label|q|cite)\b[^>]*>", re.I)
_TAG_RE = re.compile(r"<[^>]*>")
_SCRIPT_RE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_STRING_XPATH = etree.XPath("string()")
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_NAME_RE = re.compile(r"[^a-z0-9_.\-]")
# A page of at least this many characters whose parsed body holds fewer than this many
# characters of text is re-read with Beautiful Soup (when that finds twice as much, at least).
_RESCUE_MIN_SOURCE = 400
_RESCUE_MIN_CHARS = 200


def parse_html(html: str | bytes) -> etree._Element:
    """Parse ``html`` into an lxml document (the ``<html>`` element), never raising.

    Bytes are decoded with :func:`archive.clean.encoding.decode_bytes`. XML declarations
    and NUL characters are dropped; empty input, binary data or markup lxml rejects give an
    empty document; a page nested deeper than libxml2 allows is re-parsed with its
    container tags flattened (or, as a last resort, as plain text) so no text is lost.
    """
    if isinstance(html, (bytes, bytearray)):
        try:
            html = decode_bytes(bytes(html))
        except DecodeError:
            return _empty_document()
    if not isinstance(html, str):
        return _empty_document()
    text = _XML_DECLARATION_RE.sub("", html.replace("\x00", ""), count=1)
    if not text.strip():
        return _empty_document()
    document, too_deep = _parse(text)
    if too_deep:
        flattened = _FLATTEN_INLINE_RE.sub("", _FLATTEN_BLOCK_RE.sub("<p>", text))
        document, too_deep = _parse(flattened)
        if too_deep:
            document = _text_document(_html.unescape(_TAG_RE.sub("\n", _SCRIPT_RE.sub("", text))))
    if _lost_text(document, text):
        # libxml2 swallowed the page (an unclosed <title> or <textarea>): Python's own
        # tolerant parser, through Beautiful Soup, reads it as browsers do.
        rescued = _soup_document(text)
        if rescued is not None and _body_chars(rescued) >= max(_RESCUE_MIN_CHARS, 2 * _body_chars(document)):
            document = rescued
    if document is None:
        return _empty_document()
    if document.tag != "html":
        wrapper = _empty_document()
        wrapper.find("body").append(document)
        return wrapper
    if document.find("body") is None:
        etree.SubElement(document, "body")
    return document


def _parse(text: str) -> tuple[etree._Element | None, bool]:
    """The parsed document (``None`` if lxml refused it) and whether it hit the depth limit.

    A plain lxml tree (no ``lxml.html`` element classes, whose lookups cost a lot of time).
    """
    parser = etree.HTMLParser(
        encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        document = etree.fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, TypeError, MemoryError):
        return None, False
    too_deep = any("depth" in (error.message or "").lower() for error in parser.error_log)
    return document, too_deep


def _body_chars(document: etree._Element | None) -> int:
    """Characters of text in the document's ``<body>`` (0 without one)."""
    if document is None:
        return 0
    body = document.find("body") if document.tag == "html" else document
    return len("".join(_text(body).split())) if body is not None else 0


def _lost_text(document: etree._Element | None, source: str) -> bool:
    """Whether libxml2 left next to no text in the body of a page with markup to spare."""
    return len(source) >= _RESCUE_MIN_SOURCE and _body_chars(document) < _RESCUE_MIN_CHARS


def _soup_document(text: str) -> etree._Element | None:
    """``text`` parsed by Beautiful Soup with Python's ``html.parser``, as a plain lxml tree
    (``None`` if that fails). Imported on first use: only pages libxml2 mangles need it."""
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, Tag

    try:
        soup = BeautifulSoup(_NOT_XML_RE.sub("", text), "html.parser")
    except Exception:  # noqa: BLE001 - a parser failing on junk just means no rescue
        return None
    container = etree.Element("div")
    stack: list[tuple[Any, etree._Element]] = [(soup, container)]
    while stack:  # iterative: pages may be nested very deep
        node, element = stack.pop()
        last: etree._Element | None = None
        for child in node.children:
            if isinstance(child, Tag):
                name = _XML_NAME_RE.sub("", child.name.lower().split(":")[-1]) or "span"
                if not name[0].isalpha():
                    name = "span"
                last = etree.SubElement(element, name)
                for key, value in child.attrs.items():
                    key = _XML_NAME_RE.sub("", str(key).lower())
                    if key and key[0].isalpha():
                        last.set(key, _NOT_XML_RE.sub("", " ".join(value) if isinstance(value, list) else str(value)))
                stack.append((child, last))
            elif type(child) is NavigableString:  # not comments, doctypes, CDATA...
                if last is None:
                    element.text = (element.text or "") + str(child)
                else:
                    last.tail = (last.tail or "") + str(child)
    html = container.find("html")
    if html is None:
        html = etree.Element("html")
        body = etree.SubElement(html, "body")
        body.text = container.text
        for child in list(container):
            body.append(child)
    return html


def _empty_document() -> etree._Element:
    document = etree.Element("html")
    etree.SubElement(document, "head")
    etree.SubElement(document, "body")
    return document


def _text(element: Any) -> str:
    """The text under ``element`` (like ``text_content()`` of ``lxml.html``)."""
    return str(_STRING_XPATH(element))


def _text_document(text: str) -> etree._Element:
    document = _empty_document()
    body = document.find("body")
    for paragraph in re.split(r"\n\s*\n", text):
        if paragraph.strip():
            element = etree.SubElement(body, "p")
            element.text = _NOT_XML_RE.sub("", " ".join(paragraph.split()))
    return document


# --- vocabulary ---------------------------------------------------------------------

_INLINE_TAGS = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i img ins kbd label mark nobr "
    "picture q rp rt ruby s samp small source span strike strong sub sup time tt u var wbr".split()
)
_REMOVE_TAGS = frozenset(
    "script style template svg math iframe frame frameset button object embed applet "
    "canvas select option input textarea dialog audio video map link meta title base head "
    "figcaption rt rp".split()
)
# Removed unless they visibly hold the article (some sites wrap a whole page in a <form>).
_GUARDED_TAGS = frozenset("form nav aside footer figure menu noscript".split())
_BAD_ROLES = frozenset(
    "navigation banner contentinfo complementary menu menubar dialog alertdialog search "
    "toolbar tablist alert marquee".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_PARAGRAPH_TAGS = frozenset("p pre blockquote li dd dt td th address h1 h2 h3 h4 h5 h6".split())

# Class/id/aria-label tokens of boilerplate. Alone they remove an element unless it contains
# the page's <h1>/<article>; with a positive token ("article-related") they remove it unless
# it visibly holds article text.
# Class/id/aria-label tokens of boilerplate that stays boilerplate even when it holds prose
# (related stories, comments, navigation). Alone they remove an element unless it contains
# the page's <h1>/<article> or most of its text; with a positive token ("article-related")
# they remove it unless it visibly holds article text.
_STRONG_NEGATIVE = frozenset(
    "nav navbar navigation navlinks menu menubar megamenu submenu footer cookie cookies "
    "consent gdpr banner outbrain taboola promo promos promotion promoted sponsor sponsors "
    "sponsored related relatedposts relatedarticles relatedstories recommend recommended "
    "recommendation recommendations newsletter newsletters signup subscribe subscription "
    "subscriptions cta noprint comment comments disqus breadcrumb breadcrumbs popup modal readmore readnext "
    "mostread mostpopular popular trending recent recentposts latestnews latestposts "
    "latestarticles morestories morearticles morenews morefrom alsoread maylike mightlike "
    "alsolike dontmiss editorspicks topstories upnext nextup nextprev prevnext nextpost prevpost "
    "previouspost postnav pagenav seealso".split()
)
# Tokens of boxes that hold no prose (ads, share bars, tools, captions, bylines): they remove
# an element unless it visibly holds article text.
_NEGATIVE = _STRONG_NEGATIVE | frozenset(
    "ad ads adv advert adverts advertisement advertisements advertising adsense adunit adslot "
    "adbox adcontainer adwrapper dfp doubleclick share shares sharing sharebar sharetools "
    "social socials socialmedia sidebar rail overlay lightbox caption captions byline bylines "
    "tags tagcloud taglist authorbio bio widget widgets toolbar tools skip skiplink jump "
    "pagination pager topbar bottombar login signin register paywall meter credit credits "
    "copyright disclaimer legal print tooltip popover hovercard rollover profile postprofile "
    "userinfo authorinfo avatar signature usertitle "
    # media players' controls, menus and dialogs (video.js, JW Player, ...)
    "videoplayer mediaplayer audioplayer playercontrols playercontrol vjs videojs jwplayer jw "
    "controlbar plyr mejs".split()
)
# Photo galleries and slideshows: a slide caption is prose, so these are removed even when
# they hold text, unless they hold the page's headline or article (a gallery page).
_GALLERY = frozenset(
    "gallery galleries photogallery imagegallery mediagallery slideshow slideshows carousel "
    "slider swiper glide filmstrip photostrip lightbox".split()
)
# Headings that open a gallery: "Night trains – in pictures", "Photo gallery".
_GALLERY_HEADING_RE = re.compile(
    r"(?:^|[\s\-–—:|])(?:in pictures|in photos|in images|photo gallery|picture gallery|image gallery|"
    r"slideshow|in bildern|en images|en photos|en imágenes|en fotos|in foto|in beeld)\s*$",
    re.I,
)
# Removed even when they hold a lot of text, unless they contain the article itself.
_ALWAYS_NEGATIVE = frozenset(
    "cookie cookies consent gdpr newsletter newsletters outbrain taboola popup modal".split()
)
# Reader discussion: removed when the page has an article outside it, kept when the
# discussion is all there is (a forum thread, a Q&A page, a live commentary).
_DISCUSSION = frozenset(
    "comment comments commentlist disqus reviews customerreviews productreviews userreviews".split()
)
# With a discussion token: the box for writing a comment, never content.
_COMMENT_FORM = frozenset(
    "respond form commentform replyform reply replytitle postcomment addcomment leavecomment "
    "writecomment newcomment".split()
)
_REMOVE, _KEEP, _DISCUSS = "remove", "keep", "discussion"
# Classes of the <html>/<body> of forum and Q&A pages, generators and schema.org types.
_FORUM_TOKENS = frozenset(
    "forum forums thread threads topic viewtopic showthread discussion discussions bbpress "
    "phpbb vbulletin xenforo discourse mybb smf ipb question questions".split()
)
_FORUM_SOFTWARE_RE = re.compile(
    r"phpbb|vbulletin|xenforo|discourse|mybb|simple machines|invision|bbpress|nodebb|flarum", re.I
)
_FORUM_TYPES = frozenset({"DiscussionForumPosting", "QAPage", "Question"})
_MIN_ARTICLE_CHARS = 250
# Weak: boilerplate only when no positive token accompanies them ("site-header" yes,
# "article-header" no).
_WEAK_NEGATIVE = frozenset("header masthead author authors meta secondary extra".split())
# Embedded posts (tweets...) are part of the article even inside a "social" box.
_PROTECTIVE = frozenset("embed embedded tweet twittertweet".split())
_POSITIVE = frozenset(
    "article articles body content contents entry main post story text blog prose richtext "
    "paragraph hentry".split()
)
_HIDDEN_CLASSES = frozenset(
    "hidden hide d-none sr-only visually-hidden visuallyhidden screen-reader-text "
    "screen-reader-only screenreader a11y-hidden offscreen is-hidden u-hidden "
    "element-invisible invisible".split()
)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_MIN_NOSCRIPT_PARAGRAPHS = 2
# Icon fonts draw a glyph for a ligature word ("arrow_forward_ios") written as text.
_ICON_FONTS = frozenset("materialicons materialsymbols icon icons glyphicon".split())
_ICON_NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+")
_MAX_LEAD_CHARS = 60
_CAMEL_RE = re.compile(r"([a-z0-9])([A-Z])")
_TOKEN_SPLIT_RE = re.compile(r"[^a-z0-9]+")

_WORD_RE = re.compile(r"\w")
_SPACE_RE = re.compile(r"[ \t\n\r\f\v]+")
_LINE_EDGE_RE = re.compile(r" *\n *")

# Readability's starting scores for candidate containers, by tag.
_TAG_SCORES: Mapping[str, float] = MappingProxyType({
    "div": 5.0, "article": 8.0, "section": 3.0, "main": 5.0, "pre": 3.0, "td": 3.0,
    "blockquote": 3.0, "address": -3.0, "ol": -3.0, "ul": -3.0, "dl": -3.0, "dd": -3.0,
    "dt": -3.0, "li": -3.0, "form": -3.0, "th": -5.0,
})
_MIN_SCORED_CHARS = 25
_MIN_TITLE_KEY = 15
# A shop page's product description (schema.org Product microdata).
_PRODUCT_DESCRIPTION_XPATH = (
    './/*[@itemprop="description"][ancestor::*[@itemscope][1][contains(@itemtype, "Product")]]'
)
_TITLE_WORD_RE = re.compile(r"\w+")
_MAX_CELL_CHARS = 200
_MAX_ROW_CHARS = 400
_MIN_SCOPE_CHARS = 250
_MIN_DESCRIPTION_CHARS = 20
_ANCHORED_SHARE = 0.2
_LINK_LINE_DENSITY = 0.8
_GUARD_LINK_DENSITY = 0.3
_MAJORITY = 0.5


@dataclass
class _Block:
    """A run of text between block-level boundaries, with the element it belongs to."""

    text: str
    link_chars: int
    element: Any
    tag: str


# --- extraction ---------------------------------------------------------------------


def extract_main_text(tree: Any, fallback_body: str | None = None, title: str | None = None) -> str:
    """Extract the article body from a parsed page as paragraphs separated by blank lines.

    ``tree`` is an lxml HTML document or element (it is not modified). Headings (h2-h6),
    paragraphs, list items, blockquotes and preformatted blocks of the main content come out
    in document order, one paragraph each; inline markup flows into its paragraph and
    ``<br>`` becomes a line break. Reader comments are left out when the page has an article
    besides them; on a forum thread or Q&A page the posts are the content. ``fallback_body``
    (by default the page's JSON-LD ``articleBody``; pass ``""`` for none) is used when the
    page's markup yields much less text. ``title`` (by default the page's ``og:title`` or
    ``<title>``) helps pick the right ``<article>`` on pages that hold several. Returns
    ``""`` for a page without text.
    """
    root = document_root(tree)
    if root is None:
        return ""
    if fallback_body is None:
        fallback_body = json_ld_article_body(root)
    root = copy.deepcopy(root)
    body = root if root.tag == "body" else root.find("body")
    if body is None:
        body = root
    if title is None:
        title = _page_title(root)
    anchors = _title_articles(body, title)
    discussions = _prune(body)
    forum = functools.cache(lambda: _is_discussion_page(root))
    text = None
    if discussions and not forum():
        set_aside = _set_aside(discussions)
        text = _main_text(body, anchors, forum)
        discussion_chars = sum(len(" ".join(_text(element).split())) for element in discussions)
        if len(text) < _MIN_ARTICLE_CHARS and discussion_chars >= 2 * len(text):
            _put_back(set_aside)  # nothing but discussion: it is the content
            text = None
    if text is None:
        text = _main_text(body, anchors, forum)

    fallback = _format_fallback(fallback_body)
    if fallback and len(text) < 0.5 * len(fallback):
        text = fallback
    if not text:
        # Last resort: every paragraph-like block left on the page.
        text = _keep(_collect_blocks(body))
    return normalize_text(text)


def _main_text(body: Any, anchors: list[Any], forum: Callable[[], bool]) -> str:
    """The text of the main content under a pruned ``body`` (``""`` if none is found).

    ``anchors`` are the ``<article>`` elements headed by the page's title; ``forum()`` tells
    whether the page is a forum thread or Q&A page.
    """
    blocks = _collect_blocks(body)
    index = _TreeIndex(body, blocks)
    chosen = _choose_content(body, blocks, index, anchors, forum)
    return _keep(index.blocks_within(chosen)) if chosen else ""


def _page_title(root: Any) -> str | None:
    """The page's ``og:title``, else its ``<title>``."""
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:title":
            return meta.get("content")
    element = root.find(".//title")
    return _text(element) if element is not None else None


def _is_discussion_page(root: Any) -> bool:
    """Whether the page is a forum thread or Q&A page, by its markup and metadata."""
    body = root.find("body")
    for element in (root, body):
        if element is not None and _tokens(element) & _FORUM_TOKENS:
            return True
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "generator":
            if _FORUM_SOFTWARE_RE.search(meta.get("content") or ""):
                return True
    return any(set(ld_types(obj)) & _FORUM_TYPES for obj in json_ld_objects(root))


def _set_aside(elements: list[Any]) -> list[tuple[Any, Any]]:
    """Replace each element by an empty placeholder; returns the pairs for :func:`_put_back`."""
    pairs = []
    for element in elements:
        parent = element.getparent()
        if parent is None:
            continue
        placeholder = etree.Element("span")
        placeholder.tail, element.tail = element.tail, None
        parent.replace(element, placeholder)
        pairs.append((placeholder, element))
    return pairs


def _put_back(pairs: list[tuple[Any, Any]]) -> None:
    """Undo :func:`_set_aside`."""
    for placeholder, element in pairs:
        element.tail, placeholder.tail = placeholder.tail, None
        placeholder.getparent().replace(placeholder, element)


# --- pruning ------------------------------------------------------------------------


def _tokens(element: Any) -> frozenset[str]:
    """Lowercase words of the class, id and aria-label, plus adjacent pairs joined.

    ``"relatedArticles read-more"`` gives {related, articles, relatedarticles, read, more,
    readmore}, so that "ad" never matches inside "head" or "shadow".
    """
    values = [element.get(attribute) for attribute in ("class", "id", "aria-label")]
    return _tokens_of(" ".join(value for value in values if value))


@functools.lru_cache(maxsize=4096)
def _tokens_of(value: str) -> frozenset[str]:
    tokens: set[str] = set()
    for name in value.split():
        words = [w for w in _TOKEN_SPLIT_RE.split(_CAMEL_RE.sub(r"\1 \2", name).lower()) if w]
        tokens.update(words)
        tokens.update(a + b for a, b in zip(words, words[1:]))
    return frozenset(tokens)


def _holds_content(element: Any) -> bool:
    """Whether ``element`` visibly holds article text: real paragraphs that are not links.

    Deliberately lenient: wrongly keeping a box costs little (the content is chosen later),
    wrongly removing the article's wrapper loses everything.
    """
    chars = links = count = 0
    for paragraph in element.iter("p"):
        length = len(" ".join(_text(paragraph).split()))
        if length >= 40:
            count += 1
            chars += length
            links += sum(len(" ".join(_text(a).split())) for a in paragraph.iter("a"))
    if count >= 2 and chars >= 400 and links <= _GUARD_LINK_DENSITY * chars:
        return True
    total = len(" ".join(_text(element).split()))
    if total < 400:
        return False
    all_links = sum(len(" ".join(_text(a).split())) for a in element.iter("a"))
    return all_links <= (0.5 if total >= 1500 else _GUARD_LINK_DENSITY) * total


def _is_hidden(element: Any) -> bool:
    """Whether ``element`` is hidden from readers by its markup: the ``hidden`` attribute,
    ``aria-hidden="true"``, or an inline ``display:none``/``visibility:hidden`` style."""
    return (
        element.get("hidden") is not None
        or (element.get("aria-hidden") or "").strip().lower() == "true"
        or _HIDDEN_STYLE_RE.search(element.get("style") or "") is not None
    )


def _holds_paragraphs(element: Any) -> bool:
    """Whether ``element`` holds paragraphs of prose as markup (not text that looks like it)."""
    count = 0
    for paragraph in element.iter("p"):
        if len(" ".join(_text(paragraph).split())) >= 40:
            count += 1
            if count >= _MIN_NOSCRIPT_PARAGRAPHS:
                return True
    return False


def _opens_gallery(element: Any) -> bool:
    """Whether ``element`` starts with a heading naming a gallery ("... – in pictures")."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag.lower() in _HEADINGS and tag.lower() != "h1":
            return _GALLERY_HEADING_RE.search(" ".join(_text(child).split())) is not None
        return False
    return False


def _contains_article(element: Any) -> bool:
    return bool(element.xpath('boolean(.//h1 | .//article | .//*[@itemprop="articleBody"])'))


def _plain_text_length(element: Any) -> int:
    """Characters of text under ``element`` that are not link text."""
    total = len(" ".join(_text(element).split()))
    links = sum(len(" ".join(_text(a).split())) for a in element.iter("a"))
    return max(total - links, 0)


def _judge(element: Any, page_text: int) -> str:
    """Whether ``element`` is boilerplate: ``"remove"``, ``"keep"`` or ``"discussion"``.

    ``page_text`` is the page's non-link text length: an element holding most of it is not
    boilerplate, whatever its class says. ``"discussion"`` marks reader comments, which are
    set aside rather than removed (they are the content of a forum thread).
    """
    tag = element.tag
    if not isinstance(tag, str):
        return _REMOVE  # comments, processing instructions, entities
    tag = tag.lower()
    if tag in _REMOVE_TAGS:
        return _REMOVE
    if tag == "noscript":
        # Read only when it holds real paragraphs (a page that puts its article there);
        # escaped markup (tracking pixels, iframes) is never text.
        return _KEEP if _holds_paragraphs(element) else _REMOVE
    if tag not in ("article", "main") and _opens_gallery(element) and not _contains_article(element):
        return _REMOVE  # "... – in pictures": slide captions, not the article
    if not element.attrib and tag not in _GUARDED_TAGS and tag != "header":
        return _KEEP  # nothing to judge by
    if _is_hidden(element):
        # Not shown to readers: gone, unless it holds most of the page's text (pages that
        # reveal their article with a script).
        return _KEEP if _plain_text_length(element) >= _MAJORITY * page_text else _REMOVE
    if element.get("itemprop") == "articleBody":
        return _KEEP
    # Page headers go; an article's own <header> (headline, byline, date) goes too unless
    # it holds paragraphs of text (some sites put the lead paragraph there).
    guarded = tag in _GUARDED_TAGS or tag == "header"
    role = (element.get("role") or "").strip().lower()
    if not guarded:
        if role in _BAD_ROLES:
            guarded = True
        elif set((element.get("class") or "").lower().split()) & _HIDDEN_CLASSES:
            guarded = True
    tokens = _tokens(element)
    # Landmarks are only removed when they hold no content ("skip-main", "article--has-ads").
    landmark = tag in ("article", "main") or role == "main"
    if tokens & _ALWAYS_NEGATIVE and not landmark:
        return _KEEP if _contains_article(element) else _REMOVE
    if tokens & _GALLERY and not landmark and not tokens & _PROTECTIVE \
            and not _contains_article(element):
        return _REMOVE
    if tokens & _ICON_FONTS and _ICON_NAME_RE.fullmatch(_text(element).strip()):
        return _REMOVE  # an icon font's ligature name ("arrow_forward_ios"), not text
    if tokens & _DISCUSSION and not landmark and not tokens & _PROTECTIVE:
        if _contains_article(element):
            return _KEEP
        return _REMOVE if tokens & _COMMENT_FORM else _DISCUSS
    if not guarded and not tokens & _PROTECTIVE:
        negative = tokens & _NEGATIVE
        if negative & _STRONG_NEGATIVE and not tokens & _POSITIVE and not landmark:
            if _contains_article(element) or _plain_text_length(element) >= _MAJORITY * page_text:
                return _KEEP
            return _REMOVE
        if negative or (tokens & _WEAK_NEGATIVE and not tokens & _POSITIVE):
            guarded = True
    return _REMOVE if guarded and not _holds_content(element) else _KEEP


def _remove(element: Any) -> None:
    """Remove ``element`` and its subtree, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _prune(body: Any) -> list[Any]:
    """Remove boilerplate elements below ``body``, iteratively (pages may be very deep).

    Non-content elements (scripts, styles, forms controls, comments...) go first, so that
    the text measured when judging the remaining elements is only visible text. Returns the
    reader-discussion elements (outermost ones), which are pruned inside but not removed.
    """
    for node in list(body.iter(etree.Comment, etree.ProcessingInstruction, etree.Entity)):
        _remove(node)
    for element in list(body.iter(*_REMOVE_TAGS)):
        if element is not body:
            _remove(element)
    for footer in list(body.iter("tfoot")):
        header = footer.getparent().find("thead") if footer.getparent() is not None else None
        if header is not None and " ".join(_text(header).split()) == " ".join(_text(footer).split()):
            _remove(footer)  # a table footer repeating its header
    page_text = _plain_text_length(body)
    discussions: list[Any] = []
    stack: list[tuple[Any, bool]] = [(body, False)]
    while stack:
        element, in_discussion = stack.pop()
        for child in list(element):
            verdict = _judge(child, page_text)
            if verdict == _REMOVE:
                _remove(child)
                continue
            if verdict == _DISCUSS and not in_discussion:
                discussions.append(child)
            stack.append((child, in_discussion or verdict == _DISCUSS))
    return discussions


# --- serialisation ------------------------------------------------------------------


def _collect_blocks(root: Any) -> list[_Block]:
    """Split the text under ``root`` into blocks at block-level element boundaries."""
    blocks: list[_Block] = []
    pieces: list[str] = []
    state = {"links": 0, "link_depth": 0, "pre": 0}
    block_stack: list[Any] = [root]

    def add(text: str | None) -> None:
        if not text:
            return
        if not state["pre"] and (not text.isprintable() or "  " in text):
            text = _SPACE_RE.sub(" ", text)
        pieces.append(text)
        if state["link_depth"]:
            state["links"] += len(text.strip())

    def flush(element: Any) -> None:
        if pieces:
            text = "".join(pieces)
            pieces.clear()
            if not state["pre"] and "\n" in text:
                text = _LINE_EDGE_RE.sub("\n", text)
            text = text.strip()
            if text:
                tag = element.tag if isinstance(element.tag, str) else ""
                blocks.append(_Block(text, min(state["links"], len(text)), element, tag.lower()))
        state["links"] = 0

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):
            if event == "end" and element is not root:
                add(element.tail)
            continue
        tag = tag.lower()
        inline = tag in _INLINE_TAGS
        if event == "start":
            cells = _data_row_cells(element) if tag == "tr" else None
            if cells is not None:
                # A row of a data table is one line, its cells separated by " | ".
                flush(block_stack[-1])
                block_stack.append(element)
                text = " | ".join(cell for cell in cells if cell)
                if text:
                    links = sum(len(_cell_text(a)) for a in element.iter("a"))
                    blocks.append(_Block(text, min(links, len(text)), element, "tr"))
                walker.skip_subtree()
                continue
            if tag == "br":
                pieces.append("\n")
            elif not inline:
                flush(block_stack[-1])
                block_stack.append(element)
                if tag == "pre":
                    state["pre"] += 1
            if tag == "a":
                state["link_depth"] += 1
            add(element.text)
        else:
            if tag == "a":
                state["link_depth"] -= 1
            if not inline and tag != "br":
                flush(element)
                block_stack.pop()
                if tag == "pre":
                    state["pre"] -= 1
            if element is not root:
                add(element.tail)
    flush(root)
    return blocks


def _tag(element: Any) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _cell_text(element: Any) -> str:
    return " ".join(_text(element).split())


def _data_row_cells(row: Any) -> list[str] | None:
    """The cell texts of a ``<tr>`` that is a row of data (short cells), ``None`` for layout."""
    cells = [cell for cell in row if _tag(cell) in ("td", "th")]
    if len(cells) < 2 or row.find(".//table") is not None:
        return None
    texts = [_cell_text(cell) for cell in cells]
    lengths = [len(text) for text in texts]
    if max(lengths) > _MAX_CELL_CHARS or sum(lengths) > _MAX_ROW_CHARS:
        return None
    return texts


class _TreeIndex:
    """Document positions of the elements under a root, for fast "is inside" questions."""

    def __init__(self, root: Any, blocks: list[_Block]) -> None:
        elements = list(root.iter())
        self.position = {element: i for i, element in enumerate(elements)}
        self.end = list(range(len(elements)))
        for i in range(len(elements) - 1, -1, -1):
            element = elements[i]
            if len(element):
                self.end[i] = self.end[self.position[element[-1]]]
        ordered = sorted(blocks, key=lambda block: self.position.get(block.element, -1))
        self.ordered = ordered
        self.keys = [self.position.get(block.element, -1) for block in ordered]
        self.chars = [0]
        self.links = [0]
        for block in ordered:
            self.chars.append(self.chars[-1] + len(block.text))
            self.links.append(self.links[-1] + block.link_chars)
        self.blocks = blocks

    def span(self, element: Any) -> tuple[int, int]:
        """The range of block indexes (in ``ordered``) inside ``element``."""
        start = self.position.get(element)
        if start is None:
            return 0, 0
        return bisect_left(self.keys, start), bisect_right(self.keys, self.end[start])

    def text_stats(self, element: Any) -> tuple[int, int]:
        """Characters of text and of link text inside ``element``."""
        low, high = self.span(element)
        return self.chars[high] - self.chars[low], self.links[high] - self.links[low]

    def link_density(self, element: Any) -> float:
        """The share of the text inside ``element`` that is link text."""
        chars, links = self.text_stats(element)
        return links / chars if chars else 0.0

    def blocks_within(self, elements: Iterable[Any]) -> list[_Block]:
        """The blocks inside any of ``elements``, in document order."""
        inside: set[int] = set()
        for element in elements:
            low, high = self.span(element)
            inside.update(id(block) for block in self.ordered[low:high])
        return [block for block in self.blocks if id(block) in inside]


# --- choosing the content -----------------------------------------------------------


def _choose_content(body: Any, blocks: list[_Block], index: _TreeIndex, anchors: list[Any],
                    forum: Callable[[], bool]) -> list[Any]:
    """The element(s) holding the article body, in document order (empty if none)."""
    density = _density_choice(body, blocks, index)
    density_chars = sum(index.text_stats(element)[0] for element in density)
    for scope, minimum, share in _semantic_scopes(body, index, density, anchors, forum):
        chars = sum(index.text_stats(element)[0] for element in scope)
        if chars >= minimum and chars >= share * density_chars:
            return scope
    return density


def _semantic_scopes(body: Any, index: _TreeIndex, density: list[Any], anchors: list[Any],
                     forum: Callable[[], bool]) -> Iterable[tuple[list[Any], int, float]]:
    """Candidate scopes from markup semantics, best first: articleBody, a product's
    description, <article>, <main>; each with the text it needs (characters, and share of
    the text the density choice holds) to be believed.

    Among several ``<article>`` elements, the one headed by the page's title wins, else the
    one holding the densest text (unless it is one of a row of similar components; on a
    forum, where posts are articles, the outermost), else the one with the most text that
    is not links.
    """
    bodies = _outermost(body.xpath('.//*[@itemprop="articleBody"]'), index)
    if bodies:
        yield bodies, _MIN_SCOPE_CHARS, _MAJORITY
    descriptions = _outermost(body.xpath(_PRODUCT_DESCRIPTION_XPATH), index)
    if descriptions:
        yield descriptions, _MIN_DESCRIPTION_CHARS, 0.0
    articles = [
        element for element in body.iter("article")
        if element in index.position and index.link_density(element) < _MAJORITY
    ]
    anchored = [element for element in anchors if element in articles]
    if anchored:
        yield anchored[:1], _MIN_SCOPE_CHARS, _ANCHORED_SHARE
    elif articles:
        top = density[0] if density else None
        holding = [element for element in articles if top is not None and _contains(index, element, top)]
        if holding:
            article = holding[0] if len(holding) > 1 and forum() else holding[-1]
            if not _has_article_siblings(article, index):
                yield [article], _MIN_SCOPE_CHARS, _MAJORITY
        else:
            yield [max(articles, key=lambda element: _plain_chars(index, element))], _MIN_SCOPE_CHARS, _MAJORITY
    mains = body.xpath('.//main | .//*[@role="main"] | .//*[@itemprop="mainContentOfPage"]')
    if mains:
        yield [max(mains, key=lambda element: index.text_stats(element)[0])], _MIN_SCOPE_CHARS, _MAJORITY


def _contains(index: _TreeIndex, ancestor: Any, element: Any) -> bool:
    """Whether ``element`` is ``ancestor`` or inside it."""
    start, position = index.position.get(ancestor), index.position.get(element)
    return start is not None and position is not None and start <= position <= index.end[start]


def _plain_chars(index: _TreeIndex, element: Any) -> int:
    chars, links = index.text_stats(element)
    return chars - links


def _has_article_siblings(article: Any, index: _TreeIndex) -> bool:
    """Whether ``article`` is one of several text-holding ``<article>`` siblings (components)."""
    parent = article.getparent()
    if parent is None:
        return False
    own = _plain_chars(index, article)
    return any(
        sibling is not article and sibling.tag == "article"
        and _plain_chars(index, sibling) >= max(_MIN_SCOPE_CHARS, 0.25 * own)
        for sibling in parent
    )


def _title_articles(body: Any, title: str | None) -> list[Any]:
    """The innermost ``<article>`` around each heading that repeats the page's title."""
    key = _title_key(title or "")
    if len(key) < _MIN_TITLE_KEY:
        return []
    found: list[Any] = []
    for heading in body.iter("h1", "h2"):
        text = _title_key(_text(heading))
        if text and (text == key or (len(text) >= _MIN_TITLE_KEY and (text in key or key in text))):
            article = next(heading.iterancestors("article"), None)
            if article is not None and article not in found:
                found.append(article)
    return found


def _title_key(text: str) -> str:
    return " ".join(_TITLE_WORD_RE.findall(text.casefold()))


def _outermost(elements: list[Any], index: _TreeIndex) -> list[Any]:
    """``elements`` without those nested inside another of them."""
    kept: list[Any] = []
    last_end = -1
    for element in sorted(elements, key=lambda e: index.position.get(e, -1)):
        start = index.position.get(element)
        if start is None or start <= last_end:
            continue
        kept.append(element)
        last_end = index.end[start]
    return kept


def _class_weight(element: Any) -> float:
    tokens = _tokens(element)
    weight = 0.0
    if tokens & _POSITIVE:
        weight += 25
    # Discussion tokens cost nothing: comments still in the tree at this point are the content.
    if tokens & (_NEGATIVE | _WEAK_NEGATIVE) - _DISCUSSION:
        weight -= 25
    return weight


def _initial_score(element: Any) -> float:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    score = _TAG_SCORES.get(tag, 0.0)
    if tag in _HEADINGS:
        score -= 5
    return score + _class_weight(element)


def _has_block_child(element: Any) -> bool:
    return any(isinstance(child.tag, str) and child.tag not in _INLINE_TAGS and child.tag != "br"
               for child in element)


def _density_choice(body: Any, blocks: list[_Block], index: _TreeIndex) -> list[Any]:
    """Readability-style scoring: paragraphs give points to their ancestors."""
    stop = body.getparent()
    scores: dict[Any, float] = {}
    for block in blocks:
        length = len(block.text)
        if block.tag in _HEADINGS or length < _MIN_SCORED_CHARS:
            continue
        element = block.element
        if block.tag in _PARAGRAPH_TAGS or not _has_block_child(element):
            element = element.getparent()
        points = 1 + block.text.count(",") + block.text.count("，") + min(length // 100, 3)
        level = 0
        while element is not None and element is not stop and level < 5:
            if element not in scores:
                scores[element] = _initial_score(element)
            scores[element] += points / (1 if level == 0 else 2 if level == 1 else level * 3)
            element = element.getparent()
            level += 1
    if not scores:
        return []
    final = {element: score * (1 - index.link_density(element)) for element, score in scores.items()}
    ranked = sorted(final, key=final.__getitem__, reverse=True)
    top = ranked[0]
    top = _better_ancestor(top, ranked[1:5], final, body)
    top_score = final.get(top, 0.0)

    parent = top.getparent()
    if parent is None or top is body:
        return [top]
    threshold = max(10.0, top_score * 0.2)
    chosen = []
    top_class = top.get("class")
    for sibling in parent:
        if not isinstance(sibling.tag, str):
            continue
        if sibling is top:
            chosen.append(sibling)
            continue
        same_class = bool(top_class) and sibling.get("class") == top_class
        bonus = top_score * 0.2 if same_class else 0.0
        chars, links = index.text_stats(sibling)
        density = links / chars if chars else 1.0
        if sibling in final:
            if final[sibling] + bonus >= threshold:
                chosen.append(sibling)
        elif sibling.tag in _PARAGRAPH_TAGS and sibling.tag not in _HEADINGS:
            if chars > 80 and density < 0.25:
                chosen.append(sibling)
            elif 0 < chars <= 80 and density == 0 and re.search(r"\.( |$)", _text(sibling)):
                chosen.append(sibling)
        elif chars and density < 0.25 and (
            (same_class and chars >= 100) or chars >= 0.5 * index.text_stats(top)[0]
        ):
            # A container too deep above the paragraphs to have been scored.
            chosen.append(sibling)
    return chosen


def _better_ancestor(top: Any, others: list[Any], final: dict[Any, float], body: Any) -> Any:
    """Move up when several near-top candidates share an ancestor, or top is an only child."""
    top_score = final[top]
    close = [other for other in others if top_score and final[other] / top_score >= 0.75]
    if len(close) >= 3:
        ancestor_sets = [set(other.iterancestors()) for other in close]
        for ancestor in top.iterancestors():
            if sum(ancestor in ancestors for ancestors in ancestor_sets) >= 3:
                top = ancestor
                break
            if ancestor is body:
                break
    while top is not body:
        parent = top.getparent()
        if parent is None or len([c for c in parent if isinstance(c.tag, str)]) != 1:
            break
        top = parent
    return top


# --- block filtering ----------------------------------------------------------------


def _is_boilerplate(block: _Block) -> bool:
    text = block.text
    if block.tag == "h1" or not _WORD_RE.search(text):
        return True
    length = len(text)
    density = block.link_chars / length
    if density >= _LINK_LINE_DENSITY and (length <= 100 or block.tag in ("li", "dt", "dd") or block.tag in _HEADINGS):
        return True
    return is_furniture(text)


def _link_share(block: _Block) -> float:
    return block.link_chars / len(block.text) if block.text else 0.0


def _is_link_list_lead(block: _Block) -> bool:
    """Whether a dropped block is a heading that introduces a list of links ("Related stories",
    "More from ...", "Lesen Sie auch"), after which headline links are not article text."""
    return (block.tag in _HEADINGS and block.tag != "h1" or block.tag in ("p", "div", "span", "strong")) \
        and len(block.text) <= _MAX_LEAD_CHARS and _link_share(block) < _MAJORITY and is_related_lead(block.text)


def _keep(blocks: list[_Block]) -> str:
    """The text of the blocks that are not boilerplate, as paragraphs.

    Lines of a block broken by ``<br>`` are judged one by one too; consecutive duplicates
    are dropped; rows of a table stay on consecutive lines of one paragraph.
    """
    kept: list[tuple[str, str, Any]] = []
    in_link_list = False
    for block in blocks:
        if in_link_list:
            # After a "Related stories" lead-in: the list of links (headlines) that follows.
            if block.tag in _HEADINGS or block.tag in ("li", "dt", "dd") or _link_share(block) >= _MAJORITY:
                continue
            in_link_list = False
        if _is_link_list_lead(block):
            in_link_list = True
            continue
        if _is_boilerplate(block):
            continue
        text = block.text
        if "\n" in text and block.tag != "pre":
            text = "\n".join(line for line in text.split("\n") if not is_furniture(line))
        if not text or (kept and kept[-1][0] == text and kept[-1][2] is block.element):
            continue
        kept.append((text, block.tag, block.element))
    pieces: list[str] = []
    for i, (text, tag, _) in enumerate(kept):
        if i:
            pieces.append("\n" if tag == "tr" and kept[i - 1][1] == "tr" else "\n\n")
        pieces.append(text)
    return "".join(pieces)


def _format_fallback(body: str | None) -> str:
    """A JSON-LD articleBody as paragraphs: markup is extracted, lines become paragraphs."""
    if not body or not isinstance(body, str):
        return ""
    if re.search(r"<(?:p|br|div|h[1-6]|li)\b", body, re.I):
        fragment = parse_html(f"<html><body>{body}</body></html>")
        blocks = _collect_blocks(fragment.find("body"))
        return normalize_text("\n\n".join(block.text for block in blocks))
    body = _html.unescape(body)
    return normalize_text("\n\n".join(line.strip() for line in body.splitlines() if line.strip()))
