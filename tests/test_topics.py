"""Tests for the topic facet (archive.facets.topics).

All article snippets below were written for these tests.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.facets import topics
from archive.facets.topics import classify_topics, describe_topics, topic_names

FOOTBALL = (
    "United snatch late winner against City",
    "A stoppage-time goal from the substitute striker gave United a 2-1 victory over City on "
    "Saturday. The visitors had equalised through a penalty after the interval, but the home "
    "side kept pressing and the winger's cross was headed in. The result lifts United to third "
    "in the Premier League table, and the manager praised his players.",
)
CENTRAL_BANK = (
    "Central bank raises interest rates to curb inflation",
    "The central bank raised its benchmark interest rate by a quarter of a percentage point on "
    "Thursday, the third increase this year, as policymakers try to bring inflation back towards "
    "their 2% target. Economists had expected the move. Shares in banks rose while the currency "
    "strengthened against the dollar. The governor warned that growth would slow and that "
    "borrowers faced higher mortgage costs.",
)
ELECTION = (
    "Opposition wins snap election as turnout rises",
    "The opposition party won a clear majority in Sunday's snap election, ending a decade in "
    "government for the ruling coalition. Voters turned out in record numbers. The party "
    "leader, expected to be sworn in as prime minister next week, promised to reform the "
    "constitution. Outgoing ministers conceded defeat and said they would act as a "
    "constructive opposition in parliament.",
)
SMARTPHONE = (
    "Firm unveils thinner smartphone with longer battery life",
    "The company unveiled its latest smartphone on Tuesday, promising a faster processor, a "
    "brighter screen and a battery that lasts two days. The handset runs the newest version of "
    "its operating system and supports 5G networks. Analysts said the device would compete with "
    "rival models. Users will be able to download apps from the online store.",
)
FILM_FESTIVAL = (
    "Director's debut wins top prize at film festival",
    "A first-time director's drama about a family of fishermen won the top prize at the film "
    "festival on Saturday night. The jury praised the film's cast and its score. The actress "
    "who plays the mother was named best actress. The movie will open in cinemas in the spring; "
    "the festival also screened documentaries and a restored silent classic.",
)
HOSPITAL_VACCINE = (
    "Hospitals prepare for winter flu vaccine campaign",
    "Hospitals and GP surgeries are preparing for the annual flu vaccination campaign, with "
    "health officials urging older people and pregnant women to get the vaccine. Doctors warned "
    "that the virus could put pressure on emergency departments. Nurses will also offer a "
    "booster. Patients with asthma, diabetes and heart disease are eligible for a free jab.",
)
WEATHER = (
    "Heavy snow and freezing temperatures to hit north",
    "Forecasters have issued a weather warning for heavy snow across the north, with "
    "temperatures expected to fall to minus 10C overnight. Up to 20cm of snow could settle on "
    "higher ground, with icy roads and strong winds making travel difficult. Milder, wetter "
    "weather is forecast from the west by the weekend, bringing rain and sleet.",
)
EARTHQUAKE = (
    "Earthquake kills dozens and leaves thousands homeless",
    "A powerful earthquake struck the region early on Monday, killing at least 60 people and "
    "destroying hundreds of homes. Rescue workers searched through the rubble for survivors as "
    "aftershocks shook the area. The quake had a magnitude of 6.8. Aid agencies sent tents and "
    "water, and the government declared a state of emergency.",
)
MURDER_TRIAL = (
    "Man jailed for life for murder of shopkeeper",
    "A 34-year-old man has been jailed for life for the murder of a shopkeeper during a robbery "
    "last year. The jury took four hours to reach a guilty verdict. The judge told the defendant "
    "he must serve at least 25 years in prison. Police said the victim's family had shown great "
    "dignity throughout the trial.",
)
CEASEFIRE = (
    "Ceasefire collapses as fighting resumes near border",
    "A fragile ceasefire collapsed on Wednesday as government troops and rebel fighters clashed "
    "near the border, with artillery shelling reported in several villages. The army said "
    "insurgents had attacked a military post, killing four soldiers. Thousands of civilians have "
    "fled the fighting. Peace talks were suspended.",
)
RAIL_STRIKE = (
    "Rail workers to strike over pay and job cuts",
    "Rail workers will stage a 48-hour strike next month after talks over pay and job cuts broke "
    "down, their union said. Members voted by a large margin for industrial action. The union "
    "says wages have fallen behind inflation and that closing ticket offices would cost "
    "hundreds of jobs. Employers said the pay offer was fair and urged staff to accept it.",
)
EXAMS = (
    "Exam results show more pupils achieving top grades",
    "More pupils achieved top grades in this year's exams, figures show. Teachers' unions said "
    "the results reflected hard work by students and staff. The education secretary "
    "congratulated pupils and promised extra tutoring. Universities expect record applications, "
    "and head teachers called for more money for school buildings.",
)
CLIMATE = (
    "Nations agree to cut emissions at climate summit",
    "Countries agreed to speed up cuts in greenhouse gas emissions at the end of the climate "
    "change summit, though campaigners said the deal did not go far enough to limit global "
    "warming. The agreement calls for a shift away from fossil fuels towards renewable energy "
    "such as wind and solar power, and for money to protect rainforests and endangered species.",
)
EASTER = (
    "Pope celebrates Easter mass before thousands of pilgrims",
    "The Pope celebrated Easter mass before tens of thousands of pilgrims, calling for peace "
    "and prayer. Cardinals and bishops joined the service. In his homily he urged Christians to "
    "show compassion. Churches around the world held services, and leaders of other faiths, "
    "including Muslim and Jewish representatives, sent messages.",
)

TOPICAL = [
    (FOOTBALL, "sport"),
    (CENTRAL_BANK, "economy"),
    (ELECTION, "politics"),
    (SMARTPHONE, "science and technology"),
    (FILM_FESTIVAL, "arts and culture"),
    (HOSPITAL_VACCINE, "health"),
    (WEATHER, "weather"),
    (EARTHQUAKE, "disaster"),
    (MURDER_TRIAL, "crime and justice"),
    (CEASEFIRE, "conflict"),
    (RAIL_STRIKE, "labour"),
    (EXAMS, "education"),
    (CLIMATE, "environment"),
    (EASTER, "religion"),
]


@pytest.mark.parametrize(("article", "expected"), TOPICAL, ids=[e for _, e in TOPICAL])
def test_main_topic(article: tuple[str, str], expected: str) -> None:
    title, body = article
    result = classify_topics(title, body)
    assert result, "expected at least one topic"
    assert result[0] == expected


@pytest.mark.parametrize(
    ("title", "body"),
    [("", ""), ("   ", "\n\n"), ("Hello", ""), ("", "It was a day like any other."), ("", "...")],
)
def test_no_evidence_gives_no_topic(title: str, body: str) -> None:
    assert classify_topics(title, body) == []


def test_headline_only() -> None:
    assert classify_topics("Election called for June", "") == ["politics"]
    assert classify_topics("", "Election called for June") == ["politics"]


def test_max_topics() -> None:
    title, body = ELECTION
    assert classify_topics(title, body, max_topics=0) == []
    assert len(classify_topics(title, body, max_topics=1)) == 1
    mixed_title = "Minister faces questions over hospital waiting lists and school budgets"
    mixed_body = (
        "The health secretary faced MPs in parliament over hospital waiting lists, as doctors and "
        "nurses warned that patients were waiting longer. The opposition party said the "
        "government had broken its election promise. Teachers and head teachers said school "
        "budgets were also under strain."
    )
    assert len(classify_topics(mixed_title, mixed_body, max_topics=2)) <= 2
    assert len(classify_topics(mixed_title, mixed_body)) >= 2


def test_results_are_known_names_without_duplicates() -> None:
    names = set(topic_names())
    for (title, body), _ in TOPICAL:
        result = classify_topics(title, body)
        assert set(result) <= names
        assert len(result) == len(set(result))
        assert len(result) <= 3


def test_plural_and_singular_forms_match() -> None:
    singular, _ = topics.score_topics("", "The election candidate faced the voter.")
    plural, _ = topics.score_topics("", "The elections candidates faced the voters.")
    assert singular["politics"] == plural["politics"] > 0


def test_possessive_forms_match() -> None:
    plain, _ = topics.score_topics("", "The party leader spoke.")
    possessive, _ = topics.score_topics("", "The party\u2019s leader spoke.")
    assert possessive.get("politics", 0) == plain.get("politics", 0) > 0


def test_labour_party_versus_labour_topic() -> None:
    party = classify_topics(
        "Labour sets out election pledges",
        "Labour's leader said the party would campaign on public services. Labour MPs backed "
        "the manifesto ahead of the general election.",
    )
    assert party[0] == "politics"
    work = classify_topics(
        "Shortage of labour hits farms",
        "Farms say a shortage of labour and rising wages are hurting the harvest; the labour "
        "market is tight and employers cannot find seasonal workers.",
    )
    assert work[0] == "labour"


def test_title_counts_more_than_body() -> None:
    body = "The report was published on Monday. It has many pages."
    assert classify_topics("Striker scores twice in cup final", body)[0] == "sport"
    assert classify_topics("Inflation falls as central bank holds rates", body)[0] == "economy"


def test_taxonomy_names() -> None:
    names = topic_names()
    assert len(names) == 17
    assert len(set(names)) == 17
    for name in names:
        assert name == name.lower() == name.strip()
        assert re.fullmatch(r"[a-z]+( [a-z]+)*", name), name
    for expected in ("sport", "economy", "politics", "science and technology",
                     "arts and culture", "health"):
        assert expected in names


def test_describe_topics_records() -> None:
    records = describe_topics()
    assert [r.name for r in records] == topic_names()
    codes = [r.code for r in records]
    assert codes == sorted(codes)
    assert codes == [f"medtop:{n:02d}000000" for n in range(1, 18)]
    for record in records:
        assert record.description
        assert record.iptc_label
        assert record.keyword_count > 0


def test_data_file_topics_have_code_and_keywords() -> None:
    text = resources.files("archive.facets").joinpath("data/topics.json").read_text("utf-8")
    data = json.loads(text)
    assert len(data["topics"]) == 17
    total = 0
    for topic in data["topics"]:
        assert re.fullmatch(r"medtop:\d{8}", topic["code"]), topic
        assert topic["name"] and topic["description"] and topic["iptc_label"]
        keywords = topic["keywords"]
        assert len(keywords) >= 30, topic["name"]
        total += len(keywords)
        for keyword, weight in {**keywords, **topic.get("cased_keywords", {})}.items():
            assert isinstance(weight, (int, float)) and weight > 0, (keyword, weight)
            assert 1 <= len(keyword.split()) <= 2, keyword
            assert keyword == keyword.strip() and keyword.isascii(), keyword
        for keyword in keywords:
            assert keyword == keyword.lower(), keyword
    assert total >= 500


def test_import_does_no_work() -> None:
    # In a fresh interpreter, so that this session's already-loaded caches do not interfere.
    code = (
        "import archive.facets.topics as t\n"
        "assert t._raw_data.cache_info().currsize == 0\n"
        "assert t._lexicon.cache_info().currsize == 0\n"
        "assert t.topic_names()\n"
        "assert t._lexicon.cache_info().currsize == 1\n"
    )
    root = str(Path(topics.__file__).resolve().parents[2])
    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=root)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=2000), st.integers(min_value=-1, max_value=5))
def test_arbitrary_text_is_safe(title: str, body: str, max_topics: int) -> None:
    result = classify_topics(title, body, max_topics=max_topics)
    assert isinstance(result, list)
    assert len(result) <= max(max_topics, 0)
    assert set(result) <= set(topic_names())
    assert len(result) == len(set(result))
