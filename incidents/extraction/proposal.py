"""What the extraction proposes: draft incidents whose every field keeps the
sentence it came from."""

import datetime as dt
from dataclasses import dataclass, field

from incidents.extraction.dates import Window
from incidents.models import Country, Incident, Location, WeaponModel

LAUNCHED, INTERCEPTED = "launched", "intercepted"


@dataclass
class Field:
    """A proposed value and the sentence it came from (None when inferred)."""

    value: object = None
    evidence: str | None = None

    def set(self, value, evidence):
        self.value, self.evidence = value, evidence


@dataclass
class Figure:
    kind: str  # LAUNCHED or INTERCEPTED
    value: int
    weapon: WeaponModel | None
    claimant: str
    evidence: str


@dataclass
class PlaceProposal:
    location: Location
    role: str
    evidence: str


@dataclass
class WeaponLineProposal:
    weapon: WeaponModel
    launched: int | None = None
    intercepted: int | None = None
    evidence: str = ""


@dataclass
class SourceProposal:
    claimant: str
    claim: str
    url: str = ""
    publisher: str = ""
    title: str = ""
    language: str = ""
    published_on: dt.date | None = None


@dataclass
class Proposal:
    """The fields of one draft incident, each with its evidence."""

    started_at: Field = field(default_factory=Field)
    ended_at: Field = field(default_factory=Field)
    time_precision: Field = field(default_factory=Field)
    attacker: Field = field(default_factory=lambda: Field(Country.UNKNOWN))
    target_country: Field = field(default_factory=Field)
    attribution: Field = field(default_factory=Field)
    drones_launched: Field = field(default_factory=Field)
    drones_intercepted: Field = field(default_factory=Field)
    region: Field = field(default_factory=lambda: Field(""))
    summary: str = ""
    places: list = field(default_factory=list)
    weapon_lines: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    sentences: list = field(default_factory=list)
    window: Window | None = None  # the window behind started_at/ended_at

    FIELDS = (
        "started_at",
        "ended_at",
        "time_precision",
        "attacker",
        "target_country",
        "attribution",
        "drones_launched",
        "drones_intercepted",
        "region",
    )

    def incident(self):
        """An unsaved Incident (status draft) with the proposed values."""
        return Incident(
            status=Incident.Status.DRAFT,
            summary=self.summary,
            **{
                name: getattr(self, name).value
                for name in self.FIELDS
                if name != "region" and getattr(self, name).value is not None
            },
        )

    def to_dict(self):
        """Plain JSON-ready values: fields as {value, evidence}."""

        def plain(value):
            if isinstance(value, dt.datetime | dt.date):
                return value.isoformat()
            return value

        data = {
            name: {
                "value": plain(getattr(self, name).value),
                "evidence": getattr(self, name).evidence,
            }
            for name in self.FIELDS
        }
        data["summary"] = self.summary
        data["places"] = [
            {
                "location": place.location.slug,
                "name": place.location.name,
                "region": place.location.region,
                "country": place.location.country,
                "role": place.role,
                "evidence": place.evidence,
            }
            for place in self.places
        ]
        data["weapon_lines"] = [
            {
                "weapon": line.weapon.name,
                "launched": line.launched,
                "intercepted": line.intercepted,
                "evidence": line.evidence,
            }
            for line in self.weapon_lines
        ]
        data["figures"] = [
            {
                "kind": figure.kind,
                "value": figure.value,
                "weapon": figure.weapon.name if figure.weapon else None,
                "claimant": figure.claimant,
                "evidence": figure.evidence,
            }
            for figure in self.figures
        ]
        data["sources"] = [
            {
                "claimant": s.claimant,
                "claim": s.claim,
                "url": s.url,
                "publisher": s.publisher,
                "title": s.title,
                "language": s.language,
                "published_on": plain(s.published_on),
            }
            for s in self.sources
        ]
        data["warnings"] = list(self.warnings)
        return data
