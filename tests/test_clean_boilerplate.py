"""Tests for archive.clean.boilerplate: page furniture told apart from article text."""

from __future__ import annotations

import pytest

from archive.clean.boilerplate import is_furniture


@pytest.mark.parametrize(
    "line",
    [
        # English
        "Advertisement", "Read more: Council approves the budget", "Share this article", "12 Comments",
        "Photo: Reuters", "Posted in News", "This entry was posted in Allgemein. Bookmark the permalink.",
        "By Jane Doe", "By Jane Doe and John Roe", "March 3, 2024", "© 2024 Example Media",
        "Whatsapp Facebook Pint Baixar", "Share on Facebook Twitter Email",
        # German, French, Spanish, Italian, Portuguese, Dutch, Polish
        "Anzeige", "Lesen Sie auch: Der Hafen wächst", "Das könnte Sie auch interessieren", "Foto: dpa",
        "Kommentare (12)", "Von Anna Schmidt", "Veröffentlicht unter Allgemein", "Mehr zum Thema",
        "Publicité", "À lire aussi : la réforme", "Partager", "Vos réactions", "Par Jeanne Martin",
        "Publicidad", "Le puede interesar: otra nota", "Te puede interesar", "Lo más leído",
        "Leggi anche", "Articoli correlati", "Leia também", "Veja mais", "Lees ook", "Czytaj także",
        "Źródło:", "sexta-feira, 22 de outubro de 2010 às 20:13",
        # Chinese, Japanese, Korean
        "相关阅读：西湖新规", "（责任编辑：王晓）", "分享到", "2024年3月5日", "関連記事", "댓글",
    ],
)
def test_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "The council approved the budget on Monday after a long debate.",
        "Die Stadt Kiel rechnet mit zusätzlichen Übernachtungen.",
        "Von Montag bis Freitag bleibt die Brücke gesperrt.",
        "Par ailleurs, la mairie a annoncé de nouveaux travaux.",
        "by the way, the mayor never answered.",
        "Erste Abfahrt: 2. Mai",
        "Share prices fell sharply after the announcement.",
        "记者昨日从杭州市文化广电旅游局获悉。",
        "",
        "x" * 200,
    ],
)
def test_article_text(line: str) -> None:
    assert not is_furniture(line)
