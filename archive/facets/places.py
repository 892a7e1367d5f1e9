"""Place readings chosen by the article's context.

A name several places share ("Georgia": the country and the US state) is read as the place
whose country the article's other, unambiguous places and nationalities point to: "Atlanta,
Georgia" is in the United States, "Tbilisi, Georgia" in Georgia. Without such evidence the
gazetteer's usual reading stands.
"""

from __future__ import annotations

from dataclasses import replace

from .entities import COUNTRY, PLACE, Mention
from .gazetteer import Gazetteer


def resolve_ambiguous_places(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """The mentions with ambiguous places switched to the reading their context supports."""
    readings = {
        index: gazetteer.alternatives(mention.surface or mention.name)
        for index, mention in enumerate(mentions)
        if mention.kind == PLACE
    }
    readings = {index: places for index, places in readings.items() if places}
    if not readings:
        return mentions
    context = {
        mention.place_country if mention.kind == PLACE else mention.name
        for index, mention in enumerate(mentions)
        if index not in readings and mention.kind in (PLACE, COUNTRY)
    }
    resolved = list(mentions)
    for index, places in readings.items():
        mention = mentions[index]
        if mention.place_country in context:
            continue
        for place in places:
            if place.country in context:
                resolved[index] = replace(mention, name=place.name, place_country=place.country)
                break
    return resolved
