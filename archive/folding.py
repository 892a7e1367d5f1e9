"""Folding names and words to keys that ignore case, accents and look-alike letters.

One function serves facet filters, curation rules, completion and suggestions, so ``müller``,
``Muller`` and ``MÜLLER`` are the same key everywhere.
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter and a combining mark.
_LETTERS = str.maketrans({
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "ħ": "h", "Ħ": "H", "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe",
    "ß": "ss", "ẞ": "SS", "’": "'", "‘": "'", "ʼ": "'",
})


def strip_accents(text: str) -> str:
    """``text`` without accents and with letters such as ø, ł, ı, ß, æ written in plain Latin
    (NFKD, combining marks removed); case is kept."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(_LETTERS)


def fold_key(text: str) -> str:
    """A case- and accent-insensitive key: accents stripped, casefolded, spaces collapsed."""
    if text.isascii():
        return " ".join(text.lower().split())
    return " ".join(strip_accents(text).casefold().split())
