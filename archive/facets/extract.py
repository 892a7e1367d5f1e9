"""Facets of a cleaned article: tagged names → typed mentions → canonical names, plus topics.

English text goes through the learned recogniser (:mod:`archive.facets.tagger`), whose spans are
then tidied by rules (roles and honorifics dropped, names before a facility word read as places,
known organizations and places given their canonical names). Text in other languages keeps to
strong evidence (:func:`strong_evidence_mentions`): known organizations, gazetteer places and
nationalities, and people only when a full name starts with a known given name. Either way the
article-level steps follow: ambiguous places read by the article's other places, people merged
under their fullest name, places rolled up to countries.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..clean.language import primary_language, stopword_profiles
from ..folding import fold_key
from ..models import Article, Facets, author_names
from .entities import COUNTRY, HONORIFICS, ORGANIZATION, PERSON, PLACE, UNRESOLVED, EntityTyper, Mention, _place_mention
from .gazetteer import Gazetteer, load_gazetteer
from .lexicon import Lexicon, load_lexicon
from .mentions import LEADING_PARTICLE, SENTENCE_END, find_spans
from .names import ResolvedNames, resolve_mentions
from .places import resolve_ambiguous_places
from .senses import (
    YEAR,
    after_person_noun,
    attach_numbers,
    attach_years,
    awards_and_documents,
    celestial_bodies,
    competitions,
    groups_of_musicians,
    join_cue_complements,
    occasions,
    places_by_head,
    places_by_position,
    programmes,
    spacecraft,
    split_owner_possessives,
    surnames_read_as_places,
    works_after_a_work_noun,
    towns_by_context,
)
from .mentions import Token
from .tagger import PERSON_PARTICLES, Line, TaggedSpan, load_tagger, split_lines
from .topics import classify_topics

ENGLISH = "en"
LABEL_KINDS = {"PER": PERSON, "ORG": ORGANIZATION, "LOC": PLACE}
MAX_PERSON_WORDS = 5
MIN_ACRONYM, MAX_ACRONYM = 3, 6
SPAN_BREAKS = frozenset({".", ",", ";", ":", "!", "?", "(", ")", "\"", "“", "”", "|"})
FACILITY_WORDS = frozenset(
    {"crossing", "hospital", "camp", "checkpoint", "prison", "mosque", "church", "border", "base",
     "plant", "terminal", "station", "school", "university", "compound", "clinic", "refinery", "mine"}
)
GEOGRAPHIC_FACILITIES = frozenset({"crossing", "checkpoint", "border", "camp"})
GEOGRAPHIC_PREFIXES = frozenset({"Cape", "Mount", "Lake", "Port", "Fort", "Mt.", "Gulf", "Isle"})
PLACE_PREPOSITIONS = frozenset({"in", "near", "outside", "across", "around", "inside"})
DATELINE_FOLLOWERS = frozenset({",", "(", "-", "–", "—"})
SPORT_WORDS = frozenset(
    {"beat", "beats", "defeated", "season", "coach", "points", "scored", "touchdown", "touchdowns", "playoff",
     "playoffs", "league", "quarterback", "innings", "goals"}
)
CATEGORY_NOUNS = {
    **{noun: "LOC" for noun in ("crossings", "hospitals", "camps", "cities", "towns", "villages", "ports", "airports", "countries")},
    **{noun: "ORG" for noun in ("companies", "firms", "start-ups", "startups", "banks", "retailers", "carmakers", "airlines",
                                "brands", "insurers", "lenders", "clubs", "teams", "parties", "agencies", "broadcasters",
                                "newspapers", "groups", "rivals")},
    "people": "PER",
}
WORK_NOUNS = frozenset(
    {"film", "movie", "album", "band", "single", "song", "musical", "novel", "series", "sitcom", "show", "game", "opera",
     "drama", "comedy", "thriller", "documentary"}
)
WORK_FOLLOWERS = frozenset(
    {"star", "stars", "director", "film", "films", "movie", "album", "book", "books", "series", "franchise", "author",
     "sequel", "actor", "actress", "producer", "soundtrack"}
)
ACRONYM_PLURAL = re.compile(r"^[A-Z]{2,}s$")
INNER_CAPITAL = re.compile(r"^(?!Mc|Mac|O'|O’|De|Di|Da|La|Le|Van|Von|Du)[A-Z][a-z]+[A-Z]")
SCORE = re.compile(r"^\d{1,3}-\d{1,3}$")
CAPTION_WORDS = frozenset({"file", "photo", "photos", "handout", "caption", "video", "pool", "reuters", "afp", "ap"})


def resolve_entities(text: str, *, sport: bool | None = None, language: str | None = None) -> ResolvedNames:
    """Canonical people, organizations, places and countries of ``text``, with written forms.

    ``language`` is the article's language (an ISO 639-1 code or tag); the learned recogniser
    runs on English and on text of unknown language, other languages get
    :func:`strong_evidence_mentions`. ``sport`` says whether the text reports sport; by default
    it is decided from the text's topics (only the rules for other languages use it).
    """
    gazetteer = load_gazetteer()
    lexicon = load_lexicon()
    code = primary_language(language)
    if code is None or code == ENGLISH:
        mentions = learned_mentions(text, lexicon, gazetteer, sport=sport)
    else:
        if sport is None:
            sport = classify_topics("", text, max_topics=1) == ["sport"]
        mentions = strong_evidence_mentions(text, lexicon, gazetteer, sport=sport)
    return resolve_mentions(resolve_ambiguous_places(mentions, gazetteer))


def learned_mentions(text: str, lexicon: Lexicon, gazetteer: Gazetteer, *, sport: bool | None = None) -> list[Mention]:
    """Typed mentions of English ``text`` from the learned recogniser, tidied by rules.

    ``sport`` says whether the article's topic is sport (as decided by the caller); when None,
    an article with a score or a results table and a sport word ("beat", "coach") is."""
    lines = split_lines(text)
    spans = load_tagger().tag_lines(lines)
    mentions: list[Mention] = []
    covered: set[int] = set()
    by_line = {line.number: line for line in lines}
    spans = _join_name_particles(spans, by_line)
    spans = _join_given_name(spans, by_line, lexicon, gazetteer)
    spans = [part for span in spans for credit in _split_credit(span) for part in _cut_at_punctuation(credit)]
    spans = split_owner_possessives(join_cue_complements(spans, by_line, lexicon), lexicon, by_line)
    spans = attach_years(spans, by_line, gazetteer)  # "Paris 2024": the organising committee, not the city
    sport_report = is_sport_report(lines)
    if not sport_report:
        spans = attach_numbers(spans, by_line, gazetteer)  # "Channel 4"; in a sports report "Chelsea 2" is a score
    sport_topic = sport if sport is not None else sport_report and any(
        token.text.lower() in SPORT_WORDS for line in lines for token in line.tokens
    )
    surnames = {span.text for span in spans if span.label == "PER" and len(span.tokens) == 1}
    works = _names_of_works(spans, by_line)
    groups = groups_of_musicians(spans, by_line) - works
    towns = towns_by_context(spans, by_line, lexicon) | places_by_head(spans, lexicon) | places_by_position(spans, by_line, lexicon)
    surnames_as_places = surnames_read_as_places(spans, by_line, gazetteer)
    not_entities = (
        occasions(spans, by_line, lexicon)
        | celestial_bodies(spans, lines)
        | awards_and_documents(spans, lexicon)
        | works_after_a_work_noun(spans, by_line, lexicon)
        | competitions(spans, by_line, lexicon, sport=sport_topic)
        | spacecraft(spans, by_line, lines, lexicon)
        | programmes(spans, by_line, lexicon)
    )
    tagged = {token.start for span in spans for token in span.tokens}
    capitalised_words = {token.text for line in lines for token in line.tokens if token.text[:1].isupper()}
    facilities = {span.text for span in spans if _before_facility_word(span, by_line[span.line], lexicon)}
    facilities_after = {(span.text, by_line[span.line].after(span)) for span in spans if span.text in facilities}
    lower_words = {token.text for line in lines for token in line.tokens[1:] if token.text[:1].islower()}
    for span in spans:
        covered.update(token.start for token in span.tokens)
        line = by_line[span.line]
        if _common_word_opening_sentence(span, line, lower_words, lexicon, gazetteer) or _qualifier_of_role(span, line, lexicon):
            continue
        name = span.text
        if name in not_entities:
            continue  # "the State of the Union address", "the Sun" in a report on a lander
        if name in towns and span.label != "LOC":
            span = TaggedSpan("LOC", span.tokens, span.line, span.headline)  # "Riverton residents"
        elif name in groups and span.label == "PER":
            span = TaggedSpan("ORG", span.tokens, span.line, span.headline)  # "Franz Ferdinand were"
        elif name in surnames_as_places and span.label == "LOC":
            span = TaggedSpan("PER", span.tokens, span.line, span.headline)  # "Staunton" of "Imelda Staunton"
        elif after_person_noun(span, line, lexicon, gazetteer):
            span = TaggedSpan("PER", span.tokens, span.line, span.headline)  # "the singer Aya Nakamura"
        elif span.label != "PER" and _person_by_evidence(span.words, surnames, lexicon, gazetteer):
            span = TaggedSpan("PER", span.tokens, span.line, span.headline)
        if span.label == "PER" and (span.text in works or _common_words(span, lower_words, lexicon)):
            continue  # "the film Vera Drake", "Disease Control": a work, a band, common nouns
        if span.label == "ORG" and _pluralised(span, capitalised_words, lexicon, gazetteer):
            continue  # "an Oscar" ... "the Oscars": an award or a product, not an organization
        if _tail_of_untagged_name(span, line, tagged, lexicon, gazetteer):
            continue  # "Baby" of "Million Dollar Baby": the recogniser was unsure of the whole
        category = _category_named(span, line) if span.label == "PER" else None
        if category is None and span.label == "PER" and _inside_longer_name(span, line, lexicon):
            continue  # "Centres for Disease Control", "Smart Lander for Investigating Moon"
        if span.text in facilities and (span.label == "PER" or span.label == "ORG" and _crossing_like(span.text, facilities_after)):
            span = TaggedSpan("LOC", span.tokens, span.line, span.headline)  # "Kerem Shalom crossing"
        elif category is not None:
            span = TaggedSpan(category, span.tokens, span.line, span.headline)  # "start-ups such as Aleph Alpha"
        mentions.extend(_span_mentions(span, by_line[span.line], lexicon, gazetteer, sport_report))
    for line in lines:  # nationalities outside names still tell the countries ("Israeli troops")
        tokens = line.tokens
        for index, capitalised in enumerate(line.capitalised):
            token = tokens[index]
            if capitalised and token.start not in covered and token.text[0].isupper():
                pair = " ".join(t.text for t in tokens[index:index + 2])
                country = gazetteer.country_of_demonym(token.text) or (
                    index + 1 < len(tokens) and tokens[index + 1].start not in covered and gazetteer.country_of_demonym(pair)
                )
                if country:  # "Israeli", "Sri Lankan"
                    mentions.append(Mention(COUNTRY, country, token.start, surface=token.text))
    nicknames = _team_nicknames(lines, covered, lexicon, gazetteer)
    events = competitions([run for run, _ in nicknames], by_line, lexicon, sport=sport_topic)
    mentions.extend(mention for run, mention in nicknames if run.text not in events)  # "the Six Nations"
    mentions.sort(key=lambda mention: mention.start)
    return mentions


def _team_nicknames(
    lines: list[Line], covered: set[int], lexicon: Lexicon, gazetteer: Gazetteer
) -> list[tuple[TaggedSpan, Mention]]:
    """Teams named by nickname that the recogniser left untagged: "the" and capitalised words
    ending in a plural ("the Lakers") or two or more of them ("the Fighting Irish"), on a line
    about a game (a score or a sport word such as "beat", "coach", "season"). Each comes with
    its run of tokens (as an organization span), so that callers can read its context."""
    found = []
    for line in lines:
        tokens = line.tokens
        if line.headline or line.table:
            continue
        starts = [
            index for index in range(len(tokens) - 1)
            if tokens[index].text.lower() == "the" and line.capitalised[index + 1] and tokens[index + 1].start not in covered
        ]
        if not starts or not any(
            token.text.lower() in SPORT_WORDS or _is_score(token.text) for token in tokens
        ):
            continue
        for index in starts:
            end = index + 1
            while end < len(tokens) and line.capitalised[end] and tokens[end].text[:1].isupper() and not tokens[end].text.isupper():
                end += 1
            run = tokens[index + 1:end]
            if not run or any(part.start in covered for part in run) or len(run) > 3:
                continue
            words = [part.text for part in run]
            text = " ".join(words)
            last = words[-1]
            plural = len(last) > 3 and last.endswith("s") and not last.endswith("ss")
            if not (plural or len(words) > 1) or not all(_name_word(word, lexicon, gazetteer) or gazetteer.country_of_demonym(word) for word in words):
                continue
            if gazetteer.lookup(text) is not None or lexicon.organization(text) is not None or (
                len(words) == 1 and (gazetteer.country_of_demonym(last) or fold_key(last) in lexicon.not_names)
            ):
                continue
            covered.update(part.start for part in run)
            found.append((TaggedSpan("ORG", tuple(run), line.number, line.headline), Mention(ORGANIZATION, text, run[0].start, surface=text)))
    return found


def _split_credit(span: TaggedSpan) -> list[TaggedSpan]:
    """A photo credit read as one name ("REUTERS/Gleb Garanich/File Photo"): the agency, then
    the photographer as a person when written as two or three capitalised words."""
    if not any(token.text == "/" for token in span.tokens):
        return [span]
    parts: list[list[Token]] = [[]]
    for token in span.tokens:
        if token.text == "/":
            parts.append([])
        else:
            parts[-1].append(token)
    result = []
    for number, part in enumerate(parts):
        if not part:
            continue
        label = span.label
        if number and 2 <= len(part) <= 3 and all(token.text[:1].isupper() and not token.text.isupper() for token in part):
            label = "PER"
        result.append(TaggedSpan(label, tuple(part), span.line, span.headline))
    return result


def _cut_at_punctuation(span: TaggedSpan) -> list[TaggedSpan]:
    """A span the recogniser ran across punctuation ("Works . The"): the name before it."""
    if not any(token.text in SPAN_BREAKS for token in span.tokens):
        return [span]
    parts, current = [], []
    for token in span.tokens:
        if token.text in SPAN_BREAKS:
            if current:
                parts.append(current)
            current = []
        else:
            current.append(token)
    if current:
        parts.append(current)
    return [TaggedSpan(span.label, tuple(part), span.line, span.headline) for part in parts[:1]]


def _common_word_opening_sentence(
    span: TaggedSpan, line: Line, lower_words: set[str], lexicon: Lexicon, gazetteer: Gazetteer
) -> bool:
    """A lone word opening a sentence that the article also writes in lower case ("Ceasefire
    negotiations ...", "... a ceasefire"), or that news writes in lower case (the common-words
    list), and that no word list knows: not a name."""
    if len(span.tokens) != 1 or not _opens_sentence(span, line):
        return False
    word = span.tokens[0].text
    return (
        (word.lower() in lower_words or word.lower() in lexicon.common_words)
        and not word.isupper()
        and lexicon.organization(word) is None
        and gazetteer.lookup(word) is None
        and fold_key(word) not in lexicon.given_names
    )


def _qualifier_of_role(span: TaggedSpan, line: Line, lexicon: Lexicon) -> bool:
    """An unknown organization-looking span right before a role ("National Security Minister
    Itamar Ben-Gvir"): part of the title, not an organization."""
    if span.label != "ORG" or lexicon.organization(span.text) is not None or span.words[-1] in lexicon.org_cues:
        return False
    following = line.after(span)
    return bool(following) and fold_key(following) in lexicon.roles


def _join_given_name(
    spans: list[TaggedSpan], by_line: dict[int, Line], lexicon: Lexicon, gazetteer: Gazetteer
) -> list[TaggedSpan]:
    """A one-word person whose capitalised neighbour before it was left untagged ("McLaren's
    Lando" + "Norris"): the two are one name when the neighbour could be part of a name (no
    cue, role, place, nationality or known organization) and starts its run of capitals."""
    tagged = {token.start for span in spans for token in span.tokens}
    result = []
    for span in spans:
        line = by_line[span.line]
        index = line.positions[span.tokens[0].start]
        if span.label == "PER" and len(span.tokens) == 1 and index >= 1 and not span.headline:
            previous = line.tokens[index - 1]
            opens_run = index < 2 or not line.capitalised[index - 2] or line.tokens[index - 2].possessive
            if (
                previous.start not in tagged
                and not previous.possessive
                and line.capitalised[index - 1]
                and opens_run
                and index - 1 > 0 and line.tokens[index - 2].text not in SENTENCE_END
                and _name_word(previous.text, lexicon, gazetteer)
                and fold_key(previous.text) not in lexicon.roles
                and fold_key(previous.text) not in HONORIFICS
                and gazetteer.lookup(previous.text) is None
            ):
                span = TaggedSpan("PER", (previous, *span.tokens), span.line, span.headline)
        result.append(span)
    return result


def _join_name_particles(spans: list[TaggedSpan], by_line: dict[int, Line]) -> list[TaggedSpan]:
    """People's names the recogniser cut at a particle, joined again.

    "Nikolaus" + "van der" + "Pas" is one person, and so is "Abdel Fattah" + "al-Sisi": a person
    span followed by lower-case name particles and a capitalised word, or by a word with a
    leading particle, takes them in (up to the end of that run of capitalised words).
    """
    joined: list[TaggedSpan] = []
    for span in spans:
        if joined and joined[-1].line == span.line and span.start <= joined[-1].tokens[-1].start:
            continue  # swallowed by the previous join
        if span.label != "PER":
            joined.append(span)
            continue
        line = by_line[span.line]
        tokens = line.tokens
        end = line.positions[span.tokens[-1].start] + 1
        particles = end
        while particles < len(tokens) and particles - end < 2 and tokens[particles].text in PERSON_PARTICLES:
            particles += 1
        if particles < len(tokens) and not tokens[end - 1].possessive and (
            particles > end and tokens[particles].text[:1].isupper() or particles == end and LEADING_PARTICLE.match(tokens[end].text)
        ):
            last = particles + 1
            while last < len(tokens) and not tokens[last - 1].possessive and line.capitalised[last] and tokens[last].text[:1].isupper():
                last += 1
            span = TaggedSpan("PER", tuple(tokens[end - len(span.tokens):last]), span.line, span.headline)
        joined.append(span)
    return joined


def _span_mentions(
    span: TaggedSpan, line: Line, lexicon: Lexicon, gazetteer: Gazetteer, sport_report: bool = False
) -> list[Mention]:
    """The mentions one tagged span stands for, after the rules' checks."""
    words = span.words
    if span.label != "PER" and ("and" in words or "or" in words):
        parts = _split_at_conjunction(span, lexicon, gazetteer)
        if len(parts) > 1:
            return [mention for part in parts for mention in _span_mentions(part, line, lexicon, gazetteer, sport_report)]
    span = _trim_lower_edges(span)
    if span is None:
        return []
    if span.label != "PER":
        span = _without_trailing_role_plurals(span, lexicon)
    words = span.words
    kind = LABEL_KINDS[span.label]
    start = span.start
    text = " ".join(words)
    if kind != PERSON and len(words) > 1 and fold_key(words[0]) in HONORIFICS:
        kind = PERSON  # "Mr Ebbers"
    elif kind == ORGANIZATION and not line.table and lexicon.organization(text) is None and (
        (place := gazetteer.lookup(text)) is not None and place.kind == "country"
    ):
        kind = PLACE  # "US" outside a results table is the country
    elif kind == PLACE and lexicon.organization(text) is not None and gazetteer.lookup(text) is None:
        kind = ORGANIZATION  # "Kremlin", "Pentagon": the known organization
    if any(fold_key(word) in CAPTION_WORDS for word in words) and all(
        fold_key(word) in CAPTION_WORDS or fold_key(word) in lexicon.not_names for word in words
    ) and not (kind == ORGANIZATION and lexicon.organization(" ".join(words))):
        return []  # "FILE PHOTO", "File Photo": a caption label
    if kind != PERSON and all(fold_key(word) in lexicon.not_names or fold_key(word) in lexicon.roles for word in words):
        return []  # "PC", "DVD", "MP": a common noun or a role, not an organization
    if kind == PERSON:
        words = _strip_roles(words, lexicon)
        if not words or len(words) > MAX_PERSON_WORDS:
            return []
        if all(fold_key(word) in lexicon.not_names or fold_key(word) in lexicon.non_person_words for word in words):
            return []
        if any(fold_key(word) in lexicon.non_person_words for word in words):
            kind = ORGANIZATION if words[-1] in lexicon.org_cues else PLACE if words[-1] in lexicon.place_cues else ""
            if not kind:
                return []  # "FILE PHOTO", "Nobel Prize": not a person
        elif len(words) > 1 and words[-1] in lexicon.org_cues:
            kind = ORGANIZATION  # "Man Utd", "Leeds United": an organization cue ends the name
        elif _before_facility_word(span, line, lexicon) or len(words) > 1 and words[0] in GEOGRAPHIC_PREFIXES:
            kind = PLACE  # "the Kerem Shalom crossing", "Al-Awda hospital", "Cape Canaveral"
        start = _word_start(span, words)
    elif kind == ORGANIZATION and _after_place_preposition(span, line) and gazetteer.lookup(" ".join(words)) is not None:
        kind = PLACE  # "in Liverpool": the city, even in a report on its club
    elif _dateline(span, line):
        kind = PLACE  # "DAVOS, Switzerland (Reuters) -": a dateline, whatever else the word names
        words = [word.capitalize() if len(word) > 3 else word for word in words]
    elif _person_named_after_place(words, lexicon, gazetteer):
        kind = PERSON  # "Paris Hilton", "Jordan Peterson"
    elif kind == PLACE and len(words) > 1 and words[-1] in lexicon.org_cues and gazetteer.lookup(" ".join(words)) is None:
        kind = ORGANIZATION  # "Gaza Health Ministry"
    elif kind == PLACE and len(words) == 1 and _acronym(words[0]) and not span.headline and gazetteer.lookup(words[0]) is None:
        kind = ORGANIZATION  # "..., ADNOC,": an acronym no gazetteer knows names an organization
    text = " ".join(words)
    if kind == PERSON:
        if len(words) == 1 and not _titled(span, words, line, lexicon) and (
            not sport_report or _opens_sentence(span, line) or _not_a_lone_surname(span, line, lexicon, gazetteer)
        ):
            # "Chelsea", "Oscar", "Nintendo": one word with no title is weak evidence; a person
            # only if the article names someone in full with it ("Blair" → "Tony Blair")
            return [Mention(UNRESOLVED, text, start)]
        return [Mention(PERSON, text, start)]
    if kind == ORGANIZATION:
        known = lexicon.organization(text) or _known_in_the_plural(text, lexicon)
        if known is None and line.table:  # "BOSTON 6 Oakland 4": clubs shown as "Boston"
            known = " ".join(word.capitalize() if word.isupper() and len(word) > 3 else word for word in words)
        return [Mention(ORGANIZATION, known or text, start, surface=text, team=line.table)]
    place = gazetteer.lookup(text)
    if place is not None:
        return [_place_mention(place, start, text)]
    country = gazetteer.country_of_demonym(text)
    if country:
        return [Mention(COUNTRY, country, start, surface=text)]
    return [Mention(PLACE, text, start, surface=text)]


def _pluralised(span: TaggedSpan, capitalised_words: set[str], lexicon: Lexicon, gazetteer: Gazetteer) -> bool:
    """A one-word organization the article also writes in the plural or the singular ("Oscar"
    and "Oscars", "Bafta" and "Baftas"): organizations take no plural, so it names a thing
    (an award, a product); known organizations and places excepted."""
    if len(span.tokens) != 1:
        return False
    word = span.tokens[0].text
    if word.isupper() or len(word) < 4 or lexicon.organization(word) is not None or gazetteer.lookup(word) is not None:
        return False
    other = word[:-1] if word.endswith("s") else word + "s"
    return other in capitalised_words and lexicon.organization(other) is None


def _tail_of_untagged_name(
    span: TaggedSpan, line: Line, tagged: set[int], lexicon: Lexicon, gazetteer: Gazetteer
) -> bool:
    """A one-word span ending a run of capitalised words whose two or more words before it
    the recogniser left untagged and no word list knows ("Million Dollar" + "Baby"): the
    name is the whole run, of a kind nothing shows; not this word alone."""
    if len(span.tokens) != 1 or span.headline or line.table:
        return False
    index = line.positions[span.tokens[0].start]
    if index < 2:
        return False
    head = line.tokens[index - 2:index]
    return all(
        line.capitalised[index - 2 + offset]
        and token.start not in tagged
        and not token.possessive
        and _name_word(token.text, lexicon, gazetteer)
        and fold_key(token.text) not in lexicon.roles
        and fold_key(token.text) not in HONORIFICS
        and fold_key(token.text) not in lexicon.given_names
        and gazetteer.lookup(token.text) is None
        for offset, token in enumerate(head)
    ) and (index < 3 or line.tokens[index - 3].text in SENTENCE_END or not line.capitalised[index - 3])


def _crossing_like(text: str, facilities_after: set[tuple[str, str]]) -> bool:
    """Whether a name the recogniser took for an organization comes before a crossing-like
    word somewhere in the article ("the Kerem Shalom crossing"): a place, one sense per
    article. Plants, refineries or schools are often named after their companies, so those
    words do not turn an organization into a place."""
    return any(name == text and word in GEOGRAPHIC_FACILITIES for name, word in facilities_after)


def _category_named(span: TaggedSpan, line: Line) -> str | None:
    """The kind a plural noun gives a name listed with it: "X and other crossings" (LOC),
    "start-ups such as A and B" (ORG); None without such a noun."""
    tokens = line.tokens
    first = line.positions[span.tokens[0].start]
    last = line.positions[span.tokens[-1].start]
    if last + 3 < len(tokens) and tokens[last + 1].text in ("and", "or") and tokens[last + 2].text == "other":
        return CATEGORY_NOUNS.get(tokens[last + 3].text.lower())
    index = first - 1
    while index >= 0 and (line.capitalised[index] or tokens[index].text in (",", "and", "or")):
        index -= 1
    if index >= 2 and tokens[index].text == "as" and tokens[index - 1].text == "such":
        return CATEGORY_NOUNS.get(tokens[index - 2].text.lower())
    return None


def _inside_longer_name(span: TaggedSpan, line: Line, lexicon: Lexicon) -> bool:
    """Whether "for" joins the span to capitalised words before or after it, as inside the
    name of an agency or a thing ("Centres for Disease Control", "Lander for Investigating
    Moon"), and no given name opens it ("Clint Eastwood for Million Dollar Baby" is a
    person): part of a longer name, not a person."""
    if fold_key(span.words[0]) in lexicon.given_names:
        return False
    tokens = line.tokens
    first = line.positions[span.tokens[0].start]
    last = line.positions[span.tokens[-1].start]
    before = first >= 2 and tokens[first - 1].text == "for" and line.capitalised[first - 2]
    after = last + 2 < len(tokens) and tokens[last + 1].text == "for" and line.capitalised[last + 2]
    return before or after


def _common_words(span: TaggedSpan, lower_words: set[str], lexicon: Lexicon) -> bool:
    """A name of two or more words that the article also writes each in lower case, with no
    given name first ("Disease Control", "Smart Lander"): common nouns, not a person."""
    words = [word for word in span.words if word not in PERSON_PARTICLES]
    return (
        len(words) > 1
        and fold_key(words[0]) not in lexicon.given_names
        and all(word.lower() in lower_words for word in words)
    )


def _names_of_works(spans: list[TaggedSpan], by_line: dict[int, Line]) -> set[str]:
    """Names tagged as people that the article shows are works or bands: after "the" or a
    noun for a work ("the drama Vera Drake", "band Franz Ferdinand"), before a word that
    only follows a work's title ("Vera Drake star Imelda Staunton", "Franz Ferdinand's
    album"), or opening with a gerund ("Finding Neverland"). One sense per article: none of
    their mentions is then a person."""
    works = set()
    for span in spans:
        if span.label != "PER" or span.headline:
            continue
        line = by_line[span.line]
        before, after = line.before(span).lower(), line.after(span).lower()
        first = span.tokens[0].text
        if (
            before == "the"
            or before in WORK_NOUNS
            or after in WORK_FOLLOWERS
            or len(span.tokens) > 1 and len(first) > 5 and first.endswith("ing")  # "Finding Neverland"
        ):
            works.add(span.text)
    return works


def _not_a_lone_surname(span: TaggedSpan, line: Line, lexicon: Lexicon, gazetteer: Gazetteer) -> bool:
    """Evidence that a lone capitalised word is not someone's surname: a place ("Chelsea", "Bath"), a known organization, "the" before it ("the
    Lions"), an acronym's plural ("PCs") or a brand's inner capital ("DaimlerChrysler")."""
    word = span.tokens[0].text
    key = fold_key(word)
    return (
        key in lexicon.place_given_names
        or line.before(span).lower() == "the"
        or ACRONYM_PLURAL.match(word) is not None
        or INNER_CAPITAL.match(word) is not None
        or lexicon.organization(word) is not None
        or gazetteer.lookup(word) is not None
    )


def _known_in_the_plural(text: str, lexicon: Lexicon) -> str | None:
    """The known organization a name written in the singular stands for ("Lib Dem leader",
    "a Democrat senator" → the party known as "Lib Dems", "Democrats"); None when the plural
    is no known name or the word is a given name ("Lloyd")."""
    if not text[-1:].isalpha() or text.endswith("s") or fold_key(text.split()[0]) in lexicon.given_names:
        return None
    return lexicon.organization(text + "s")


def _acronym(word: str) -> bool:
    """Whether a word is an acronym of three to six capital letters ("ADNOC", "OPEC"); two
    letters are often a place's short form ("NY", "LA")."""
    return MIN_ACRONYM <= len(word) <= MAX_ACRONYM and word.isalpha() and word.isupper()


def _is_score(word: str) -> bool:
    """Whether a word is a game's score ("2-1", "4-38")."""
    return word[0].isdigit() and SCORE.match(word) is not None


def is_sport_report(lines: list[Line]) -> bool:
    """Whether an article reads like a sports report: a results-table line or a score
    ("2-1", "4-38"). Such reports name players by surname alone; other news names people
    in full before using a surname."""
    return any(line.table or any(_is_score(token.text) for token in line.tokens) for line in lines)


def _titled(span: TaggedSpan, words: list[str], line: Line, lexicon: Lexicon) -> bool:
    """Whether a role, title or honorific introduces the name: inside the span ("Lord
    Falconer" tagged whole, its role since stripped) or just before it ("Mr" + "Blair")."""
    if len(words) < len(span.words):
        return True
    before = fold_key(line.before(span))
    if before in HONORIFICS or before in lexicon.roles:
        return True
    index = line.positions[span.tokens[0].start]
    if index >= 2:  # "Prime Minister" + "Blair"
        pair = fold_key(" ".join(token.text for token in line.tokens[index - 2:index]))
        return pair in lexicon.roles
    return False


def _after_place_preposition(span: TaggedSpan, line: Line) -> bool:
    """Whether the word before the span is a preposition of place ("in", "near")."""
    return line.before(span) in PLACE_PREPOSITIONS


def _opens_sentence(span: TaggedSpan, line: Line) -> bool:
    """Whether the span starts its line or follows sentence-ending punctuation."""
    previous = line.before(span)
    return not previous or previous in SENTENCE_END


def _dateline(span: TaggedSpan, line: Line) -> bool:
    """Whether the span is a dateline: capitals opening a line, then a comma, bracket or dash."""
    tokens = line.tokens
    if span.tokens[0] is not tokens[0] or not span.text.isupper() or len(span.tokens) >= len(tokens):
        return False
    return tokens[len(span.tokens)].text in DATELINE_FOLLOWERS


def _person_by_evidence(words: list[str], surnames: set[str], lexicon: Lexicon, gazetteer: Gazetteer) -> bool:
    """A two- or three-word name tagged as something else that the article shows is a person.

    Either its last word is tagged a person on its own elsewhere in the article ("Quartermaine
    visits" ... "Zebulon Quartermaine arrived"), or it starts with a known given name; and
    nothing speaks for an organization or place (a known name, a cue word, a gazetteer place,
    a nationality, an acronym).
    """
    if not 2 <= len(words) <= 3 or not (words[-1] in surnames or fold_key(words[0]) in lexicon.given_names):
        return False
    text = " ".join(words)
    if lexicon.organization(text) is not None or gazetteer.lookup(text) is not None:
        return False
    return all(
        _name_word(word, lexicon, gazetteer)
        and fold_key(word) not in lexicon.roles
        and (index == 0 or gazetteer.lookup(word) is None)
        for index, word in enumerate(words)
    )


def _name_word(word: str, lexicon: Lexicon, gazetteer: Gazetteer) -> bool:
    """Whether a word can be part of a person's name: capitalised (not all capitals), and no
    cue word, non-person word, not-a-name word, known organization or nationality."""
    return (
        word[:1].isupper()
        and not word.isupper()
        and word not in lexicon.org_cues
        and word not in lexicon.place_cues
        and fold_key(word) not in lexicon.non_person_words
        and fold_key(word) not in lexicon.not_names
        and lexicon.organization(word) is None
        and not gazetteer.country_of_demonym(word)
    )


def _person_named_after_place(words: list[str], lexicon: Lexicon, gazetteer: Gazetteer) -> bool:
    """A given name that is also a place followed by a surname ("Paris Hilton"): a person.

    The surname must be a capitalised word that is no place, nationality, cue word or known
    organization, and the whole must not be a known place or organization.
    """
    if len(words) != 2 or fold_key(words[0]) not in lexicon.place_given_names:
        return False
    surname = words[1]
    text = " ".join(words)
    return (
        _name_word(surname, lexicon, gazetteer)
        and gazetteer.lookup(surname) is None
        and lexicon.organization(text) is None
        and gazetteer.lookup(text) is None
    )


def _trim_lower_edges(span: TaggedSpan) -> TaggedSpan | None:
    """The span without lower-case words at its edges ("of Yugansk", "Glazer bid"); names
    with a particle mark ("al-Sisi"), a number of one or two digits ending the name
    ("Channel 4") and a year after a place's name ("Paris 2024") stay. None when nothing is left."""
    tokens = span.tokens
    first, last = 0, len(tokens)
    while first < last and not tokens[first].text[0].isupper() and not LEADING_PARTICLE.match(tokens[first].text):
        first += 1
    while (
        last > first
        and not tokens[last - 1].text[0].isupper()
        and not LEADING_PARTICLE.match(tokens[last - 1].text)
        and not (last > first + 1 and tokens[last - 1].text.isdigit() and len(tokens[last - 1].text) <= 2)  # "Channel 4"
        and not (last > first + 1 and YEAR.match(tokens[last - 1].text))  # "Paris 2024", joined by attach_years
    ):
        last -= 1
    if first == last:
        return None
    if (first, last) == (0, len(tokens)):
        return span
    return TaggedSpan(span.label, tokens[first:last], span.line, span.headline)


def _without_trailing_role_plurals(span: TaggedSpan, lexicon: Lexicon) -> TaggedSpan:
    """A known organization with the plural of a role written after it ("Labour MPs", "EU
    Ministers"): the organization; the people it names are not part of its name. Names
    that hold such a word themselves ("House of Lords", "Purchasing Managers") are kept."""
    tokens = span.tokens
    end = len(tokens)
    while end > 1 and tokens[end - 1].text.endswith("s") and fold_key(tokens[end - 1].text[:-1]) in lexicon.roles:
        end -= 1
    head = " ".join(token.text for token in tokens[:end])
    if end == len(tokens) or lexicon.organization(head) is None or lexicon.organization(span.text) is not None:
        return span
    return TaggedSpan(span.label, tokens[:end], span.line, span.headline)


def _split_at_conjunction(span: TaggedSpan, lexicon: Lexicon, gazetteer: Gazetteer) -> list[TaggedSpan]:
    """"Associated Press and Agence France-Presse": two names when both sides are known ones."""
    words = span.words
    cut = next(index for index, word in enumerate(words) if word in ("and", "or"))
    left, right = span.tokens[:cut], span.tokens[cut + 1:]
    if not left or not right:
        return [span]
    known = [
        lexicon.organization(text) is not None or gazetteer.lookup(text) is not None
        for text in (" ".join(token.text for token in left), " ".join(token.text for token in right))
    ]
    if not any(known) or not all(part[0].text[:1].isupper() for part in (left, right)):
        return [span]
    return [TaggedSpan(span.label, left, span.line, span.headline), TaggedSpan(span.label, right, span.line, span.headline)]


def _strip_roles(words: list[str], lexicon: Lexicon) -> list[str]:
    """A person's name without the roles, titles and honorifics written before it."""
    position = 0
    while position < len(words):
        for size in range(min(lexicon.role_max_words, len(words) - position), 0, -1):
            piece = fold_key(" ".join(words[position:position + size]))
            if piece in lexicon.roles or size == 1 and piece in HONORIFICS:
                position += size
                break
        else:
            break
    return words[position:]


def _before_facility_word(span: TaggedSpan, line: Line, lexicon: Lexicon) -> bool:
    """Whether the span is followed by a lower-case word naming a facility or geographic
    feature ("the Kerem Shalom crossing", "Al-Awda hospital"): a place cue or a facility word."""
    word = line.after(span)
    return word.islower() and (word.capitalize() in lexicon.place_cues or word in FACILITY_WORDS)


def _word_start(span: TaggedSpan, words: list[str]) -> int:
    """Character offset of the first kept word of a span."""
    skipped = len(span.tokens) - len(words)
    return span.tokens[skipped].start if 0 <= skipped < len(span.tokens) else span.start


def strong_evidence_mentions(text: str, lexicon: Lexicon, gazetteer: Gazetteer, *, sport: bool = False) -> list[Mention]:
    """Mentions of text in a language other than English, from strong evidence only.

    Known organizations, gazetteer places and nationalities are found inside the capitalised
    spans; a span is a person only when it is two or three capitalised words starting with a
    known given name and holding no function word, so capitalised common nouns ("Le Parlement",
    "Der Bundestag", "Gobierno de España") never become people.
    """
    typer = EntityTyper(lexicon, gazetteer, sport=sport)
    function = function_words()
    mentions: list[Mention] = []
    for span in find_spans(text):
        words = span.words
        if (
            2 <= len(words) <= 3
            and not span.headline
            and fold_key(words[0]) in lexicon.given_names
            and not any(word.lower() in function for word in words)
            and all(word[:1].isupper() and not word.isupper() for word in words)
            and not any(fold_key(word) in lexicon.not_names or fold_key(word) in lexicon.non_person_words for word in words)
            and lexicon.organization(" ".join(words)) is None
            and gazetteer.lookup(" ".join(words)) is None
            and not any(gazetteer.country_of_demonym(word) for word in words)
        ):
            mentions.append(Mention(PERSON, " ".join(words), span.start))
            continue
        mentions.extend(
            mention for mention in typer._scan_known(words, span.start, headline=span.headline) if mention.kind != UNRESOLVED
        )
    return mentions


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Function words of every language the language detector knows ("le", "der", "de")."""
    return frozenset().union(*stopword_profiles().values())


def extract_entities(text: str, *, sport: bool | None = None, language: str | None = None) -> Facets:
    """People, organizations, places and countries named in ``text`` (no topics)."""
    names = resolve_entities(text, sport=sport, language=language)
    return Facets(
        people=names.people,
        organizations=names.organizations,
        places=names.places,
        countries=names.countries,
    )


def extract_facets(article: Article) -> Facets:
    """Every facet of an article: entities from its title and body, and its topics."""
    topics = classify_topics(article.title, article.body)
    entities = extract_entities(
        f"{article.title}\n\n{article.body}" if article.title else article.body,
        sport=bool(topics) and topics[0] == "sport",
        language=article.language,
    )
    return Facets(
        people=entities.people,
        organizations=entities.organizations,
        places=entities.places,
        countries=entities.countries,
        topics=topics,
        authors=author_names(article.author),
    )
