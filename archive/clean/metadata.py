"""Article metadata from a parsed HTML page: title, date, author, site, URL, language.

Sources are consulted in priority order: JSON-LD (schema.org ``NewsArticle``,
``Article``, ``BlogPosting``... including inside ``@graph`` and lists), OpenGraph,
other ``<meta>`` tags and microdata, ``<link rel="canonical">``, ``<html lang>``, and the
``<title>`` element (minus a trailing "| Site Name" that repeats the site's name). Broken
JSON-LD is skipped; nothing here raises on odd markup.
"""

from __future__ import annotations

import functools
import html
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from .dates import parse_date
from .fallback_dates import header_date
from .language import primary_language
from .text import normalize_inline

__all__ = [
    "ARTICLE_TYPES",
    "PageMetadata",
    "extract_metadata",
    "json_ld_article",
    "json_ld_article_body",
    "json_ld_objects",
    "ld_types",
    "strip_site_suffix",
]

ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting",
    "SocialMediaPosting", "TechArticle", "ScholarlyArticle", "Report", "SatiricalArticle",
    "AdvertiserContentArticle", "Blog", "Posting",
})
_PAGE_TYPES = frozenset({"ItemPage", "AboutPage", "ProfilePage", "QAPage"})
_MAX_JSON_NODES = 20000
_MAX_AUTHOR_CHARS = 200
_MAX_H1 = 3
# A UTC publication time is replaced by the same moment with the publisher's offset when one
# of the next few candidates writes it so (the day must be the publisher's, not UTC's).
_MAX_LOCAL_LOOKUPS = 8
_SAME_INSTANT_SECONDS = 60
_LEN_WITH_OFFSET = len("2024-01-01T00:00:00+00:00")
_MIN_HEADLINE_KEY = 10
_MAX_SITE_CHARS = 80
_SKIPPABLE_WORDS = frozenset("the a an of and la le les el los die der das il lo".split())
# Separators East Asian sites write without spaces ("标题_栏目_网站").
_TIGHT_TITLE_SEPARATORS = ("_", "｜", "丨")
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " / ")

_PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "article.published", "published_time", "datepublished",
    "date", "pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
    "dc.date", "dc.date.issued", "dc.date.created", "dcterms.date", "dcterms.issued",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "citation_publication_date",
    "citation_date", "article_date_original", "original-publish-date", "displaydate",
    "cxenseparse:recs:publishtime", "datecreated",
)
_MODIFIED_KEYS = (
    "article:modified_time", "og:updated_time", "datemodified", "last-modified",
    "dcterms.modified",
)
_AUTHOR_KEYS = (
    "author", "byl", "dc.creator", "dcterms.creator", "citation_author", "parsely-author",
    "sailthru.author", "article:author", "og:article:author", "article.author",
)
_SITE_KEYS = ("og:site_name", "application-name", "dc.publisher", "publisher", "twitter:app:name:iphone")
_TITLE_KEYS = (
    "og:title", "twitter:title", "title", "dc.title", "citation_title", "parsely-title",
    "sailthru.title", "headline",
)
_LANGUAGE_KEYS = ("content-language", "language", "dc.language", "dcterms.language", "og:locale")
_GENERIC_LABELS = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "www", "m", "amp", "mobile"})
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_URL_DATE_RE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)(?P<sep>[/_-]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"
)
_DATE_HOLDER_TAGS = ("span", "div", "p", "time", "li", "small", "em", "strong", "abbr")
_DATE_CLASS_RE = re.compile(r"date|time|publish|posted|datum|fecha|data")
_MAX_DATE_TEXT = 80
_MAX_SHOWN_DATES = 5
_BYLINE_PREFIX_RE = re.compile(
    r"^\W*(?:by|written by|posted by|words by|von|par|por|di|door|av|af|autor:?|author:?)\s+", re.I
)
_BYLINE_END_RE = re.compile(
    r"\s+(?:\||•|·|-|–|—|/)\s+|\s+(?:updated|published|posted|on|am|le|el|il)\s+|\s+\d|@", re.I
)
_BYLINE_CLASS_RE = re.compile(r"byline|author|autor|auteur")
_BYLINE_TAGS = ("span", "div", "p", "a", "address", "li", "strong")
_MAX_BYLINE_TEXT = 100
_MAX_BYLINES = 8
_MAX_ACRONYM = 6
_AUTHOR_SLUG_RE = re.compile(r"/(?:author|authors|autor|auteur|people|staff)/([a-z0-9]+(?:-[a-z0-9]+)+)/?(?:#.*)?$")
_ROLE_WORDS = frozenset(
    "writer reporter correspondent editor staff contributor columnist producer journalist "
    "press associated wire wires service services news bureau agency desk team redaktion "
    "rédaction redacción redazione photographer analyst chief senior special contributing "
    "freelance business".split()
)
_NAME_PARTICLES = frozenset("van von de da del der den di du la le dos das bin al el".split())


@dataclass(frozen=True)
class PageMetadata:
    """What a page says about its article; every field may be ``None``.

    ``date`` is ISO 8601 as given by :func:`archive.clean.dates.parse_date`, ``language`` a
    primary language subtag (``"en"``), ``body`` the JSON-LD ``articleBody`` if any.
    """

    title: str | None = None
    date: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    body: str | None = None


def extract_metadata(tree: Any, locale: str | None = None) -> PageMetadata:
    """Extract :class:`PageMetadata` from an lxml HTML document (element or element tree).

    A numeric date such as ``12/02/2024`` is read in the order of ``locale`` (a language tag),
    else of the page's declared language, as :func:`archive.clean.fallback_dates.header_date`
    reads text headers."""
    root = document_root(tree)
    if root is None:
        return PageMetadata()
    objects = json_ld_objects(root)
    index = _index_objects(objects)
    article = _pick_article(objects, index) or _pick_web_page(objects, index)
    meta = _meta_values(root)

    url = _first_url(root, article, meta)
    title_element = _plain(_element_text(root.find(".//title")) or "")
    source = _site_name(article, meta, index, url, title_element)
    title = _title(root, article, meta, title_element, [source] + _meta_list(meta, _SITE_KEYS))
    if title:
        sites = [source] + _meta_list(meta, _SITE_KEYS)
        if article:
            sites += _ld_names(article.get("publisher"), index)
        title = strip_site_suffix(title, sites, url)

    language = _first_language(root, article, meta)
    date = _first_date(root, article, meta, url, locale or language)
    author = _authors(root, article, meta, index)
    body = article.get("articleBody") if article else None
    return PageMetadata(
        title=title or None,
        date=date,
        author=author,
        source=source or None,
        url=url,
        language=language,
        body=body.strip() or None if isinstance(body, str) else None,
    )


# --- JSON-LD ------------------------------------------------------------------------


def json_ld_objects(tree: Any) -> list[dict[str, Any]]:
    """Every JSON object found in the page's ``application/ld+json`` scripts.

    Top-level lists and ``@graph`` arrays are flattened and nested objects included;
    scripts that are not valid JSON (even after light repairs) are skipped.
    """
    root = document_root(tree)
    if root is None:
        return []
    objects: list[dict[str, Any]] = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").split(";")[0].strip().lower()
        if kind != "application/ld+json":
            continue
        data = _load_json(script.text or "")
        if data is not None:
            objects.extend(_walk_json(data, _MAX_JSON_NODES - len(objects)))
    return objects


def json_ld_article(tree: Any) -> dict[str, Any]:
    """The page's main JSON-LD article object (``NewsArticle``, ``Article``...), or ``{}``.

    When there are several, the one with the longest ``articleBody`` (then one with a
    headline) wins.
    """
    objects = json_ld_objects(tree)
    return _pick_article(objects, _index_objects(objects))


def _pick_article(objects: list[dict[str, Any]], index: dict[str, dict[str, Any]]) -> dict[str, Any]:
    articles = [obj for obj in objects if _is_article(obj)]
    if not articles:
        return {}

    def rank(obj: dict[str, Any]) -> tuple[int, int]:
        obj = _resolve(obj, index)
        body = obj.get("articleBody")
        return (len(body) if isinstance(body, str) else 0, 1 if obj.get("headline") else 0)

    return _resolve(max(articles, key=rank), index)


def _pick_web_page(objects: list[dict[str, Any]], index: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The page's JSON-LD ``WebPage`` (or ``MedicalWebPage``, ``ItemPage``...), for pages
    that describe no article; ``{}`` if none."""
    for obj in objects:
        if any(kind.endswith("WebPage") or kind in _PAGE_TYPES for kind in ld_types(obj)):
            return _resolve(obj, index)
    return {}


def _resolve(obj: dict[str, Any], index: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The full object for a bare ``{"@id": ...}`` reference described elsewhere in the graph."""
    if set(obj) <= {"@id", "@type", "url"} and isinstance(obj.get("@id"), str):
        return index.get(obj["@id"], obj)
    return obj


def _index_objects(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    index: dict[str, dict[str, Any]] = {}
    for obj in objects:
        key = obj.get("@id")
        if isinstance(key, str) and not set(obj) <= {"@id", "@type", "url"}:
            index.setdefault(key, obj)
    return index


def json_ld_article_body(tree: Any) -> str | None:
    """The ``articleBody`` of the page's JSON-LD article, if it has one."""
    body = json_ld_article(tree).get("articleBody")
    if isinstance(body, list):
        body = "\n\n".join(part for part in body if isinstance(part, str))
    return body.strip() or None if isinstance(body, str) else None


def _load_json(text: str) -> Any:
    text = text.strip()
    text = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$", "", text).strip()
    text = re.sub(r"^<!--|-->$", "", text).strip().rstrip(";")
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        pass
    # Several objects in one script, or trailing junk after the first.
    decoder = json.JSONDecoder(strict=False)
    values = []
    position = 0
    try:
        while position < len(text):
            while position < len(text) and text[position] in " \t\r\n,;":
                position += 1
            if position >= len(text):
                break
            value, position = decoder.raw_decode(text, position)
            values.append(value)
    except (ValueError, RecursionError):
        pass
    return values or None


def _walk_json(data: Any, limit: int) -> Iterator[dict[str, Any]]:
    """All dicts inside ``data``, outermost first (iteratively, at most ``limit``)."""
    stack = [data]
    seen = 0
    while stack and seen < limit:
        item = stack.pop()
        if isinstance(item, dict):
            seen += 1
            yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, (dict, list))]))
        elif isinstance(item, list):
            stack.extend(reversed([v for v in item if isinstance(v, (dict, list))]))


def ld_types(obj: dict[str, Any]) -> set[str]:
    """The schema.org types of a JSON-LD object, without their namespace (``{"NewsArticle"}``)."""
    kinds = obj.get("@type")
    if isinstance(kinds, str):
        kinds = [kinds]
    if not isinstance(kinds, list):
        return set()
    return {re.split(r"[/#:]", kind)[-1] for kind in kinds if isinstance(kind, str)}


def _is_article(obj: dict[str, Any]) -> bool:
    return bool(ld_types(obj) & ARTICLE_TYPES)


def _ld_names(value: Any, index: dict[str, dict[str, Any]]) -> list[str]:
    """Names of a JSON-LD person/organisation value: a string, an object, a reference or a list."""
    names: list[str] = []
    stack = [value]
    while stack and len(names) < 50:
        item = stack.pop(0)
        if isinstance(item, str):
            if not _looks_like_url(item):
                names.append(item)
        elif isinstance(item, list):
            stack[0:0] = item
        elif isinstance(item, dict):
            item = _resolve(item, index)
            name = item.get("name")
            if isinstance(name, (str, list)):
                stack.insert(0, name)
            elif isinstance(item.get("givenName"), str):
                names.append(f"{item['givenName']} {item.get('familyName') or ''}".strip())
            else:
                slug = _AUTHOR_SLUG_RE.search(str(item.get("@id") or item.get("url") or ""))
                if slug:  # an unresolved reference to an author page: /author/jane-doe/
                    names.append(" ".join(word.capitalize() for word in slug.group(1).split("-")))
    return names


def _ld_text(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@value") or value.get("alternateName") or value.get("name") or value.get("@id")
    return value if isinstance(value, str) else None


# --- meta tags ----------------------------------------------------------------------


def _meta_values(root: Any) -> dict[str, list[str]]:
    """Contents of ``<meta>`` tags, by lowercased property/name/itemprop/http-equiv."""
    values: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attribute)
            if key:
                values.setdefault(key.strip().lower(), []).append(content.strip())
    return values


def _meta_list(meta: dict[str, list[str]], keys: Iterable[str]) -> list[str]:
    """The contents of the given meta keys, in the order of ``keys``."""
    found: list[str] = []
    for key in keys:
        found.extend(meta.get(key, ()))
    return found


def _plain(value: str) -> str:
    """A metadata string as plain text: entities decoded, stray tags removed, one line.

    JSON-LD values in particular often carry HTML (``&#8217;``, ``<em>``).
    """
    return normalize_inline(_TAG_RE.sub("", html.unescape(value)))


def _first(*groups: Iterable[Any]) -> str | None:
    """The first non-empty string of the groups, as plain one-line text."""
    for group in groups:
        for value in group:
            if isinstance(value, str):
                value = _plain(value)
                if value:
                    return value
    return None


def _element_text(element: Any) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext())


def document_root(tree: Any) -> Any:
    """The root element of a parsed page (a tree or an element), or None for no document."""
    if tree is None:
        return None
    if hasattr(tree, "getroot"):
        tree = tree.getroot()
    return tree if isinstance(getattr(tree, "tag", None), str) else None


# --- fields -------------------------------------------------------------------------


def _looks_like_url(value: str) -> bool:
    return bool(re.match(r"\s*(?:https?:)?//|\s*www\.", value, re.I))


def _absolute_url(value: Any, base: str | None = None) -> str | None:
    value = _ld_text(value)
    if not value:
        return None
    value = value.strip()
    if value.startswith("//"):
        value = "https:" + value
    if base and not re.match(r"https?://", value, re.I):
        value = urljoin(base, value)
    value = value.split("#", 1)[0]
    if re.match(r"https?://[^\s/]+\.[^\s/]+", value, re.I) and not re.search(r"\s", value):
        return value
    return None


def _first_url(root: Any, article: dict[str, Any], meta: dict[str, list[str]]) -> str | None:
    """The canonical URL: ``<link rel="canonical">`` (relative ones resolved against
    ``<base>`` or ``og:url``), else ``og:url``/``twitter:url``, else the JSON-LD article's."""
    base_element = root.find(".//base[@href]")
    base = _absolute_url(base_element.get("href")) if base_element is not None else None
    base = base or _absolute_url(_first([], _meta_list(meta, ("og:url",))))
    canonical = [link.get("href") for link in root.iter("link")
                 if "canonical" in (link.get("rel") or "").lower().split()]
    candidates: list[Any] = [(value, base) for value in canonical]
    candidates += [(value, None) for value in _meta_list(meta, ("og:url", "twitter:url"))]
    if article:
        candidates += [(article.get("url"), None), (article.get("mainEntityOfPage"), None)]
    for value, value_base in candidates:
        url = _absolute_url(value, value_base)
        if url:
            return url
    return None


def _first_date(root: Any, article: dict[str, Any], meta: dict[str, list[str]],
                url: str | None, locale: str | None = None) -> str | None:
    """The publication date: JSON-LD, meta tags, microdata, ``<time>`` elements, the URL
    (``/2024/03/05/``), dates shown in date-classed elements, and last the modification date.

    Dates keep the offset the page gives (the day is the publisher's); a time given in UTC
    yields to the same moment written with the publisher's own offset elsewhere on the page."""
    first: str | None = None
    looked = 0
    for value, published in _date_candidates(root, article, meta, url):
        value = _ld_text(value)
        parsed = header_date(value, locale) if value else None
        if not parsed:
            continue
        if first is None:
            if not _is_utc_time(parsed):
                return parsed
            first = parsed  # a UTC time: look for the publisher's own writing of it
            continue
        looked += 1
        if not published or looked > _MAX_LOCAL_LOOKUPS:
            break
        if _same_instant_local(first, parsed):
            return parsed
    return first


def _is_utc_time(value: str) -> bool:
    return value.endswith("+00:00") and "T" in value


def _same_instant_local(utc: str, other: str) -> bool:
    """Whether ``other`` is the moment ``utc`` written with the publisher's (non-UTC) offset."""
    if "T" not in other or other.endswith("+00:00") or len(other) < _LEN_WITH_OFFSET:
        return False
    try:
        first, second = datetime.fromisoformat(utc), datetime.fromisoformat(other)
    except ValueError:
        return False
    return second.tzinfo is not None and abs((first - second).total_seconds()) <= _SAME_INSTANT_SECONDS


def _date_candidates(root: Any, article: dict[str, Any], meta: dict[str, list[str]],
                     url: str | None) -> Iterator[Any]:
    """Date values, best evidence first, each with whether it is a publication date (not a
    modification date); lazily: the page is searched only as far as needed."""
    if article:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            yield article.get(key), True
    for value in _meta_list(meta, _PUBLISHED_KEYS):
        yield value, True
    for value in _microdata_dates(root):
        yield value, True
    marked, others = _time_elements(root)
    for value in marked + others[:1]:
        yield value, True
    # The time as the page writes it beside a UTC ``datetime`` ("July 1, 2025, 11:10 p.m. EDT").
    for value in _time_texts(root):
        yield value, True
    yield _url_date(url), True
    for value in _shown_dates(root):
        yield value, True
    if article:
        yield article.get("dateModified"), False
    for value in _meta_list(meta, _MODIFIED_KEYS):
        yield value, False


def _in_comment(element: Any) -> bool:
    """Whether ``element`` sits in a reader comment (whose dates are not the article's)."""
    return any("comment" in (parent.get("class") or "").lower() or "comment" in (parent.get("id") or "").lower()
               for parent in element.iterancestors())


def _url_date(url: str | None) -> str | None:
    """A date written in a URL's path: ``/2024/03/05/``, ``/2024-03-05-``, ``/20240305/``."""
    if not url:
        return None
    match = _URL_DATE_RE.search(urlsplit(url).path)
    if match is None:
        return None
    return f"{match['y']}-{match['m']}-{match['d']}"


def _shown_dates(root: Any) -> list[str]:
    """Short texts of elements whose class or id says they hold the date (first few)."""
    found: list[str] = []
    for element in root.iter(*_DATE_HOLDER_TAGS):
        names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if not _DATE_CLASS_RE.search(names) or "comment" in names:
            continue
        text = " ".join((_element_text(element) or "").split())
        if 6 <= len(text) <= _MAX_DATE_TEXT:
            found.append(text)
            if len(found) >= _MAX_SHOWN_DATES:
                break
    return found


def _microdata_dates(root: Any) -> list[str]:
    values = []
    for element in root.xpath('//*[@itemprop="datePublished" or @itemprop="dateCreated"]'):
        value = element.get("content") or element.get("datetime") or _element_text(element)
        if value:
            values.append(value)
    return values


def _time_elements(root: Any) -> tuple[list[str], list[str]]:
    """``datetime`` of ``<time>`` elements: those marked pubdate or inside ``<article>``, and
    the others."""
    marked, in_article, others = [], [], []
    for element in root.iter("time"):
        value = element.get("datetime")
        if not value or _in_comment(element):
            continue
        if element.get("pubdate") is not None or "published" in (element.get("class") or "").lower():
            marked.append(value)
        elif any(parent.tag in ("article", "main") for parent in element.iterancestors()):
            in_article.append(value)
        else:
            others.append(value)
    return marked + in_article, others


def _time_texts(root: Any) -> Iterator[str]:
    """The short texts of ``<time>`` elements that have a ``datetime`` (outside comments): the
    publisher's own writing of that moment, often in local time when the attribute is UTC."""
    for element in root.iter("time"):
        if not element.get("datetime") or _in_comment(element):
            continue
        text = " ".join((_element_text(element) or "").split())
        if 6 <= len(text) <= _MAX_DATE_TEXT:
            yield text


def _clean_author(value: str) -> str | None:
    """An author value as a name: "By" removed, roles, affiliations and credentials after a
    comma dropped ("Jill Disis, CNN Business" → "Jill Disis"), capitals tamed."""
    value = _plain(value)
    value = _BYLINE_PREFIX_RE.sub("", value).strip(" ,;|")
    if not value or len(value) > _MAX_AUTHOR_CHARS or _looks_like_url(value):
        return None
    if not re.search(r"[^\W\d_]", value):
        return None
    parts = [part.strip() for part in value.split(",")]
    kept = [parts[0]] + [part for part in parts[1:] if part and _looks_like_name(part)]
    value = ", ".join(kept)
    if value.isupper() and len(value) > _MAX_ACRONYM:
        value = value.title()
    return value


def _looks_like_name(value: str) -> bool:
    """Whether a comma-separated part of a byline is a person's name (not a role or an org)."""
    words = value.split()
    if not 2 <= len(words) <= 4:
        return False
    if any(word.casefold() in _ROLE_WORDS for word in words):
        return False
    if any(word.isupper() and 2 <= sum(char.isalpha() for char in word) <= _MAX_ACRONYM for word in words):
        return False  # an acronym: CNN, AP, MS, RD (an initial such as "J." is fine)
    return all(word[:1].isupper() for word in words if word.casefold() not in _NAME_PARTICLES)


def _byline_texts(root: Any) -> list[str]:
    """Short texts of the page's byline elements (classed byline/author, not comments)."""
    found: list[str] = []
    for element in root.iter(*_BYLINE_TAGS):
        names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if not _BYLINE_CLASS_RE.search(names) or "comment" in names:
            continue
        text = " ".join((_element_text(element) or "").split())
        if text and len(text) <= _MAX_BYLINE_TEXT:
            found.append(text)
            if len(found) >= _MAX_BYLINES:
                break
    return found


def _byline_name(text: str) -> str | None:
    """The name in a byline text ("By Jane Doe | Fox News" → "Jane Doe"), if it looks like one."""
    match = _BYLINE_PREFIX_RE.match(text)
    text = text[match.end():] if match else text
    text = _BYLINE_END_RE.split(text, maxsplit=1)[0].strip(" ,;|-–—")
    names = [part.strip() for part in re.split(r",|\band\b|&|\bund\b|\bet\b|\by\b", text) if part.strip()]
    if names and all(_looks_like_name(name) for name in names):
        return ", ".join(names)
    return None


def _authors(root: Any, article: dict[str, Any], meta: dict[str, list[str]],
             index: dict[str, dict[str, Any]]) -> str | None:
    """The author names, from the first source that has any: JSON-LD, meta tags, microdata,
    ``rel="author"`` links, byline elements. A source whose names appear in the page's visible
    byline wins over those before it (pages sometimes declare a stale or wrong author)."""
    groups: list[list[str]] = []
    if article:
        groups.append(_ld_names(article.get("author"), index)
                      or _ld_names(article.get("creator"), index))
    for key in _AUTHOR_KEYS:
        groups.append(meta.get(key, []))
    microdata = []
    for element in root.xpath('//*[@itemprop="author"]'):
        names = element.xpath('.//*[@itemprop="name"]')
        target = names[0] if names else element
        value = target.get("content") or _element_text(target)
        if value:
            microdata.append(value)
    groups.append(microdata)
    groups.append([_element_text(a) or "" for a in root.xpath('//a[@rel="author"]')])
    candidates = [names for names in map(_clean_names, groups) if names]
    if len({tuple(names) for names in candidates}) == 1:
        return ", ".join(candidates[0])
    bylines = _byline_texts(root)
    if not candidates:
        shown = _clean_names([name for name in map(_byline_name, bylines) if name])
        return ", ".join(shown) if shown else None
    shown_text = _fold(" ".join(bylines))
    for names in candidates:
        if shown_text and all(_fold(name) in shown_text for name in names):
            return ", ".join(names)
    return ", ".join(candidates[0])


def _clean_names(values: list[Any]) -> list[str]:
    """Cleaned author names, duplicates (ignoring case) dropped."""
    names: list[str] = []
    for value in values:
        cleaned = _clean_author(value) if isinstance(value, str) else None
        if cleaned and cleaned.casefold() not in {name.casefold() for name in names}:
            names.append(cleaned)
    return names


def _fold(value: str) -> str:
    return " ".join(re.findall(r"\w+", value.casefold()))


def _first_language(root: Any, article: dict[str, Any], meta: dict[str, list[str]]) -> str | None:
    candidates: list[Any] = []
    if article:
        candidates.append(_ld_text(article.get("inLanguage")))
    candidates += [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    candidates += _meta_list(meta, _LANGUAGE_KEYS)
    for value in candidates:
        language = primary_language(value)
        if language:
            return language
    return None


_BREAKING_TAGS = frozenset("br div p li".split())

# --- title and site name ------------------------------------------------------------


def _title(root: Any, article: dict[str, Any], meta: dict[str, list[str]], title_element: str,
           sites: list[str | None]) -> str | None:
    """The headline: the first declared title (JSON-LD, meta tags, ``<title>``) unless the
    page's ``<h1>`` (or, without one, ``<h2>``) repeats one of them or a part of one ("Opinion | Headline"), in which case
    that visible headline wins. An ``<h1>`` that is the site's name (``sites``) is no headline."""
    declared = [value for value in (
        [article.get("headline"), article.get("name")] if article else []
    ) + _meta_list(meta, _TITLE_KEYS) + [title_element] if isinstance(value, str) and value.strip()]
    site_keys = {_site_key(site) for site in sites if site}
    # A declared "title" that is only the site's name ("Home | Site" pages' og:title) is none.
    declared = [value for value in (_plain(value) for value in declared)
                if value and _site_key(value) not in site_keys]
    elements = list(root.iter("h1"))[:_MAX_H1] or list(root.iter("h2"))[:_MAX_H1]
    headings = [_plain(_heading_text(element)) for element in elements]
    for heading in headings:
        key = _site_key(heading)
        if len(key) < _MIN_HEADLINE_KEY or key in site_keys:
            continue
        for value in declared:
            if key == _site_key(value) or key in {_site_key(part) for part in _title_parts(value)}:
                return heading
    return _first(declared, headings)


def _heading_text(element: Any) -> str:
    """A heading's text, with a space where a ``<br>`` or a block inside it breaks the line."""
    pieces: list[str] = []
    for node in element.iter():
        if node is not element and isinstance(node.tag, str) and node.tag.lower() in _BREAKING_TAGS:
            pieces.append(" ")
        if isinstance(node.tag, str) and node.text:
            pieces.append(node.text)
        if node is not element and node.tail:
            pieces.append(node.tail)
    return "".join(pieces)


def _title_parts(title: str) -> list[str]:
    """The pieces of a title split at separators ("A | B - C" → A, B, C)."""
    parts = [title]
    for separator in _TITLE_SEPARATORS + _TIGHT_TITLE_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [part.strip() for part in parts if part.strip()]


def _site_name(article: dict[str, Any], meta: dict[str, list[str]], index: dict[str, dict[str, Any]],
               url: str | None, title_element: str) -> str | None:
    """The site's name: the first declared one (``og:site_name``, the JSON-LD publisher,
    ``application-name``...) that the host name or the ``<title>`` confirms, else a part of the
    ``<title>`` that the host confirms ("... - Reuters"), else the first declared one."""
    declared: list[str] = []
    for value in _meta_list(meta, ("og:site_name",)) + (
        _ld_names(article.get("publisher"), index) if article else []
    ) + _meta_list(meta, _SITE_KEYS[1:]):
        value = _plain(value) if isinstance(value, str) else ""
        if value and len(value) <= _MAX_SITE_CHARS and not _looks_like_url(value) and value not in declared:
            declared.append(value)
    host = (urlsplit(url).hostname or "") if url else ""
    title_parts = _title_parts(title_element)
    title_ends = {_site_key(part) for part in (title_parts[:1] + title_parts[-1:])} if len(title_parts) > 1 else set()
    for value in declared:
        for part in dict.fromkeys(_title_parts(value)[:1] + [value]):
            if _matches_host(part, host) or _site_key(part) in title_ends:
                return part
    if len(title_parts) > 1:
        for part in (title_parts[-1], title_parts[0]):
            if _matches_host(part, host):
                return part
    return declared[0] if declared else None


def _matches_host(name: str, host: str) -> bool:
    """Whether a site name fits a host name: "The New York Times" ~ nytimes.com, "WSJ" ~ wsj.com."""
    words = re.findall(r"\w+", name.casefold())
    if not words or not host:
        return False
    labels = [label for label in host.casefold().removeprefix("www.").split(".")[:-1]
              if label not in _GENERIC_LABELS]
    return any(_spells(label.replace("-", ""), tuple(words)) for label in labels)


@functools.lru_cache(maxsize=1024)
def _spells(label: str, words: tuple[str, ...]) -> bool:
    """Whether ``label`` is spelt by the words in order, each whole, by its initial, or
    skipped if it is an article ("the"): ``nytimes`` ← (the, new, york, times)."""
    if not label:
        return True
    if not words:
        return False
    word, rest = words[0], words[1:]
    if word in _SKIPPABLE_WORDS and _spells(label, rest):
        return True
    if label.startswith(word) and _spells(label[len(word):], rest):
        return True
    return label[0] == word[0] and _spells(label[1:], rest)


# --- title suffix ---------------------------------------------------------------------


def _site_key(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.casefold())


def _site_keys(sites: Iterable[str | None], url: str | None) -> set[str]:
    keys = set()
    for site in sites:
        if site:
            key = _site_key(site)
            if key:
                keys.add(key)
                keys.add(key.removeprefix("the"))
    host = urlsplit(url).hostname if url else None
    if host:
        host = host.removeprefix("www.")
        keys.add(_site_key(host))
        keys.update(_site_key(label) for label in host.split(".")[:-1] if label not in _GENERIC_LABELS)
    keys.discard("")
    return keys


def strip_site_suffix(title: str, sites: Iterable[str | None], url: str | None = None) -> str:
    """Remove a trailing (or leading) ``" | Site Name"`` part of ``title`` naming the site.

    The part is removed only when it matches one of ``sites`` (or the host of ``url``),
    ignoring case, spaces and punctuation, so a title that merely contains a separator is
    left alone.
    """
    keys = _site_keys(sites, url)
    if not keys or not title:
        return title
    for _ in range(2):
        stripped = title
        for separator in _TITLE_SEPARATORS:
            if separator not in title:
                continue
            head, tail = title.rsplit(separator, 1)
            if head.strip() and _site_key(tail) in keys:
                stripped = head.strip()
                break
            head, tail = title.split(separator, 1)
            if tail.strip() and _site_key(head) in keys:
                stripped = tail.strip()
                break
        if stripped == title:
            break
        title = stripped
    return title
