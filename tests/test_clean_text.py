"""Tests for archive.clean.text: body and inline normalisation."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from archive.clean import normalize_text
from archive.clean.text import normalize_inline


def test_paragraphs_separated_by_one_blank_line() -> None:
    text = "  First   paragraph.  \n\n\n\n  Second\tparagraph. \r\n\r\nThird.\n"
    assert normalize_text(text) == "First paragraph.\n\nSecond paragraph.\n\nThird."


def test_single_line_breaks_are_kept() -> None:
    assert normalize_text("line one\nline two") == "line one\nline two"


def test_odd_spaces_and_controls() -> None:
    text = "a\u00a0b\u2009c\u3000d\u200be\u00adf\x07g\ufeffh\x0cnext"
    assert normalize_text(text) == "a b c defgh\nnext"


def test_nfc() -> None:
    assert normalize_text("cafe\u0301") == "caf\u00e9"


def test_whitespace_only_lines_count_as_blank() -> None:
    assert normalize_text("one\n \t \n\u00a0\n two") == "one\n\ntwo"


def test_normalize_inline() -> None:
    assert normalize_inline("  A  title\nover\n\n two lines ") == "A title over two lines"
    assert normalize_inline("") == ""


@given(st.text(max_size=300))
def test_normal_form_properties(text: str) -> None:
    result = normalize_text(text)
    assert result == result.strip()
    assert "\n\n\n" not in result and "  " not in result and "\t" not in result
    assert unicodedata.is_normalized("NFC", result)
    assert normalize_text(result) == result
