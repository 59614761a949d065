"""Draft incidents from the text of a news report (French, English,
Ukrainian or Russian). Nothing here writes to the database."""

from incidents.extraction.core import MAX_TEXT_LENGTH, extract_incidents
from incidents.extraction.language import LANGUAGES, detect_language
from incidents.extraction.proposal import (
    Field,
    Figure,
    PlaceProposal,
    Proposal,
    SourceProposal,
    WeaponLineProposal,
)

__all__ = [
    "LANGUAGES",
    "MAX_TEXT_LENGTH",
    "Field",
    "Figure",
    "PlaceProposal",
    "Proposal",
    "SourceProposal",
    "WeaponLineProposal",
    "detect_language",
    "extract_incidents",
]
