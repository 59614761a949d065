"""Filters of the API: the site's shared IncidentFilter and a LocationFilter."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from incidents.filters import MAX_TEXT, CountryFilter, IncidentFilter
from incidents.models import Location

__all__ = ["IncidentFilter", "LocationFilter"]


class LocationFilter(filters.FilterSet):
    name = filters.CharFilter(
        method="filter_name",
        max_length=MAX_TEXT,
        label=_("Name"),
        help_text=_("A place name in any spelling: Ramenskoye, Ramenskoïe, Раменское."),
    )
    country = CountryFilter(
        field_name="country",
        label=_("Country"),
        help_text=_("Country code of the place: UA, RU, BY…"),
    )
    region = filters.CharFilter(
        method="filter_region",
        max_length=MAX_TEXT,
        label=_("Region"),
        help_text=_("Places in a region or oblast, in any spelling."),
    )
    kind = filters.ChoiceFilter(
        field_name="kind",
        choices=Location.Kind.choices,
        label=_("Kind"),
        help_text=_("settlement, airport, airbase, region, country…"),
    )

    class Meta:
        model = Location
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(pk__in=Location.objects.matching(value).values("pk"))

    def filter_region(self, queryset, name, value):
        regions = Location.objects.matching(value).filter(kind=Location.Kind.REGION)
        in_region = Q(region__iexact=value.strip()) | Q(
            region__in=regions.values("name")
        )
        return queryset.filter(in_region)
