"""Facets of a cleaned article: spans → typed mentions → canonical names, plus topics."""

from __future__ import annotations

from ..models import Article, Facets, author_names
from .entities import EntityTyper
from .gazetteer import load_gazetteer
from .lexicon import load_lexicon
from .mentions import find_spans
from .names import ResolvedNames, resolve_mentions
from .places import resolve_ambiguous_places
from .topics import classify_topics


def resolve_entities(text: str, *, sport: bool | None = None) -> ResolvedNames:
    """Canonical people, organizations, places and countries of ``text``, with written forms.

    ``sport`` says whether the text reports sport (clubs are named after cities); by default
    it is decided from the text's topics.
    """
    if sport is None:
        sport = classify_topics("", text, max_topics=1) == ["sport"]
    gazetteer = load_gazetteer()
    typer = EntityTyper(load_lexicon(), gazetteer, sport=sport)
    mentions = [mention for span in find_spans(text) for mention in typer.type_span(span)]
    return resolve_mentions(resolve_ambiguous_places(mentions, gazetteer))


def extract_entities(text: str, *, sport: bool | None = None) -> Facets:
    """People, organizations, places and countries named in ``text`` (no topics)."""
    names = resolve_entities(text, sport=sport)
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
    )
    return Facets(
        people=entities.people,
        organizations=entities.organizations,
        places=entities.places,
        countries=entities.countries,
        topics=topics,
        authors=author_names(article.author),
    )
