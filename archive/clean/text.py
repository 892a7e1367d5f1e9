"""Whitespace and Unicode normalisation of extracted text.

``normalize_text`` is for article bodies (paragraphs separated by one blank line),
``normalize_inline`` for single-line values such as titles and author names.
"""

from __future__ import annotations

import re
import unicodedata

# Line separators that are not "\n": CR, vertical tab, form feed, NEL, LS, PS.
_LINE_BREAKS_RE = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# C0/C1 control characters other than "\n" (tab is turned into a space first),
# invisible format characters that only get in the way of search (zero-width space,
# word joiner, BOM, soft hyphen, Mongolian vowel separator), lone surrogates, non-characters.
_JUNK_RE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u180e\u200b\u2060\ufeff\ufffe\uffff\ud800-\udfff]"
)
# Every Unicode space separator (category Zs) other than the ASCII space.
_SPACES_RE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUN_RE = re.compile(" {2,}")
_LINE_EDGE_RE = re.compile(" *\n *")
_BLANK_LINES_RE = re.compile("\n{3,}")
_ANY_WHITESPACE_RE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Normalise ``text`` for storage and search.

    Applies Unicode NFC, turns every kind of line break into ``"\\n"``, tabs and odd spaces
    (no-break, thin, ideographic...) into plain spaces, removes control and invisible format
    characters, collapses runs of spaces, strips each line, and collapses any run of blank
    lines into exactly one, so paragraphs end up separated by a single blank line. The
    result has no leading or trailing whitespace.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS_RE.sub("\n", text)
    text = _SPACES_RE.sub(" ", text)
    text = _JUNK_RE.sub("", text)
    text = _SPACE_RUN_RE.sub(" ", text)
    text = _LINE_EDGE_RE.sub("\n", text)
    text = _BLANK_LINES_RE.sub("\n\n", text)
    return text.strip()


def normalize_inline(text: str) -> str:
    """Normalise ``text`` like :func:`normalize_text`, then put it on a single line.

    Meant for titles, author names and other one-line values: every run of whitespace,
    line breaks included, becomes one space.
    """
    return _ANY_WHITESPACE_RE.sub(" ", normalize_text(text)).strip()
