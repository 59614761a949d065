"""The one filter definition behind the public list, its feeds and downloads,
and the REST API: the same parameter names and meanings everywhere.

It is a django-filter `rest_framework.FilterSet`, so datetimes take ISO 8601 and
the API answers a bad value with HTTP 400 and a message per parameter.
"""

import datetime as dt

from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from incidents.models import (
    Country,
    Incident,
    IncidentLocation,
    Location,
    Source,
    WeaponLine,
    WeaponModel,
)

MAX_TEXT = 200


class _CountryField(forms.ChoiceField):
    """Country codes in any case: `ru` and `RU` are the same side."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class CountryFilter(filters.ChoiceFilter):
    field_class = _CountryField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", Country.choices)
        super().__init__(*args, **kwargs)


class NullsLastOrderingFilter(filters.OrderingFilter):
    """Orders unknown counts last in both directions, on PostgreSQL and SQLite
    alike (PostgreSQL would otherwise put NULL first when descending)."""

    def get_ordering_value(self, param):
        name = super().get_ordering_value(param)
        field = F(name.lstrip("-"))
        return (
            field.desc(nulls_last=True)
            if name.startswith("-")
            else field.asc(nulls_last=True)
        )

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        # A unique tiebreaker keeps the order stable across pages.
        return qs.order_by(*qs.query.order_by, "-id") if value else qs


# Dates far outside the record overflow when converted to UTC for the query;
# the API and the site refuse them alike, as a per-parameter 400.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def within_record(value):
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(
            _("Give a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            code="out_of_range",
        )


def _start_of_day(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class _UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 datetime within the record's years, turned into UTC so any
    valid offset (PostgreSQL refuses some, e.g. +21:47) reaches the database."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        within_record(value)
        return value.astimezone(dt.UTC)


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = _UtcDateTimeField


class IncidentFilter(filters.FilterSet):
    date_after = filters.DateFilter(
        method="filter_date_after",
        validators=[within_record],
        label=_("From (date)"),
        help_text=_("Incidents that started on or after this date (YYYY-MM-DD)."),
    )
    date_before = filters.DateFilter(
        method="filter_date_before",
        validators=[within_record],
        label=_("To (date)"),
        help_text=_("Incidents that started on or before this date (YYYY-MM-DD)."),
    )
    side = CountryFilter(
        field_name="attacker",
        label=_("Attacking side"),
        help_text=_("Country code of the attacking side: RU, UA, ZZ (unknown)…"),
    )
    target_country = CountryFilter(
        field_name="target_country",
        label=_("Target country"),
        help_text=_("Country code of the country attacked."),
    )
    location = filters.CharFilter(
        method="filter_location",
        max_length=MAX_TEXT,
        label=_("Place"),
        help_text=_("A place in any spelling: Ramenskoye, Ramenskoïe, Раменское."),
    )
    region = filters.CharFilter(
        method="filter_region",
        max_length=MAX_TEXT,
        label=_("Region"),
        help_text=_("A region or oblast in any spelling, e.g. Moscow Oblast."),
    )
    drone_model = filters.CharFilter(
        method="filter_drone_model",
        max_length=MAX_TEXT,
        label=_("Weapon model"),
        help_text=_("A weapon model or alias, e.g. Shahed, Geran-2, Lancet."),
    )
    q = filters.CharFilter(
        method="filter_text",
        max_length=MAX_TEXT,
        label=_("Search"),
        help_text=_("Words in summaries and sources (title, claimant, claim)."),
    )
    min_launched = filters.NumberFilter(
        field_name="drones_launched",
        lookup_expr="gte",
        min_value=0,
        label=_("At least N launched"),
        help_text=_("Incidents with at least this many drones launched."),
    )
    updated_since = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Updated since"),
        help_text=_("ISO 8601 datetime with offset; for incremental sync."),
    )
    ordering = NullsLastOrderingFilter(
        fields=(
            ("started_at", "started_at"),
            ("drones_launched", "drones_launched"),
            ("drones_intercepted", "drones_intercepted"),
            ("updated_at", "updated_at"),
        ),
        label=_("Order by"),
        help_text=_(
            "started_at, drones_launched, drones_intercepted or updated_at; "
            "prefix with - for descending. Default: newest first."
        ),
    )

    class Meta:
        model = Incident
        fields = []

    # Days at the ends of the calendar bound nothing, and converting them to
    # UTC would overflow the year range.
    def filter_date_after(self, queryset, name, value):
        if value <= dt.date.min + dt.timedelta(days=1):
            return queryset
        return queryset.filter(started_at__gte=_start_of_day(value))

    def filter_date_before(self, queryset, name, value):
        if value >= dt.date.max - dt.timedelta(days=1):
            return queryset
        return queryset.filter(
            started_at__lt=_start_of_day(value + dt.timedelta(days=1))
        )

    def filter_location(self, queryset, name, value):
        places = Location.objects.matching(value)
        return _linked_to(queryset, IncidentLocation, "location_id", places)

    def filter_region(self, queryset, name, value):
        regions = Location.objects.matching(value).filter(kind=Location.Kind.REGION)
        region_names = [value.strip(), *regions.values_list("name", flat=True)]
        in_region = Q(pk__in=regions)
        for region_name in region_names:
            in_region |= Q(region__iexact=region_name)
        places = Location.objects.filter(in_region)
        return _linked_to(queryset, IncidentLocation, "location_id", places)

    def filter_drone_model(self, queryset, name, value):
        text = value.strip()
        weapons = WeaponModel.objects.filter(
            Q(name__icontains=text) | Q(aliases__icontains=text)
        )
        return _linked_to(queryset, WeaponLine, "weapon_id", weapons)

    def filter_text(self, queryset, name, value):
        condition = Q()
        for word in value.split():
            in_sources = Source.objects.filter(
                Q(title__icontains=word)
                | Q(claim__icontains=word)
                | Q(claimant__icontains=word)
                | Q(publisher__icontains=word)
            ).values("incident")
            condition &= Q(summary__icontains=word) | Q(pk__in=in_sources)
        return queryset.filter(condition)


def _linked_to(queryset, link, column, targets):
    """Incidents with a `link` row (a place or weapon line) to one of
    `targets` (places or weapons: small tables).

    The targets' ids are read first and sent as constants: the planner then
    knows how common each is, and for a busy place like Kyiv walks the
    newest-first index and stops after a page, instead of gathering every
    incident ever recorded there (20 ms against 1.5 ms at 100,000 incidents).
    """
    ids = list(targets.values_list("pk", flat=True))
    if not ids:
        return queryset.none()
    rows = link.objects.filter(incident=OuterRef("pk"), **{f"{column}__in": ids})
    return queryset.filter(Exists(rows))
