"""Measure the field's libraries against archive's hand-written cleaning code (issue 18).

Four concerns, each library against the code it could replace, on the shared extraction
benchmark (``<workspace>/shared/data/article-extraction-benchmark``, see its README):

- **charset sniffing and decoding**: Beautiful Soup's ``EncodingDetector`` (declared charset,
  BOM) and ``UnicodeDammit`` (whole decoding) against ``clean.encoding``. The pages are
  re-encoded into a legacy charset that holds their text (Windows-1252, -1250, -1251,
  Shift-JIS, GB18030, EUC-KR...), once with a ``<meta charset>`` naming it and once without
  any declaration, plus UTF-8 and UTF-16 with a byte-order mark; a decoding is right when it
  gives back the page's text exactly.
- **mojibake repair**: ``ftfy.fix_encoding`` (and ``ftfy.fix_text`` with its defaults)
  against the hand-written repair (``encoding._repair_by_hand``) and what archive now does
  (``repair_mojibake``: the hand-written detector, then ``ftfy.fix_encoding``), on the human-marked article bodies: clean (must stay
  unchanged), UTF-8 read once or twice as Windows-1252, and half the paragraphs mangled.
- **language detection**: ``py3langid`` against the stop-word profiles alone and against
  what archive now does (``detect_language``: scripts, profiles, then py3langid restricted to
  the profiles' languages for text the profiles cannot decide), on the
  article bodies of pages that declare ``<html lang>`` (the label), whole and cut to their
  first 80 characters (as short as a title).
- **publication dates**: ``htmldate.find_date`` against ``metadata.extract_metadata`` on the
  hand-checked sample ``benchmarks/extraction_metadata_sample.json`` (37 pages), by day.

Usage::

    .venv/bin/pip install -e '.[bench]'
    flock /tmp/archive-bench.lock .venv/bin/python benchmarks/bench_libraries.py [--data DIR]

Exit status 2 when the data is missing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_extraction  # noqa: E402  (the shared loader and data location)

_LEGACY_CODECS = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "shift_jis",
                  "gb18030", "euc_kr", "big5")
_META_CHARSET_RE = re.compile(
    r"<meta\b[^>]*\bcharset\s*=[^>]*>|<\?xml[^>]*\?>", re.I
)
_LANG_RE = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)
_SHORT_CHARS = 80


def _timed(function: Callable[[Any], Any], items: list[Any]) -> tuple[list[Any], float]:
    start = time.perf_counter()
    results = [function(item) for item in items]
    return results, time.perf_counter() - start


def _legacy_codec(text: str) -> str | None:
    for codec in _LEGACY_CODECS:
        try:
            text.encode(codec)
        except UnicodeEncodeError:
            continue
        return codec
    return None


def _undeclared(html: str) -> str:
    return _META_CHARSET_RE.sub("", html)


def _declared(html: str, codec: str) -> str:
    html = _undeclared(html)
    match = re.search(r"<head\b[^>]*>", html, re.I)
    tag = f'<meta charset="{codec}">'
    return html[:match.end()] + tag + html[match.end():] if match else tag + html


def encoding_cases(pages: dict[str, str]) -> list[tuple[str, bytes, str]]:
    """(kind, bytes, expected text) for every page in each variant."""
    cases = []
    for html in pages.values():
        body = _undeclared(html)
        codec = _legacy_codec(body)
        if codec and not body.isascii():
            declared = _declared(html, codec)
            cases.append((f"legacy declared", declared.encode(codec), declared))
            cases.append((f"legacy undeclared", body.encode(codec), body))
        cases.append(("utf-8 undeclared", body.encode("utf-8"), body))
        cases.append(("utf-8 BOM", b"\xef\xbb\xbf" + html.encode("utf-8"), html))
        cases.append(("utf-16 BOM", html.encode("utf-16"), html))
    return cases


def bench_encoding(pages: dict[str, str]) -> None:
    """Whole decoding (decode_bytes vs UnicodeDammit) and declared-charset sniffing."""
    import logging

    from bs4.dammit import EncodingDetector, UnicodeDammit

    logging.getLogger("bs4.dammit").setLevel(logging.ERROR)  # "Some characters could not be decoded"

    from archive.clean.encoding import _codec_name, decode_bytes, sniff_charset

    cases = encoding_cases(pages)
    kinds = sorted({kind for kind, _, _ in cases})
    print(f"\n== decoding: {len(cases)} byte strings from {len(pages)} pages")
    candidates = {
        "archive decode_bytes": lambda data: decode_bytes(data),
        "bs4 UnicodeDammit": lambda data: UnicodeDammit(data, is_html=True).unicode_markup,
    }
    print(f"{'decoder':<24}" + "".join(f"{kind:>19}" for kind in kinds) + f"{'all':>8}{'ms/page':>9}")
    for name, decode in candidates.items():
        outputs, seconds = _timed(decode, [data for _, data, _ in cases])
        right = {kind: [0, 0] for kind in kinds}
        for (kind, _, expected), output in zip(cases, outputs):
            right[kind][1] += 1
            right[kind][0] += output == expected
        total = sum(r for r, _ in right.values())
        print(f"{name:<24}" + "".join(f"{r:>13}/{n:<5}" for r, n in right.values())
              + f"{total / len(cases):>8.3f}{1000 * seconds / len(cases):>9.2f}")

    print("\n== declared charset sniffing (first 4 KB): pages with a <meta charset> of their legacy charset")
    declared = [(data, _codec_name(kind_codec)) for kind, data, text in cases if kind == "legacy declared"
                for kind_codec in [re.search(r'<meta charset="([^"]+)">', text).group(1)]]
    originals = [html.encode("utf-8") for html in pages.values()]
    sniffers = {
        "archive sniff_charset": lambda data: sniff_charset(data),
        "bs4 EncodingDetector": lambda data: EncodingDetector.find_declared_encoding(
            data[:4096], is_html=True),
    }
    for name, sniff in sniffers.items():
        found, seconds = _timed(sniff, [data for data, _ in declared])
        right = sum(_codec_name(label) == codec for label, (_, codec) in zip(found, declared))
        original_found, _ = _timed(sniff, originals)
        print(f"{name:<24} right {right}/{len(declared)}  "
              f"declarations found in the original pages {sum(1 for f in original_found if f)}/{len(originals)}  "
              f"{1e6 * seconds / len(declared):.1f} µs/page")
    agree = sum(
        _codec_name(sniff_charset(data)) == _codec_name(EncodingDetector.find_declared_encoding(data[:4096], is_html=True))
        for data in originals
    )
    print(f"the two agree on {agree}/{len(originals)} original pages")


def _mangle(text: str, layers: int = 1) -> str:
    for _ in range(layers):
        raw = text.encode("utf-8")
        text = "".join(
            bytes([byte]).decode("cp1252", errors="strict") if _cp1252_defined(byte) else chr(byte)
            for byte in raw
        ) if not text.isascii() else text
    return text


def _cp1252_defined(byte: int) -> bool:
    try:
        bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def bench_mojibake(truth: dict[str, dict[str, Any]]) -> None:
    """repair_mojibake vs ftfy on clean, mangled, double-mangled and half-mangled bodies."""
    import ftfy

    from archive.clean.encoding import _repair_by_hand, repair_mojibake

    bodies = [unicodedata.normalize("NFC", record.get("articleBody") or "") for record in truth.values()]
    bodies = [body for body in bodies if body]
    non_ascii = [body for body in bodies if not body.isascii()]

    def half(body: str) -> str:
        paragraphs = body.split("\n")
        return "\n".join(_mangle(p) if i % 2 else p for i, p in enumerate(paragraphs))

    sets = {
        "clean (unchanged)": [(body, body) for body in bodies],
        "mangled once": [(_mangle(body), body) for body in non_ascii],
        "mangled twice": [(_mangle(body, 2), body) for body in non_ascii],
        "half mangled": [(half(body), body) for body in non_ascii],
    }
    print(f"\n== mojibake repair: {len(bodies)} article bodies ({len(non_ascii)} with non-ASCII text)")
    repairers = {
        "hand-written repair": _repair_by_hand,
        "archive (detect, ftfy)": repair_mojibake,
        "ftfy.fix_encoding": ftfy.fix_encoding,
        "ftfy.fix_text (defaults)": ftfy.fix_text,
    }
    print(f"{'repair':<26}" + "".join(f"{name:>20}" for name in sets) + f"{'ms/body':>9}")
    for name, repair in repairers.items():
        cells = []
        seconds = 0.0
        count = 0
        for pairs in sets.values():
            outputs, spent = _timed(repair, [given for given, _ in pairs])
            seconds += spent
            count += len(pairs)
            right = sum(unicodedata.normalize("NFC", output) == expected for output, (_, expected) in zip(outputs, pairs))
            cells.append(f"{right:>14}/{len(pairs):<5}")
        print(f"{name:<26}" + "".join(cells) + f"{1000 * seconds / count:>9.3f}")


def bench_language(pages: dict[str, str], truth: dict[str, dict[str, Any]]) -> None:
    """detect_language vs py3langid on bodies labelled by the page's <html lang>."""
    import py3langid

    from archive.clean.language import _MIN_WORDS, _WORD_RE, _profile_language, _script_language, detect_language

    def profiles_only(text: str) -> str | None:
        sample = text[:20000]
        words = _WORD_RE.findall(sample.lower())
        return _script_language(sample) or (_profile_language(words) if len(words) >= _MIN_WORDS else None)

    labelled = []
    for page_id, html in pages.items():
        match = _LANG_RE.search(html[:5000])
        body = truth[page_id].get("articleBody") or ""
        if match and body:
            labelled.append((body, match.group(1).lower()[:2]))
    start = time.perf_counter()
    py3langid.classify("warm up the model")
    load = time.perf_counter() - start
    detectors = {
        "stop-word profiles only": profiles_only,
        "archive (profiles, then py3langid)": detect_language,
        "py3langid": lambda text: py3langid.classify(text)[0],
    }
    languages = sorted({label for _, label in labelled})
    print(f"\n== language: {len(labelled)} article bodies labelled by <html lang> "
          f"({', '.join(languages)}); py3langid model load {1000 * load:.0f} ms")
    for length_name, cut in (("whole body", None), (f"first {_SHORT_CHARS} chars", _SHORT_CHARS)):
        for name, detect in detectors.items():
            texts = [body[:cut] if cut else body for body, _ in labelled]
            found, seconds = _timed(detect, texts)
            right = sum(guess == label for guess, (_, label) in zip(found, labelled))
            wrong_non_en = sum(1 for guess, (_, label) in zip(found, labelled) if label != "en" and guess != label)
            print(f"{length_name:<18} {name:<35} {right}/{len(labelled)} = {right / len(labelled):.3f}  "
                  f"(non-English missed {wrong_non_en})  {1000 * seconds / len(labelled):.3f} ms/text")


def bench_dates(pages: dict[str, str], sample_path: Path) -> None:
    """extract_metadata's date vs htmldate on the hand-checked metadata sample."""
    from htmldate import find_date

    from archive.clean.html import parse_html
    from archive.clean.metadata import extract_metadata

    sample = json.loads(sample_path.read_text("utf-8"))["pages"]
    checked = [(pages[page_id], expected["date"]) for page_id, expected in sorted(sample.items())
               if page_id in pages and "date" in expected]
    finders = {
        "archive extract_metadata": lambda html: extract_metadata(parse_html(html)).date,
        "htmldate (original)": lambda html: find_date(html, original_date=True),
        "htmldate (defaults)": lambda html: find_date(html),
    }
    print(f"\n== publication date: {len(checked)} hand-checked pages ({sample_path.name}), by day")
    for name, find in finders.items():
        found, seconds = _timed(find, [html for html, _ in checked])
        right = sum(bench_extraction.metadata_match("date", expected, value)
                    for value, (_, expected) in zip(found, checked))
        print(f"{name:<26} {right}/{len(checked)} = {right / len(checked):.3f}  "
              f"{1000 * seconds / len(checked):.2f} ms/page")


def main(argv: list[str] | None = None) -> int:
    """Run the four comparisons; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=bench_extraction.DEFAULT_DATA,
                        help="benchmark directory (default: %(default)s)")
    parser.add_argument("--only", choices=("encoding", "mojibake", "language", "dates"), action="append",
                        help="run only these comparisons (repeatable)")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").is_file():
        print(f"bench_libraries: benchmark data not found at {args.data}", file=sys.stderr)
        return 2
    pages, truth = bench_extraction.load_pages(args.data)
    only = set(args.only or ("encoding", "mojibake", "language", "dates"))
    if "encoding" in only:
        bench_encoding(pages)
    if "mojibake" in only:
        bench_mojibake(truth)
    if "language" in only:
        bench_language(pages, truth)
    if "dates" in only:
        bench_dates(pages, bench_extraction.DEFAULT_SAMPLE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
