"""Facets of a cleaned article: spans → typed mentions → canonical names, plus topics."""

from __future__ import annotations

from ..models import Article, Facets
from .entities import EntityTyper
from .gazetteer import load_gazetteer
from .lexicon import load_lexicon
from .mentions import find_spans
from .names import resolve_mentions
from .topics import classify_topics


def extract_entities(text: str) -> Facets:
    """People, organizations, places and countries named in ``text`` (no topics)."""
    typer = EntityTyper(load_lexicon(), load_gazetteer())
    mentions = [mention for span in find_spans(text) for mention in typer.type_span(span)]
    names = resolve_mentions(mentions)
    return Facets(
        people=names.people,
        organizations=names.organizations,
        places=names.places,
        countries=names.countries,
    )


def extract_facets(article: Article) -> Facets:
    """Every facet of an article: entities from its title and body, and its topics."""
    entities = extract_entities(f"{article.title}\n\n{article.body}" if article.title else article.body)
    return Facets(
        people=entities.people,
        organizations=entities.organizations,
        places=entities.places,
        countries=entities.countries,
        topics=classify_topics(article.title, article.body),
    )
