from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from incidents.admin_extract import extract_urls
from incidents.admin_import import import_urls
from incidents.forms import LocationForm
from incidents.models import (
    Incident,
    IncidentLocation,
    Location,
    Source,
    WeaponLine,
    WeaponModel,
)


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    form = LocationForm
    list_display = ["name", "region", "country", "kind", "latitude", "longitude"]
    list_filter = ["country", "kind"]
    search_fields = ["name"]  # widened to every spelling in get_search_results
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.matching(search_term), False


@admin.register(WeaponModel)
class WeaponModelAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "national_origin"]
    list_filter = ["category"]
    search_fields = ["name"]


class WeaponLineFormSet(BaseInlineFormSet):
    """Checks the incident's drone totals against the drone lines."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        lines = [
            form.instance
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("weapon")
        ]
        errors = self.instance.check_totals(lines)
        if errors:
            raise ValidationError(list(errors.values()))


class WeaponLineInline(admin.TabularInline):
    model = WeaponLine
    formset = WeaponLineFormSet
    extra = 0
    autocomplete_fields = ["weapon"]


class IncidentLocationInline(admin.TabularInline):
    model = IncidentLocation
    extra = 0
    autocomplete_fields = ["location"]


class SourceInline(admin.StackedInline):
    model = Source
    extra = 0
    fields = [
        ("claimant", "publisher"),
        "url",
        ("title", "language", "published_on"),
        "claim",
    ]


class PlaceFilter(admin.SimpleListFilter):
    """Filter by a place that has incidents (only those are offered)."""

    title = _("location")
    parameter_name = "location"

    def lookups(self, request, model_admin):
        places = Location.objects.filter(incident_locations__isnull=False).distinct()
        return [(p.slug, str(p)) for p in places.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                incident_locations__location__slug=self.value()
            ).distinct()
        return queryset


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "started_at",
        "ended_at",
        "attacker",
        "target_country",
        "drones_launched",
        "drones_intercepted",
        "rate_display",
        "places",
        "attribution",
        "status",
    ]
    list_display_links = ["public_id", "started_at"]
    list_filter = [
        "status",
        "attacker",
        "target_country",
        "attribution",
        PlaceFilter,
    ]
    date_hierarchy = "started_at"
    search_fields = ["summary", "public_id", "sources__claimant", "sources__title"]
    list_per_page = 50
    ordering = ["-started_at", "-id"]
    readonly_fields = [
        "public_id",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "published_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("started_at", "ended_at", "time_precision"),
                    ("attacker", "target_country", "attribution"),
                    ("drones_launched", "drones_intercepted"),
                    "summary",
                    "status",
                ]
            },
        ),
        (
            _("Record"),
            {
                "fields": [
                    "public_id",
                    ("created_at", "created_by"),
                    ("updated_at", "updated_by"),
                    "published_at",
                ]
            },
        ),
    ]
    inlines = [IncidentLocationInline, WeaponLineInline, SourceInline]
    actions = ["publish", "unpublish"]

    def get_urls(self):
        # CSV import (admin_import.py), new incident from article (admin_extract.py).
        return import_urls(self) + extract_urls(self) + super().get_urls()

    def get_queryset(self, request):
        # The "places" column reads prefetched places: one query per page.
        return (
            super()
            .get_queryset(request)
            .with_interception_rate()
            .prefetch_related("incident_locations__location")
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if search_term.strip():
            # Also match any spelling of any of the incident's places.
            by_place = self.model.objects.filter(
                incident_locations__location__in=Location.objects.matching(search_term)
            )
            base = self.get_queryset(request)
            queryset = queryset | base.filter(Q(pk__in=by_place.values("pk")))
            may_have_duplicates = True
        return queryset, may_have_duplicates

    @admin.display(description=_("rate"), ordering="rate")
    def rate_display(self, obj):
        rate = obj.interception_rate
        return "—" if rate is None else f"{rate:.0%}"

    @admin.display(description=_("places"))
    def places(self, obj):
        return format_html_join(
            ", ", "{}", ((link.location.name,) for link in obj.incident_locations.all())
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        incident = form.instance
        lines = list(incident.weapon_lines.select_related("weapon"))
        if incident.fill_totals_from(lines):
            incident.save(update_fields=["drones_launched", "drones_intercepted"])

    @admin.action(description=_("Publish selected incidents"))
    def publish(self, request, queryset):
        now = timezone.now()
        count = 0
        for incident in queryset.exclude(status=Incident.Status.PUBLISHED):
            incident.status = Incident.Status.PUBLISHED
            incident.published_at = incident.published_at or now
            incident.updated_by = request.user
            incident.save(
                update_fields=["status", "published_at", "updated_by", "updated_at"]
            )
            count += 1
        self.message_user(
            request,
            ngettext("%d incident published.", "%d incidents published.", count)
            % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected incidents (back to draft)"))
    def unpublish(self, request, queryset):
        count = 0
        for incident in queryset.filter(status=Incident.Status.PUBLISHED):
            incident.status = Incident.Status.DRAFT
            incident.updated_by = request.user
            incident.save(update_fields=["status", "updated_by", "updated_at"])
            count += 1
        self.message_user(
            request,
            ngettext("%d incident unpublished.", "%d incidents unpublished.", count)
            % count,
            messages.SUCCESS,
        )
