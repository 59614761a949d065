"""Aggregates over a queryset of incidents, computed by the database.

The public stats page and the API's stats endpoint both call these with the
queryset that the shared IncidentFilter produced, so they agree by design.
"""

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from incidents.models import WeaponLine

PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
BOTH_KNOWN = Q(drones_launched__isnull=False, drones_intercepted__isnull=False)


def _sum(field, condition=None):
    return Coalesce(Sum(field, filter=condition), Value(0), output_field=IntegerField())


def _aggregates():
    return {
        "incidents": Count("id"),
        "sum_launched": _sum("drones_launched"),
        "sum_intercepted": _sum("drones_intercepted"),
        # The rate only counts incidents where both figures are known, so an
        # incident reporting only the downed drones does not inflate it.
        "rate_launched": _sum("drones_launched", BOTH_KNOWN),
        "rate_intercepted": _sum("drones_intercepted", BOTH_KNOWN),
    }


def _with_rate(row):
    # Aggregates cannot share a model field's name; rename them for output.
    row["drones_launched"] = row.pop("sum_launched")
    row["drones_intercepted"] = row.pop("sum_intercepted")
    launched = row.pop("rate_launched")
    intercepted = row.pop("rate_intercepted")
    row["interception_rate"] = round(intercepted / launched, 4) if launched else None
    return row


def totals(queryset):
    """Counts and sums for the whole queryset (one query)."""
    return _with_rate(queryset.order_by().aggregate(**_aggregates()))


def series(queryset, period="day"):
    """Rows per day, week or month (in the site's time zone), oldest first."""
    trunc = PERIODS[period]
    rows = (
        queryset.order_by()
        .annotate(period=trunc("started_at", tzinfo=timezone.get_current_timezone()))
        .values("period")
        .annotate(**_aggregates())
        .order_by("period")
    )
    return [_with_rate(dict(row)) for row in rows]


def by_side(queryset):
    """Rows per attacking side, largest number of drones launched first."""
    rows = (
        queryset.order_by()
        .values("attacker")
        .annotate(**_aggregates())
        .order_by("-sum_launched", "attacker")
    )
    return [_with_rate(dict(row)) for row in rows]


def by_weapon(queryset):
    """Launched / intercepted per weapon model over the incidents' lines."""
    rows = (
        WeaponLine.objects.filter(incident__in=queryset.order_by().values("pk"))
        .values("weapon__name", "weapon__category")
        .annotate(
            incidents=Count("incident", distinct=True),
            launched=_sum("launched"),
            intercepted=_sum("intercepted"),
        )
        .order_by("-launched", "weapon__name")
    )
    return [
        {
            "weapon": row["weapon__name"],
            "category": row["weapon__category"],
            "incidents": row["incidents"],
            "launched": row["launched"],
            "intercepted": row["intercepted"],
        }
        for row in rows
    ]
