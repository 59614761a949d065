"""Fill a database with a realistic synthetic record for benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/incidents_bench \
        .venv/bin/python bench/generate.py --incidents 100000 --reset

Incidents spread over the war's years, mostly Russia → Ukraine, each with 1-3
places (a few cities far more often than villages, as in the news), 1-2 weapon
lines that add up to the incident's drone totals, and 1-3 sources. PostgreSQL
is filled with COPY (100,000 incidents in well under a minute); other
databases with bulk_create. Deterministic for a given --seed.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from incidents import names  # noqa: E402
from incidents.models import (  # noqa: E402
    PUBLIC_ID_LENGTH,
    Incident,
    IncidentLocation,
    Location,
    Source,
    WeaponLine,
    WeaponModel,
)

UTC = dt.UTC
START = dt.datetime(2022, 2, 24, tzinfo=UTC)
END = dt.datetime(2025, 11, 1, tzinfo=UTC)
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"

# (name, alternate spellings, region, country, lat, lon, weight): weights
# make big cities appear in far more reports than villages.
PLACES = [
    ("Kyiv", ["Kiev", "Київ", "Киев"], "Kyiv", "UA", 50.45, 30.52, 40),
    (
        "Kharkiv",
        ["Kharkov", "Харків", "Харьков"],
        "Kharkiv Oblast",
        "UA",
        49.99,
        36.23,
        35,
    ),
    ("Odesa", ["Odessa", "Одеса", "Одесса"], "Odesa Oblast", "UA", 46.48, 30.72, 30),
    (
        "Dnipro",
        ["Dnipropetrovsk", "Дніпро", "Днепр"],
        "Dnipropetrovsk Oblast",
        "UA",
        48.46,
        35.05,
        25,
    ),
    (
        "Zaporizhzhia",
        ["Zaporozhye", "Запоріжжя"],
        "Zaporizhzhia Oblast",
        "UA",
        47.84,
        35.14,
        25,
    ),
    ("Lviv", ["Lvov", "Львів"], "Lviv Oblast", "UA", 49.84, 24.03, 10),
    ("Mykolaiv", ["Nikolaev", "Миколаїв"], "Mykolaiv Oblast", "UA", 46.97, 32.0, 15),
    ("Sumy", ["Суми"], "Sumy Oblast", "UA", 50.91, 34.8, 20),
    ("Kherson", ["Херсон"], "Kherson Oblast", "UA", 46.64, 32.61, 20),
    ("Poltava", ["Полтава"], "Poltava Oblast", "UA", 49.59, 34.55, 8),
    ("Chernihiv", ["Chernigov", "Чернігів"], "Chernihiv Oblast", "UA", 51.5, 31.29, 8),
    ("Vinnytsia", ["Vinnitsa", "Вінниця"], "Vinnytsia Oblast", "UA", 49.23, 28.47, 6),
    ("Moscow", ["Moskva", "Москва", "Moscou"], "Moscow", "RU", 55.76, 37.62, 15),
    ("Ramenskoye", ["Ramenskoïe", "Раменское"], "Moscow Oblast", "RU", 55.56, 38.24, 4),
    ("Belgorod", ["Белгород"], "Belgorod Oblast", "RU", 50.6, 36.59, 20),
    ("Kursk", ["Курск", "Koursk"], "Kursk Oblast", "RU", 51.73, 36.19, 18),
    ("Bryansk", ["Брянск"], "Bryansk Oblast", "RU", 53.24, 34.36, 18),
    ("Voronezh", ["Воронеж"], "Voronezh Oblast", "RU", 51.67, 39.18, 8),
    (
        "Rostov-on-Don",
        ["Rostov-na-Donu", "Ростов-на-Дону"],
        "Rostov Oblast",
        "RU",
        47.23,
        39.72,
        6,
    ),
    ("Novorossiysk", ["Новороссийск"], "Krasnodar Krai", "RU", 44.72, 37.77, 4),
    ("Engels", ["Энгельс"], "Saratov Oblast", "RU", 51.48, 46.11, 3),
    ("Sevastopol", ["Севастополь"], "Crimea", "UA", 44.6, 33.52, 10),
]
OBLASTS_UA = [p[2] for p in PLACES if p[3] == "UA"]
OBLASTS_RU = [p[2] for p in PLACES if p[3] == "RU"]
VILLAGES = 600
WEAPONS = [
    ("Shahed-136/131", "attack_drone", ["Shahed", "Geran-2", "Герань-2"]),
    ("Gerbera", "decoy_drone", ["Гербера"]),
    ("Lancet", "loitering", ["Ланцет"]),
    ("Unknown UAV", "unknown_drone", []),
    ("Orlan-10", "recon_drone", ["Орлан-10"]),
    ("Liutyi", "attack_drone", ["Lyutyi", "Лютий"]),
    ("Iskander-M", "ballistic_missile", ["Искандер-М"]),
    ("Kalibr", "cruise_missile", ["Калибр"]),
]
PUBLISHERS = [
    ("Ukrainian Air Force", "uk", "https://t.me/kpszsu/"),
    ("Russian Ministry of Defence", "ru", "https://t.me/mod_russia/"),
    ("Kyiv Independent", "en", "https://kyivindependent.com/"),
    ("Ukrainska Pravda", "uk", "https://www.pravda.com.ua/"),
    ("Matin.info", "fr", "https://matin.info/"),
    ("Reuters", "en", "https://www.reuters.com/"),
]
SUMMARIES = [
    "Overnight drone attack on {place}; debris fell on residential buildings.",
    "Wave of attack drones and decoys over {place} and the surrounding region.",
    "Air defence active over {place}; several drones downed, a fire reported.",
    "Drones targeted energy infrastructure near {place}.",
    "Strike on an industrial site near {place}, according to local officials.",
]


def _public_ids(rng, n, taken):
    ids = set()
    while len(ids) < n:
        candidate = "".join(rng.choice(_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))
        if candidate not in taken:
            ids.add(candidate)
    return list(ids)


def _make_places(rng):
    """Locations and their draw weights (the named cities, then villages)."""
    existing = {loc.slug: loc for loc in Location.objects.all()}
    rows = []
    for name, alts, region, country, lat, lon, weight in PLACES:
        rows.append((name, alts, region, country, lat, lon, weight))
    for i in range(VILLAGES):
        country = "UA" if rng.random() < 0.7 else "RU"
        region = rng.choice(OBLASTS_UA if country == "UA" else OBLASTS_RU)
        lat = rng.uniform(45.5, 52.0) if country == "UA" else rng.uniform(47.0, 56.0)
        lon = rng.uniform(24.0, 40.0) if country == "UA" else rng.uniform(33.0, 47.0)
        rows.append((f"Village {i + 1}", [], region, country, lat, lon, 1))
    new, weights, places = [], [], []
    for name, alts, region, country, lat, lon, weight in rows:
        slug = f"{slugify(names.fold(name))}-{country.lower()}"
        location = existing.get(slug)
        if location is None:
            location = Location(
                name=name,
                slug=slug,
                alternate_names=alts,
                region=region,
                country=country,
                latitude=f"{lat:.5f}",
                longitude=f"{lon:.5f}",
                search_text=names.search_text([name, *alts]),
            )
            new.append(location)
        places.append(location)
        weights.append(weight)
    Location.objects.bulk_create(new, batch_size=1000)
    return places, weights


def _make_weapons():
    weapons = []
    for name, category, aliases in WEAPONS:
        weapon, _ = WeaponModel.objects.get_or_create(
            name=name, defaults={"category": category, "aliases": aliases}
        )
        weapons.append(weapon)
    return weapons


def build_rows(n, seed, first_id, places, weights, weapons, taken_ids):
    """Rows (tuples in column order) of the four big tables."""
    rng = random.Random(seed)
    drones = [w for w in weapons if w.is_drone]
    span = (END - START).total_seconds()
    now = dt.datetime.now(UTC)
    incidents, links, lines, sources = [], [], [], []
    public_ids = _public_ids(rng, n, taken_ids)
    for offset in range(n):
        pk = first_id + offset
        started = START + dt.timedelta(seconds=rng.random() * span)
        started = started.replace(second=0, microsecond=0)
        ended = started + dt.timedelta(minutes=rng.randint(30, 600))
        roll = rng.random()
        attacker, target = (
            ("RU", "UA")
            if roll < 0.72
            else ("UA", "RU")
            if roll < 0.97
            else ("ZZ", "RU")
        )
        status = rng.choices(
            ["published", "draft", "in_review", "retracted"], [95, 2, 2, 1]
        )[0]
        launched = rng.choice([None] + [rng.randint(1, 250)] * 9)
        intercepted = None if launched is None else rng.randint(0, launched)
        picked = []
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            place = rng.choices(places, weights)[0]
            if place not in picked:
                picked.append(place)
        summary = rng.choice(SUMMARIES).format(place=picked[0].name)
        incidents.append(
            (
                pk,
                public_ids[offset],
                started,
                ended,
                "minute",
                attacker,
                target,
                "claimed" if attacker == "UA" and rng.random() < 0.5 else "attributed",
                launched,
                intercepted,
                summary,
                status,
                now,
                now,
                started + dt.timedelta(hours=6) if status != "draft" else None,
                "Figures withdrawn by the source." if status == "retracted" else "",
                1,
            )
        )
        for index, place in enumerate(picked):
            role = "target" if index == 0 else rng.choice(["interception", "target"])
            links.append((pk, place.pk, role))
        # The drone lines add up to the incident's totals.
        chosen = rng.sample(drones, rng.choice([1, 1, 2]))
        if launched is None or len(chosen) == 1:
            lines.append((pk, chosen[0].pk, launched, intercepted))
        else:
            first = rng.randint(0, launched)
            first_down = min(first, rng.randint(0, intercepted))
            second_down = min(intercepted - first_down, launched - first)
            first_down = intercepted - second_down
            lines.append((pk, chosen[0].pk, first, first_down))
            lines.append((pk, chosen[1].pk, launched - first, second_down))
        for _ in range(rng.choice([1, 1, 2, 3])):
            publisher, language, base = rng.choice(PUBLISHERS)
            sources.append(
                (
                    pk,
                    f"{base}{rng.randint(10000, 99999)}",
                    publisher,
                    f"Drone attack on {picked[0].name}",
                    language,
                    (started + dt.timedelta(days=rng.randint(0, 2))).date(),
                    publisher,
                    f"{launched or 'Several'} drones launched.",
                )
            )
    return incidents, links, lines, sources


INCIDENT_COLUMNS = [
    "id",
    "public_id",
    "started_at",
    "ended_at",
    "time_precision",
    "attacker",
    "target_country",
    "attribution",
    "drones_launched",
    "drones_intercepted",
    "summary",
    "status",
    "created_at",
    "updated_at",
    "published_at",
    "retraction_reason",
    "version",
]
LINK_COLUMNS = ["incident_id", "location_id", "role"]
LINE_COLUMNS = ["incident_id", "weapon_id", "launched", "intercepted"]
SOURCE_COLUMNS = [
    "incident_id",
    "url",
    "publisher",
    "title",
    "language",
    "published_on",
    "claimant",
    "claim",
]
TABLES = [
    (Incident, INCIDENT_COLUMNS),
    (IncidentLocation, LINK_COLUMNS),
    (WeaponLine, LINE_COLUMNS),
    (Source, SOURCE_COLUMNS),
]


def _copy(model, columns, rows):
    """PostgreSQL COPY ... FROM STDIN: the fastest way in."""
    table = model._meta.db_table
    raw = connection.connection
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _bulk(model, columns, rows):
    """Other databases (SQLite): bulk_create; column names are attribute names."""
    objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    model.objects.bulk_create(objects, batch_size=2000)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--reset", action="store_true", help="empty the incident tables first"
    )
    args = parser.parse_args(argv)
    if args.incidents < 1:
        parser.error("--incidents must be at least 1")

    started = time.perf_counter()
    with transaction.atomic():
        if args.reset:
            # Children first; places and weapon models are kept and reused.
            for model in (Source, WeaponLine, IncidentLocation, Incident):
                model.objects.all()._raw_delete(connection.alias)
        rng = random.Random(args.seed)
        places, weights = _make_places(rng)
        weapons = _make_weapons()
        last = Incident.objects.order_by("-id").values_list("id", flat=True).first()
        taken = set(Incident.objects.values_list("public_id", flat=True))
        rows = build_rows(
            args.incidents, args.seed, (last or 0) + 1, places, weights, weapons, taken
        )
        write = _copy if connection.vendor == "postgresql" else _bulk
        for (model, columns), table_rows in zip(TABLES, rows, strict=True):
            write(model, columns, table_rows)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model, _ in TABLES:
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT max(id) FROM {table}))"
                    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from incidents.cache import bump_record_version

    bump_record_version()
    counts = ", ".join(
        f"{model.objects.count()} {model._meta.verbose_name_plural}"
        for model, _ in TABLES
    )
    print(
        f"Generated {args.incidents} incidents in "
        f"{time.perf_counter() - started:.1f} s; the database now has {counts}."
    )


if __name__ == "__main__":
    main()
