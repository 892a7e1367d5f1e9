"""Tests for archive.clean.encoding: charset detection, decoding, mojibake repair."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.clean import DecodeError, decode_bytes
from archive.clean.encoding import repair_mojibake, sniff_charset


def test_plain_utf8() -> None:
    assert decode_bytes("naïve café — 東京".encode("utf-8")) == "naïve café — 東京"


def test_empty_bytes_give_empty_text() -> None:
    assert decode_bytes(b"") == ""


def test_cp1252_smart_quotes_and_accents() -> None:
    data = b"\x93Smart quotes\x94 and an \x91apostrophe\x92 in the caf\xe9 \x96 \x80 5"
    assert decode_bytes(data) == "“Smart quotes” and an ‘apostrophe’ in the café – € 5"


def test_latin1_text() -> None:
    data = "Grüße aus Köln, señor".encode("latin-1")
    assert decode_bytes(data) == "Grüße aus Köln, señor"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    # 0x81 and 0x8D have no character in Windows-1252; they must not make decoding fail.
    assert decode_bytes(b"caf\xe9 \x81 \x8d") == "café \x81 \x8d"


def test_declared_charset_in_meta_is_used() -> None:
    html = '<html><head><meta charset="windows-1251"></head><body>Привет, мир</body></html>'
    assert "Привет, мир" in decode_bytes(html.encode("cp1251"))


def test_http_equiv_charset_is_used() -> None:
    html = ('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
            "<p>Новости дня</p>")
    assert "Новости дня" in decode_bytes(html.encode("koi8_r"))


def test_xml_declaration_charset() -> None:
    xml = '<?xml version="1.0" encoding="ISO-8859-7"?><doc>Καλημέρα</doc>'
    assert "Καλημέρα" in decode_bytes(xml.encode("iso-8859-7"))


def test_declared_argument_is_used() -> None:
    assert decode_bytes("Żółć gęślą".encode("cp1250"), declared="windows-1250") == "Żółć gęślą"


def test_wrong_declaration_latin1_for_utf8_bytes() -> None:
    html = '<meta charset="iso-8859-1"><p>Crème brûlée – “déjà vu”</p>'
    assert decode_bytes(html.encode("utf-8")) == html


def test_wrong_declaration_utf8_for_cp1252_bytes() -> None:
    html = '<meta charset="utf-8"><p>Caf\xe9 \x93fran\xe7ais\x94</p>'
    assert decode_bytes(html.encode("latin-1")) == '<meta charset="utf-8"><p>Café “français”</p>'


def test_wrong_declared_argument_falls_back() -> None:
    assert decode_bytes(b"caf\xe9 \x93ok\x94", declared="utf-8") == "café “ok”"
    assert decode_bytes("café".encode("utf-8"), declared="latin-1") == "café"


def test_unknown_declared_charset_is_ignored() -> None:
    assert decode_bytes("café".encode("utf-8"), declared="no-such-charset") == "café"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_bom_decides_and_is_removed(bom: bytes, codec: str) -> None:
    text = "Headline: café ☕ news"
    assert decode_bytes(bom + text.encode(codec), declared="latin-1") == text


def test_bomless_utf16_ascii_text() -> None:
    assert decode_bytes("Plain ASCII in UTF-16".encode("utf-16-le")) == "Plain ASCII in UTF-16"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("東京都は、新型コロナウイルスの感染拡大を受けて、都民に外出の自粛を要請しました。", "shift_jis"),
        ("北京市政府今天宣布，将进一步扩大对外开放，吸引更多外国投资。", "gbk"),
        ("台北市政府今天宣布，將進一步擴大對外開放，吸引更多外國投資。", "big5"),
        ("서울시는 오늘 코로나바이러스 확산을 막기 위해 새로운 조치를 발표했습니다.", "euc_kr"),
        ("Правительство Москвы объявило о новых мерах поддержки малого бизнеса.", "koi8_r"),
        ("Правительство Москвы объявило о новых мерах поддержки малого бизнеса.", "cp1251"),
        ("Η κυβέρνηση ανακοίνωσε νέα μέτρα στήριξης για τις μικρές επιχειρήσεις.", "iso-8859-7"),
        ("Rząd ogłosił nowe środki wsparcia dla małych przedsiębiorstw. Żółć gęślą jaźń.", "cp1250"),
    ],
)
def test_undeclared_legacy_charsets_are_detected(text: str, codec: str) -> None:
    html = f"<html><body><p>{text}</p></body></html>"
    assert decode_bytes(html.encode(codec)) == html


@pytest.mark.parametrize(
    "text",
    ["Der Bürgermeister von Köln sprach über die Straßenbahn und die Brücke, señor.",
     "Le gouvernement a annoncé de nouvelles mesures. Les élèves étaient très contents à l'école."],
)
def test_undeclared_western_text_stays_windows_1252(text: str) -> None:
    assert decode_bytes(text.encode("cp1252")) == text


def test_utf8_with_a_few_stray_bytes_keeps_its_utf8() -> None:
    data = "Zürich, São Paulo and Kraków: ".encode("utf-8") + b"caf\xe9 \x93ok\x94"
    assert decode_bytes(data) == "Zürich, São Paulo and Kraków: café “ok”"


def test_mojibake_is_repaired() -> None:
    original = "Café “quoted” — it’s naïve, 10 €, Привет"
    broken = original.encode("utf-8").decode("latin-1")
    assert broken != original
    assert repair_mojibake(broken) == original


def test_cp1252_mojibake_is_repaired() -> None:
    assert repair_mojibake("Itâ€™s a cafÃ© in SÃ£o Paulo") == "It’s a café in São Paulo"


def test_double_mojibake_is_repaired() -> None:
    twice = "é".encode("utf-8").decode("cp1252").encode("utf-8").decode("cp1252")
    assert repair_mojibake(f"caf{twice}") == "café"


def _read_as_windows_1252(text: str) -> str:
    """``text``'s UTF-8 bytes read as Windows-1252, as browsers do (its five undefined bytes
    become the C1 control characters of the same number)."""
    return "".join(
        byte.to_bytes(1, "big").decode("cp1252") if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
        else chr(byte)
        for byte in text.encode("utf-8")
    )


@pytest.mark.parametrize("original", ["A café with ‘single’ quotes", "Ђорђе и Љубица из Ниша"])
def test_double_mojibake_the_hand_written_repair_missed_is_repaired(original: str) -> None:
    # Issue 18: ftfy.fix_encoding repairs mojibake because it undoes double encoding where the
    # hand-written repair (kept for benchmarks/bench_libraries.py) left these half broken.
    twice = _read_as_windows_1252(_read_as_windows_1252(original))
    assert repair_mojibake(twice) == original


def test_mojibake_mixed_with_correct_text() -> None:
    assert repair_mojibake("Correct ’ and broken â€™ and cafÃ©") == "Correct ’ and broken ’ and café"


def test_mojibake_in_bytes_is_repaired_by_decode_bytes() -> None:
    data = "Zürich’s “Bahnhof”".encode("utf-8").decode("latin-1").encode("utf-8")
    assert decode_bytes(data) == "Zürich’s “Bahnhof”"


@pytest.mark.parametrize(
    "text",
    ["«Fuß» Ärger", "NÃO é verdade", "Ölpreis: 3×2 m²", "plain ascii", "Ñandú Øresund Å"],
)
def test_correct_text_is_not_repaired(text: str) -> None:
    assert repair_mojibake(text) == text


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03binary\x00",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        bytes(range(1, 9)) * 40,
        b"\x00\xff\x00\xfe" * 100,  # NULs at every other byte, but not UTF-16 text
    ],
)
def test_binary_data_raises(data: bytes) -> None:
    with pytest.raises(DecodeError, match="binary data, not text"):
        decode_bytes(data)


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(DecodeError, ValueError)


def test_sniff_charset() -> None:
    assert sniff_charset(b'<html><head><meta charset="Shift_JIS">') == "Shift_JIS"
    assert sniff_charset(b"<?xml version='1.0' encoding='utf-8'?><a/>") == "utf-8"
    assert sniff_charset(b"<p>no declaration</p>") is None


@given(st.binary(max_size=300))
def test_any_bytes_give_text_or_decode_error(data: bytes) -> None:
    try:
        result = decode_bytes(data)
    except DecodeError:
        return
    assert isinstance(result, str)


_SAFE = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 .,;:!?'\"-\néèüößñçåøæÉÜąłżğışΩЖж中文日本😀")),
    max_size=200,
)


@given(_SAFE)
def test_utf8_text_round_trips(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == text
