"""The public site: list, detail, place, map and stats pages, and the CSV
download. Every page shows published incidents only, filtered by the shared
IncidentFilter read from the query string, so any view can be shared as a URL.
"""

from django.conf import settings
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from incidents import charts, stats
from incidents.cache import cache_public
from incidents.export import csv_response
from incidents.filters import IncidentFilter
from incidents.forms import StatsPeriodForm
from incidents.models import Country, Incident, IncidentLocation, Location

PAGE_SIZE = 25
# Labels for the `ordering` values the shared filter accepts.
ORDERING_CHOICES = [
    ("started_at", gettext_lazy("Oldest first")),
    ("-drones_launched", gettext_lazy("Most drones launched")),
    ("drones_launched", gettext_lazy("Fewest drones launched")),
    ("-drones_intercepted", gettext_lazy("Most drones intercepted")),
    ("drones_intercepted", gettext_lazy("Fewest drones intercepted")),
    ("-updated_at", gettext_lazy("Recently updated")),
    ("updated_at", gettext_lazy("Least recently updated")),
    ("-started_at", gettext_lazy("Newest first (explicit)")),
]
_SELECTS = ("side", "target_country", "ordering")
# Pages beyond this would need an OFFSET larger than databases accept.
MAX_PAGE = 1_000_000
DEFAULT_PERIOD = "week"


def build_filter(request, queryset):
    """The shared IncidentFilter over `queryset`, its form dressed for a page.

    Only the presentation changes here (an "any" choice, date pickers, option
    labels); the parameters and their meaning are those of the API.
    """
    filterset = IncidentFilter(request.GET, queryset=queryset, request=request)
    fields = filterset.form.fields
    any_country = [("", _("Any")), *Country.choices]
    fields["side"].choices = any_country
    fields["target_country"].choices = any_country
    fields["ordering"].choices = ORDERING_CHOICES
    fields["ordering"].empty_label = _("Newest first")
    for name in _SELECTS:
        fields[name].help_text = ""
    for name in ("date_after", "date_before"):
        fields[name].widget.input_type = "date"
    return filterset


def filter_query(request, filterset):
    """The query string of the filter parameters alone (no page, no period)."""
    query = request.GET.copy()
    for key in list(query):
        if key not in filterset.filters or not any(query.getlist(key)):
            del query[key]
    return query.urlencode()


def _has_empty_params(request):
    return any("" in values for _key, values in request.GET.lists())


def _page(request, queryset, size=PAGE_SIZE):
    """One page of `queryset` without counting the whole table: it fetches
    size + 1 rows to know whether a next page exists."""
    try:
        number = min(max(1, int(request.GET.get("page", "1"))), MAX_PAGE)
    except ValueError:
        number = 1
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return {
        "rows": rows[:size],
        "number": number,
        "has_next": len(rows) > size,
        "has_previous": number > 1,
        "next_number": number + 1,
        "previous_number": number - 1,
        "start": offset + 1,
    }


class FilteredView(TemplateView):
    """A page over the filtered public incidents.

    A bad filter value renders the page with the form's messages and HTTP 400;
    blank parameters (an empty form field) are dropped from the URL so a
    shared link stays short.
    """

    # The page the filter form submits to; None for the page itself.
    form_url_name = None

    def base_queryset(self):
        return Incident.objects.public()

    def get(self, request, *args, **kwargs):
        if _has_empty_params(request):
            query = request.GET.copy()
            for key, values in list(query.lists()):
                kept = [v for v in values if v != ""]
                if kept:
                    query.setlist(key, kept)
                else:
                    del query[key]
            query = query.urlencode()
            return HttpResponseRedirect(
                f"{request.path}?{query}" if query else request.path
            )
        self.filterset = build_filter(request, self.base_queryset())
        if not self.is_valid():
            return self.invalid(self.filterset)
        return super().get(request, *args, **kwargs)

    def is_valid(self):
        return self.filterset.is_valid()

    def invalid(self, filterset, status=400):
        context = self.common_context(filterset)
        context["filter_invalid"] = True
        return render(self.request, self.template_name, context, status=status)

    def common_context(self, filterset):
        query = filter_query(self.request, filterset)
        return {
            "filter": filterset,
            "query": query,
            "is_filtered": bool(query),
            "form_action": reverse(self.form_url_name)
            if self.form_url_name
            else self.request.path,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.common_context(self.filterset))
        return context


@method_decorator(cache_public(), name="dispatch")
class IncidentListView(FilteredView):
    template_name = "incidents/incident_list.html"

    def base_queryset(self):
        return Incident.objects.public().for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        incidents = self.filterset.qs
        page = _page(self.request, incidents)
        context.update(
            totals=stats.totals(incidents), page=page, incidents=page["rows"]
        )
        return context


@method_decorator(cache_public(), name="dispatch")
class IncidentDetailView(TemplateView):
    template_name = "incidents/incident_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        incident = get_object_or_404(
            Incident.objects.public().for_detail(),
            public_id=self.kwargs["public_id"],
        )
        links = list(incident.incident_locations.all())
        url = self.request.build_absolute_uri(incident.get_absolute_url())
        accessed = formats.date_format(timezone.localdate(), "DATE_FORMAT")
        title = str(incident)
        context.update(
            incident=incident,
            places=links,
            map_places=_map_places((link.location, [incident]) for link in links),
            cite={"title": title, "url": url, "accessed": accessed},
            map_settings=map_settings(),
        )
        return context


@method_decorator(cache_public(), name="dispatch")
class LocationDetailView(TemplateView):
    template_name = "incidents/location_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        location = get_object_or_404(Location, slug=self.kwargs["slug"])
        incidents = (
            Incident.objects.public()
            .filter(
                pk__in=IncidentLocation.objects.filter(location=location).values(
                    "incident"
                )
            )
            .for_list()
        )
        page = _page(self.request, incidents)
        context.update(
            location=location,
            page=page,
            incidents=page["rows"],
            map_places=_map_places([(location, [])]),
            map_settings=map_settings(),
        )
        return context


def _incident_label(started_at, attacker, target):
    when = formats.date_format(timezone.localtime(started_at), "DATE_FORMAT")
    return f"{when}: {Country(attacker).label} → {Country(target).label}"


def _map_places(places):
    """Marker data for the map script: one entry per place with coordinates.

    `places` yields (location, incidents) pairs; incidents may be model
    instances or dicts with `url` and `label`.
    """
    result = []
    for location, incidents in places:
        if location.latitude is None:
            continue
        result.append(
            {
                "name": location.name,
                "url": location.get_absolute_url(),
                "lat": float(location.latitude),
                "lng": float(location.longitude),
                "incidents": [
                    item
                    if isinstance(item, dict)
                    else {"url": item.get_absolute_url(), "label": str(item)}
                    for item in incidents
                ],
            }
        )
    return result


def map_settings():
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "center": list(settings.LEAFLET_CONFIG.get("DEFAULT_CENTER", (50.0, 36.0))),
        "zoom": settings.LEAFLET_CONFIG.get("DEFAULT_ZOOM", 4),
    }


@method_decorator(cache_public(), name="dispatch")
class MapView(FilteredView):
    template_name = "incidents/incident_map.html"
    # Incidents listed in one marker's popup; the place page lists them all.
    PER_PLACE = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        links = IncidentLocation.objects.filter(
            incident__in=self.filterset.qs.order_by().values("pk"),
            location__latitude__isnull=False,
        )
        # One row per mapped place with its number of matching incidents...
        places = {
            row["location_id"]: {
                "name": row["location__name"],
                "url": reverse("incidents:location", args=[row["location__slug"]]),
                "lat": float(row["location__latitude"]),
                "lng": float(row["location__longitude"]),
                "count": row["count"],
                "incidents": [],
            }
            for row in links.order_by()
            .values(
                "location_id",
                "location__name",
                "location__slug",
                "location__latitude",
                "location__longitude",
            )
            .annotate(count=Count("incident", distinct=True))
        }
        # ...and the newest few incidents of each place (a window function,
        # so a place with thousands of incidents still sends only a few).
        newest = (
            links.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("location_id")],
                    order_by=[
                        F("incident__started_at").desc(),
                        F("incident_id").desc(),
                        F("id").asc(),
                    ],
                )
            )
            .filter(rank__lte=self.PER_PLACE)
            .values(
                "location_id",
                "incident__public_id",
                "incident__started_at",
                "incident__attacker",
                "incident__target_country",
            )
            .order_by("location_id", "rank")
        )
        for row in newest:
            listed = places[row["location_id"]]["incidents"]
            url = reverse("incidents:detail", args=[row["incident__public_id"]])
            if any(item["url"] == url for item in listed):
                continue  # the same incident at this place in another role
            listed.append(
                {
                    "url": url,
                    "label": _incident_label(
                        row["incident__started_at"],
                        row["incident__attacker"],
                        row["incident__target_country"],
                    ),
                }
            )
        for place in places.values():
            place["more"] = max(0, place.pop("count") - len(place["incidents"]))
            place["more_label"] = ngettext(
                "%(count)s more incident here",
                "%(count)s more incidents here",
                place["more"],
            ) % {"count": place["more"]}
        context.update(
            map_places=sorted(places.values(), key=lambda p: (p["name"], p["url"])),
            map_settings=map_settings(),
        )
        return context


def _period_label(period):
    def label(value):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        if period == "month":
            return formats.date_format(local, "YEAR_MONTH_FORMAT")
        return formats.date_format(local, "SHORT_DATE_FORMAT")

    return label


@method_decorator(cache_public(), name="dispatch")
class StatsView(FilteredView):
    template_name = "incidents/incident_stats.html"

    def get(self, request, *args, **kwargs):
        data = request.GET.copy()
        # The form shows the period in use, week when none is asked for.
        data.setdefault("period", DEFAULT_PERIOD)
        self.period_form = StatsPeriodForm(data)
        return super().get(request, *args, **kwargs)

    def is_valid(self):
        return super().is_valid() & self.period_form.is_valid()

    def common_context(self, filterset):
        context = super().common_context(filterset)
        context["period_form"] = self.period_form
        return context

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.period_form.cleaned_data["period"] or DEFAULT_PERIOD
        incidents = self.filterset.qs
        series = stats.series(incidents, period)
        label = _period_label(period)
        for row in series:
            row["label"] = label(row["period"])
        context.update(
            period=period,
            totals=stats.totals(incidents),
            series=series,
            bars=charts.bars(series, label),
            rate=charts.rate_line(series, label),
            sides=[
                {**row, "side": Country(row["attacker"]).label}
                for row in stats.by_side(incidents)
            ],
            weapons=stats.by_weapon(incidents),
        )
        return context


def bad_filter_response(request, filterset):
    """The list page with the filter's messages, for endpoints that are not
    pages themselves (CSV download, feed)."""
    view = IncidentListView(request=request, form_url_name="incidents:list")
    response = view.invalid(filterset)
    return response


def incidents_csv(request):
    """All public incidents matching the filter, streamed as CSV."""
    filterset = build_filter(request, Incident.objects.public().for_detail())
    if not filterset.is_valid():
        return bad_filter_response(request, filterset)
    return csv_response(filterset.qs, request)
