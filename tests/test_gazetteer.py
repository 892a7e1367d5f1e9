"""Tests for archive.facets.gazetteer and its packaged data files."""

from __future__ import annotations

import importlib.util
import sys
from importlib import resources
from pathlib import Path

import pytest

from archive.facets.gazetteer import KINDS, Gazetteer, Place, fold, load_gazetteer

ROOT = Path(__file__).resolve().parent.parent


def _data_rows(filename: str) -> list[list[str]]:
    text = resources.files("archive.facets").joinpath("data", filename).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


# --- fold -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("U.S.", "us"),
        ("USA", "usa"),
        ("Rafaḩ", "rafah"),
        ("RAFAH", "rafah"),
        ("  The   Gaza-Strip ", "gaza strip"),
        ("the Gaza Strip", "gaza strip"),
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("Łódź", "lodz"),
        ("İzmir", "izmir"),
        ("Straße", "strasse"),
        ("São Tomé", "sao tome"),
        ("Guinea–Bissau", "guinea bissau"),
        ("Sanʿāʾ", "sana"),
        ("The", "the"),
        ("", ""),
    ],
)
def test_fold(raw: str, key: str) -> None:
    assert fold(raw) == key


# --- lookups ------------------------------------------------------------------


@pytest.mark.parametrize("alias", ["U.S.", "US", "USA", "U.S.A.", "United States", "the United States",
                                   "United States of America", "America", "u.s."])
def test_united_states_aliases(gaz: Gazetteer, alias: str) -> None:
    assert gaz.lookup(alias) == Place("United States", "country", "United States", 327167434)
    assert gaz.country(alias) == "United States"
    assert gaz.is_country(alias)


@pytest.mark.parametrize("alias", ["Britain", "UK", "U.K.", "Great Britain", "United Kingdom"])
def test_united_kingdom_aliases(gaz: Gazetteer, alias: str) -> None:
    place = gaz.lookup(alias)
    assert place is not None and place.name == "United Kingdom" and place.kind == "country"
    assert gaz.country(alias) == "United Kingdom"


@pytest.mark.parametrize("name", ["Rafah", "RAFAH", "rafah", "Rafaḩ", "Rafah's"])
def test_rafah(gaz: Gazetteer, name: str) -> None:
    place = gaz.lookup(name)
    assert place is not None
    assert (place.name, place.kind, place.country) == ("Rafah", "city", "Palestine")
    assert place.population > 100_000
    assert gaz.country(name) == "Palestine"
    assert not gaz.is_country(name)


@pytest.mark.parametrize("name", ["Gaza", "Gaza Strip", "the Gaza Strip", "GAZA STRIP", "Gaza's"])
def test_gaza_strip(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) == Place("Gaza", "region", "Palestine", 0)
    assert gaz.country(name) == "Palestine"


def test_gaza_city_and_west_bank(gaz: Gazetteer) -> None:
    city = gaz.lookup("Gaza City")
    assert city is not None and (city.name, city.kind, city.country) == ("Gaza", "city", "Palestine")
    assert gaz.country("West Bank") == "Palestine"
    assert gaz.country("East Jerusalem") == "Palestine"
    assert gaz.country("Khan Younis") == "Palestine"
    assert gaz.lookup("Khan Yunis") == gaz.lookup("Khan Younis")


@pytest.mark.parametrize(
    ("name", "display", "kind", "country"),
    [
        ("Moscow", "Moscow", "city", "Russia"),
        ("Kyiv", "Kyiv", "city", "Ukraine"),
        ("Kiev", "Kyiv", "city", "Ukraine"),
        ("Paris", "Paris", "city", "France"),
        ("Tel Aviv", "Tel Aviv", "city", "Israel"),
        ("Bombay", "Mumbai", "city", "India"),
        ("Cologne", "Cologne", "city", "Germany"),
        ("Frankfurt", "Frankfurt", "city", "Germany"),
        ("Washington", "Washington", "city", "United States"),
        ("New York", "New York City", "city", "United States"),
        ("Valencia", "Valencia", "city", "Spain"),
        ("Crimea", "Crimea", "region", "Ukraine"),
        ("England", "England", "region", "United Kingdom"),
        ("Scotland", "Scotland", "region", "United Kingdom"),
        ("California", "California", "region", "United States"),
        ("Bavaria", "Bavaria", "region", "Germany"),
        ("Middle East", "Middle East", "area", None),
        ("Kashmir", "Kashmir", "area", None),
        ("Europe", "Europe", "continent", None),
    ],
)
def test_places(gaz: Gazetteer, name: str, display: str, kind: str, country: str | None) -> None:
    place = gaz.lookup(name)
    assert place is not None
    assert (place.name, place.kind, place.country) == (display, kind, country)
    assert gaz.country(name) == country


@pytest.mark.parametrize(
    ("alias", "country"),
    [
        ("Russian Federation", "Russia"),
        ("Holland", "Netherlands"),
        ("Burma", "Myanmar"),
        ("DPRK", "North Korea"),
        ("Korea", "South Korea"),
        ("UAE", "United Arab Emirates"),
        ("DRC", "Democratic Republic of the Congo"),
        ("Congo", "Democratic Republic of the Congo"),
        ("Republic of the Congo", "Republic of the Congo"),
        ("Côte d'Ivoire", "Ivory Coast"),
        ("Türkiye", "Turkey"),
        ("Czechia", "Czech Republic"),
        ("Swaziland", "Eswatini"),
        ("Macedonia", "North Macedonia"),
        ("Palestinian territories", "Palestine"),
        ("Kosovo", "Kosovo"),
        ("Vatican", "Vatican City"),
        ("Georgia", "Georgia"),
    ],
)
def test_country_aliases(gaz: Gazetteer, alias: str, country: str) -> None:
    assert gaz.is_country(alias)
    assert gaz.country(alias) == country


def test_country_place_is_its_own_country(gaz: Gazetteer) -> None:
    for name in gaz.countries():
        place = gaz.lookup(name)
        assert place is not None and place.kind == "country", name
        assert place.name == name and place.country == name


@pytest.mark.parametrize(
    "text",
    ["White House", "Reuters", "Police", "Monday", "Obama", "Nice", "Reading", "Mobile",
     "Jackson", "Hamilton", "Laval", "Split", "Bath", "Most", "March", "Gap", "Sale", "Bar",
     "Van", "Orange", "Of", "Toyota", "OAS", "San", "the", "", "   ", "Israeli", "Somali"],
)
def test_non_places(gaz: Gazetteer, text: str) -> None:
    assert gaz.lookup(text) is None
    assert gaz.country(text) is None
    assert not gaz.is_country(text)


# --- demonyms -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("Israeli", "Israel"),
        ("Israelis", "Israel"),
        ("Israeli's", "Israel"),
        ("ISRAELI", "Israel"),
        ("Palestinian", "Palestine"),
        ("Palestinians", "Palestine"),
        ("American", "United States"),
        ("Americans", "United States"),
        ("British", "United Kingdom"),
        ("English", "United Kingdom"),
        ("Scottish", "United Kingdom"),
        ("French", "France"),
        ("Qatari", "Qatar"),
        ("Emirati", "United Arab Emirates"),
        ("Saudi", "Saudi Arabia"),
        ("Korean", "South Korea"),
        ("North Korean", "North Korea"),
        ("Congolese", "Democratic Republic of the Congo"),
        ("Dutch", "Netherlands"),
        ("Swiss", "Switzerland"),
        ("Filipinos", "Philippines"),
    ],
)
def test_demonyms(gaz: Gazetteer, word: str, country: str) -> None:
    assert gaz.country_of_demonym(word) == country


@pytest.mark.parametrize("word", ["Israel", "Reuters", "Monday", "Kurdish", ""])
def test_not_demonyms(gaz: Gazetteer, word: str) -> None:
    assert gaz.country_of_demonym(word) is None


# --- API shape ------------------------------------------------------------------


def test_load_is_cached(gaz: Gazetteer) -> None:
    assert load_gazetteer() is gaz


def test_countries_and_max_words(gaz: Gazetteer) -> None:
    names = gaz.countries()
    assert names == sorted(names) and len(names) == len(set(names))
    for expected in ("United States", "United Kingdom", "Russia", "Palestine", "Taiwan", "Vietnam",
                     "Czech Republic", "Ivory Coast", "South Korea", "North Korea", "Vatican City"):
        assert expected in names
    assert 190 <= len(names) <= 260
    # "Bosnia and Herzegovina" is 3 words; the longest aliases are longer.
    assert 3 <= gaz.max_words <= 12
    assert gaz.max_words == max(len(key.split()) for key, *_ in _data_rows("places.tsv"))


# --- data files -------------------------------------------------------------------


def test_countries_tsv() -> None:
    rows = _data_rows("countries.tsv")
    assert all(len(row) == 4 for row in rows)
    codes = [row[0] for row in rows]
    assert codes == sorted(codes) and len(codes) == len(set(codes))
    for iso2, name, population, aliases in rows:
        assert len(iso2) == 2 and iso2.isupper()
        assert name and int(population) >= 0
        assert fold(name) in {fold(a) for a in aliases.split("|")}


def test_places_tsv() -> None:
    rows = _data_rows("places.tsv")
    assert len(rows) > 50_000
    assert all(len(row) == 5 for row in rows)
    codes = {row[0] for row in _data_rows("countries.tsv")}
    keys = [row[0] for row in rows]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    for key, kind, iso2, population, name in rows:
        assert key and fold(key) == key, key  # keys must be reachable by lookup()
        assert kind in KINDS
        assert iso2 == "" or iso2 in codes, (key, iso2)
        assert int(population) >= 0 and name
        if kind == "continent":
            assert iso2 == "", key
        elif kind != "area":  # areas may lie within one country or span several
            assert iso2, key


def test_country_aliases_resolve_to_their_country() -> None:
    places = {row[0]: row for row in _data_rows("places.tsv")}
    for iso2, _name, _population, aliases in _data_rows("countries.tsv"):
        for alias in aliases.split("|"):
            row = places[fold(alias)]
            assert row[1] == "country" and row[2] == iso2, alias


def test_demonyms_tsv() -> None:
    rows = _data_rows("demonyms.tsv")
    assert len(rows) > 300
    assert all(len(row) == 2 for row in rows)
    codes = {row[0] for row in _data_rows("countries.tsv")}
    assert all(iso2 in codes for _word, iso2 in rows)
    folded = [fold(word) for word, _iso2 in rows]
    assert len(folded) == len(set(folded))
