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


def reference_fragments(snippets: Snippets, text: str, language: str | None) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """Whoosh's ``ContextFragmenter.fragment_tokens`` over the same tokens, one token at a
    time (the loop the snippets used before they skipped between passages)."""
    from collections import deque

    from archive.snippets import SNIPPET_CHARLIMIT, SNIPPET_CHARS, SNIPPET_SURROUND

    words = snippets.words
    fragments = []
    first = None
    firsts: deque[int] = deque()
    countdown = -1
    matches: list[tuple[str, int, int]] = []
    endchar = 0
    length = 0
    for found, startchar, endchar in snippets.tokens(text, language):
        if endchar > SNIPPET_CHARLIMIT:
            break
        matched = found in words
        size = endchar - startchar
        if countdown < 0 and not matched:
            firsts.append(startchar)
            while firsts and endchar - firsts[0] > SNIPPET_SURROUND:
                firsts.popleft()
        elif length + size > SNIPPET_CHARS:
            countdown = 0
        elif matched:
            countdown = SNIPPET_SURROUND
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = startchar
                    countdown += SNIPPET_SURROUND
            matches.append((found, startchar, endchar))
        if countdown >= 0:
            length += size
            countdown -= size
            if countdown <= 0:
                fragments.append((first, endchar, matches))
                matches, firsts, first, length = [], deque(), None, 0
    if matches:
        fragments.append((first, endchar, matches))
    return fragments


PROSE = ["the", "minister", "said", "talks", "border", "aid", "prime", "ministers", "x" * 250, "Gaza", "1,000", "東京都", "an", "of"]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(PROSE), min_size=0, max_size=400), gaps=st.sampled_from([" ", ", ", " \n", "  —  "]),
    wanted=st.sets(st.sampled_from(["minist", "said", "talk", "border", "prime", "x" * 250, "gaza", "1000", "东京"]), min_size=1, max_size=3),
    limit=st.sampled_from([None, 300, 20_000]), arrays=st.booleans(),
)
def test_passages_equal_the_token_by_token_fragmenter(words: list[str], gaps: str, wanted: set[str], limit: int | None, arrays: bool) -> None:
    """Jumping between matched words cuts the same passages as stepping through every token
    (long tokens, passages running into each other, the character limit), with the words cut
    by the pattern or by arrays (:func:`archive.snippets.word_spans`, a long-lived reader's)."""
    import archive.snippets as module

    text = gaps.join(words)
    snippets = Snippets.__new__(Snippets)
    snippets._stems = {}
    snippets.words = frozenset(wanted)
    snippets.arrays = arrays
    snippets._checked = {}
    saved = module.SNIPPET_CHARLIMIT
    try:
        if limit is not None:
            module.SNIPPET_CHARLIMIT = limit
        assert passages(snippets, text) == reference_passages(snippets, text)
    finally:
        module.SNIPPET_CHARLIMIT = saved


def passages(snippets: Snippets, text: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """The passages :meth:`Snippets._fragments` cuts: their spans and matched tokens."""
    return [(fragment.startchar, fragment.endchar, [(token.text, token.startchar, token.endchar) for token in fragment.matches]) for fragment in snippets._fragments(text, "en")]


def reference_passages(snippets: Snippets, text: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """The passages of :func:`reference_fragments`, made as the snippets make them."""
    from whoosh.highlight import mkfrag

    from archive.snippets import _Token

    expected = []
    for first, end, matches in reference_fragments(snippets, text, "en"):
        fragment = mkfrag(text, [_Token(*match, True) for match in matches], startchar=first, endchar=end)
        expected.append((fragment.startchar, fragment.endchar, [(token.text, token.startchar, token.endchar) for token in fragment.matches]))
    return expected


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.lists(st.sampled_from(PROSE[:8] + PROSE[9:11] + PROSE[12:]), max_size=120).map(" ".join), min_size=2, max_size=5),
    wanted=st.sets(st.sampled_from(["minist", "said", "talk", "border", "prime", "gaza", "1000"]), min_size=1, max_size=3),
    arrays=st.booleans(),
)
def test_the_hits_of_one_search_share_what_is_known_of_their_words(texts: list[str], wanted: set[str], arrays: bool) -> None:
    """One search's snippets remember which words match across its hits: each hit's passages
    are still those of the token-by-token fragmenter, whatever the hits before it held."""
    snippets = Snippets.__new__(Snippets)
    snippets._stems = {}
    snippets.words = frozenset(wanted)
    snippets.arrays = arrays
    snippets._checked = {}
    for text in texts:
        assert passages(snippets, text) == reference_passages(snippets, text)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet="abcXYZéßıİøŁ0123456789٣½²,.'’- _\n", max_size=120))
def test_word_spans_equal_the_pattern(text: str) -> None:
    """The array cut of a text's words (the resident reader's snippets) gives exactly the
    pattern's matches: runs of letters and digits, numbers with thousands separators joined
    ("3,000", "1,000abc" as a number and a word, "1,0001" as two words)."""
    from archive.analysis import FLAT_WORDS
    from archive.snippets import word_spans

    found = list(FLAT_WORDS.finditer(text))
    assert word_spans(text) == ([match.start() for match in found], [match.end() for match in found])


def test_word_spans_leave_texts_beyond_the_basic_plane_to_the_pattern() -> None:
    from archive.snippets import word_spans

    text = "3,000,000 voters, 1,000abc and 1,0001"
    starts, ends = word_spans(text)  # type: ignore[misc]
    assert [text[start:end] for start, end in zip(starts, ends)] == ["3,000,000", "voters", "1,000", "abc", "and", "1", "0001"]
    assert word_spans("fans \U0001F600 cheered") is None
    assert word_spans("broken \udc80 text") is None


def fresh_snippets(wanted: set[str]) -> Snippets:
    """A search's snippets state for the words ``wanted``, cutting words with arrays."""
    snippets = Snippets.__new__(Snippets)
    snippets._stems = {}
    snippets.words = frozenset(wanted)
    snippets.arrays = True
    snippets._checked = {}
    snippets._patterns = {}
    return snippets


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.lists(st.sampled_from(PROSE + ["Minister", "talk", "Talks", "said,", "(aid)", "aid_x", "5g", "3,000"]), max_size=120).map(" ".join), min_size=2, max_size=6),
    wanted=st.sets(st.sampled_from(["minist", "said", "talk", "border", "prime", "gaza", "1000", "aid", "3000"]), min_size=1, max_size=3),
    miscount=st.sampled_from([0, 0, 1]),  # (the index's count is the true one; more: a word the hits had not spelled so)
)
def test_hits_holding_only_known_spellings_cut_the_same_passages(texts: list[str], wanted: set[str], miscount: int) -> None:
    """A hit whose matched words are all spelled as earlier hits' are (their number checked
    against the index's count of matched words) gets the passages of the token-by-token
    fragmenter; a count above what the pattern finds falls back to looking at every word."""
    snippets = fresh_snippets(wanted)
    for text in texts:
        occurrences = sum(1 for term, _, _ in tokens(text, "en") if term in wanted) + miscount
        found = [(fragment.startchar, fragment.endchar, [(token.text, token.startchar, token.endchar) for token in fragment.matches]) for fragment in snippets._fragments(text, "en", occurrences)]
        assert found == reference_passages(snippets, text)


def test_known_spellings_spare_looking_at_the_other_words() -> None:
    """After a first hit, a hit whose matched words are all spelled as before is cut by the
    pattern of those spellings, its other words not looked up; a count the pattern does not
    reach, or a matched spelling with a digit, leaves it to the word-by-word cut."""
    snippets = fresh_snippets({"minist", "talk", "3000"})
    snippets._fragments("The minister said talks on the border went on. Ministers met.", "en", 3)
    second = "While the minister waited, Ministers said the talks would go on; talks ended."
    by_forms = snippets._token_lists_by_forms(second, "en", 20_000, 4, snippets._stems["en"])
    assert by_forms is not None
    founds, starts, ends, _, matched_at = by_forms
    assert [second[starts[at] : ends[at]] for at in matched_at] == ["minister", "Ministers", "talks", "talks"]
    assert [founds[at] for at in matched_at] == ["minist", "minist", "talk", "talk"]
    assert snippets._token_lists_by_forms(second, "en", 20_000, 5, snippets._stems["en"]) is None  # a spelling not seen yet
    snippets._fragments("Some 3,000 ministers", "en", 2)
    assert snippets._token_lists_by_forms(second, "en", 20_000, 4, snippets._stems["en"]) is None  # "3,000" is a matched spelling now
