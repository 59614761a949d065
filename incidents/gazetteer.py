"""Reference data the importer needs: the places gazetteer and weapon catalogue.

Both loaders are idempotent: a row is found again by its GeoNames id, slug or
name, updated in place when the shipped data differs, and never duplicated.
Alternate names are merged (names added by hand are kept).
"""

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from incidents.models import Location, WeaponModel

DATA_DIR = Path(__file__).resolve().parent / "data"
PLACES_FILE = DATA_DIR / "places.json"
WEAPONS_FILE = DATA_DIR / "missiles_and_uavs.csv"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list = field(default_factory=list)

    def __str__(self):
        text = f"{self.created} created, {self.updated} updated, "
        text += f"{self.unchanged} unchanged"
        if self.skipped:
            text += f", {len(self.skipped)} skipped ({'; '.join(self.skipped)})"
        return text


def _coordinate(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.00001"))


@transaction.atomic
def load_places(path=PLACES_FILE):
    """Create or update the shipped places; returns a LoadReport."""
    rows = json.loads(Path(path).read_text(encoding="utf-8"))["places"]
    report = LoadReport()
    for row in rows:
        geonameid = row.get("geonameid")
        location = None
        if geonameid:
            location = Location.objects.filter(geonameid=geonameid).first()
        if location is None:
            location = Location.objects.filter(slug=row["slug"]).first()
        if location and geonameid and location.geonameid not in (None, geonameid):
            report.skipped.append(
                f"{row['slug']}: slug taken by GeoNames id {location.geonameid}"
            )
            continue
        wanted = {
            "name": row["name"],
            "kind": row["kind"],
            "country": row["country"],
            "region": row.get("region", ""),
            "latitude": _coordinate(row.get("latitude")),
            "longitude": _coordinate(row.get("longitude")),
            "geonameid": geonameid or (location.geonameid if location else None),
        }
        if location is None:
            Location.objects.create(
                slug=row["slug"], alternate_names=row["alternate_names"], **wanted
            )
            report.created += 1
            continue
        names = [*row["alternate_names"], *location.alternate_names]
        before = _place_state(location)
        for attr, value in wanted.items():
            setattr(location, attr, value)
        location.alternate_names = names
        location.save()  # cleans the names, so compare after saving
        if _place_state(location) == before:
            report.unchanged += 1
        else:
            report.updated += 1
    return report


def _place_state(location):
    return (
        location.name,
        location.kind,
        location.country,
        location.region,
        None if location.latitude is None else Decimal(location.latitude),
        None if location.longitude is None else Decimal(location.longitude),
        location.geonameid,
        tuple(location.alternate_names),
    )


# The catalogue's (category, type) → our category.
_UAV_TYPES = {
    "reconnaissance": WeaponModel.Category.RECON_DRONE,
    "loitering munition": WeaponModel.Category.LOITERING_MUNITION,
    "multirole istar": WeaponModel.Category.ATTACK_DRONE,
    "reconnaissance and armed": WeaponModel.Category.ATTACK_DRONE,
}
_CATEGORIES = {
    "ballistic missile": WeaponModel.Category.BALLISTIC_MISSILE,
    "cruise missile": WeaponModel.Category.CRUISE_MISSILE,
    "surface-to-air missile": WeaponModel.Category.GUIDED_MISSILE,
    "surface-to-air and ballistic": WeaponModel.Category.BALLISTIC_MISSILE,
    "guided bomb": WeaponModel.Category.OTHER,
}
# By name, where the type column does not say or says it wrongly for us.
_BY_NAME = {
    "Shahed-136/131": WeaponModel.Category.ATTACK_DRONE,
    "Shahed-136/131 and Lancet": WeaponModel.Category.ATTACK_DRONE,
    "Gerbera": WeaponModel.Category.DECOY_DRONE,
    "Unknown UAV": WeaponModel.Category.UNKNOWN_DRONE,
    "Молнія": WeaponModel.Category.ATTACK_DRONE,
    "Молнія and Lancet": WeaponModel.Category.ATTACK_DRONE,
}
# Models found in the attack data but not in the catalogue, categorised by hand.
EXTRA_MODELS = {
    "Iskander-M/KN-23 and Iskander-K and X-59/X-69": (
        WeaponModel.Category.BALLISTIC_MISSILE,
        "Russia/North Korea",
    ),
    "X-101/X-555 and Kalibr and Iskander-M/KN-23": (
        WeaponModel.Category.CRUISE_MISSILE,
        "Russia/North Korea",
    ),
    "Iskander-M and Iskander-K": (WeaponModel.Category.BALLISTIC_MISSILE, "Russia"),
    "Aerial Bomb": (WeaponModel.Category.OTHER, "Russia"),
    "Фенікс": (WeaponModel.Category.RECON_DRONE, "Russia"),
    "Картограф": (WeaponModel.Category.RECON_DRONE, "Russia"),
    "Привет-82": (WeaponModel.Category.ATTACK_DRONE, "Russia"),
}


def category_for(name, category="", kind=""):
    """Our WeaponModel.Category for a catalogue row (model, category, type)."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    category, kind = category.strip().lower(), kind.strip().lower()
    if category == "uav":
        if "gerbera" in name.lower():
            return WeaponModel.Category.DECOY_DRONE
        return _UAV_TYPES.get(kind, WeaponModel.Category.UNKNOWN_DRONE)
    return _CATEGORIES.get(category, WeaponModel.Category.OTHER)


def guess_category(name):
    """A category for a model name found in no catalogue."""
    if name in EXTRA_MODELS:
        return EXTRA_MODELS[name][0]
    lowered = name.lower()
    if "uav" in lowered or "drone" in lowered or "shahed" in lowered:
        return WeaponModel.Category.UNKNOWN_DRONE
    return WeaponModel.Category.OTHER


def _origin(text):
    return "/".join(part.strip().title() for part in text.split("/") if part.strip())


def catalogue(path=WEAPONS_FILE):
    """{model name: (category, national origin)} from the catalogue CSV and
    EXTRA_MODELS."""
    with open(path, newline="", encoding="utf-8") as f:
        result = {
            row["model"].strip(): (
                category_for(row["model"].strip(), row["category"], row["type"]),
                _origin(row["national_origin"]),
            )
            for row in csv.DictReader(f)
            if row.get("model", "").strip()
        }
    for name, value in EXTRA_MODELS.items():
        result.setdefault(name, value)
    return result


@transaction.atomic
def load_weapons(path=WEAPONS_FILE):
    """Create or update weapon models from the catalogue CSV (and EXTRA_MODELS)."""
    report = LoadReport()
    existing = {w.name: w for w in WeaponModel.objects.all()}
    for name, (category, origin) in catalogue(path).items():
        weapon = existing.get(name)
        if weapon is None:
            existing[name] = WeaponModel.objects.create(
                name=name, category=category, national_origin=origin
            )
            report.created += 1
        elif weapon.category != category or (
            origin and weapon.national_origin != origin
        ):
            weapon.category = category
            weapon.national_origin = origin or weapon.national_origin
            weapon.save(update_fields=["category", "national_origin"])
            report.updated += 1
        else:
            report.unchanged += 1
    return report
