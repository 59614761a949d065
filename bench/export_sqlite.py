"""Export the public incidents to a SQLite file for Datasette, one row per
incident with its places folded into text columns (Datasette filters one
table by URL parameters).

    DATABASE_URL=postgres://... .venv/bin/python bench/export_sqlite.py OUT.db
"""

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

COLUMNS = [
    ("id", "INTEGER PRIMARY KEY"),
    ("public_id", "TEXT"),
    ("started_at", "TEXT"),
    ("ended_at", "TEXT"),
    ("attacker", "TEXT"),
    ("target_country", "TEXT"),
    ("attribution", "TEXT"),
    ("drones_launched", "INTEGER"),
    ("drones_intercepted", "INTEGER"),
    ("summary", "TEXT"),
    ("status", "TEXT"),
    ("places", "TEXT"),
    ("regions", "TEXT"),
]

QUERY = """
SELECT i.id, i.public_id, i.started_at, i.ended_at, i.attacker, i.target_country,
       i.attribution, i.drones_launched, i.drones_intercepted, i.summary, i.status,
       string_agg(l.name, ', ' ORDER BY l.name), string_agg(DISTINCT l.region, ', ')
FROM incidents_incident i
LEFT JOIN incidents_incidentlocation il ON il.incident_id = i.id
LEFT JOIN incidents_location l ON l.id = il.location_id
WHERE i.status IN ('published', 'retracted')
GROUP BY i.id
"""


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        parser.error("export reads from PostgreSQL (set DATABASE_URL)")
    started = time.perf_counter()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.unlink(missing_ok=True)
    out = sqlite3.connect(args.output)
    columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS)
    out.execute(f"CREATE TABLE incidents ({columns})")
    marks = ", ".join("?" for _ in COLUMNS)
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(QUERY)
        while rows := cursor.fetchmany(5000):
            out.executemany(
                f"INSERT INTO incidents VALUES ({marks})",
                [
                    (
                        *row[:2],
                        row[2].isoformat(),
                        row[3] and row[3].isoformat(),
                        *row[4:],
                    )
                    for row in rows
                ],
            )
            count += len(rows)
    # The same indexes a Datasette publisher would add for sort and filters.
    out.execute("CREATE INDEX incidents_started ON incidents (started_at)")
    out.execute("CREATE INDEX incidents_attacker ON incidents (attacker, started_at)")
    out.commit()
    out.execute("ANALYZE")
    out.close()
    print(
        f"Exported {count} incidents to {args.output} in "
        f"{time.perf_counter() - started:.1f} s."
    )


if __name__ == "__main__":
    main()
