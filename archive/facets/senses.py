"""One sense per article: what the words around a tagged name show it to be.

The recogniser reads a name from the few words next to it; some names are told apart only
by a word further off or elsewhere in the article. These checks read such words and decide
for every mention of the name in the article (one sense per article):

* groups of musicians written like people ("Franz Ferdinand") by the grammar and nouns that
  only fit a group: a plural verb after the name ("X were", "X, who have"), a group noun
  before it ("rock band X", "Glasgow group X"), a member noun after it ("X frontman"), a
  group prize as its predicate ("X won best British group");
* towns that no gazetteer holds (small or invented ones) by the words local news puts around
  a place: "X residents", "X town council", "the X library", "the town of X";
* occasions named like organizations ("his State of the Union address");
* awards and documents named like organizations ("Presidential Medal of Freedom", "Kyoto
  Protocol"), and streets, gardens and rivers named like organizations ("Tuileries Garden");
* works named like organizations after a noun for a work ("the comedy Sideways", "the
  album Final Straw");
* the Sun, the Moon and the planets in an article about space, which are no organizations,
  places or people;
* a name before a possessive inside a span ("Gantz's National Unity") when the article names
  that person: the person, and the organization after it;
* a name after a noun for what a person does ("the singer X", "striker X"): a person;
* a lone word read as a small place that is the surname of a person the article names in
  full ("Imelda Staunton" ... "a nomination for Staunton"): the person;
* an organization cut at "for" or "of" after its cue word ("Office" + "for National
  Statistics"): the whole name; one cut before its number ("Channel" + "4"): with it;
* competitions named like organizations ("won the Six Nations", "the Six Nations table",
  "England's Six Nations opener"), read at every place the article writes the name;
* spacecraft written before a craft noun that land or are built ("the SLIM lander", "SLIM
  touched down"), and programmes ("NASA's Artemis programme"): no organizations;
* sites placed by a word of position or a part of town ("the Trocadéro, opposite the Eiffel
  Tower", "the X gardens"): places; a city followed by a year ("Paris 2024"): the organising
  committee, with its year.

Cue words live here as small closed sets (like the facility and work nouns of
:mod:`archive.facets.extract`); the longer list of person nouns is ``data/person_nouns.txt``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..folding import fold_key
from .entities import SMALL_TOWN
from .gazetteer import Gazetteer
from .lexicon import Lexicon, read_lines
from .tagger import Line, TaggedSpan

PLURAL_VERBS = frozenset({"are", "were", "have", "’re", "'re"})
NOT_A_SUBJECT_BEFORE = frozenset(
    {"and", "or", "nor", "&", ",", "of", "for", "with", "by", "to", "from", "about", "like", "than", "as", "if",
     "though", "wish", "would", "could", "should", "will", "might", "must", "may", "can", "did", "does", "do",
     "shall", "let", "make", "made", "help", "helped", "see", "saw", "watch", "watched", "hear", "heard", "plus",
     "both", "either", "neither"}
)
GROUP_NOUNS = frozenset({"band", "bands", "group", "groups", "duo", "trio", "quartet", "quintet", "outfit"})
LIST_WORDS = frozenset({"and", "&", ",", "or"})
MEMBER_FOLLOWERS = frozenset(
    {"frontman", "frontwoman", "guitarist", "bassist", "drummer", "keyboardist", "singer", "vocalist", "bandmate",
     "bandmates", "members"}
)
BEST_PRIZE_NOUNS = frozenset({"band", "group", "duo", "groups", "bands"})
CLAUSE_BREAKS = frozenset({".", "!", "?", ";", ":", ",", "(", ")", "\"", "“", "”"})
RESIDENT_FOLLOWERS = frozenset(
    {"residents", "townspeople", "townsfolk", "villagers", "inhabitants", "council", "councillors", "councilors",
     "library"}
)
SETTLEMENT_NOUNS = frozenset({"town", "village", "city", "county", "borough", "hamlet", "parish"})
SETTLEMENT_FOLLOWERS = frozenset(
    {"council", "councillors", "councilors", "hall", "centre", "center", "residents", "limits", "square", "library"}
)
WORK_NOUNS_BEFORE = frozenset(
    {"film", "movie", "album", "song", "novel", "series", "sitcom", "musical", "opera", "drama", "comedy", "thriller",
     "documentary"}
)
OCCASION_FOLLOWERS = frozenset({"address", "speech", "lecture", "sermon"})
AWARD_AND_DOCUMENT_HEADS = frozenset(
    {"Medal", "Medals", "Prize", "Prizes", "Award", "Awards", "Trophy", "Treaty", "Accord", "Accords", "Agreement",
     "Act", "Protocol"}
)
PLACE_HEADS = frozenset(
    {"River", "Garden", "Gardens", "Square", "Bridge", "Lake", "Sea", "Ocean", "Bay", "Mountains", "Valley", "Canal",
     "Street", "Road", "Avenue", "Boulevard", "Plaza"}
)
CELESTIAL_BODIES = frozenset({"Sun", "Moon", "Earth", "Mercury", "Venus", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune", "Pluto"})
SPACE_WORDS = frozenset(
    {"orbit", "orbits", "orbiting", "orbital", "spacecraft", "lander", "rover", "probe", "planet", "planets",
     "telescope", "astronaut", "astronauts", "asteroid", "comet", "lunar", "solar", "sunlight", "galaxy", "eclipse",
     "cosmonaut", "cosmonauts", "spaceship", "rocket"}
)
MIN_SPACE_WORDS = 2
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "to", "outside", "into", "around", "across"})
COMPLEMENT_JOINERS = frozenset({"for", "of"})
LEGAL_FORMS = frozenset({"Corp", "Corp.", "Inc", "Inc.", "Co", "Co.", "Ltd", "Ltd.", "LLC", "PLC", "plc", "AG", "SA", "NV", "GmbH", "Holdings"})
COMPLEMENT_PARTICLES = frozenset({"of", "the", "and", "&", "on"})
QUANTITY_WORDS = frozenset(
    {"percent", "per", "%", "million", "billion", "bn", "m", "year", "years", "month", "months", "week", "weeks",
     "day", "days", "points", "times", "minutes", "hours", "seconds", "miles", "km"}
)
PHRASE_ENDERS = frozenset(
    {"in", "on", "at", "for", "with", "against", "and", "but", "or", "since", "after", "before", "to", "by", "of",
     "as", "when", "while", "is", "was", "will", "would", "has", "had", "have", "are", "were", "this", "last", "next",
     "so", "because", "until", "from", "than", "again", "yet", "if", "following", "despite", "under", "over",
     "without", "within", "amid", "ahead", "which", "who", "that", "where", "could", "can", "may", "might", "should",
     "must", "said", "says"}
)
MATCH_NOUNS = frozenset(
    {"match", "matches", "game", "games", "clash", "loss", "defeat", "win", "victory", "opener", "encounter", "contest",
     "fixture", "campaign"}
)
ORDINALS = frozenset(
    {"first", "second", "third", "fourth", "fifth", "sixth", "straight", "successive", "consecutive", "maiden"}
)
DAY_WORDS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow", "yesterday",
     "tonight", "weekend"}
)
WIN_VERBS = frozenset(
    {"win", "wins", "won", "winning", "retain", "retains", "retained", "retaining", "clinch", "clinched", "defend",
     "defending"}
)
COMPETITION_FOLLOWERS = frozenset(
    {"title", "titles", "championship", "championships", "trophy", "crown", "table", "opener", "standings", "decider"}
)
EVENT_HEADS = frozenset({"Championship", "Championships", "Tournament", "Marathon", "Olympics", "Prix"})
TIME_PREPOSITIONS = frozenset({"during", "throughout"})
SAYING_WORDS = frozenset({"wrote", "writing", "told", "said", "quoted", "reported", "interview", "column", "article"})
STRETCH_NOUNS = frozenset(
    {"rest", "start", "end", "remainder", "round", "stage", "stages", "game", "games", "match", "matches", "edition",
     "duration", "weekend"}
)
EDITION_WORDS = frozenset({"year", "season", "month", "week", "summer", "winter", "spring", "autumn"})
CRAFT_NOUNS = frozenset(
    {"lander", "spacecraft", "probe", "rover", "orbiter", "capsule", "satellite", "telescope", "rocket", "spaceship",
     "module"}
)
LANDING_VERBS = frozenset(
    {"touched down", "touches down", "landed on", "landed safely", "lifted off", "blasted off", "splashed down",
     "crash-landed", "took off", "was launched", "has landed", "had landed"}
)
MADE_VERBS = frozenset({"designed", "built", "launched", "developed", "sent", "placed"})
PROGRAMME_NOUNS = frozenset({"programme", "programmes", "program", "programs", "mission", "missions"})
SITE_NOUNS = frozenset(
    {"gardens", "esplanade", "district", "quarter", "neighbourhood", "neighborhood", "embankment", "promenade",
     "quays"}
)
POSITION_WORDS = frozenset({"opposite", "overlooking", "beside", "alongside", "facing"})
YEAR = re.compile(r"^(?:18|19|20)\d\d$")


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """Nouns for what a person does that news writes before a name ("the singer", "striker")."""
    return frozenset(line.strip().lower() for line in read_lines("person_nouns.txt"))


def groups_of_musicians(spans: list[TaggedSpan], by_line: dict[int, Line]) -> set[str]:
    """Names tagged as people that the article shows are groups: a plural verb after the
    name ("X were", "X, who have"), a group noun before it ("rock band X"), a member noun
    after it ("X frontman") or a group prize as its predicate ("X won best British group")."""
    groups = set()
    for span in spans:
        if span.label != "PER" or span.headline:
            continue
        line = by_line[span.line]
        if (
            line.before(span).lower() in GROUP_NOUNS and line.after(span) not in LIST_WORDS  # not "duo A and B"
            or line.after(span).lower() in MEMBER_FOLLOWERS
            or _plural_subject(span, line)
            or _wins_group_prize(span, line)
        ):
            groups.add(span.text)
    return groups


def _plural_subject(span: TaggedSpan, line: Line) -> bool:
    """Whether the name opens its clause and is the subject of a plural verb ("X are", "X
    were", "X, who have"), which no single person takes. At most one word may come between
    the clause's start and the name ("Nevertheless X were"), and not a conjunction,
    preposition, modal or "if": names listed with others ("A and X are"), after a preposition
    ("fans of X are"), after a modal ("could X have") or in a condition ("if X were") are left
    alone."""
    tokens = line.tokens
    first = line.positions[span.tokens[0].start]
    last = line.positions[span.tokens[-1].start]
    if span.tokens[-1].possessive:
        return False
    start = first
    while start > 0 and tokens[start - 1].text not in CLAUSE_BREAKS:
        start -= 1
    if first - start > 1 or first > start and tokens[start].text.lower() in NOT_A_SUBJECT_BEFORE:
        return False
    following = [token.text.lower() for token in tokens[last + 1:last + 4]]
    if following[:1] and following[0] in PLURAL_VERBS:
        return not (following[0] == "were" and following[1:2] == ["to"])
    return following[:2] == [",", "who"] and following[2:3] != [] and following[2] in PLURAL_VERBS


def _wins_group_prize(span: TaggedSpan, line: Line) -> bool:
    """Whether the name is followed, in its clause, by a verb of a few lower-case words and
    a prize for a group ("X won best British group", "X picked up best international band")."""
    tokens = line.tokens
    index = line.positions[span.tokens[-1].start] + 1
    verbs = 0
    while index < len(tokens) and tokens[index].text.islower() and tokens[index].text != "best" and verbs < 3:
        index += 1
        verbs += 1
    if not verbs or index >= len(tokens) or tokens[index].text != "best":
        return False
    while index < len(tokens) and tokens[index].text not in CLAUSE_BREAKS:
        if tokens[index].text == "best":
            following = [token.text.lower() for token in tokens[index + 1:index + 4]]
            if any(word in BEST_PRIZE_NOUNS for word in following):
                return True
        index += 1
    return False


def towns_by_context(spans: list[TaggedSpan], by_line: dict[int, Line], lexicon: Lexicon) -> set[str]:
    """Names tagged as organizations or people that the article shows are towns: before
    "residents", "council" or "library" ("Riverton residents", "the Millbrook library"),
    before "town council" or "city centre", or after "the town of"."""
    towns = set()
    for span in spans:
        if span.label == "LOC":
            continue
        line = by_line[span.line]
        tokens = line.tokens
        first = line.positions[span.tokens[0].start]
        last = line.positions[span.tokens[-1].start]
        after = [token.text for token in tokens[last + 1:last + 3]]
        if span.tokens[-1].possessive:
            after = []
        if (
            after[:1] and after[0] in RESIDENT_FOLLOWERS
            or len(after) == 2 and after[0] in SETTLEMENT_NOUNS and after[1] in SETTLEMENT_FOLLOWERS
            or first >= 2 and tokens[first - 1].text == "of" and tokens[first - 2].text.lower() in SETTLEMENT_NOUNS
        ) and _could_be_town(span, lexicon):
            towns.add(span.text)
    return towns


def _could_be_town(span: TaggedSpan, lexicon: Lexicon) -> bool:
    """One to three capitalised words that are no known organization, acronym, name ending
    in an organization cue, or person's name opening with a given name."""
    words = span.words
    return (
        1 <= len(words) <= 3
        and all(word[:1].isupper() and not word.isupper() for word in words)
        and lexicon.organization(span.text) is None
        and words[-1] not in lexicon.org_cues
        and not (span.label == "PER" and fold_key(words[0]) in lexicon.given_names)
    )


def occasions(spans: list[TaggedSpan], by_line: dict[int, Line], lexicon: Lexicon) -> set[str]:
    """Names tagged as organizations or people that name an occasion: before "address",
    "speech", "lecture" or "sermon" ("the State of the Union address"); known organizations
    excepted ("a Downing Street speech"). ("Programme" is no cue: "a BBC World Service
    programme" names its broadcaster.)"""
    found = set()
    for span in spans:
        if span.label == "LOC" or span.tokens[-1].possessive or by_line[span.line].after(span) not in OCCASION_FOLLOWERS:
            continue
        if lexicon.organization(span.text) is None:
            found.add(span.text)
    return found


def works_after_a_work_noun(spans: list[TaggedSpan], by_line: dict[int, Line], lexicon: Lexicon) -> set[str]:
    """Names tagged as organizations right after a noun for a work ("the comedy Sideways",
    "the album Final Straw", "the sitcom Scrubs"): titles, not organizations. Acronyms and
    known organizations are left alone; "band" and "game" are no cue (a band is an
    organization; "the game UK" is a country)."""
    return {
        span.text
        for span in spans
        if span.label == "ORG"
        and by_line[span.line].before(span).lower() in WORK_NOUNS_BEFORE
        and not span.text.isupper()
        and lexicon.organization(span.text) is None
    }


def awards_and_documents(spans: list[TaggedSpan], lexicon: Lexicon) -> set[str]:
    """Names tagged as organizations whose head word names an award or a document: the last
    word, or the word before "of" ("Nobel Peace Prize", "Presidential Medal of Freedom",
    "Kyoto Protocol", "Patriot Act"); known organizations excepted."""
    found = set()
    for span in spans:
        if span.label != "ORG":
            continue
        words = span.words
        head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
        if (head in AWARD_AND_DOCUMENT_HEADS or words[-1] in AWARD_AND_DOCUMENT_HEADS) and lexicon.organization(span.text) is None:
            found.add(span.text)
    return found


def places_by_head(spans: list[TaggedSpan], lexicon: Lexicon) -> set[str]:
    """Names tagged as organizations that end in a word for a street, square, garden or
    body of water ("Tuileries Garden", "Harbour Square"), or open with "River" ("River
    Thames"): places; known organizations excepted ("Downing Street")."""
    return {
        span.text
        for span in spans
        if span.label == "ORG"
        and len(span.tokens) > 1
        and (span.words[-1] in PLACE_HEADS or span.words[0] == "River")
        and lexicon.organization(span.text) is None
        and not any(word in lexicon.org_cues for word in span.words)
    }


def celestial_bodies(spans: list[TaggedSpan], lines: list[Line]) -> set[str]:
    """The Sun, the Moon and the planets named in an article about space (two or more
    words such as "orbit", "lander", "solar", "telescope"): not organizations, places or people."""
    named = {span.text for span in spans if span.text in CELESTIAL_BODIES}
    if not named:
        return set()
    space_words = {token.text.lower() for line in lines for token in line.tokens if token.text.lower() in SPACE_WORDS}
    return named if len(space_words) >= MIN_SPACE_WORDS else set()


def split_owner_possessives(
    spans: list[TaggedSpan], lexicon: Lexicon, by_line: dict[int, Line] | None = None
) -> list[TaggedSpan]:
    """A span run across a possessive ("Gantz's National Unity", "NASA's Artemis") whose
    part up to the possessive names a person of the article (a full name tagged elsewhere,
    or its surname) or a known organization or an acronym: that person or organization, then the rest
    with the span's label (after an organization, only a name of two or more words: one word
    is mostly its product or show, unless "programme" or "mission" follows it: "NASA's Artemis
    programme" is cut, the programme's name then left to :func:`programmes`). Names with an owner's possessive and an organization cue
    ("Barnard's Retail Group", "McDonald's Corp") and names whose first part names no person
    of the article or known organization ("People's Bank") are kept whole."""
    full_names = [span for span in spans if span.label == "PER" and len(span.tokens) > 1]
    people = {span.text for span in full_names} | {span.tokens[-1].text for span in full_names}
    result = []
    for span in spans:
        cut = next((index for index, token in enumerate(span.tokens[:-1]) if token.possessive), None)
        if span.label == "PER" or cut is None:
            result.append(span)
            continue
        head, tail = span.tokens[:cut + 1], span.tokens[cut + 1:]
        head_text = " ".join(token.text for token in head)
        known = lexicon.organization(head_text) is not None or len(head) == 1 and head_text.isalpha() and head_text.isupper()
        owner = "PER" if head_text in people else "ORG" if known else None
        if (
            owner is None
            or not tail[0].text[:1].isupper()
            or tail[-1].text in lexicon.org_cues
            or owner == "ORG" and len(tail) == 1 and not _before_programme_noun(span, by_line)
            # "Sony's PlayStation", "BBC's Breakfast": a product, a show
        ):
            result.append(span)
            continue
        result.append(TaggedSpan(owner, head, span.line, span.headline))
        result.append(TaggedSpan(span.label, tail, span.line, span.headline))
    return result


def _before_programme_noun(span: TaggedSpan, by_line: dict[int, Line] | None) -> bool:
    """Whether "programme", "program" or "mission" follows the span in its line."""
    return by_line is not None and by_line[span.line].after(span).lower() in PROGRAMME_NOUNS


def surnames_read_as_places(spans: list[TaggedSpan], by_line: dict[int, Line], gazetteer: Gazetteer) -> set[str]:
    """One-word names tagged as places that are the last word of a person's full name in the
    article ("Imelda Staunton" ... "a nomination for Staunton"), when no gazetteer place
    larger than a small town has that name and no preposition of place comes before them
    ("in Staunton" stays the town)."""
    surnames = {span.tokens[-1].text for span in spans if span.label == "PER" and len(span.tokens) > 1}
    found = set()
    for span in spans:
        if span.label != "LOC" or len(span.tokens) != 1 or span.text not in surnames:
            continue
        place = gazetteer.lookup(span.text)
        if place is not None and not (place.kind == "city" and place.population < SMALL_TOWN):
            continue
        if by_line[span.line].before(span).lower() in PLACE_PREPOSITIONS:
            continue
        found.add(span.text)
    return found


def after_person_noun(span: TaggedSpan, line: Line, lexicon: Lexicon, gazetteer: Gazetteer) -> bool:
    """Whether a span tagged as an organization or place is a person's name written after a
    noun for what a person does ("the singer Aya Nakamura", "striker Tomas Varga"): two or
    three capitalised words, no known organization or place, no cue word."""
    if span.label == "PER" or not 2 <= len(span.tokens) <= 3 or line.before(span) not in person_nouns():
        return False
    words = span.words
    return (
        all(word[:1].isupper() and not word.isupper() for word in words)
        and lexicon.organization(span.text) is None
        and gazetteer.lookup(span.text) is None
        and not any(word in lexicon.org_cues or word in lexicon.place_cues for word in words)
        and not any(fold_key(word) in lexicon.non_person_words or fold_key(word) in lexicon.not_names for word in words)
    )


def join_cue_complements(spans: list[TaggedSpan], by_line: dict[int, Line], lexicon: Lexicon) -> list[TaggedSpan]:
    """An organization or place span ending in an organization cue ("Office", "Commission",
    "Centres") followed by "for" or "of" and a run of capitalised words ("Office for National
    Statistics", "Africa Centres for Disease Control and Prevention"): one organization
    spanning the run, which takes in the spans tagged inside it. The run stops at a word no
    name holds (a month, a weekday), at a second "for", and at "and" before "the" or an
    acronym (another name begins). A company name ending in its legal form is complete
    ("Kia Motor Corp of South Korea": the company, then its country)."""
    result: list[TaggedSpan] = []
    swallowed_until: dict[int, int] = {}
    for span in spans:
        if swallowed_until.get(span.line, -1) >= span.tokens[-1].start:
            continue
        line = by_line[span.line]
        last_word = span.words[-1]
        cue = last_word in lexicon.org_cues or last_word.endswith("s") and last_word[:-1] in lexicon.org_cues
        if span.label == "PER" or span.headline or not cue or span.tokens[-1].possessive or last_word in LEGAL_FORMS:
            result.append(span)
            continue
        tokens = line.tokens
        index = line.positions[span.tokens[-1].start] + 1
        if index >= len(tokens) or tokens[index].text not in COMPLEMENT_JOINERS:
            result.append(span)
            continue
        end = index + 1
        while end < len(tokens):
            word = tokens[end].text
            if line.capitalised[end] and word[:1].isupper() and fold_key(word) not in lexicon.not_names:
                end += 1
                if tokens[end - 1].possessive:
                    break
            elif word in COMPLEMENT_PARTICLES and end + 1 < len(tokens) and _continues_name(word, tokens[end + 1].text):
                end += 1
            else:
                break
        while end > index + 1 and not tokens[end - 1].text[:1].isupper():
            end -= 1
        if end <= index + 1:
            result.append(span)
            continue
        first = line.positions[span.tokens[0].start]
        joined = TaggedSpan("ORG", tuple(tokens[first:end]), span.line, span.headline)
        swallowed_until[span.line] = tokens[end - 1].start
        result.append(joined)
    return result


def _continues_name(particle: str, following: str) -> bool:
    """Whether a particle inside a run goes on with the name: "of the X", "Control and
    Prevention"; not "and the X" or "and DMB", which start another name."""
    if particle in ("and", "&"):
        return following[:1].isupper() and not following.isupper()
    return following[:1].isupper() or following == "the" and particle != "the"


def attach_numbers(spans: list[TaggedSpan], by_line: dict[int, Line], gazetteer: Gazetteer) -> list[TaggedSpan]:
    """An organization followed by a number of one or two digits and then no capitalised word
    or unit ("Channel 4", "BBC Radio 4", "BBC News 24"): the number is part of its name.
    Places are left alone ("London 12" is a count), and callers leave out sports reports,
    where a number after a club is its score."""
    result = []
    for span in spans:
        line = by_line[span.line]
        index = line.positions[span.tokens[-1].start] + 1
        tokens = line.tokens
        if (
            span.label == "ORG"
            and not line.table
            and not span.tokens[-1].possessive
            and index < len(tokens)
            and len(tokens[index].text) <= 2
            and tokens[index].text.isdigit()
            and (
                index + 1 == len(tokens)
                or not tokens[index + 1].text[:1].isupper()
                and tokens[index + 1].text != ","
                and tokens[index + 1].text.lower() not in QUANTITY_WORDS
            )
            and gazetteer.lookup(span.text) is None
        ):
            span = TaggedSpan(span.label, (*span.tokens, tokens[index]), span.line, span.headline)
        result.append(span)
    return result


def competitions(spans: list[TaggedSpan], by_line: dict[int, Line], lexicon: Lexicon, *, sport: bool) -> set[str]:
    """Names tagged as organizations that the article shows are competitions (events, not
    organizations): won or retained ("won the X", "retain the X title"); followed by a noun
    only a competition takes, at the end of its phrase ("the X table with", "their X opener
    in", "the X title."); named by its head word ("X Championship", "X Marathon"); a recurring
    edition ("this year's X", "last season's X", "the 2005 X"); a match of a team in it
    ("England's X opener", "his side's X loss": a team's possessive, not a day's, then a
    noun for a match; no team is written between a team's possessive and its match); a count
    of matches in it ("a third X win", "their third straight X defeat"); the whole of it ("miss
    the entire X"); a stretch of time ("during the X", "the rest of the X", "games of the X") or, in a sports report (``sport``), the
    place where play happens ("in the X" at the end of a phrase). Acronyms and known
    organizations are left alone; nouns a team also takes ("match", "clash", "win", "title
    hopes") are no cue, nor is "of the X" after other nouns ("coach of the X"). Every place
    the article writes the name is read, tagged or not (one sense per article)."""
    candidates = {
        tuple(span.words)
        for span in spans
        if span.label == "ORG"
        and not span.text.isupper()
        and lexicon.organization(span.text) is None
        and span.words[-1] not in lexicon.org_cues
    }
    return {
        " ".join(token.text for token in line.tokens[first:last + 1])
        for line, first, last in _occurrences(candidates, by_line)
        if competition_cue(line, first, last, sport=sport) is not None
    }


def competition_cue(line: Line, first: int, last: int, *, sport: bool) -> str | None:
    """Which cue around the name at ``first``..``last`` of ``line`` shows it is a competition
    (see :func:`competitions`), or None."""
    if line.tokens[last].possessive:
        return None
    words = [token.text for token in line.tokens[first:last + 1]]
    before = [token.text.lower() for token in line.tokens[max(0, first - 3):first]]
    before_possessive = first > 0 and line.tokens[first - 1].possessive
    after = [token.text.lower() for token in line.tokens[last + 1:last + 3]]
    ends = not after or after[0] in CLAUSE_BREAKS or after[0] in PHRASE_ENDERS
    follower_ends = len(after) == 1 or len(after) == 2 and (after[1] in CLAUSE_BREAKS or after[1] in PHRASE_ENDERS)
    the = before[-1:] == ["the"]
    cues = (
        ("won the X", the and before[-2:-1] and before[-2] in WIN_VERBS and (ends or after[0] in COMPETITION_FOLLOWERS)),
        ("X table", after[:1] and after[0] in COMPETITION_FOLLOWERS and follower_ends),
        ("X Championship", words[-1] in EVENT_HEADS and len(words) > 1),
        ("this year's X", before_possessive and before[-1:] and before[-1] in EDITION_WORDS and ends),
        ("England's X opener", before_possessive and before[-1] not in EDITION_WORDS | DAY_WORDS and after[:1] and after[0] in MATCH_NOUNS),
        ("the 2005 X", before[-2:-1] == ["the"] and YEAR.match(before[-1]) and ends),
        ("during the X", the and before[-2:-1] and before[-2] in TIME_PREPOSITIONS and ends),
        ("the rest of the X", the and before[-3:-1] and before[-2] == "of" and before[-3] in STRETCH_NOUNS and ends),
        ("in the X (sport)", sport and the and before[-2:-1] == ["in"] and not (before[-3:-2] and before[-3] in SAYING_WORDS) and ends),
        ("the entire X", before[-2:] in (["the", "entire"], ["the", "whole"]) and ends),
        ("a third X win", before[-1:] and before[-1] in ORDINALS and after[:1] and after[0] in MATCH_NOUNS),
    )
    return next((cue for cue, found in cues if found), None)


def _occurrences(names: set[tuple[str, ...]], by_line: dict[int, Line]) -> list[tuple[Line, int, int]]:
    """Every place a line writes one of ``names`` (as a run of token texts): the line and the
    indices of the run's first and last token."""
    found = []
    firsts = {name[0] for name in names}
    for line in by_line.values():
        texts = [token.text for token in line.tokens]
        for index, text in enumerate(texts):
            if text not in firsts:
                continue
            for name in names:
                if tuple(texts[index:index + len(name)]) == name:
                    found.append((line, index, index + len(name) - 1))
    return found


def spacecraft(spans: list[TaggedSpan], by_line: dict[int, Line], lines: list[Line], lexicon: Lexicon) -> set[str]:
    """Names in an article about space (two or more space words) that name a craft, not an
    organization: written before a craft noun ("the SLIM lander", not "a JAXA probe", the
    agency's) and also the subject of a landing or a making ("X touched down", "X, touched
    down", "X was designed"). An agency is written before craft nouns too ("the NASA
    spacecraft") but does not land or get built, so one cue alone is not enough."""
    space_words = {token.text.lower() for line in lines for token in line.tokens if token.text.lower() in SPACE_WORDS}
    if len(space_words) < MIN_SPACE_WORDS:
        return set()
    before_craft, landed = set(), set()
    for span in spans:
        if span.tokens[-1].possessive or lexicon.organization(span.text):
            continue
        line = by_line[span.line]
        first = line.positions[span.tokens[0].start]
        last = line.positions[span.tokens[-1].start]
        preceding = {token.text.lower() for token in line.tokens[max(0, first - 2):first]}
        following = [token.text.lower() for token in line.tokens[last + 1:last + 4]]
        if following[:1] and following[0] in CRAFT_NOUNS and not preceding & {"a", "an"}:
            before_craft.add(span.text)
        if following[:1] == [","]:
            following = following[1:]
        if " ".join(following[:2]) in LANDING_VERBS or following[:1] in (["was"], ["is"]) and following[1:2] and following[1] in MADE_VERBS:
            landed.add(span.text)
    return before_craft & landed


def programmes(spans: list[TaggedSpan], by_line: dict[int, Line], lexicon: Lexicon) -> set[str]:
    """Names tagged as organizations before "programme", "program" or "mission" after "the" or an
    owner's possessive ("the Apollo programme", "NASA's Artemis programme"): a programme's name,
    not an organization. Acronyms, known organizations and names ending in an organization cue
    are left alone ("a BBC programme", "the UN mission"), and so are channels ("the Radio 4
    programme")."""
    found = set()
    for span in spans:
        if span.label != "ORG" or span.tokens[-1].possessive or by_line[span.line].after(span).lower() not in PROGRAMME_NOUNS:
            continue
        line = by_line[span.line]
        first = line.positions[span.tokens[0].start]
        owner = first > 0 and (line.tokens[first - 1].text.lower() == "the" or line.tokens[first - 1].possessive)
        if (
            owner
            and not any(word.isupper() or word.isdigit() for word in span.words)  # "a Radio 4 programme": a channel's
            and lexicon.organization(span.text) is None
            and span.words[-1] not in lexicon.org_cues
        ):
            found.add(span.text)
    return found


def places_by_position(spans: list[TaggedSpan], by_line: dict[int, Line], lexicon: Lexicon) -> set[str]:
    """Names tagged as organizations that the article places like a site: followed by a comma
    and a word of position ("the Trocadéro, opposite the Eiffel Tower", "X, overlooking the
    bay") or by a noun for part of a town ("the X gardens", "the X district"). One to three
    capitalised words; known organizations, acronyms and names ending in a cue word are left
    alone."""
    found = set()
    for span in spans:
        if span.label != "ORG" or span.tokens[-1].possessive:
            continue
        line = by_line[span.line]
        last = line.positions[span.tokens[-1].start]
        following = [token.text.lower() for token in line.tokens[last + 1:last + 3]]
        if (
            (following[:1] and following[0] in SITE_NOUNS or following[:1] == [","] and following[1:2] and following[1] in POSITION_WORDS)
            and 1 <= len(span.words) <= 3
            and all(word[:1].isupper() and not word.isupper() for word in span.words)
            and lexicon.organization(span.text) is None
            and span.words[-1] not in lexicon.org_cues
        ):
            found.add(span.text)
    return found


def attach_years(spans: list[TaggedSpan], by_line: dict[int, Line], gazetteer: Gazetteer) -> list[TaggedSpan]:
    """An organization that is a place's name followed by a year ("Paris 2024", "London 2012"):
    the organising committee or the Games named after the city and year, so the year is part of
    its name (the city alone is no organization)."""
    result = []
    for span in spans:
        line = by_line[span.line]
        index = line.positions[span.tokens[-1].start] + 1
        if (
            span.label == "ORG"
            and not span.tokens[-1].possessive
            and index < len(line.tokens)
            and YEAR.match(line.tokens[index].text)
            and gazetteer.lookup(span.text) is not None
        ):
            span = TaggedSpan(span.label, (*span.tokens, line.tokens[index]), span.line, span.headline)
        result.append(span)
    return result
