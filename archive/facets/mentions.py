"""Mention detection: find the capitalised name spans in article text.

Text is split into lines and tokens; a *span* is a maximal run of capitalised tokens, joined by
the particles names use ("Bank of England", "Nikolaus van der Pas", "Abdel Fattah al-Sisi").
Possessives are cut off ("Gantz's", "Biden’s") and end the span. Lines written mostly in capitals
(headlines, datelines) are marked, since capitalisation tells nothing there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

TOKEN_PATTERN = re.compile(
    r"(?:[^\W\d_]\.){2,}(?:[’']s\b)?"  # initialisms: U.S., U.N., U.S.’s
    r"|[^\W\d_a-z]\.(?=\s?[^\W\d_a-z])"  # an initial before a name: G. Thorpe
    r"|[^\W\d_][\w]*(?:[’'\-‐][\w]+)*(?:[’']s\b)?"  # words, with inner apostrophes and hyphens
    r"|\d[\d,.:/\-]*"  # numbers and dates
    r"|[^\w\s]",  # punctuation, one character at a time
)
NAME_PARTICLES = frozenset(
    {"of", "the", "de", "van", "der", "den", "von", "bin", "ibn", "al", "el", "la", "le", "du", "da",
     "di", "del", "della", "dos", "das", "do", "y", "for", "&", "zu", "ter", "abu", "bint"}
)
LEADING_PARTICLE = re.compile(r"^(?:al|el|ad|an|as|ash|at|az|bin|ibn|abu|van|von|de|da|di|du|le|la|d)[-‐’'][^\W\d_]", re.I)
COMPOUND_SUFFIX = re.compile(
    r"[-‐](?:based|born|led|listed|backed|owned|made|run|style|era|bound|linked|funded|registered|"
    r"headquartered|controlled|brokered|sponsored|occupied|held|allied|bred|raised|educated|trained)$"
)
SCORE = re.compile(r"^\d+(?:\.\d+)?$")
SENTENCE_END = frozenset(".!?:;\"“”‘’'()[]—–-•|")
ABBREVIATION_DOT = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Maj|Brig|Adm|Rev|St|Jr|Sr|Inc|Corp|Ltd|Co|No)$")


class Token(NamedTuple):
    """A token with its position in the text and the facts span detection needs."""

    text: str
    start: int
    end: int
    possessive: bool = False

    @property
    def capitalised(self) -> bool:
        """Starts with an upper-case letter, or is a name particle joined to one ("al-Sisi")."""
        text = self.text
        if text[0].isupper():
            return True
        head = text[:5]
        return ("-" in head or "'" in head or "’" in head or "‐" in head) and bool(LEADING_PARTICLE.match(text))

    @property
    def is_word(self) -> bool:
        """Made of letters (possibly with dots, apostrophes, hyphens), not a number or punctuation."""
        return self.text[0].isalpha()


class TokenRun:
    """What a run of tokens (``self.tokens``) says of itself: its words, text and offset."""

    tokens: tuple[Token, ...]

    @property
    def words(self) -> list[str]:
        """The tokens' texts."""
        return [token.text for token in self.tokens]

    @property
    def text(self) -> str:
        """The span as written (tokens joined by one space), possessive dropped."""
        return " ".join(self.words)

    @property
    def start(self) -> int:
        """Character offset of the span in the text."""
        return self.tokens[0].start


@dataclass(frozen=True)
class Span(TokenRun):
    """A run of name tokens in one line, as candidates for an entity."""

    tokens: tuple[Token, ...]
    sentence_start: bool
    headline: bool
    line: int
    next_word: str = ""
    table: bool = False
    previous_word: str = ""

    @property
    def before_number(self) -> bool:
        """Whether a number follows the span (a score or figure in a results table)."""
        return bool(SCORE.match(self.next_word))



def tokenize(line: str, offset: int = 0) -> list[Token]:
    """Split one line into tokens; possessive endings are removed and flagged."""
    tokens: list[Token] = []
    for match in TOKEN_PATTERN.finditer(line):
        text = match.group()
        suffix = COMPOUND_SUFFIX.search(text) if "-" in text or "‐" in text else None
        if suffix and suffix.start() > 0:  # "Hong Kong-based", "South African-born"
            start = match.start() + offset
            tokens.append(Token(text[: suffix.start()], start, start + suffix.start()))
            tokens.append(Token("-", start + suffix.start(), start + suffix.start() + 1))
            tokens.append(Token(text[suffix.start() + 1:], start + suffix.start() + 1, match.end() + offset))
            continue
        possessive = False
        if len(text) > 3 and text[-2] in "’'" and text[-1] in "sS":
            text, possessive = text[:-2], True
        if text == "." and tokens and tokens[-1].text[:1].isupper() and ABBREVIATION_DOT.match(tokens[-1].text) and tokens[-1].end == match.start() + offset:
            previous = tokens.pop()
            tokens.append(Token(previous.text + ".", previous.start, match.end() + offset))
            continue
        tokens.append(Token(text, match.start() + offset, match.end() + offset, possessive))
    return tokens


def is_headline(tokens: list[Token]) -> bool:
    """True for a line written mostly in capitals (a headline or dateline)."""
    words = [token.text for token in tokens if token.is_word and len(token.text) > 1]
    if len(words) < 2:
        return bool(words) and words[0].isupper() and len(words[0]) > 3
    upper = sum(1 for word in words if word.isupper())
    return upper / len(words) >= 0.6


def is_table_row(tokens: list[Token]) -> bool:
    """True for a line of names and figures with hardly any prose (results, standings)."""
    numbers = sum(1 for token in tokens if token.text[0].isdigit())
    words = [token.text for token in tokens if token.is_word]
    lower = sum(1 for word in words if word[0].islower())
    return numbers >= 1 and bool(words) and lower <= max(1, len(words) // 4)


def find_spans(text: str) -> Iterator[Span]:
    """Yield the capitalised spans of ``text``, line by line, in order."""
    offset = 0
    for number, line in enumerate(text.split("\n")):
        tokens = tokenize(line, offset)
        offset += len(line) + 1
        if tokens:
            table = is_table_row(tokens)
            yield from _line_spans(tokens, number, is_headline(tokens) and not table, table)


def _line_spans(tokens: list[Token], line: int, headline: bool, table: bool) -> Iterator[Span]:
    """Spans of one tokenised line."""
    index = 0
    count = len(tokens)
    while index < count:
        token = tokens[index]
        if not (token.is_word and (token.capitalised or headline)):
            index += 1
            continue
        sentence_start = index == 0 or tokens[index - 1].text in SENTENCE_END
        members = [token]
        end = index + 1
        while not members[-1].possessive and end < count:
            candidate = tokens[end]
            if candidate.is_word and (candidate.capitalised or headline) and candidate.text.lower() not in ("and", "or"):
                members.append(candidate)
                end += 1
                continue
            if candidate.text.lower() in NAME_PARTICLES and not candidate.text[0].isupper():
                following = end + 1
                while following < count and tokens[following].text.lower() in NAME_PARTICLES and following - end < 2:
                    following += 1
                if following < count and tokens[following].is_word and tokens[following].capitalised:
                    members.extend(tokens[end:following])
                    end = following
                    continue
            break
        next_word = tokens[end].text if end < count else ""
        previous_word = tokens[index - 1].text if index else ""
        yield Span(tuple(members), sentence_start, headline, line, next_word, table, previous_word)
        index = end
