"""CSV export of incidents, streamed row by row.

Used by the public CSV download and the API's CSV format, so both give the
same columns. Cells are neutralised against spreadsheet formula injection.
"""

import csv

from django.http import StreamingHttpResponse

COLUMNS = [
    "public_id",
    "url",
    "started_at",
    "ended_at",
    "time_precision",
    "attacker",
    "target_country",
    "attribution",
    "drones_launched",
    "drones_intercepted",
    "interception_rate",
    "places",
    "weapons",
    "claimants",
    "source_urls",
    "summary",
    "status",
    "updated_at",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500


def safe_cell(value):
    """A value a spreadsheet will show as text, never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def incident_row(incident, absolute_url):
    """One CSV row; expects places, weapon lines and sources prefetched."""
    rate = incident.interception_rate
    return [
        incident.public_id,
        absolute_url(incident.get_absolute_url()),
        incident.started_at.isoformat(),
        incident.ended_at.isoformat() if incident.ended_at else None,
        incident.time_precision,
        incident.attacker,
        incident.target_country,
        incident.attribution,
        incident.drones_launched,
        incident.drones_intercepted,
        None if rate is None else round(rate, 4),
        "; ".join(
            f"{link.location.name} ({link.role})"
            for link in incident.incident_locations.all()
        ),
        "; ".join(
            f"{line.weapon.name}: {_n(line.launched)}/{_n(line.intercepted)}"
            for line in incident.weapon_lines.all()
        ),
        "; ".join(source.claimant for source in incident.sources.all()),
        " ".join(source.url for source in incident.sources.all() if source.url),
        incident.summary,
        incident.status,
        incident.updated_at.isoformat(),
    ]


def _n(value):
    return "?" if value is None else value


class _Echo:
    def write(self, value):
        return value


def iter_csv(queryset, absolute_url):
    """Yield CSV lines: a header, then one line per incident, in chunks."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for incident in queryset.iterator(chunk_size=CHUNK):
        yield writer.writerow(
            [safe_cell(v) for v in incident_row(incident, absolute_url)]
        )


def csv_response(queryset, request, filename="incidents.csv"):
    """A streamed CSV download of `queryset` (use `.for_detail()` rows)."""
    response = StreamingHttpResponse(
        iter_csv(queryset, request.build_absolute_uri),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
