"""The learned entity recogniser on the kinds of error issue 19 names, each with its own sentences."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from archive.facets.aliases import fullest_name
from archive.facets.extract import extract_entities, extract_facets
from archive.models import Article

REPO = Path(__file__).resolve().parents[1]
TINY_GOLD = Path(__file__).parent / "fixtures" / "entity_gold_tiny"


def test_file_photo_captions_are_not_people() -> None:
    facets = extract_entities(
        "FILE PHOTO: Workers walk past the plant in Wolfsburg, Germany, May 3, 2023. REUTERS/Anna Berg/File Photo"
    )
    assert all("photo" not in name.lower() for name in facets.people + facets.organizations + facets.places)
    assert "Germany" in facets.countries
    assert "Anna Berg" in facets.people  # the photographer of the credit line


def test_geographic_names_with_a_leading_cue_are_places() -> None:
    facets = extract_entities("The rocket lifted off from Cape Canaveral after a delay, officials said.")
    assert "Cape Canaveral" in facets.places and facets.people == []


def test_facilities_are_not_people() -> None:
    facets = extract_entities("Aid lorries waited at the Kerem Shalom crossing on Sunday, officials in Cairo said.")
    assert facets.people == []
    facets = extract_entities("Doctors at the Al-Awda hospital said supplies ran short.")
    assert facets.people == []


def test_role_word_before_a_name_is_dropped() -> None:
    facets = extract_entities("Resident Paul Ferris said the river rose within an hour.")
    assert facets.people == ["Paul Ferris"]


def test_people_named_after_places_are_people() -> None:
    facets = extract_entities("Paris Hilton arrived at the gala in a silver dress.")
    assert facets.people == ["Paris Hilton"] and "France" not in facets.countries
    facets = extract_entities("Jordan Peterson said on Tuesday he would appeal the ruling.")
    assert facets.people == ["Jordan Peterson"] and facets.organizations == []


def test_person_of_a_country_is_split() -> None:
    facets = extract_entities("Talks between Rishi Sunak of the UK and Emmanuel Macron of France ended early.")
    assert {"Rishi Sunak", "Emmanuel Macron"} == set(facets.people)
    assert {"United Kingdom", "France"} <= set(facets.countries)


def test_dateline_is_a_place_not_an_organization() -> None:
    facets = extract_entities("DAVOS, Switzerland (Reuters) - Bankers met on Tuesday to discuss the outlook.")
    assert "Davos" in facets.places
    assert all(name.upper() != "DAVOS" for name in facets.organizations)


def test_companies_without_cue_words() -> None:
    facets = extract_entities(
        "Moderna and Pfizer said their shots still worked, while Walmart and Expedia reported higher sales "
        "and shares of Barclays fell."
    )
    assert {"Moderna", "Pfizer", "Walmart", "Expedia", "Barclays"} <= set(facets.organizations)
    assert facets.people == []


def test_racing_and_esports_teams() -> None:
    facets = extract_entities("McLaren's Lando Norris beat the Red Bull cars, and Fnatic won the esports final.")
    assert "Lando Norris" in facets.people
    assert {"McLaren", "Fnatic"} <= set(facets.organizations)
    assert any("Red Bull" in name for name in facets.organizations)


def test_news_agencies_and_acronyms() -> None:
    facets = extract_entities(
        "The Associated Press and Agence France-Presse reported the strike, and the FDA and NATO commented."
    )
    assert {"Associated Press", "Agence France-Presse", "FDA", "NATO"} <= set(facets.organizations)
    assert facets.people == []


def test_other_languages_keep_to_strong_evidence() -> None:
    french = Article(id="fr", path="fr", title="Vote", body="Le Parlement a voté mardi, a déclaré Emmanuel Macron à Paris.", language="fr")
    german = Article(id="de", path="de", title="Abstimmung", body="Der Bundestag stimmte zu, sagte Olaf Scholz in Berlin.", language="de")
    spanish = Article(id="es", path="es", title="Voto", body="El Gobierno de España lo rechazó, dijo Pedro Sánchez en Madrid.", language="es")
    people = {name for article in (french, german, spanish) for name in extract_facets(article).people}
    assert people == {"Emmanuel Macron", "Olaf Scholz", "Pedro Sánchez"}
    assert "Spain" in extract_facets(spanish).countries
    assert "Bundestag" in extract_facets(german).organizations


def test_sentence_initial_common_word_is_not_a_person() -> None:
    facets = extract_entities("Critics said the plan had failed. Analysts agreed.")
    assert facets.people == []


def test_fullest_name_prefers_a_well_attested_full_name() -> None:
    assert fullest_name([("Harris", 32), ("Kamala Harris", 20)]) == "Kamala Harris"
    assert fullest_name([("Harris", 32), ("Kamala Devi Harris", 1), ("Kamala Harris", 20)]) == "Kamala Harris"
    assert fullest_name([("Harris", 5)]) == "Harris"


def test_training_script_runs_on_a_tiny_slice(tmp_path: Path) -> None:
    output = tmp_path / "tiny.crfsuite"
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "train_entities.py"), "--data", str(TINY_GOLD),
         "--limit-docs", "40", "--iterations", "30", "--output", str(output)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert output.stat().st_size > 0
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(output))
    assert {"B-PER", "B-LOC", "B-ORG", "O"} <= set(tagger.labels())
    assert "valid span F1" in result.stdout
    gold = [json.loads(line) for line in (TINY_GOLD / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(record["id"].startswith("valid-") for record in gold)


def test_role_qualifiers_and_common_words_opening_sentences_are_not_organizations() -> None:
    facets = extract_entities("Far-right National Security Minister Itamar Ben-Gvir resigned on Sunday.")
    assert facets.organizations == [] and facets.people == ["Itamar Ben-Gvir"]
    facets = extract_entities("Ceasefire talks resumed in Doha. Both sides said a ceasefire was close.")
    assert facets.organizations == [] and facets.people == []


def test_span_never_runs_across_a_full_stop() -> None:
    facets = extract_entities("Printers came from a local firm, Alder Precision Works. The library reopened.")
    assert all("." not in name and not name.endswith("The") for name in facets.organizations + facets.people)


def test_span_edges_honorifics_and_countries_tidied() -> None:
    facets = extract_entities(
        "Mr Ebbers left the court. The Glazer bid failed, and shares of Yugansk fell in the US on Monday."
    )
    assert "Ebbers" in facets.people
    assert all(not name.split()[0].islower() and not name.split()[-1].islower() for name in facets.people + facets.organizations)
    assert "US" not in facets.organizations and "United States" in facets.countries
