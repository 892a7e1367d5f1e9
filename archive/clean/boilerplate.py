"""Telling page furniture from article text, one short line at a time.

Inside the container that holds an article there are still lines that are not part of it:
"Advertisement", "Read also: ...", "Share this article", "Foto: dpa", "Posted in News",
bylines ("By Jane Doe"), datelines that repeat the metadata. :func:`is_furniture` recognises
them from English patterns plus phrase lists for a dozen languages kept in
``data/boilerplate.json`` (loaded on first use).
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from .dates import parse_date

__all__ = ["is_furniture", "is_related_lead"]

_MAX_LINE = 120
_MAX_PREFIXED_LINE = 150
_MAX_DATE_LINE = 50

# English lines whose shape matters more than their exact words.
_FURNITURE_RE = re.compile(
    r"""^(?:
        advertisements?|adverts?|ad|ads|sponsored(?:\ content)?|promoted(?:\ content)?|
        (?:continue\ )?read(?:ing)?\ more\b.*|continue\ reading\b.*|read\ next\b.*|
        (?:also\ )?read\ also\b.*|see\ also\b.*|
        related(?:\ articles|\ stories|\ content|\ posts|\ news)?:?|
        recommended(?:\ for\ you)?|most\ (?:read|popular|viewed)|trending(?:\ now)?|
        sign\ (?:up|in)\b.*|log\ ?in\b.*|subscribe\b.*|newsletters?|
        share(?:\ this(?:\ article|\ story|\ page|\ post)?|\ on\ \w+|\ via\ \w+)?\W*|tweet|
        follow\ us\b.*|like\ us\ on\b.*|(?:like|enjoy(?:ed)?)\ this\ (?:story|article)\b.*|
        (?:leave|post|add|write)\ a\ (?:comment|reply)\b.*|comments?(?:\ \(\d+\))?|\d+\ comments?|
        click\ here\b.*|skip\ to\b.*|back\ to\ top|loading\W*|
        (?:image|photo|picture|video)(?:\ credit)?:.*|(?:photo|image)\ by\b.*|getty\ images|
        ©.*|\(c\)\ .*|copyright\b(?=.*(?:\d{4}|©)).*|.*\ball\ rights\ reserved\b.*|
        previous(?:\ article|\ post|\ story)?|next(?:\ article|\ post|\ story)?|
        print|email|e-mail|whatsapp|facebook|twitter|linkedin|pinterest|reddit|
        (?:published|updated|posted|last\ updated|last\ modified)\b(?=.*\d).{0,60}
    )$""",
    re.I | re.X,
)
# Media players' control labels and dialogs (video.js, JW Player, HTML5 players), which
# pages served without scripts show as text.
_PLAYER_RE = re.compile(
    r"""^(?:
        play(?:\ video)?|pause|replay|mute|unmute|fullscreen|non-fullscreen|exit\ fullscreen|
        (?:current\ time|duration(?:\ time)?|remaining\ time|elapsed|time)\ ?:?\ ?-?\d{1,2}:\d{2}(?::\d{2})?|
        -?\d{1,2}:\d{2}(?::\d{2})?(?:\ ?/\ ?-?\d{1,2}:\d{2}(?::\d{2})?)?|
        (?:loaded|progress|stream\ type|seek\ to\ live).{0,20}|live|playback\ rate|\d(?:\.\d+)?x|
        chapters|descriptions|subtitles(?:\ off)?|captions(?:\ off|\ settings)?|audio\ track|quality|auto|
        captions\ settings\ dialog|subtitles\ settings(?:\ dialog)?|
        (?:beginning|end)\ of\ dialog\ window\b.*|this\ is\ a\ modal\ window\b.*|close\ modal\ dialog|
        escape\ will\ cancel\ and\ close\ the\ window\.?|
        (?:text|background|window)\ (?:color|opacity)|transparency|opaque|semi-transparent|
        font\ (?:size|family)|text\ edge\ style|reset|done|
        (?:this\ )?video\ is\ (?:not\ available|unavailable)\b.*|
        your\ browser\ does\ not\ support\ (?:the\ )?(?:video|audio|html5)\b.*|
        no\ compatible\ source\ was\ found\ for\ this\ media\.?|
        image\ \d+\ of\ \d+|\d+\ (?:/|of)\ \d+
    )$""",
    re.I | re.X,
)
_NAME = r"[A-ZÀ-ÖØ-Þ][\w.'’\-]+"
_NAMES = rf"{_NAME}(?:\s+(?:{_NAME}|van|von|de|da|del|der|di|du|la|le)){{0,3}}"
_BYLINE_RE = re.compile(
    rf"^(?i:by|written by|words by|author:?)\s+{_NAMES}(?:\s*(?:,|and|&)\s*{_NAMES})*$"
)
# Other languages' "by" are ordinary words too ("von" = "from"): two capitalised names needed.
_FOREIGN_BYLINE_RE = re.compile(
    rf"^(?i:von|par|por|di|door|av|af|autor:?|auteur:?)\s+{_NAME}\s+{_NAME}"
    rf"(?:\s*(?:,|und|et|y|e|en|och|og|&)\s*{_NAMES})*$"
)
_WORDS_RE = re.compile(r"\w+")
_MORE_FROM_RE = re.compile(r"^(?:more\ (?:from|on|in)|other\ stories|more\ stories)\b.{0,50}$", re.I)
_DIGIT_RE = re.compile(r"\d")
_COUNT_RE = re.compile(r"^\d+\s+|\s*[(\[]\d+[)\]]|\s+\d+$")
_EDGE_CHARS = " \t:.!?…|-–—»«›‹>•·*/\\#()[]{}（）【】「」『』：。！？、,;+=~→▶►▸❯✓✔"


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    raw = resources.files(__package__).joinpath("data", "boilerplate.json").read_text("utf-8")
    return json.loads(raw)


@functools.lru_cache(maxsize=1)
def _share_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words of share-button rows, and the network names among them."""
    data = _data()
    return frozenset(data["share_words"]), frozenset(data["networks"])


@functools.lru_cache(maxsize=1)
def _phrases() -> tuple[frozenset[str], re.Pattern[str]]:
    """The whole furniture lines and a pattern of furniture prefixes, from the data file."""
    data = _data()
    lines = frozenset(
        _key(line) for phrases in data["lines"].values() for line in phrases if _key(line)
    )
    prefixes = sorted(
        {prefix.casefold() for phrases in data["prefixes"].values() for prefix in phrases},
        key=len, reverse=True,
    )
    # A prefix ending in a letter must end at a word boundary ("lies auch", not "lies auchter").
    alternatives = [re.escape(p) + (r"(?!\w)" if p[-1].isalnum() else "") for p in prefixes]
    return lines, re.compile("(?:" + "|".join(alternatives) + ")")


@functools.lru_cache(maxsize=1)
def _list_leads() -> frozenset[str]:
    """The headings that introduce a list of links to other stories, from the data file."""
    return frozenset(_key(line) for phrases in _data()["list_leads"].values() for line in phrases)


def is_related_lead(line: str) -> bool:
    """Whether a short heading introduces a list of links to other stories ("Related
    stories", "More from Science", "Lesen Sie auch", "関連記事"), in the languages of
    :func:`is_furniture`."""
    line = " ".join(line.split())
    if not line or len(line) > _MAX_LINE:
        return False
    key = _key(line)
    if key in _list_leads():
        return True
    return _MORE_FROM_RE.match(key) is not None


def _key(line: str) -> str:
    """A line folded for comparison: case, surrounding punctuation and counts removed."""
    key = _COUNT_RE.sub("", " ".join(line.casefold().split()))
    return _COUNT_RE.sub("", key.strip(_EDGE_CHARS)).strip(_EDGE_CHARS)


def is_furniture(line: str) -> bool:
    """Whether a short line of text is page furniture rather than article text.

    Recognises ads and sponsor labels, "read also"/"related" lead-ins, share and comment
    prompts, rows of share buttons, newsletter sign-ups, photo credits, post metadata ("Posted in ..."),
    media players' control labels ("Play", "Current Time 0:00", caption-settings menus), copyright
    lines, bylines and lone dates, in English, German, French, Spanish, Italian, Portuguese,
    Dutch, Polish, Swedish, Russian, Chinese, Japanese and Korean. Lines longer than 150
    characters are never furniture.
    """
    line = " ".join(line.split())
    if not line or len(line) > _MAX_PREFIXED_LINE:
        return False
    lines, prefixes = _phrases()
    head = line.casefold().lstrip(_EDGE_CHARS)
    if prefixes.match(head):
        return True
    if len(line) > _MAX_LINE:
        return False
    key = _key(line)
    if key in lines:
        return True
    words = set(_WORDS_RE.findall(key))
    share_words, networks = _share_words()
    if words and words <= share_words and words & networks:
        return True
    if _FURNITURE_RE.match(line) or _BYLINE_RE.match(line) or _FOREIGN_BYLINE_RE.match(line) \
            or _PLAYER_RE.match(line.strip(" .:")):
        return True
    return len(line) <= _MAX_DATE_LINE and _DIGIT_RE.search(line) is not None and (
        parse_date(line.strip(" |·•-")) is not None
    )
