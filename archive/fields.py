"""The one list of facet fields: every layer (schema, filters, web parameters, curation,
enrich records, rendering, the facet sidecar) loops over :data:`FIELDS` instead of spelling
field names out.

No Whoosh here: this module is imported by the command line before anything else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FacetField:
    """One facet of an article.

    ``name`` is the index field and the JSON key; ``option`` the command-line filter
    (``--person``) and the web parameter; ``label`` its heading on the web page; ``browse`` whether the web page
    lists its values beside the hits; ``is_list`` whether an
    article holds several values (else one, like its language); ``entity`` whether it names
    people, organizations or places (curation, ``entities list``); ``related_source`` whether
    ``archive related NAME`` looks NAME up in it; ``person`` whether its values are people
    (spellings of one person are merged archive-wide); ``kind`` what its values are (a
    place and a country are both places; ``related`` asks which one is meant when a name is of
    several kinds); ``derived`` whether it is made of
    other fields (actors: people and organizations), so listings of an article skip it;
    ``from_byline`` whether its values come from the article's metadata (authors, from its
    author line) rather than from its text.
    """

    name: str
    option: str
    label: str
    help: str
    browse: bool = True
    is_list: bool = True
    entity: bool = False
    related_source: bool = False
    person: bool = False
    kind: str = ""
    derived: bool = False
    from_byline: bool = False


FIELDS: tuple[FacetField, ...] = (
    FacetField("people", "person", "People", 'Articles mentioning this person ("gantz" finds Benny Gantz).',
               entity=True, related_source=True, person=True, kind="person"),
    FacetField("organizations", "org", "Organizations", "Articles mentioning this organization.",
               entity=True, related_source=True, kind="organization"),
    FacetField("actors", "actor", "People or organizations", "Articles mentioning this person or organization.",
               browse=False, person=True, derived=True),
    FacetField("places", "place", "Places", "Articles mentioning this place.", entity=True, related_source=True,
               kind="place"),
    FacetField("countries", "country", "Countries", 'Articles about this country (aliases like "us" work).',
               entity=True, related_source=True, kind="place"),
    FacetField("topics", "topic", "Topics", "Articles on this topic.", related_source=True, kind="topic"),
    FacetField("authors", "author", "Authors", 'Articles by this author ("Jane Doe and John Roe" are two authors).',
               from_byline=True),
    FacetField("source", "source", "Sources", "Articles from this source or site.", is_list=False),
    FacetField("language", "language", "Languages", "Articles in this language (e.g. en).", browse=False, is_list=False),
)

BY_NAME: dict[str, FacetField] = {field.name: field for field in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in FIELDS)
LIST_FIELDS: tuple[str, ...] = tuple(field.name for field in FIELDS if field.is_list)
SHOWN_FIELDS: tuple[str, ...] = tuple(field.name for field in FIELDS if field.is_list and not field.derived)
ENTITY_FIELDS: tuple[str, ...] = tuple(field.name for field in FIELDS if field.entity)
RELATED_SOURCES: tuple[str, ...] = tuple(field.name for field in FIELDS if field.related_source)
PERSON_FIELDS: frozenset[str] = frozenset(field.name for field in FIELDS if field.person)
ACTOR_PARTS: tuple[str, ...] = ("people", "organizations")  # what "actors" is made of
# The field each kind of entity is kept in (``entities retype NAME --to KIND``).
KIND_FIELDS: dict[str, str] = {field.kind: field.name for field in reversed(FIELDS) if field.entity}


def option_of(field_name: str) -> str:
    """The command-line option (without ``--``) of a field, or the name itself if it is none."""
    found = BY_NAME.get(field_name)
    return found.option if found else field_name
