"""Facet extraction: mentions, typing, canonical names, places rolled up to countries."""

from __future__ import annotations

from pathlib import Path

from archive.facets.extract import extract_entities, extract_facets
from archive.facets.mentions import find_spans, tokenize
from archive.models import Article

SEED = Path(__file__).parent / "fixtures" / "articles" / "seed-harris-gantz.txt"


def seed_facets():
    from archive.sources import split_header

    meta, body = split_header(SEED.read_text(encoding="utf-8"))
    return extract_facets(Article(id="seed", path=str(SEED), title=meta["title"], body=body))


def test_tokenize_drops_possessives_and_keeps_initialisms() -> None:
    words = [(token.text, token.possessive) for token in tokenize("Gantz’s office and the U.S.’s effort, Biden's plan")]
    assert ("Gantz", True) in words
    assert ("U.S.", True) in words
    assert ("Biden", True) in words


def test_spans_join_particles_and_stop_at_possessive() -> None:
    spans = [span.text for span in find_spans("Nikolaus van der Pas met the Bank of England and Gantz’s Office staff.")]
    assert "Nikolaus van der Pas" in spans
    assert "Bank of England" in spans
    assert "Gantz" in spans


def test_seed_people_are_exact() -> None:
    facets = seed_facets()
    assert set(facets.people) == {"Kamala Harris", "Benny Gantz", "Jake Sullivan", "Benjamin Netanyahu", "Joe Biden"}


def test_seed_organizations_places_countries_topics() -> None:
    facets = seed_facets()
    assert {"Reuters", "Hamas", "Palestinian Authority"} <= set(facets.organizations)
    assert {"Gaza", "Rafah"} <= set(facets.places)
    assert {"Israel", "United States"} <= set(facets.countries)
    assert facets.topics
    assert set(facets.actors) == set(facets.people) | set(facets.organizations)
    for wrong in ("Vice President", "White House", "Ramadan", "Gaza", "Israel"):
        assert wrong not in facets.people


def test_roles_are_dropped_and_surnames_resolved() -> None:
    facets = extract_entities(
        "Prime Minister Benjamin Netanyahu met Vice President Kamala Harris. "
        "Later, Netanyahu said the talks were useful, and Harris agreed."
    )
    assert facets.people == ["Benjamin Netanyahu", "Kamala Harris"]


def test_country_aliases_and_demonyms() -> None:
    facets = extract_entities("The U.S. and the US-led coalition met Israeli officials. The United States said.")
    assert "United States" in facets.places
    assert "United States" in facets.countries and "Israel" in facets.countries
    assert "Israel" not in facets.places  # an adjective counts for countries only


def test_places_roll_up_to_countries() -> None:
    facets = extract_entities("Shelling hit Rafah and Khan Younis overnight, officials in Kyiv said.")
    assert {"Rafah", "Kyiv"} <= set(facets.places)
    assert {"Palestine", "Ukraine"} <= set(facets.countries)


def test_headline_and_dateline() -> None:
    facets = extract_entities("EU REJECTS GERMAN CALL TO BOYCOTT BRITISH LAMB\nBRUSSELS 1996-08-22\nThe European Commission said on Thursday.")
    assert "Brussels" in facets.places
    assert "European Union" in facets.organizations
    assert "European Commission" in facets.organizations


def test_organization_cues_and_acronyms() -> None:
    facets = extract_entities("The Gaza Health Ministry and NATO officials met the Palestinian Authority in Ramallah.")
    assert {"Gaza Health Ministry", "NATO", "Palestinian Authority"} <= set(facets.organizations)
    assert not facets.people


def test_empty_text_has_no_facets() -> None:
    facets = extract_entities("")
    assert facets.people == facets.organizations == facets.places == facets.countries == []
