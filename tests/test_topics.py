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
from archive.facets.topics import (
    GROUP_HEAD_START,
    GROUP_ODDS,
    TopicModel,
    classify_topics,
    describe_topics,
    explain_topics,
    keyword_topics,
    load_model,
    model_features,
    topic_names,
)

REPO = Path(__file__).resolve().parents[1]
TRAIN_SCRIPT = REPO / "scripts" / "train_topics.py"
MODEL_FILE = REPO / "archive" / "facets" / "data" / "topics_model.json"
GOLD_DATA = REPO.parent / "shared" / "data" / "topic-gold" / "articles.jsonl"

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
        "assert t.load_model.cache_info().currsize == 0\n"
        "assert t.topic_names()\n"
        "assert t._lexicon.cache_info().currsize == 1\n"
        "assert t.load_model.cache_info().currsize == 0\n"
        "assert t.classify_topics('Election called', 'Voters go to the polls.')\n"
        "assert t.load_model.cache_info().currsize == 1\n"
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


# --------------------------------------------------------------------------------------------
# The model and its combination with the keyword scores
# --------------------------------------------------------------------------------------------

MODEL_TOPICS = {"economy", "arts and culture", "politics", "sport", "science and technology"}

STRIKE_POLITICS = (
    "Civil servants strike as ministers defend pension reforms",
    "Thousands of civil servants went on strike on Tuesday over pension changes, closing job "
    "centres and tax offices. The union said its members had voted by a large margin for "
    "industrial action after talks broke down, and warned of further walkouts. Workers on "
    "picket lines said their pensions and pay had been cut. Ministers told parliament that the "
    "reforms were fair, and the prime minister urged the union to return to talks, but "
    "opposition MPs accused the government of provoking the dispute before the election.",
)

# Short items: a title and one sentence, as in news tickers and feeds (written for the tests).
SHORT_ITEMS = [
    (("Retailer's quarterly profit beats forecasts",
      "The supermarket chain reported a 12% rise in quarterly profit as online orders grew, "
      "sending its shares up 6% in early trading."), "economy"),
    (("Oil prices climb after producers extend output cuts",
      "Brent crude rose above $85 a barrel after producers agreed to keep supply curbs."),
     "economy"),
    (("Streaming drama leads award nominations",
      "The period drama received 24 nominations, including best drama series and best "
      "actress."), "arts and culture"),
    (("Band reunites for festival headline slot",
      "The rock band, which split up in 2009, will headline the festival's main stage in "
      "June."), "arts and culture"),
    (("Senate passes spending bill to avert shutdown",
      "The Senate voted 68-30 to approve a stopgap funding measure, sending it to the "
      "president's desk."), "politics"),
    (("Opposition leader calls for early election",
      "The opposition leader said the coalition had lost its mandate and called for a snap "
      "general election."), "politics"),
    (("Champion retains title in straight sets",
      "The world number one beat her rival 6-3 6-4 to retain the title."), "sport"),
    (("Coach sacked after five straight defeats",
      "The club dismissed its head coach after a fifth consecutive league defeat."), "sport"),
    (("Hackers steal data of millions of app users",
      "A cyber attack exposed the email addresses and passwords of 20 million users of the "
      "app."), "science and technology"),
    (("Space agency launches probe to Jupiter's moons",
      "The rocket carrying the probe lifted off on Friday."), "science and technology"),
    (("Flu cases rise as hospitals come under pressure",
      "Doctors urged older patients to get vaccinated as hospital admissions for flu "
      "doubled."), "health"),
    (("Man jailed for murder of shopkeeper",
      "A man was jailed for life for murdering a shopkeeper during a robbery, the court "
      "heard."), "crime and justice"),
]


def _load_train_script():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("train_topics_under_test", TRAIN_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_model_loader() -> None:
    model = load_model()
    assert load_model() is model  # read once
    assert set(model.topics) == MODEL_TOPICS
    assert list(model.topics) == [t for t in topic_names() if t in MODEL_TOPICS]  # IPTC order
    assert len(model.prior) == len(model.topics)
    assert 1_000 < model.vocabulary_size <= 20_000
    assert model.keyword_weight >= 0 and model.evidence_cap > 0
    assert model.weights_of("election") is not None
    assert model.weights_of("no-such-word") is None
    for key in ("description", "trained_by", "training_data", "licence_note"):
        assert model.meta[key]
    assert "non-commercial" in model.meta["licence_note"]


def test_model_weights_point_the_right_way() -> None:
    model = load_model()
    for word, topic in (("election", "politics"), ("goal", "sport"), ("shares", "economy"),
                        ("album", "arts and culture"), ("software", "science and technology")):
        weights = model.weights_of(topics.fold_token(word))
        assert weights is not None, word
        assert model.topics[weights.index(max(weights))] == topic, word


def test_model_file_is_small_and_holds_single_words_only() -> None:
    assert MODEL_FILE.stat().st_size < 1_000_000
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["format"] == "archive-topics-nb/1"
    assert data["vocabulary_size"] == len(data["weights"])
    for word, row in data["weights"].items():
        # Unigrams only: no phrase (and so no text) of the training articles is stored.
        assert re.fullmatch(r"[a-z][a-z0-9]*", word), word
        assert len(row) == len(data["topics"]) and all(isinstance(v, int) for v in row)


def test_model_from_dict_rejects_bad_data() -> None:
    good = {"format": "archive-topics-nb/1", "topics": ["politics", "sport"], "scale": 100,
            "prior": [-69, -69], "keyword_weight": 1.0, "evidence_cap": 20.0,
            "weights": {"goal": [-100, 100]}}
    assert TopicModel.from_dict(good).weights_of("goal") == (-1.0, 1.0)
    for change in ({"format": "other"}, {"topics": ["politics", "gardening"]},
                   {"prior": [0]}, {"weights": {"goal": [1, 2, 3]}}, {"topics": ["sport"]}):
        with pytest.raises(ValueError):
            TopicModel.from_dict({**good, **change})


def test_model_features() -> None:
    features = model_features("Parties' elections", "The party's election in 2005: 10bn votes.")
    assert features["party"] == 3 + 1  # title weight 3, "parties"/"party's" fold to "party"
    assert features["election"] == 3 + 1
    assert "2005" not in features and "10bn" not in features
    assert model_features("", "") == {}


def test_keyword_only_classifier_is_the_documented_baseline() -> None:
    for (title, body), expected in TOPICAL:
        assert keyword_topics(title, body)[0] == expected
    assert keyword_topics("", "") == []
    assert keyword_topics(*ELECTION, max_topics=0) == []


def test_clear_health_article_stays_health() -> None:
    decision = explain_topics(*HOSPITAL_VACCINE)
    assert decision.topics[0] == "health"
    assert decision.reason == "keywords"
    assert decision.group_topic == "health"
    assert decision.group_ratio > GROUP_ODDS


OUTBREAK = (
    "Health agency declares virus outbreak a global emergency",
    "The global health agency declared the outbreak of the virus an international public "
    "health emergency on Wednesday, after a meeting of its emergency committee of experts. "
    "Health ministers from several countries said cases had doubled in a month, and hospitals "
    "near the border have set up isolation wards. The disease causes fever and can be fatal "
    "for young children and patients with weakened immune systems. Doctors called for more "
    "vaccines and testing, and the agency urged governments to fund treatment.",
)


def test_clear_health_article_with_political_vocabulary_stays_health() -> None:
    decision = explain_topics(*OUTBREAK)
    assert decision.topics[0] == "health"
    assert decision.reason == "keywords"


def test_politics_article_about_a_strike_has_both_topics() -> None:
    result = classify_topics(*STRIKE_POLITICS)
    assert result[0] in ("politics", "labour")
    assert "politics" in result and "labour" in result


def test_model_decides_among_its_topics() -> None:
    for (title, body), expected in TOPICAL:
        decision = explain_topics(title, body)
        if expected in MODEL_TOPICS:
            assert decision.reason == "model"
            assert decision.model_choice == expected


@pytest.mark.parametrize(("article", "expected"), TOPICAL, ids=[e for _, e in TOPICAL])
def test_group_rule(article: tuple[str, str], expected: str) -> None:
    decision = explain_topics(*article)
    main = decision.topics[0]
    scores = decision.keyword_scores
    group_score = scores.get(decision.group_topic or "", 0.0)
    five = max(scores.get(k, 0.0) for k in MODEL_TOPICS)
    assert decision.group_ratio == pytest.approx(group_score / (five + GROUP_HEAD_START))
    if decision.reason == "keywords":
        assert main == decision.group_topic and main not in MODEL_TOPICS
        assert group_score > GROUP_ODDS * (five + GROUP_HEAD_START)
    else:
        assert decision.reason == "model"
        assert main == decision.model_choice
        assert group_score <= GROUP_ODDS * (five + GROUP_HEAD_START)


def test_group_rule_with_a_small_model() -> None:
    # A two-topic model that knows one word: the keyword scores alone decide the group.
    model = TopicModel.from_dict({
        "format": "archive-topics-nb/1", "topics": ["politics", "sport"], "scale": 100,
        "prior": [-69, -69], "keyword_weight": 0.0, "evidence_cap": 20.0,
        "weights": {"goal": [-300, 300]}})
    # Keyword evidence for health and none for the model's topics: health leads.
    title, body = HOSPITAL_VACCINE
    assert classify_topics(title, body, model=model)[0] == "health"
    # The model's word decides between its topics when no other topic is clear.
    assert classify_topics("Goal goal goal", "A goal, another goal.", model=model) == ["sport"]
    # A topic outside the model loses when the model's topics have comparable evidence.
    mixed = ("Election candidate visits hospital",
             "The election candidate met voters and the party campaign team at the hospital.")
    decision = explain_topics(*mixed, model=model)
    assert decision.group_ratio <= GROUP_ODDS
    assert decision.topics[0] == "politics"


@pytest.mark.parametrize(("item", "expected"), SHORT_ITEMS, ids=[e for _, e in SHORT_ITEMS])
def test_short_items(item: tuple[str, str], expected: str) -> None:
    result = classify_topics(*item)
    assert result and result[0] == expected


def test_title_only_items() -> None:
    assert classify_topics("Striker scores twice as United win derby", "")[0] == "sport"
    assert classify_topics("Central bank raises interest rates", "")[0] == "economy"
    assert classify_topics("Film wins best picture at awards", "")[0] == "arts and culture"


def _synthetic_corpus(seed: int = 0) -> list[tuple[str, str, str]]:
    import random

    rng = random.Random(seed)
    vocab = {
        "sport": "match goal striker league coach season cup team win injury".split(),
        "economy": "shares profit bank market prices company investors growth trade sales".split(),
        "politics": "election minister party vote parliament government policy leader bill".split(),
    }
    common = "the a report on said it was in and of with new week".split()
    corpus = []
    for topic, words in vocab.items():
        for i in range(12):
            body = " ".join(rng.choice(words + common) for _ in range(40)) + "."
            title = " ".join(rng.choice(words) for _ in range(4)).capitalize()
            corpus.append((title, body, topic))
    corpus.append(corpus[0])  # an exact duplicate: counted once
    corpus.append(("Zyzzyva", "zyzzyva only here", "sport"))  # a word in one article only
    return corpus


def test_training_is_deterministic_and_works_on_a_tiny_corpus() -> None:
    train_topics = _load_train_script()
    corpus = _synthetic_corpus()
    first = train_topics.dumps(train_topics.train(corpus))
    second = train_topics.dumps(train_topics.train(list(corpus)))
    assert first == second
    data = json.loads(first)
    assert data["topics"] == ["economy", "politics", "sport"]  # IPTC code order
    assert data["articles"] == len(corpus) - 1  # the duplicate is skipped
    assert "zyzzyva" not in data["weights"]  # below the minimum document frequency
    assert data["keyword_weight"] in train_topics.GAMMAS
    model = TopicModel.from_dict(data)
    assert classify_topics("Coach praises striker", "The team won the cup match.",
                           model=model)[0] == "sport"
    assert classify_topics("Profit rises", "Company shares and sales grew strongly.",
                           model=model)[0] == "economy"
    # Other topics' data gives another model, and the same data the same one again.
    assert train_topics.dumps(train_topics.train(_synthetic_corpus(seed=1))) != first


def test_training_rejects_unknown_labels() -> None:
    train_topics = _load_train_script()
    with pytest.raises(ValueError):
        train_topics.train([("A title", "A body text", "gardening"),
                            ("B title", "B body text", "sport")])


def test_grouped_folds_keep_duplicates_together() -> None:
    train_topics = _load_train_script()
    keys = ["a", "b", "a", "c", "d", "e", "b", "f"]
    labels = ["x", "y", "x", "x", "y", "x", "y", "y"]
    folds = train_topics.grouped_folds(keys, labels, 3)
    assert folds == train_topics.grouped_folds(keys, labels, 3)
    assert folds[0] == folds[2] and folds[1] == folds[6]
    assert set(folds) == {0, 1, 2}


def test_short_item_is_title_and_first_sentence() -> None:
    train_topics = _load_train_script()
    body = "Prices rose 3.5% in May. Economists had expected less.\n\nMore text."
    assert train_topics.short_item("Title", body) == ("Title", "Prices rose 3.5% in May.")


@pytest.mark.skipif(not GOLD_DATA.is_file(), reason="topic-gold data not available")
def test_committed_model_is_reproducible() -> None:
    # Retraining on the (unshipped) topic-gold set gives the committed file byte for byte.
    result = subprocess.run([sys.executable, str(TRAIN_SCRIPT), "--check"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
