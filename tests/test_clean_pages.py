"""Whole pages of each kind of trouble: languages, blogs, forums, shops, undeclared encodings.

Each fixture in ``tests/fixtures/clean/`` is a small page written for these tests; the page
goes through the same path as ``archive ingest`` (bytes → text → :func:`clean_record`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.clean import clean_record, decode_bytes
from archive.models import Article, RawRecord

FIXTURES = Path(__file__).parent / "fixtures" / "clean"


def clean_file(name: str) -> Article:
    path = FIXTURES / name
    return clean_record(RawRecord(str(path), "", "html", decode_bytes(path.read_bytes())))


def paragraphs(article: Article) -> list[str]:
    return article.body.split("\n\n")


# --- German news page --------------------------------------------------------------------


def test_german_news_page_body() -> None:
    article = clean_file("de_news.html")
    assert paragraphs(article) == [
        "Ab Mai verkehrt zwischen Kiel und Göteborg eine neue Fähre, die mit Flüssiggas betrieben "
        "wird. Die Reederei verspricht deutlich geringere Emissionen als bei den bisherigen Schiffen.",
        "Das Schiff bietet Platz für 1200 Passagiere und 500 Fahrzeuge. Die Überfahrt dauert, wie "
        "bisher, rund vierzehn Stunden; abgelegt wird jeden Abend um 18 Uhr.",
        "Kritik von Umweltverbänden",
        "Umweltverbände begrüßen den Schritt grundsätzlich, halten Flüssiggas aber nur für eine "
        "Übergangslösung. Langfristig, so ein Sprecher, müssten Fähren mit Strom oder Wasserstoff fahren.",
        "Erste Abfahrt: 2. Mai",
        "Preis für die einfache Fahrt: ab 49 Euro",
        "„Wir wollen die Ostsee sauberer machen, Schritt für Schritt“, sagte die Geschäftsführerin "
        "der Reederei.",
        "Die Stadt Kiel rechnet mit zusätzlichen Übernachtungen, weil viele Reisende schon am "
        "Vortag anreisen.",
    ]


@pytest.mark.parametrize(
    "furniture",
    ["Cookies", "Politik", "Von Anna Schmidt", "5. März", "Foto: dpa", "Lesen Sie auch", "Rekordumschlag",
     "Anzeige", "Teilen", "Facebook", "Mehr zum Thema", "weitere Schiffe", "Kommentare", "Augenwischerei",
     "Meistgelesen", "Sturmflut", "Alle Rechte", "Impressum"],
)
def test_german_news_page_furniture_is_dropped(furniture: str) -> None:
    assert furniture not in clean_file("de_news.html").body


def test_german_news_page_metadata() -> None:
    article = clean_file("de_news.html")
    assert (article.title, article.date, article.author, article.source, article.language) == (
        "Neue Fähre verbindet Kiel und Göteborg", "2024-03-05T09:30:00+01:00", "Anna Schmidt",
        "Nordkurier Online", "de",
    )
    assert article.url == "https://www.nordkurier.example.de/wirtschaft/2024/03/05/neue-faehre-kiel-goeteborg"


# --- French blog post --------------------------------------------------------------------


def test_french_blog_post_body() -> None:
    found = paragraphs(clean_file("fr_blog.html"))
    assert found[0].startswith("Il y a un an, j'installais trois jardinières")
    assert "Choisir les bonnes variétés" in found and "L'arrosage, le vrai défi" in found
    assert found[-3:] == [
        "Arroser au pied, jamais sur les feuilles.",
        "Pailler la terre pour garder l'humidité.",
        "Et vous, avez-vous essayé de cultiver quelques légumes chez vous ?",
    ]


@pytest.mark.parametrize(
    "furniture",
    ["Par Jeanne", "À lire aussi", "semis", "Publié dans", "Mots-clés", "Partager", "Imprimer",
     "réflexions", "Bravo Jeanne", "goutte-à-goutte, je vais", "Laisser un commentaire",
     "adresse e-mail", "Articles récents", "Je m'appelle Jeanne", "WordPress"],
)
def test_french_blog_post_furniture_and_comments_are_dropped(furniture: str) -> None:
    assert furniture not in clean_file("fr_blog.html").body


def test_french_blog_post_metadata() -> None:
    article = clean_file("fr_blog.html")
    assert article.title == "Mon potager sur le balcon, un an après"
    assert article.author == "Jeanne Martin"  # JSON-LD @graph reference
    assert article.date == "2023-06-12"  # from the URL; the comments' dates are not the post's
    assert (article.source, article.language) == ("Le Carnet de Jeanne", "fr")


# --- Chinese news page -------------------------------------------------------------------


def test_chinese_news_page() -> None:
    article = clean_file("zh_news.html")
    assert paragraphs(article) == [
        "记者昨日从杭州市文化广电旅游局获悉，西湖景区将于四月起在节假日试行预约游览，以缓解高峰时段的人流压力。",
        "根据方案，游客可通过官方小程序提前三天预约，每个时段的人数上限为两万人。未预约的游客仍可入园，但需在指定入口排队。",
        "有关负责人表示，试行期间将根据实际情况调整预约规则，并在五一假期后评估效果。市民和游客普遍表示支持，认为这有助于提升游览体验。",
    ]
    assert article.title == "杭州西湖景区试行预约游览"  # the <h1>, not "..._新闻中心_江南日报网"
    assert article.date == "2024-03-05T10:20:00"  # "2024年3月5日 10:20" in a date element
    assert article.language == "zh"  # undeclared: detected from the text


# --- forum thread, shop page -------------------------------------------------------------


def test_forum_thread_keeps_every_post_in_order() -> None:
    article = clean_file("forum_thread.html")
    found = paragraphs(article)
    assert len(found) == 3
    assert found[0].startswith("Spring is coming and I need to take my winter tyres off.")
    assert found[1].startswith("With rims on, stack them flat")
    assert found[2] == "Thanks, stacking them flat it is. I'll put a bit of cardboard under the bottom one as well."
    for furniture in ("Who is online", "Post Reply", "Posts: 14", "Board index", "Register", "phpBB"):
        assert furniture not in article.body
    assert article.title == "Best way to store winter tyres?"
    assert article.source == "Car Owners Forum"


def test_shop_product_page_gives_the_description() -> None:
    article = clean_file("shop_product.html")
    assert paragraphs(article) == [
        "A classic steel mug with a hard-wearing enamel coating, light enough for a day pack and "
        "tough enough for years of camp coffee.",
        "The rolled stainless rim stays comfortable on the lips, and the wide handle fits a gloved "
        "hand. Safe on a gas stove or the edge of a campfire.",
        "Capacity: 350 ml",
        "Weight: 140 g",
        "Dishwasher safe",
    ]
    assert article.title == "Enamel Camping Mug 350 ml, Forest Green"
    assert article.source == "Trailhead Outfitters"


# --- undeclared encodings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "start", "language"),
    [
        ("ja_shift_jis.html", "大阪で桜の開花宣言", "大阪管区気象台は二十四日、大阪市で桜の開花を発表しました。", "ja"),
        ("zh_gbk.html", "成都大熊猫基地迎来双胞胎", "成都大熊猫繁育研究基地昨日宣布，一只名叫“美兰”的大熊猫", "zh"),
        ("ru_koi8r.html", "В Казани открылся новый мост", "В Казани в субботу открыли движение по новому мосту", "ru"),
        ("ru_cp1251.html", "В Новосибирске выпал первый снег", "Первый снег выпал в Новосибирске в ночь на вторник.", "ru"),
    ],
)
def test_undeclared_legacy_encodings(name: str, title: str, start: str, language: str) -> None:
    data = (FIXTURES / name).read_bytes()
    assert b"charset" not in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    article = clean_file(name)
    assert article.title == title
    assert article.body.startswith(start)
    assert len(paragraphs(article)) == 2
    assert article.language == language


# --- the command line --------------------------------------------------------------------


def test_extract_command_shows_a_page_as_json() -> None:
    from archive.cli import cli

    result = CliRunner().invoke(cli, ["extract", str(FIXTURES / "de_news.html"), "--format", "json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.output)
    assert record["title"] == "Neue Fähre verbindet Kiel und Göteborg"
    assert record["language"] == "de"
    assert record["author"] == "Anna Schmidt"
    assert record["body"].startswith("Ab Mai verkehrt zwischen Kiel und Göteborg")
    assert "Kommentare" not in record["body"]


# --- broken pages ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["de_news.html", "fr_blog.html", "forum_thread.html", "ja_shift_jis.html"])
def test_truncated_and_mangled_pages_never_crash(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    for cut in range(0, len(data), 97):
        for mangled in (data[:cut], data[cut:], data[:cut] + b"<div class='x'><p>" + data[cut:]):
            article = clean_record(RawRecord(name, "", "html", decode_bytes(mangled)))
            assert isinstance(article.body, str)
