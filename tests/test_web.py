"""The web view over plain HTTP: search, facets that narrow, article pages, escaping, errors."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from web_helpers import running_server

SEED_TITLE = "US Vice President Kamala Harris is scheduled for a Monday meeting with Israeli Defense Minister Benny Gantz at the White House."


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


def hit_titles(page: str) -> list[str]:
    return [unescape(title) for title in re.findall(r'<a class="title" href="[^"]+">([^<]*)</a>', page)]


@pytest.fixture(scope="module")
def base(built_index: Path):
    with running_server(built_index) as url:
        yield url


def test_search_page_has_hits_facets_and_timeline(base: str) -> None:
    status, headers, page = get(base + "/?q=ceasefire")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "script-src" not in headers["Content-Security-Policy"] and "default-src 'none'" in headers["Content-Security-Policy"]
    assert SEED_TITLE in hit_titles(page)
    for facet in ("person", "org", "place", "country", "topic"):
        assert f'id="facet-{facet}"' in page
    assert 'id="timeline"' in page
    assert "<mark>ceasefire</mark>" in page.lower()
    assert "<script" not in page.lower()


def test_clicking_a_facet_narrows_the_search(base: str) -> None:
    _, _, page = get(base + "/?q=gaza")
    before = hit_titles(page)
    link = re.search(r'<a href="([^"]+)" data-facet="person">Benny Gantz</a>', page)
    assert link
    _, _, narrowed = get(base + unescape(link.group(1)))
    after = hit_titles(narrowed)
    assert 0 < len(after) < len(before) and SEED_TITLE in after
    assert "person: Benny Gantz" in narrowed


def test_article_page_and_missing_article(base: str) -> None:
    _, _, page = get(base + "/?person=lagarde")
    href = re.search(r'<a class="title" href="(/article/[0-9a-f]+)">', page).group(1)
    status, _, article = get(base + href)
    assert status == 200 and "Frankfurt" in article and 'id="article-body"' in article
    assert get(base + "/article/ffffffffffffffff")[0] == 404
    assert get(base + "/nowhere")[0] == 404


def test_did_you_mean_and_bad_input(base: str) -> None:
    _, _, page = get(base + "/?person=Netanyhu")
    assert "Did you mean:" in page and "Benjamin Netanyahu" in page
    status, _, page = get(base + "/?since=March")
    assert status == 400 and "bad date" in page
    request = urllib.request.Request(base + "/", data=b"x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=30)
    assert error.value.code == 405


def test_article_content_cannot_inject_script(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        '{"title": "<script>alert(1)</script> Evil", "date": "2024-02-02", "url": "javascript:alert(2)",'
        ' "body": "Text <img src=x onerror=alert(3)> about the \\"quoted\\" Gaza ceasefire and </textarea><script>alert(4)</script>."}',
        encoding="utf-8",
    )
    index = tmp_path / "index"
    CliRunner().invoke(cli, ["--index", str(index), "ingest", str(hostile)], catch_exceptions=False)
    with running_server(index) as url:
        _, _, page = get(url + "/?q=" + urllib.request.quote('"><script>alert(5)</script>'))
        _, _, results = get(url + "/?q=evil")
        href = re.search(r'<a class="title" href="(/article/[0-9a-f]+)">', results).group(1)
        _, _, article = get(url + href)
    for html in (page, results, article):
        assert "<script" not in html.lower()
        assert "<img" not in html.lower()
        assert 'href="javascript:' not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Evil" in results


def test_serve_command_refuses_a_missing_index(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--index", str(tmp_path / "none"), "serve", "--port", "0"])
    assert result.exit_code == 1 and "no index at" in result.stderr
