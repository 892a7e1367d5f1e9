"""The facet extractor's parts tested directly: typing spans (entities), canonical names within
an article (names), ambiguous places read by their context (places)."""

from __future__ import annotations

from archive.facets.entities import COUNTRY, ORGANIZATION, PERSON, PLACE, UNRESOLVED, EntityTyper, Mention
from archive.facets.gazetteer import load_gazetteer
from archive.facets.lexicon import load_lexicon
from archive.facets.mentions import find_spans
from archive.facets.names import display_name, person_name, resolve_mentions
from archive.facets.places import resolve_ambiguous_places


def typed(text: str, *, sport: bool = False) -> list[tuple[str, str]]:
    typer = EntityTyper(load_lexicon(), load_gazetteer(), sport=sport)
    return [(mention.kind, mention.name) for span in find_spans(text) for mention in typer.type_span(span)]


def test_typer_uses_roles_known_organizations_and_the_gazetteer() -> None:
    found = typed("Later, Prime Minister Benjamin Netanyahu met officials of the European Central Bank in Rafah.")
    assert (PERSON, "Benjamin Netanyahu") in found
    assert (ORGANIZATION, "European Central Bank") in found
    assert any(kind == PLACE and name == "Rafah" for kind, name in found)


def test_typer_reads_results_tables_as_teams_but_keeps_countries() -> None:
    found = typed("Oakland 5 Boston 3\nFrance 2 Brazil 1", sport=True)
    kinds = dict((name, kind) for kind, name in found)
    assert kinds.get("France") in (PLACE, COUNTRY) and kinds.get("Brazil") in (PLACE, COUNTRY)
    assert kinds.get("Oakland") == ORGANIZATION and kinds.get("Boston") == ORGANIZATION


def test_names_resolve_a_surname_to_the_full_name_given_elsewhere() -> None:
    mentions = [
        Mention(PERSON, "Benny Gantz", 0),
        Mention(UNRESOLVED, "Gantz", 40),
        Mention(ORGANIZATION, "Hamas", 60),
        Mention(PLACE, "Rafah", 80, place_country="Palestine"),
        Mention(COUNTRY, "Israel", 90),
    ]
    resolved = resolve_mentions(mentions)
    assert resolved.people == ["Benny Gantz"]
    assert resolved.organizations == ["Hamas"] and resolved.places == ["Rafah"]
    assert resolved.countries == ["Palestine", "Israel"]
    assert "Gantz" in resolved.written["people"] and "Benny Gantz" in resolved.written["people"]


def test_name_display_helpers() -> None:
    assert display_name("Smith,  John ") == "Smith John"
    assert person_name("Benny GANTZ") == "Benny Gantz"
    assert person_name("Xi Jinping") == "Xi Jinping"


def test_ambiguous_places_follow_the_articles_other_places() -> None:
    gazetteer = load_gazetteer()
    georgia = gazetteer.lookup("Georgia")
    assert georgia is not None and gazetteer.alternatives("Georgia"), "Georgia is ambiguous in the gazetteer"
    mentions = [
        Mention(PLACE, "Atlanta", 0, place_country="United States"),
        Mention(PLACE, georgia.name, 10, place_country=georgia.country, surface="Georgia"),
    ]
    resolved = resolve_ambiguous_places(mentions, gazetteer)
    assert resolved[1].place_country == "United States"
    alone = resolve_ambiguous_places(mentions[1:], gazetteer)
    assert alone[0].place_country == georgia.country  # nothing to say otherwise: the usual reading stays
