"""Tests for archive.clean.language: tag normalisation and detection."""

from __future__ import annotations

import pytest

from archive.clean import detect_language
from archive.clean.language import _MIN_WORDS, _WORD_RE, _profile_language, primary_language, stopword_profiles

SAMPLES = {
    "en": "The minister said on Monday that the new plan would be ready by the end of the year.",
    "de": "Der Minister sagte am Montag, dass der neue Plan bis zum Ende des Jahres fertig sein wird.",
    "fr": "Le ministre a déclaré lundi que le nouveau plan sera prêt avant la fin de l'année.",
    "es": "El ministro dijo el lunes que el nuevo plan estará listo antes del final del año.",
    "it": "Il ministro ha detto lunedì che il nuovo piano sarà pronto entro la fine dell'anno.",
    "pt": "O ministro disse na segunda-feira que o novo plano estará pronto até o final do ano.",
    "nl": "De minister zei maandag dat het nieuwe plan voor het einde van het jaar klaar is.",
    "sv": "Ministern sa på måndagen att den nya planen ska vara klar i slutet av året.",
    "pl": "Minister powiedział w poniedziałek, że nowy plan będzie gotowy do końca roku.",
    "ru": "Министр сказал в понедельник, что новый план будет готов к концу года.",
    "tr": "Bakan pazartesi günü yeni planın yıl sonuna kadar hazır olacağını söyledi ve bu çok önemli bir adım.",
    "id": "Menteri mengatakan pada hari Senin bahwa rencana baru itu akan siap pada akhir tahun.",
    "zh": "部长星期一说，新计划将在年底前准备好。",
    "ja": "大臣は月曜日、新しい計画は年末までに準備できると述べた。",
    "ko": "장관은 월요일 새 계획이 연말까지 준비될 것이라고 말했다.",
    "ar": "قال الوزير يوم الاثنين إن الخطة الجديدة ستكون جاهزة بحلول نهاية العام.",
    "he": "השר אמר ביום שני שהתוכנית החדשה תהיה מוכנה עד סוף השנה.",
    "el": "Ο υπουργός είπε τη Δευτέρα ότι το νέο σχέδιο θα είναι έτοιμο έως το τέλος του έτους.",
}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_detects_language(code: str) -> None:
    assert detect_language(SAMPLES[code]) == code


@pytest.mark.parametrize("text", ["", "ok", "12345 67890", "Zxqv Bnmt Plkj Wrtz"])
def test_unsure_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_profiles_cover_twelve_languages_with_30_to_60_words() -> None:
    profiles = stopword_profiles()
    assert set(profiles) == {"en", "de", "fr", "es", "it", "pt", "nl", "sv", "pl", "ru", "tr", "id"}
    assert all(30 <= len(words) <= 60 for words in profiles.values())


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("en-US", "en"), ("EN_gb", "en"), ("fr", "fr"), ("zh-Hant-TW", "zh"), ("eng", "en"),
     ("English", "en"), ("de, en", "de"), ("und", None), ("", None), (None, None), ("e1", None)],
)
def test_primary_language(tag: str | None, expected: str | None) -> None:
    assert primary_language(tag) == expected


# Headline-style text: twelve words or more but almost no function words, so the stop-word
# profiles cannot decide and py3langid (restricted to the profiles' languages) does (issue 18).
TELEGRAPHIC = {
    "es": "Gobierno aprueba presupuesto: gasto militar sube, pensiones congeladas, oposición critica "
          "recortes sanitarios regionales",
    "it": "Parlamento approva manovra: spesa militare cresce, pensioni ferme, opposizione critica tagli "
          "sanitari regionali durissimi",
    "nl": "Kabinet keurt begroting goed: defensie-uitgaven stijgen, uitkeringen bevroren, oppositie "
          "bekritiseert bezuinigingen zorgsector fel",
    "pt": "Governo aprova orçamento: despesa militar sobe, pensões congeladas, oposição critica cortes "
          "sanitários regionais duramente",
    "pl": "Rząd przyjął budżet: wydatki wojskowe rosną, emerytury zamrożone, opozycja ostro krytykuje "
          "cięcia regionalne szpitali",
    "tr": "Hükümet bütçeyi onayladı: savunma harcamaları artıyor, emekli maaşları donduruldu, muhalefet "
          "sağlık kesintilerini sert eleştirdi",
}


@pytest.mark.parametrize("code", sorted(TELEGRAPHIC))
def test_text_the_profiles_cannot_decide_goes_to_py3langid(code: str) -> None:
    text = TELEGRAPHIC[code]
    words = _WORD_RE.findall(text.lower())
    assert len(words) >= _MIN_WORDS
    assert _profile_language(words) is None  # the profiles alone give no answer here
    assert detect_language(text) == code


def test_py3langid_answers_only_with_the_profiles_languages() -> None:
    # Czech is not one of the twelve: whatever py3langid says, the code is one of them or None.
    czech = ("Vláda schválila rozpočet: výdaje na obranu rostou, důchody zmrazeny, opozice ostře "
             "kritizuje škrty v regionálním zdravotnictví")
    assert detect_language(czech) in set(stopword_profiles()) | {None}
