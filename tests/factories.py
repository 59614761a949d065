"""Plain functions that build rows with sensible defaults for tests."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from incidents.models import (
    Country,
    Incident,
    IncidentLocation,
    Location,
    Source,
    WeaponLine,
    WeaponModel,
)

KYIV = ZoneInfo("Europe/Kyiv")
_counter = itertools.count(1)


def kyiv(*args):
    """An aware datetime in Kyiv time: kyiv(2024, 11, 9, 20, 0)."""
    return dt.datetime(*args, tzinfo=KYIV)


def make_user(username=None, *, staff=True, superuser=False, **extra):
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(
        username=username,
        password="correct horse battery staple",
        is_staff=staff,
        is_superuser=superuser,
        **extra,
    )


def make_location(name="Ramenskoye", **overrides):
    fields = {
        "name": name,
        "country": Country.RUSSIA,
        "region": "Moscow Oblast",
        "kind": Location.Kind.SETTLEMENT,
        "latitude": "55.56341",
        "longitude": "38.24152",
    }
    fields.update(overrides)
    return Location.objects.create(**fields)


def make_weapon(name="Shahed-136/131", category=WeaponModel.Category.ATTACK_DRONE):
    weapon, _ = WeaponModel.objects.get_or_create(
        name=name, defaults={"category": category}
    )
    return weapon


def make_incident(*, places=(), lines=(), sources=None, **overrides):
    """An incident; `places` are (location, role) pairs or locations,
    `lines` are (weapon, launched, intercepted) triples."""
    fields = {
        "started_at": kyiv(2024, 11, 9, 20, 0),
        "ended_at": kyiv(2024, 11, 10, 9, 30),
        "attacker": Country.RUSSIA,
        "target_country": Country.UKRAINE,
        "attribution": Incident.Attribution.ATTRIBUTED,
        "drones_launched": 145,
        "drones_intercepted": 62,
        "status": Incident.Status.PUBLISHED,
        "summary": "Overnight drone attack.",
    }
    fields.update(overrides)
    incident = Incident.objects.create(**fields)
    for place in places:
        location, role = (
            place if isinstance(place, tuple) else (place, IncidentLocation.Role.TARGET)
        )
        IncidentLocation.objects.create(incident=incident, location=location, role=role)
    for weapon, launched, intercepted in lines:
        WeaponLine.objects.create(
            incident=incident, weapon=weapon, launched=launched, intercepted=intercepted
        )
    for source in sources if sources is not None else [{}]:
        make_source(incident, **source)
    return incident


def make_source(incident, **overrides):
    fields = {
        "url": "https://example.org/report",
        "publisher": "Example News",
        "title": "Overnight attack report",
        "language": "en",
        "published_on": dt.date(2024, 11, 10),
        "claimant": "Ukrainian Air Force",
        "claim": "145 drones launched, 62 shot down.",
    }
    fields.update(overrides)
    return Source.objects.create(incident=incident, **fields)
