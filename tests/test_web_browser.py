"""The web view in a real headless browser (Debian's chromium driven through Selenium).

scripts/test.sh installs chromium, chromium-driver and Selenium. Where they are missing the
test is skipped with the reason shown, except under CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from web_helpers import running_server

pytestmark = pytest.mark.browser
SEED_TITLE = "US Vice President Kamala Harris is scheduled for a Monday meeting with Israeli Defense Minister Benny Gantz at the White House."
SCREENSHOTS = os.environ.get("ARCHIVE_SCREENSHOTS")  # a folder to save page screenshots in


def _browser_or_skip():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        chromium = None
    if not (chromium and driver):
        reason = "needs chromium, chromium-driver and selenium (scripts/test.sh installs them)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


@pytest.fixture(scope="module")
def browser():
    driver = _browser_or_skip()
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _shot(browser, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(SCREENSHOTS) / name))


def follow(browser, element) -> None:
    """Click a link or button and wait until the next page has replaced this one (reading the
    old page's elements while the new one loads goes stale on a busy machine)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element("tag name", "html")
    element.click()

    def old_page_gone(driver) -> bool:
        # Chromium reports a replaced node either as a stale element or, while the new document
        # is being attached, as "Node with given id does not belong to the document": both mean gone.
        try:
            page.is_enabled()
        except WebDriverException:
            return True
        return False

    wait = WebDriverWait(browser, 30)
    wait.until(old_page_gone)
    wait.until(lambda driver: driver.execute_script("return document.readyState") == "complete")


def test_search_click_a_facet_open_an_article(browser, built_index: Path) -> None:
    from selenium.webdriver.common.by import By

    with running_server(built_index) as base:
        browser.get(base + "/")
        box = browser.find_element(By.ID, "q")
        box.send_keys("gaza")
        follow(browser, browser.find_element(By.ID, "go"))
        titles = [element.text for element in browser.find_elements(By.CSS_SELECTOR, "a.title")]
        assert SEED_TITLE in titles
        assert browser.find_elements(By.CSS_SELECTOR, "#timeline a.bar")
        marks = browser.find_elements(By.CSS_SELECTOR, ".snippet mark")
        assert marks and all(mark.text.lower() == "gaza" for mark in marks)
        _shot(browser, "search.png")

        follow(browser, browser.find_element(By.XPATH, "//nav[@class='facets']//a[@data-facet='person' and text()='Benny Gantz']"))
        narrowed = [element.text for element in browser.find_elements(By.CSS_SELECTOR, "a.title")]
        assert SEED_TITLE in narrowed and len(narrowed) < len(titles)
        assert "person: Benny Gantz" in browser.find_element(By.ID, "filters").text
        assert browser.find_element(By.ID, "q").get_attribute("value") == "gaza"
        _shot(browser, "facet.png")

        follow(browser, browser.find_element(By.LINK_TEXT, SEED_TITLE))
        assert browser.find_element(By.ID, "article-title").text == SEED_TITLE
        assert "Rafah" in browser.find_element(By.ID, "article-body").text
        _shot(browser, "article.png")

        browser.get(base + "/?person=Netanyhu")
        follow(browser, browser.find_element(By.CSS_SELECTOR, "a.did-you-mean"))
        assert "person: Benjamin Netanyahu" in browser.find_element(By.ID, "filters").text
        assert browser.find_elements(By.CSS_SELECTOR, "a.title")


def test_hostile_article_runs_no_script(browser, tmp_path: Path) -> None:
    from click.testing import CliRunner
    from selenium.webdriver.common.by import By

    from archive.cli import cli

    (tmp_path / "hostile.json").write_text(
        '{"title": "<img src=x onerror=\\"document.title=\'pwned\'\\"> Evil", "date": "2024-02-02",'
        ' "body": "<script>document.title=\'pwned\'</script> Evil text about Gaza."}',
        encoding="utf-8",
    )
    index = tmp_path / "index"
    CliRunner().invoke(cli, ["--index", str(index), "ingest", str(tmp_path / "hostile.json")], catch_exceptions=False)
    with running_server(index) as base:
        browser.get(base + "/?q=evil")
        link = browser.find_element(By.CSS_SELECTOR, "a.title")
        assert "<img" in link.text  # shown as text, not run
        follow(browser, link)
        assert browser.title != "pwned"
        assert not browser.find_elements(By.CSS_SELECTOR, "#article-body script, #article-title img")


@pytest.fixture(scope="module")
def long_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """31 years of articles (a long timeline), one with many entities and an unbreakable word."""
    from click.testing import CliRunner

    from archive.cli import cli

    folder = tmp_path_factory.mktemp("long")
    corpus = folder / "corpus"
    corpus.mkdir()
    for year in range(1994, 2025):
        for month in (2, 7, 11):
            (corpus / f"{year}-{month:02d}.txt").write_text(
                f"Title: Gaza talks in {year}\nDate: {year}-{month:02d}-15\nURL: https://news.example.org/{year}/{month}/"
                + "a-very-long-address-" * 8 + "\n\n"
                f"In the talks of {month}/{year}, Benny Gantz met Kamala Harris, Antony Blinken, Jake Sullivan and Benjamin Netanyahu in Washington, "
                f"Jerusalem, Cairo, Doha, Rafah and Tel Aviv about Gaza. The United Nations, Hamas, the European Union "
                f"and the World Health Organization followed the talks. " + "Unbreakable" * 12 + " ends the report.",
                encoding="utf-8",
            )
    index = folder / "index"
    assert CliRunner().invoke(cli, ["--index", str(index), "ingest", str(corpus)]).exit_code == 0
    return index


@pytest.mark.parametrize("width", [360, 1280, 1920])
def test_layout_fits_every_width_without_a_horizontal_scrollbar(browser, long_index: Path, width: int) -> None:
    from selenium.webdriver.common.by import By

    browser.set_window_size(width, 1000)
    with running_server(long_index) as base:
        for path, name in (("/?q=gaza", "results"), ("/", "home")):
            browser.get(base + path)
            viewport = browser.execute_script("return document.documentElement.clientWidth")
            assert abs(viewport - width) < 40, (viewport, width)  # the window is the size asked for
            scroll = browser.execute_script("return document.documentElement.scrollWidth")
            assert scroll <= viewport, f"{name} at {width}px: page is {scroll}px wide in a {viewport}px window"
            facets = browser.find_element(By.CSS_SELECTOR, "nav.facets")
            results = browser.find_element(By.CSS_SELECTOR, "ol.hits")
            assert facets.is_displayed() and results.is_displayed()
            assert facets.size["width"] > 0 and results.size["width"] > 0
            right = browser.execute_script(
                "return Math.max(...Array.from(document.querySelectorAll('.tags, .snippet, .about, #timeline, h3'))"
                ".map(e => e.getBoundingClientRect().right))"
            )
            assert right <= viewport + 0.5, (name, width, right)
            assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline a.bar")) == 31  # by year: the bars fit
            groups = browser.find_elements(By.CSS_SELECTOR, "li.hit .tags .kind")
            assert {group.text.lower() for group in groups} >= {"people", "places"}
            _shot(browser, f"{name}-{width}.png")
        browser.find_element(By.CSS_SELECTOR, "a.title").click()
        assert browser.find_element(By.ID, "back")
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= browser.execute_script("return document.documentElement.clientWidth")
        _shot(browser, f"article-{width}.png")
    browser.set_window_size(1280, 1000)
