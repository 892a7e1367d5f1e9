"""Turning raw bytes into text: charset detection, decoding and mojibake repair.

``decode_bytes`` decides on a character set in this order: a byte-order mark; a charset
declared inside the bytes (``<meta charset>``, ``<meta http-equiv="Content-Type">`` or an
XML declaration, looked for in the first 4 KB) or given by the caller; strict UTF-8; UTF-8
with a few stray bytes; a legacy charset detected by ``charset-normalizer`` (Shift-JIS,
GBK, Big5, EUC-KR, KOI8-R, Windows-1251...), kept for Latin-script guesses only when it reads
better than Windows-1252; Windows-1252 (bytes it leaves undefined are read as Latin-1). A
declaration that does not fit the bytes is not trusted. The decoded text is then checked for mojibake (UTF-8 that
was once decoded as Latin-1/Windows-1252, such as ``"Ã©"`` for ``"é"``), which is repaired
with ``ftfy``.
"""

from __future__ import annotations

import codecs
import functools
import re
from types import MappingProxyType
from typing import Mapping

__all__ = ["DecodeError", "decode_bytes", "repair_mojibake", "sniff_charset"]


class DecodeError(ValueError):
    """The bytes are not text in any character set (binary data)."""


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_SNIFF_BYTES = 4096
_BINARY_SAMPLE = 8192
# Control bytes that do not occur in text (tab, LF, FF, CR and ESC are allowed).
_CONTROL_BYTES = bytes([b for b in range(32) if b not in (9, 10, 12, 13, 27)]) + b"\x7f"
_MAX_CONTROL_RATIO = 0.05
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"%PDF-", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x7fELF", "ELF"),
)

_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)
_META_CHARSET_RE = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)

# Labels whose usual meaning on the web is a superset codec (as browsers do it).
_CODEC_ALIASES: Mapping[str, str] = MappingProxyType({
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "big5": "big5hkscs",
})
_SINGLE_BYTE_FALLBACK = "cp1252"
_DETECT_BYTES = 65536
_HIGH_BYTES = bytes(range(0x80, 0x100))
_MIN_DETECT_HIGH_BYTES = 10
_MAX_MIXED_SHARE = 0.2
_WORD_RE = re.compile(r"\w+")
_STRAY_BYTE_RE = re.compile("[\udc80-\udcff]")
# Single-byte charsets of Latin-script languages, which a detector confuses with each other.
_LATIN_CODECS = frozenset({
    "cp1250", "cp1252", "cp1254", "cp1257", "latin-1", "iso8859-2", "iso8859-3", "iso8859-4",
    "iso8859-9", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16",
    "mac-roman", "mac-latin2", "mac-iceland", "mac-turkish", "cp437", "cp850", "cp852", "cp858",
    "hp-roman8",
})


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data`` to text, guessing its character set, and repair mojibake.

    ``declared`` is a charset the caller knows of (an HTTP header, a source's metadata); a
    charset declared inside the bytes themselves is tried before it. A declaration that
    fails to decode the bytes strictly, or a legacy one given to bytes that are valid
    multi-byte UTF-8, is ignored. Raises :class:`DecodeError` if the bytes are binary
    (NUL bytes, a known binary file signature, or many control bytes).
    """
    if not data:
        return ""
    text = _decode_with_bom(data)
    if text is None:
        text = _decode_bomless_utf16(data, declared)
    if text is None:
        _reject_binary(data)
        text = _decode_by_declaration(data, declared)
    if text is None:
        text = _decode_fallback(data)
    return repair_mojibake(text)


def sniff_charset(data: bytes) -> str | None:
    """Return the charset label declared in the first 4 KB of ``data``, if any.

    Looks for an XML declaration's ``encoding`` and for ``<meta charset=...>`` or
    ``<meta http-equiv="Content-Type" content="...; charset=...">``.
    """
    head = data[:_SNIFF_BYTES]
    match = _XML_DECL_RE.match(head) or _META_CHARSET_RE.search(head)
    if match is None:
        return None
    return match.group(1).decode("ascii", "replace")


def _codec_name(label: str | None) -> str | None:
    """The Python codec for a charset label, mapped to the superset browsers use."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    return _CODEC_ALIASES.get(name, name)


def _decode_with_bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    return None


def _decode_bomless_utf16(data: bytes, declared: str | None) -> str | None:
    """UTF-16 without a BOM: declared by the caller, or ASCII text with every other byte NUL."""
    codec = _codec_name(declared)
    sample = data[:_BINARY_SAMPLE]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd):
        guess, text_bytes = "utf-16-le", even
    elif even.count(0) >= 0.9 * len(even):
        guess, text_bytes = "utf-16-be", odd
    else:
        return None
    # The other half must be ASCII text: printable characters, tabs and line breaks.
    non_text = len(text_bytes.translate(None, _PRINTABLE_ASCII))
    if non_text > 0.05 * len(text_bytes):
        return None
    if codec in ("utf-16", "utf-16-le", "utf-16-be"):
        guess = codec if codec != "utf-16" else guess
    try:
        return data.decode(guess)
    except UnicodeDecodeError:
        return None


def _reject_binary(data: bytes) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"binary data, not text (looks like {kind})")
    if b"\x00" in data:
        raise DecodeError("binary data, not text (contains NUL bytes)")
    sample = data[:_BINARY_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_RATIO * len(sample):
        raise DecodeError(
            f"binary data, not text ({controls} control bytes in the first {len(sample)})"
        )


def _decode_by_declaration(data: bytes, declared: str | None) -> str | None:
    candidates: list[str] = []
    for label in (sniff_charset(data), declared):
        codec = _codec_name(label)
        # UTF-16/32 cannot be declared in ASCII-compatible bytes (browsers read UTF-8).
        if codec and not codec.startswith(("utf-16", "utf-32")) and codec not in candidates:
            candidates.append(codec)
    if not candidates:
        return None
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and not utf8.isascii() and "utf-8" not in candidates:
        # Valid multi-byte UTF-8 is almost never an accident: the declaration is wrong.
        return utf8
    for codec in candidates:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _decode_fallback(data: bytes) -> str:
    """Bytes with no usable declaration: UTF-8, else a detected legacy charset, else cp1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    stray = len(_STRAY_BYTE_RE.findall(text))
    if sum(1 for char in text if char > "\x7f") - stray >= stray:
        # UTF-8 with a few stray bytes (a file edited with two editors): keep the UTF-8.
        return _STRAY_BYTE_RE.sub(lambda m: _single_byte(bytes([ord(m.group()) - 0xDC00])), text)
    western = _single_byte(data)
    if len(data) - len(data.translate(None, _HIGH_BYTES)) < _MIN_DETECT_HIGH_BYTES:
        return western  # too little evidence to tell charsets apart
    codec = _detect_charset(data)
    if codec is None or codec == _SINGLE_BYTE_FALLBACK or codec.startswith(("utf-16", "utf-32")):
        return western
    detected = data.decode(codec, errors="replace")
    if codec in _LATIN_CODECS:
        # Latin-script guesses are often wrong on short text: Windows-1252 unless it is worse.
        return detected if _misplaced_symbols(detected) < _misplaced_symbols(western) else western
    # A wrong non-Latin guess mixes scripts inside words ("cafщ").
    return western if _mixed_script_share(detected) > _MAX_MIXED_SHARE else detected


def _single_byte(data: bytes) -> str:
    """Windows-1252, with the bytes it leaves undefined (0x81, 0x8D, ...) read as Latin-1."""
    text = data.decode(_SINGLE_BYTE_FALLBACK, errors="surrogateescape")
    return _STRAY_BYTE_RE.sub(lambda m: chr(ord(m.group()) - 0xDC00), text)


def _detect_charset(data: bytes) -> str | None:
    """The legacy charset of undeclared, non-UTF-8 bytes (Shift-JIS, GBK, KOI8-R...), if found.

    Uses ``charset-normalizer`` (imported on first use) on the first bytes of the data.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_DETECT_BYTES]).best()
    return _codec_name(best.encoding) if best is not None else None


def _mixed_script_share(text: str) -> float:
    """The share of words with non-ASCII letters that mix ASCII letters with another script."""
    words = [word for word in _WORD_RE.findall(text) if not word.isascii()]
    if not words:
        return 0.0
    mixed = sum(
        1 for word in words
        if any("a" <= char.lower() <= "z" for char in word)
        and any(char >= "\u0370" and char.isalpha() for char in word)
    )
    return mixed / len(words)


def _misplaced_symbols(text: str) -> int:
    """Non-letters wedged between letters ("Rz¹d og³osi³"): the mark of a wrong Latin charset."""
    return sum(
        1 for before, char, after in zip(text, text[1:], text[2:])
        if char > "\x7f" and not char.isalpha() and char not in "’‘" and before.isalpha() and after.isalpha()
    )


# --- mojibake -----------------------------------------------------------------------

# Lead bytes of UTF-8 sequences whose mis-decoding is common in practice: Latin-1
# supplement and Latin Extended-A (C2-C5), Greek (CE-CF), Cyrillic (D0-D1), Arabic (D8-D9).
_TYPICAL_LEADS = frozenset((0xC2, 0xC3, 0xC4, 0xC5, 0xCE, 0xCF, 0xD0, 0xD1, 0xD8, 0xD9))
_MAX_REPAIR_PASSES = 3


@functools.lru_cache(maxsize=1)
def _byte_of_char() -> Mapping[str, int]:
    """Each character that Latin-1 or Windows-1252 decodes a byte 0x80-0xFF into, to that byte."""
    table: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        table[chr(byte)] = byte
        try:
            table[bytes([byte]).decode("cp1252")] = byte
        except UnicodeDecodeError:
            pass
    return MappingProxyType(table)


@functools.lru_cache(maxsize=1)
def _mojibake_re() -> re.Pattern[str]:
    """A UTF-8 byte sequence (lead + continuation bytes) seen through Latin-1/Windows-1252."""
    table = _byte_of_char()

    def char_class(low: int, high: int) -> str:
        chars = sorted(ch for ch, byte in table.items() if low <= byte <= high)
        return "[" + "".join(re.escape(ch) for ch in chars) + "]"

    cont = char_class(0x80, 0xBF)
    lead2, lead3, lead4 = char_class(0xC2, 0xDF), char_class(0xE0, 0xEF), char_class(0xF0, 0xF4)
    return re.compile(f"{lead2}{cont}|{lead3}{cont}{{2}}|{lead4}{cont}{{3}}")


def _typical_mojibake(text: str) -> list[tuple[re.Match[str], str]]:
    """Typical mojibake sequences in ``text``, each with its repair."""
    table = _byte_of_char()
    found = []
    for match in _mojibake_re().finditer(text):
        raw = bytes(table[ch] for ch in match.group())
        if len(raw) == 2 and raw[0] not in _TYPICAL_LEADS:
            continue
        try:
            repaired = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        # Round trip: the repair, seen through the same mis-decoding, gives back the input.
        if bytes(table[ch] for ch in match.group()) == repaired.encode("utf-8"):
            found.append((match, repaired))
    return found


def repair_mojibake(text: str) -> str:
    """Repair UTF-8 text that was wrongly decoded as Latin-1 or Windows-1252.

    Text is looked at for typical mojibake sequences (``"Ã©"``, ``"â€™"``, ``"Ð¿"``... whose
    bytes decode as strict UTF-8); text without any is returned unchanged at once, text with
    some is repaired by ``ftfy.fix_encoding``, which also undoes double encoding (measured
    against the hand-written repair in ``benchmarks/bench_libraries.py``).
    """
    if text.isascii() or not _typical_mojibake(text):
        return text
    import ftfy  # imported on first use: only text with mojibake needs it

    return ftfy.fix_encoding(text)


def _repair_by_hand(text: str) -> str:
    """The hand-written repair ``repair_mojibake`` used before ``ftfy`` (kept for the
    benchmark in ``benchmarks/bench_libraries.py``, which measures the two)."""
    if text.isascii():
        return text
    for _ in range(_MAX_REPAIR_PASSES):
        found = _typical_mojibake(text)
        if not found:
            break
        pieces: list[str] = []
        last = 0
        for match, repaired in found:
            pieces.append(text[last:match.start()])
            pieces.append(repaired)
            last = match.end()
        pieces.append(text[last:])
        candidate = "".join(pieces)
        if len(_typical_mojibake(candidate)) >= len(found):
            break
        text = candidate
    return text
