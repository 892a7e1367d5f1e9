"""Entity typing: decide whether each name span is a person, an organization or a place.

Evidence, strongest first: a role or title before a name ("Defense Minister Benny Gantz"), the
table of well-known organizations, the gazetteer (places and country aliases), nationality
adjectives ("Israeli" → Israel, for countries only), organization cue words ("... Authority",
"Ministry of ..."), given names, and the shape of the span. Single words that nothing types
are kept as *unresolved*: they become people only if they name someone mentioned in full
elsewhere in the article ("Gantz" → "Benny Gantz").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .gazetteer import Gazetteer, Place
from .lexicon import Lexicon, fold_key
from .mentions import Span

PERSON, ORGANIZATION, PLACE, COUNTRY, UNRESOLVED = "person", "organization", "place", "country", "unresolved"
SMALL_TOWN = 100_000
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame", "prof."})
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INITIAL = re.compile(r"^(?:[^\W\d_]\.)+$")
PLACE_WORDS = frozenset({"in", "at", "from", "near", "to", "of", "outside", "across", "into", "around", "visit", "visited", "home", "-"})
HYPHENS = frozenset({"-", "‐", "–"})
SPEECH_VERBS = frozenset({"said", "says", "told", "added", "wrote", "argued", "noted", "insisted", "stated"})


@dataclass(frozen=True)
class Mention:
    """A typed mention: ``kind`` is one of person, organization, place, country, unresolved.

    ``name`` is the canonical or cleaned name and ``surface`` the form written, when they differ;
    ``place_country`` is the country a place rolls up to; ``start`` orders mentions in the text;
    ``team`` marks a club read from a results table.
    """

    kind: str
    name: str
    start: int
    place_country: str | None = None
    surface: str = ""
    team: bool = False


class EntityTyper:
    """Types spans using the lexicon and the gazetteer."""

    def __init__(self, lexicon: Lexicon, gazetteer: Gazetteer, *, sport: bool = False) -> None:
        """``sport``: the article reports sport, where cities mostly name their clubs."""
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.sport = sport

    def type_span(self, span: Span) -> Iterator[Mention]:
        """The mentions one span holds (none, one, or several when it splits)."""
        words = self._trim(span.words, span.sentence_start)
        if not words:
            return
        offset = span.start
        if span.table and span.before_number:
            yield self._table_entry(words, offset)
            return
        if span.headline:
            yield from self._scan_known(words, offset, headline=True)
            return
        whole = self._type_whole(words, offset, span)
        if whole is not None:
            yield from whole
            return
        yield from self._scan_known(words, offset, headline=False)

    def _table_entry(self, words: list[str], offset: int) -> Mention:
        """A name followed by figures in a results table: a team unless a person or a country.

        Sports results name clubs after their cities ("Oakland 5 Boston 3"); national sides are
        kept as their countries, and a name that starts with a given name is a competitor.
        """
        text = " ".join(words)
        organization = self.lexicon.organization(text)
        if organization:
            return Mention(ORGANIZATION, organization, offset, surface=text)
        place = self.gazetteer.lookup(text)
        if place is not None and place.kind == "country":
            return _place_mention(place, offset, text)
        if place is None and len(words) > 1 and (fold_key(words[0]) in self.lexicon.given_names or INITIAL.match(words[0])):
            return Mention(PERSON, text, offset)
        team = " ".join(word.capitalize() if word.isupper() and len(word) > 3 else word for word in words)
        return Mention(ORGANIZATION, team, offset, surface=text, team=True)

    def _trim(self, words: list[str], sentence_start: bool) -> list[str]:
        """Drop function words and leading "The" that capitalisation pulled into the span."""
        lexicon = self.lexicon
        start = 0
        while start < len(words) and (
            fold_key(words[start]) in lexicon.not_names and not (words[start].isupper() and len(words[start]) <= 3)
            or words[start][0].islower() and start == 0 and not _has_particle(words[start])
        ):
            start += 1
        end = len(words)
        while end > start and words[end - 1][0].islower() and not _has_particle(words[end - 1]):
            end -= 1
        return words[start:end]

    def _type_whole(self, words: list[str], offset: int, span: Span) -> list[Mention] | None:
        """Type the span as one name, or None when it has to be scanned for known parts."""
        text = " ".join(words)
        lexicon, gazetteer = self.lexicon, self.gazetteer
        organization = lexicon.organization(text)
        if organization:
            return [Mention(ORGANIZATION, organization, offset, surface=text)]
        place = gazetteer.lookup(text)
        if place is not None and not (len(words) == 1 and words[0].isupper() and len(words[0]) <= 3 and place.kind == "city"):
            if span.next_word in HYPHENS and place.country:
                return [Mention(COUNTRY, place.country, offset, surface=text)]
            if (
                self.sport
                and _club_town(place)
                and not text.isupper()
                and span.previous_word.lower() not in PLACE_WORDS
                and not DATE.match(span.next_word)
            ):
                return [Mention(ORGANIZATION, text, offset)]  # a club named after its city
            return [_place_mention(place, offset, text)]
        country = gazetteer.country_of_demonym(text)
        if country:
            return [Mention(COUNTRY, country, offset, surface=text)]
        role_end, prefix_countries = self._role_prefix(words)
        if role_end:
            rest = words[role_end:]
            mentions = [Mention(COUNTRY, country, offset) for country in prefix_countries]
            if rest and any(word in lexicon.org_cues for word in rest):
                return [Mention(ORGANIZATION, text, offset)]  # "Major League Baseball"
            if rest:
                honorific = fold_key(words[role_end - 1]) in HONORIFICS
                mentions.extend(self._after_role(rest, offset, honorific))
            return mentions
        inner = self._inner_role(words)
        if inner:
            prefix, rest = words[: inner[0]], words[inner[1]:]
            mentions = [
                Mention(COUNTRY, mention.place_country, offset, surface=mention.surface)
                if mention.kind == PLACE and mention.place_country else mention
                for mention in self._scan_known(prefix, offset, headline=False)
                if mention.kind != UNRESOLVED
            ]
            return mentions + self._after_role(rest, offset)
        if words[-1] in lexicon.org_cues and len(words) > 1 or (
            len(words) > 2 and words[0] in lexicon.org_cues and words[1] == "of"
        ):
            return [Mention(ORGANIZATION, text, offset)]
        if words[-1] in lexicon.place_cues and len(words) > 1:
            return [Mention(PLACE, text, offset, surface=text)]  # "Trent Bridge", "Wall Street"
        if "-" in text and len(words) == 1:
            parts = [part for part in text.replace("‐", "-").split("-") if part]
            countries = [gazetteer.country(part) for part in parts]
            if len(parts) > 1 and all(countries):
                return [Mention(COUNTRY, country, offset) for country in countries if country]
        if len(words) == 1:
            return self._single_word(words[0], offset, span)
        if "of" in words[1:-1]:
            split = len(words) - 1 - words[::-1].index("of")
            head, tail = words[:split], words[split + 1:]
            place = gazetteer.lookup(" ".join(tail))
            if place is not None and self._looks_like_person(head, "of"):
                return [Mention(PERSON, " ".join(head), offset), _place_mention(place, offset, " ".join(tail))]
        if self._named_after_place(words):
            return [Mention(ORGANIZATION, text, offset)]
        if self._looks_like_person(words, span.next_word):
            return [Mention(PERSON, text, offset)]
        return None

    def _role_prefix(self, words: list[str]) -> tuple[int, list[str]]:
        """Length of a leading run of nationalities and roles ending in a role, and its countries."""
        lexicon, gazetteer = self.lexicon, self.gazetteer
        position, role_end = 0, 0
        countries: list[tuple[int, str]] = []
        while position < len(words):
            matched = 0
            for size in range(min(lexicon.role_max_words, len(words) - position), 0, -1):
                if fold_key(" ".join(words[position:position + size])) in lexicon.roles:
                    matched = size
                    break
            if matched:
                position += matched
                role_end = position
                continue
            country = gazetteer.country_of_demonym(words[position])
            if country:
                countries.append((position, country))
                position += 1
                continue
            size, place = self._place_at(words, position)
            if place is not None:  # "New York Governor", "Gaza Health Minister"
                if place.country:
                    countries.append((position, place.country))
                position += size
                continue
            break
        return role_end, [country for at, country in countries if at < role_end]

    def _inner_role(self, words: list[str]) -> tuple[int, int] | None:
        """(start, end) of a role inside a span, between a qualifier and a full name.

        "EU Farm Commissioner Franz Fischler", "Bank of England Governor Mervyn King": the role
        is the last one followed only by name words, two or more, or one given name.
        """
        lexicon = self.lexicon
        for end in range(len(words) - 1, 1, -1):
            rest = words[end:]
            if any(fold_key(word) in lexicon.roles or not word[:1].isupper() for word in rest):
                continue
            if len(rest) < 2 and fold_key(rest[0]) not in lexicon.given_names:
                continue
            for size in range(min(lexicon.role_max_words, end), 0, -1):
                if fold_key(" ".join(words[end - size:end])) in lexicon.roles:
                    return end - size, end
        return None

    def _place_at(self, words: list[str], position: int) -> tuple[int, Place | None]:
        """The longest gazetteer place starting at ``position`` (up to three words)."""
        for size in range(min(3, len(words) - position), 0, -1):
            place = self.gazetteer.lookup(" ".join(words[position:position + size]))
            if place is not None:
                return size, place
        return 0, None

    def _named_after_place(self, words: list[str]) -> bool:
        """A place followed by other name words ("Cincinnati Reds", "Kyiv Independent"): an organization."""
        lexicon = self.lexicon
        size, place = self._place_at(words, 0)
        rest = words[size:]
        if place is None or not rest or place.kind == "continent" or _small_town(place):
            return False
        return all(
            word[:1].isupper()
            and not INITIAL.match(word)
            and fold_key(word) not in lexicon.given_names
            and fold_key(word) not in lexicon.non_person_words
            and fold_key(word) not in lexicon.not_names
            and fold_key(word) not in lexicon.roles
            and not self.gazetteer.country_of_demonym(word)
            for word in rest
        )

    def _after_role(self, rest: list[str], offset: int, honorific: bool = False) -> list[Mention]:
        """The name after a role: a person unless it is a known organization or place.

        After an honorific ("Mr", "Dr") it is a person whatever else the name could be.
        """
        text = " ".join(rest)
        if honorific:
            return [Mention(PERSON, text, offset)]
        organization = self.lexicon.organization(text)
        if organization:
            return [Mention(ORGANIZATION, organization, offset, surface=text)]
        if rest[-1] in self.lexicon.org_cues:
            return [Mention(ORGANIZATION, text, offset)]
        place = self.gazetteer.lookup(text)
        if place is not None and fold_key(rest[0]) not in self.lexicon.given_names:
            return [_place_mention(place, offset, text)]
        return [Mention(PERSON, text, offset)]

    def _single_word(self, word: str, offset: int, span: Span) -> list[Mention]:
        """A lone capitalised word: an acronym organization, a speaker, or unresolved."""
        key = fold_key(word)
        if key in self.lexicon.not_names:
            return []
        if word.isupper() and 2 <= len(word.replace(".", "")) <= 6 and not span.headline:
            return [Mention(ORGANIZATION, word, offset)]
        if key in self.lexicon.non_person_words:
            return []
        if span.next_word in SPEECH_VERBS and not span.sentence_start:
            return [Mention(PERSON, word, offset)]
        return [Mention(UNRESOLVED, word, offset)]

    def _looks_like_person(self, words: list[str], next_word: str) -> bool:
        """Whether an otherwise unknown multi-word name has the shape of a person's name.

        A name that modifies a following common noun of places and things ("the Kerem Shalom
        crossing", "Al-Shifa hospital") is not a person.
        """
        lexicon = self.lexicon
        if len(words) > 4 or next_word.islower() and fold_key(next_word) in lexicon.non_person_words:
            return False
        if any(fold_key(word) in lexicon.non_person_words or fold_key(word) in lexicon.not_names for word in words):
            return False
        if any(self.gazetteer.country_of_demonym(word) for word in words):
            return False  # "German Open", "Cleveland Indians"
        if fold_key(words[0]) in lexicon.given_names:
            return True
        if any((place := self.gazetteer.lookup(word)) is not None and not _small_town(place) for word in words):
            return False  # "Malivai Washington" is lost, "Mika Salo" kept
        if INITIAL.match(words[0]):
            return True  # "G. Thorpe", "C.C. Wei"
        return all(word[0].isupper() and not word.isupper() for word in words if word.lower() not in ("de", "van", "der", "von", "bin", "al"))

    def _scan_known(self, words: list[str], offset: int, headline: bool) -> Iterator[Mention]:
        """Longest-first scan for known organizations, places and nationalities inside a span."""
        lexicon, gazetteer = self.lexicon, self.gazetteer
        longest = max(lexicon.organization_max_words, gazetteer.max_words)
        position = 0
        while position < len(words):
            found = 0
            for size in range(min(longest, len(words) - position), 0, -1):
                piece = words[position:position + size]
                text = " ".join(piece)
                if size == 1 and (fold_key(text) in lexicon.not_names or len(text) < 2):
                    continue
                organization = lexicon.organization(text)
                if organization and not (headline and size == 1 and len(text) <= 3 and text not in ("UN", "EU")):
                    yield Mention(ORGANIZATION, organization, offset, surface=text)
                    found = size
                    break
                place = gazetteer.lookup(text)
                if place is not None and (size > 1 or place.kind != "city" or place.population >= 100_000 or not headline):
                    if headline or size == len(words) or not place.country:
                        yield _place_mention(place, offset, text)
                    else:  # a place naming something larger ("U.S. Open"): its country only
                        yield Mention(COUNTRY, place.country, offset, surface=text)
                    found = size
                    break
                if size == 1:
                    country = gazetteer.country_of_demonym(text)
                    if country:
                        yield Mention(COUNTRY, country, offset)
                        found = 1
                        break
                    yield Mention(UNRESOLVED, text, offset)
            position += found or 1


def _place_mention(place: Place, offset: int, surface: str) -> Mention:
    """A mention of a gazetteer place, written as ``surface``."""
    return Mention(PLACE, place.name, offset, place.country, surface)


def _small_town(place: Place) -> bool:
    """A town too small for its name to outweigh other readings (a surname, a given name)."""
    return place.kind == "city" and place.population < SMALL_TOWN


def _club_town(place: Place) -> bool:
    """Whether sports clubs are commonly named after this place: cities, and US states."""
    return place.kind == "city" or place.kind == "region" and place.country == "United States"


def _has_particle(word: str) -> bool:
    """Whether a lower-case word is a name with a particle ("al-Sisi")."""
    return "-" in word and word.split("-", 1)[1][:1].isupper()
