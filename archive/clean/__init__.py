"""The cleaning stage: from a raw source record to a clean :class:`~archive.models.Article`.

``clean_record`` parses HTML records (metadata and main text) or takes plain-text records
as they are, normalises title, body and author, parses the date into ISO 8601 and settles
the language (declared, else detected from the text). Metadata carried by the source
record itself takes precedence over what the page says.

The submodules each handle one concern: :mod:`.encoding` (bytes to text), :mod:`.text`
(normalisation), :mod:`.dates`, :mod:`.language`, :mod:`.metadata` and :mod:`.html`
(parsing and main-text extraction).
"""

from __future__ import annotations

from typing import Any

from ..models import Article, RawRecord, article_id
from .dates import parse_date
from .encoding import DecodeError, decode_bytes
from .fallback_dates import header_date, month_first, undeclared_date
from .html import extract_main_text, parse_html
from .language import detect_language, primary_language
from .metadata import PageMetadata, extract_metadata
from .text import normalize_inline, normalize_text

__all__ = [
    "DecodeError",
    "clean_record",
    "decode_bytes",
    "detect_language",
    "extract_main_text",
    "extract_metadata",
    "normalize_inline",
    "normalize_text",
    "parse_date",
    "parse_html",
]

_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 30


def clean_record(record: RawRecord) -> Article:
    """Clean one raw record into an :class:`~archive.models.Article`.

    ``record.kind`` is ``"html"`` (the page is parsed, its metadata and main text extracted)
    or ``"text"`` (the content is the article text). Values in ``record.meta`` (``title``,
    ``date``, ``author``, ``source``, ``url``, ``language``) win over those found in the
    page. Without a title, the first line of the body is used if it is short. The language
    is the declared one reduced to its primary subtag, else detected from the text.
    Raises ``ValueError`` for an unknown ``kind``.
    """
    meta = {str(key).lower(): _meta_string(value) for key, value in (record.meta or {}).items()}
    if record.kind == "html":
        tree = parse_html(record.content)
        page = extract_metadata(tree, locale=meta.get("language"))
        body = extract_main_text(tree, fallback_body=page.body or "", title=page.title or "")
    elif record.kind == "text":
        page = PageMetadata()
        body = normalize_text(record.content or "")
    else:
        raise ValueError(f"unknown record kind {record.kind!r} (expected 'html' or 'text')")

    title = normalize_inline(meta.get("title") or "") or normalize_inline(page.title or "")
    if not title:
        title = _title_from_body(body)
    author = normalize_inline(meta.get("author") or "") or normalize_inline(page.author or "")
    source = normalize_inline(meta.get("source") or "") or normalize_inline(page.source or "")
    url = (meta.get("url") or "").strip() or page.url
    language = (
        primary_language(meta.get("language"))
        or page.language
        or detect_language(body or title)
    )
    # numeric header dates read in the article's locale; a dateline or the file name when none is declared
    locale = meta.get("language") or page.language or language
    if record.kind == "html" and page.date and not (meta.get("language") or page.language) and not month_first(locale):
        # a page that declares no language: its own numeric date read in the detected one's order
        page = extract_metadata(tree, locale=locale)
    date = header_date(meta.get("date"), locale) or page.date or undeclared_date(body, record.path)
    return Article(
        id=article_id(record.path, record.key),
        path=record.path,
        title=title,
        body=body,
        date=date,
        author=author or None,
        source=source or None,
        url=url or None,
        language=language,
    )


def _meta_string(value: Any) -> str:
    """A metadata value as a string: lists are joined, other scalars formatted."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(_meta_string(item) for item in value if _meta_string(item))
    if isinstance(value, dict):
        return _meta_string(value.get("name") or value.get("@value") or "")
    return str(value)


def _title_from_body(body: str) -> str:
    """The first line of ``body`` if it is short enough to be a title, else ``""``."""
    first = body.split("\n", 1)[0].strip() if body else ""
    if first and len(first) <= _MAX_TITLE_CHARS and len(first.split()) <= _MAX_TITLE_WORDS:
        return first
    return ""
