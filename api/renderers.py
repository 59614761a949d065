"""CSV and GeoJSON for incidents, streamed so a download holds every matching row.

The views stream these formats themselves (see IncidentViewSet); the renderer
classes exist for content negotiation (`?format=` and the Accept header).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from rest_framework.renderers import JSONRenderer

from api.serializers import iso_datetime
from incidents.export import CHUNK


class CSVRenderer(JSONRenderer):
    """`?format=csv` or `Accept: text/csv`: the shared CSV export columns."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class GeoJSONRenderer(JSONRenderer):
    """`?format=geojson` or `Accept: application/geo+json`: a FeatureCollection."""

    media_type = "application/geo+json"
    format = "geojson"


STREAMED_FORMATS = {CSVRenderer.format, GeoJSONRenderer.format}


def place_feature(incident, link, absolute_url):
    """One GeoJSON Point feature for an incident at one of its places, or None."""
    place = link.location
    if place.latitude is None or place.longitude is None:
        return None
    rate = incident.interception_rate
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [float(place.longitude), float(place.latitude)],
        },
        "properties": {
            "public_id": incident.public_id,
            "url": absolute_url(incident.get_absolute_url()),
            "started_at": _iso(incident.started_at),
            "ended_at": _iso(incident.ended_at),
            "attacker": incident.attacker,
            "target_country": incident.target_country,
            "attribution": incident.attribution,
            "drones_launched": incident.drones_launched,
            "drones_intercepted": incident.drones_intercepted,
            "interception_rate": None if rate is None else round(rate, 4),
            "status": incident.status,
            "place": place.name,
            "place_slug": place.slug,
            "place_kind": place.kind,
            "region": place.region,
            "country": place.country,
            "role": link.role,
        },
    }


def _iso(value):
    return None if value is None else iso_datetime(value)


def iter_geojson(queryset, absolute_url):
    """Yield a FeatureCollection in pieces: one feature per incident and place."""
    yield '{"type": "FeatureCollection", "features": ['
    separator = ""
    for incident in queryset.iterator(chunk_size=CHUNK):
        for link in incident.incident_locations.all():
            feature = place_feature(incident, link, absolute_url)
            if feature is not None:
                yield separator + json.dumps(
                    feature, cls=DjangoJSONEncoder, ensure_ascii=False
                )
                separator = ", "
    yield "]}\n"


def geojson_response(queryset, request):
    return StreamingHttpResponse(
        iter_geojson(queryset, request.build_absolute_uri),
        content_type="application/geo+json; charset=utf-8",
    )
