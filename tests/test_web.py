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
    href = re.search(r'<a class="title" href="(/article/[0-9a-f]+)[^"]*">', page).group(1)
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
        href = re.search(r'<a class="title" href="(/article/[0-9a-f]+)[^"]*">', results).group(1)
        _, _, article = get(url + href)
    for html in (page, results, article):
        assert "<script" not in html.lower()
        assert "<img" not in html.lower()
        assert 'href="javascript:' not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Evil" in results


def test_serve_command_refuses_a_missing_index(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--index", str(tmp_path / "none"), "serve", "--port", "0"])
    assert result.exit_code == 1 and "no index at" in result.stderr


def test_hit_entities_are_grouped_by_kind_with_labels_and_no_repeats(base: str) -> None:
    _, _, page = get(base + "/?q=gaza")
    hits = re.findall(r'<li class="hit">(.*?)</li>\s*(?=<li class="hit">|</ol>)', page, re.S) or page.split('<li class="hit">')[1:]
    assert hits
    for hit in hits:
        groups = re.findall(r'<div class="tags" data-kind="([a-z]+)"><span class="kind">([^<]+)</span>(.*?)</div>', hit, re.S)
        kinds = [kind for kind, _, _ in groups]
        assert kinds == sorted(set(kinds), key=kinds.index)  # each kind once
        values = [unescape(value).casefold() for _, _, links in groups for value in re.findall(r">([^<]+)</a>", links)]
        assert len(values) == len(set(values))  # a place that is also a country is shown once
    seed = next(hit for hit in hits if "Benny Gantz" in hit)
    labels = dict((kind, label) for kind, label, _ in re.findall(r'data-kind="([a-z]+)"><span class="kind">([^<]+)</span>(.*?)</div>', seed, re.S))
    assert labels.get("person") == "People" and "Benny Gantz" in re.search(r'data-kind="person">.*?</div>', seed, re.S).group(0)


def test_article_page_labels_links_and_back_to_results(base: str) -> None:
    _, _, page = get(base + "/?q=rafah&person=Benny+Gantz&sort=oldest")
    href = unescape(re.search(r'<a class="title" href="([^"]+)">', page).group(1))
    assert href.startswith("/article/") and "q=rafah" in href and "person=Benny+Gantz" in href
    _, _, article = get(base + href)
    back = unescape(re.search(r'<a id="back" href="([^"]+)">← back to results</a>', article).group(1))
    assert back.startswith("/?") and "q=rafah" in back and "person=Benny+Gantz" in back and "sort=oldest" in back
    labels = re.findall(r"<dt>([^<]+)</dt>", article)
    assert "Date" in labels and "File" in labels and "ID" in labels and "People" in labels
    assert all(label[0].isupper() for label in labels)
    assert re.search(r'<dd data-field="path"><a href="file:///[^"]+seed-harris-gantz.txt">', article)
    _, _, plain = get(base + href.split("?")[0])
    assert '<a id="back" href="/">← search</a>' in plain


def test_sort_and_date_range_controls(base: str) -> None:
    _, _, home = get(base + "/")
    assert 'id="sort"' in home and 'name="since"' in home and 'name="until"' in home
    dates = re.findall(r'<div class="about">(\d{4}-\d{2}-\d{2})', home)
    assert dates and dates == sorted(dates, reverse=True)  # newest first
    _, _, oldest = get(base + "/?sort=oldest")
    old_dates = re.findall(r'<div class="about">(\d{4}-\d{2}-\d{2})', oldest)
    assert old_dates == sorted(old_dates) and '<option value="oldest" selected>' in oldest
    _, _, ranged = get(base + "/?since=2024-03-01&until=2024-03-05")
    assert all("2024-03-01" <= found <= "2024-03-05" for found in re.findall(r'<div class="about">(\d{4}-\d{2}-\d{2})', ranged))
    assert 'value="2024-03-01"' in ranged
    assert 'type="hidden" name="since"' not in ranged  # the form's own field, not carried twice


def test_a_long_timeline_is_drawn_by_year(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for year in range(1994, 2025):
        (corpus / f"{year}.txt").write_text(f"Title: Harbour {year}\nDate: {year}-06-01\n\nThe harbour report of {year}.", encoding="utf-8")
    index = tmp_path / "index"
    assert CliRunner().invoke(cli, ["--index", str(index), "ingest", str(corpus)]).exit_code == 0
    with running_server(index) as url:
        _, _, page = get(url + "/?q=harbour")
    assert "<small>by year</small>" in page
    assert len(re.findall(r'<a href="[^"]*" class="bar', page)) == 31


def test_home_lists_undated_last_and_the_article_links_what_it_can(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Newest first with the undated article last (either sort); the URL is a link; a file
    ingested by a relative path is shown as text, not as a link into this server."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "u.txt").write_text("Title: Undated harbour note\n\nNotes about the harbour without any date.", encoding="utf-8")
    (corpus / "a.txt").write_text("Title: Harbour 1990\nDate: 1990-01-05\nURL: https://example.org/h90\n\nThe harbour reopened.", encoding="utf-8")
    (corpus / "b.txt").write_text("Title: Harbour 2024\nDate: 2024-01-05\n\nThe harbour was dredged.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["--index", "index", "ingest", "c"]).exit_code == 0
    with running_server(tmp_path / "index") as url:
        assert hit_titles(get(url + "/")[2]) == ["Harbour 2024", "Harbour 1990", "Undated harbour note"]
        assert hit_titles(get(url + "/?sort=oldest")[2]) == ["Harbour 1990", "Harbour 2024", "Undated harbour note"]
        page = get(url + "/?q=harbour")[2]
        assert 'aria-label="1990: 1 article"' in page and " 1 articles" not in page
        href = unescape(re.search(r'<a class="title" href="([^"]+)">Harbour 1990', page).group(1))
        article = get(url + href)[2]
    assert '<dd data-field="url"><a href="https://example.org/h90"' in article
    path_field = re.search(r'<dd data-field="path">(.*?)</dd>', article).group(1)
    assert path_field == "c/a.txt"  # text: a relative href would resolve to /article/c/a.txt here
