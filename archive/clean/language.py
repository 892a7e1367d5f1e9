"""Language of an article: normalising declared language tags and detecting it from text.

Detection looks at the writing system first (Chinese, Japanese, Korean, Arabic, Hebrew,
Cyrillic, Greek, Thai, Devanagari are told apart by Unicode script) and, for Latin-script
text, scores the words against small profiles of frequent function words for twelve
languages, kept in ``data/stopwords.json`` and loaded on first use. Text the profiles cannot
decide (a title, a short note: too few function words) goes to ``py3langid``, restricted to
the same twelve languages so the codes stay the ones other layers know.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from types import MappingProxyType
from typing import Mapping

__all__ = ["detect_language", "primary_language", "stopword_profiles"]

_SAMPLE_CHARS = 20000
_MIN_WORDS = 12  # fewer words give no language: a short English line ("Netanyahu met envoys in
# Jerusalem") looks Dutch to function-word profiles, and a wrong language stems its words and
# gates its entities in that language; unknown is read as English, the archive's default
_MIN_HITS = 2
_MIN_SCORE_RATIO = 0.05
_SCRIPT_SHARE = 0.3
_IDENTIFIER_CHARS = 2000
_MIN_IDENTIFIER_PROBABILITY = 0.5

_WORD_RE = re.compile(r"[^\W\d_]+")

# (language, first code point, last code point) of scripts that identify a language.
_SCRIPT_RANGES: tuple[tuple[str, int, int], ...] = (
    ("han", 0x4E00, 0x9FFF), ("han", 0x3400, 0x4DBF), ("han", 0xF900, 0xFAFF),
    ("kana", 0x3040, 0x30FF), ("kana", 0x31F0, 0x31FF), ("kana", 0xFF66, 0xFF9F),
    ("ko", 0xAC00, 0xD7AF), ("ko", 0x1100, 0x11FF), ("ko", 0x3130, 0x318F),
    ("ar", 0x0600, 0x06FF), ("ar", 0x0750, 0x077F), ("ar", 0xFB50, 0xFDFF), ("ar", 0xFE70, 0xFEFC),
    ("he", 0x0590, 0x05FF),
    ("cyrillic", 0x0400, 0x04FF),
    ("el", 0x0370, 0x03FF), ("el", 0x1F00, 0x1FFF),
    ("th", 0x0E00, 0x0E7F),
    ("hi", 0x0900, 0x097F),
)
_UKRAINIAN_LETTERS = frozenset("іїєґ")
_PERSIAN_LETTERS = frozenset("پچژگ")

_THREE_LETTER: Mapping[str, str] = MappingProxyType({
    "eng": "en", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr", "spa": "es", "ita": "it",
    "por": "pt", "dut": "nl", "nld": "nl", "swe": "sv", "pol": "pl", "rus": "ru", "tur": "tr",
    "ind": "id", "chi": "zh", "zho": "zh", "jpn": "ja", "kor": "ko", "ara": "ar", "heb": "he",
    "gre": "el", "ell": "el", "ukr": "uk",
})
_LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType({
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "français": "fr",
    "francais": "fr", "spanish": "es", "español": "es", "espanol": "es", "italian": "it",
    "italiano": "it", "portuguese": "pt", "português": "pt", "dutch": "nl", "nederlands": "nl",
    "swedish": "sv", "svenska": "sv", "polish": "pl", "polski": "pl", "russian": "ru",
    "turkish": "tr", "türkçe": "tr", "indonesian": "id", "chinese": "zh", "japanese": "ja",
    "korean": "ko", "arabic": "ar", "hebrew": "he", "greek": "el", "ukrainian": "uk",
})
_NOT_LANGUAGES = frozenset({"und", "mul", "zxx", "mis", "xx", "x"})


def primary_language(tag: str | None) -> str | None:
    """The lowercase primary subtag of a language tag: ``"en-US"`` → ``"en"``.

    Also accepts ``"en_US"``, lists such as ``"en, fr"`` (first wins), common ISO 639-2
    codes (``"eng"``) and English or native language names (``"English"``). Returns
    ``None`` for empty, undetermined (``"und"``) or unrecognisable values.
    """
    if not tag or not isinstance(tag, str):
        return None
    value = tag.strip().lower().replace("_", "-")
    value = re.split(r"[,;]", value, maxsplit=1)[0].strip()
    if value in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[value]
    primary = value.split("-", 1)[0]
    if primary in _THREE_LETTER:
        return _THREE_LETTER[primary]
    if re.fullmatch(r"[a-z]{2,3}", primary) and primary not in _NOT_LANGUAGES:
        return primary
    return None


@functools.lru_cache(maxsize=1)
def stopword_profiles() -> Mapping[str, frozenset[str]]:
    """The function-word profile of each Latin-script language (plus Russian), by code.

    Read from ``data/stopwords.json`` on first use and cached (read-only).
    """
    raw = resources.files(__package__).joinpath("data", "stopwords.json").read_text("utf-8")
    return MappingProxyType({code: frozenset(words) for code, words in json.loads(raw).items()})


@functools.lru_cache(maxsize=1)
def _word_weights() -> Mapping[str, Mapping[str, float]]:
    """For each stopword, the languages it belongs to, weighted 1 / (number of them)."""
    owners: dict[str, list[str]] = {}
    for code, words in stopword_profiles().items():
        for word in words:
            owners.setdefault(word, []).append(code)
    return MappingProxyType({
        word: MappingProxyType({code: 1.0 / len(codes) for code in codes})
        for word, codes in owners.items()
    })


def detect_language(text: str) -> str | None:
    """Guess the language of ``text`` as an ISO 639-1 code, or ``None`` if unsure.

    Non-Latin scripts decide directly (``zh``, ``ja``, ``ko``, ``ar``, ``he``, ``ru``/``uk``,
    ``el``, ``th``, ``hi``); Latin-script text is scored against the stopword profiles of
    en, de, fr, es, it, pt, nl, sv, pl, ru, tr and id; when they are unsure, py3langid
    chooses among those twelve if it is at least 50% sure. Latin-script texts of fewer than
    twelve words give ``None``: too little evidence for a guess other layers would trust.
    """
    if not text:
        return None
    sample = text[:_SAMPLE_CHARS]
    by_script = _script_language(sample)
    if by_script:
        return by_script
    words = _WORD_RE.findall(sample.lower())
    if len(words) < _MIN_WORDS:
        return None
    return _profile_language(words) or _identifier_language(sample)


def _profile_language(words: list[str]) -> str | None:
    """The stop-word profile the words match best, ``None`` without enough evidence."""
    weights = _word_weights()
    scores: dict[str, float] = {}
    hits: dict[str, int] = {}
    for word in words:
        for code, weight in weights.get(word, {}).items():
            scores[code] = scores.get(code, 0.0) + weight
            hits[code] = hits.get(code, 0) + 1
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    best, best_score = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == best_score:
        return None
    if hits[best] < min(_MIN_HITS, len(words)) or best_score < _MIN_SCORE_RATIO * len(words):
        return None
    return best


@functools.lru_cache(maxsize=1)
def _identifier() -> object:
    """py3langid's classifier restricted to the profiles' languages (loaded on first use)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(sorted(stopword_profiles()))
    return identifier


def _identifier_language(sample: str) -> str | None:
    """py3langid's guess among the profiles' languages for text the profiles cannot decide
    (short text with few function words), if it is confident enough."""
    code, probability = _identifier().classify(sample[:_IDENTIFIER_CHARS])  # type: ignore[attr-defined]
    return str(code) if probability >= _MIN_IDENTIFIER_PROBABILITY else None


def _script_language(sample: str) -> str | None:
    counts: dict[str, int] = {}
    letters = 0
    for char in sample:
        if not char.isalpha():
            continue
        letters += 1
        point = ord(char)
        if point < 0x0370:
            continue
        for name, low, high in _SCRIPT_RANGES:
            if low <= point <= high:
                counts[name] = counts.get(name, 0) + 1
                break
    if not letters or not counts:
        return None
    cjk = counts.get("han", 0) + counts.get("kana", 0)
    if cjk >= _SCRIPT_SHARE * letters:
        return "ja" if counts.get("kana", 0) >= 0.05 * cjk else "zh"
    script, count = max(counts.items(), key=lambda item: item[1])
    if count < _SCRIPT_SHARE * letters or script in ("han", "kana"):
        return None
    if script == "cyrillic":
        ukrainian = sum(1 for char in sample.lower() if char in _UKRAINIAN_LETTERS)
        return "uk" if ukrainian >= 0.01 * count else "ru"
    if script == "ar":
        persian = sum(1 for char in sample if char in _PERSIAN_LETTERS)
        return "fa" if persian >= 0.005 * count else "ar"
    return script
