"""Snippets fold and stem each distinct word once per search: the tokens are exactly those of
:func:`archive.analysis.tokens` (Hypothesis over mixed scripts, numbers and punctuation)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.analysis import tokens
from archive.snippets import Snippets

ALPHABET = "abcxyzABCXYZéÉøØłŁıİßæÆçÇğĞ0123456789,.'’- \n東京都人口서울ñÑ"


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.text(alphabet=ALPHABET, max_size=80), min_size=1, max_size=4), language=st.sampled_from([None, "en", "de", "tr", "zh", "xx"]))
def test_snippet_tokens_equal_analysis_tokens(texts: list[str], language: str | None) -> None:
    snippets = Snippets.__new__(Snippets)
    snippets._stems = {}
    for text in texts:  # one Snippets object across several hits, as in a search
        assert list(snippets.tokens(text, language)) == list(tokens(text, language))
