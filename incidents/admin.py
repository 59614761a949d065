import copy

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from incidents import permissions
from incidents.admin_extract import extract_urls
from incidents.admin_import import import_urls
from incidents.forms import IncidentAdminForm, LocationForm
from incidents.models import (
    Incident,
    IncidentLocation,
    Location,
    Source,
    StaleVersionError,
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


class _IncidentPartInline:
    """Places, weapon lines and sources follow the incident's edit rights."""

    def _may_edit(self, request, obj):
        return obj is None or permissions.can_edit(request.user, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(
            request, obj
        )


class WeaponLineInline(_IncidentPartInline, admin.TabularInline):
    model = WeaponLine
    formset = WeaponLineFormSet
    extra = 0
    autocomplete_fields = ["weapon"]


class IncidentLocationInline(_IncidentPartInline, admin.TabularInline):
    model = IncidentLocation
    extra = 0
    autocomplete_fields = ["location"]


class SourceFormSet(BaseInlineFormSet):
    """A published incident keeps at least one source."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.instance.status not in Incident.PUBLIC_STATUSES:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk is not None or form.has_changed())
        ]
        if not kept:
            raise ValidationError(
                _(
                    "A published incident needs at least one source. "
                    "Add a source before publishing."
                ),
                code="no_source",
            )


class SourceInline(_IncidentPartInline, admin.StackedInline):
    model = Source
    formset = SourceFormSet
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
class IncidentAdmin(SimpleHistoryAdmin):
    form = IncidentAdminForm
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
        "version",
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
                    "retraction_reason",
                    "change_reason",
                    "expected_version",
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
                    ("published_at", "version"),
                ]
            },
        ),
    ]
    inlines = [IncidentLocationInline, WeaponLineInline, SourceInline]
    actions = ["submit_for_review", "publish", "unpublish", "retract"]

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

    # --- Editorial workflow --------------------------------------------------

    def has_change_permission(self, request, obj=None):
        # Journalists change only their own drafts and incidents in review;
        # others' incidents open read-only (with the view permission).
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Old versions are for reading: a revert would skip the workflow, the
        # version check and the reason, so changes go through the change form.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        allowed = permissions.allowed_statuses(request.user, obj or Incident())
        return type(form.__name__, (form,), {"allowed_statuses": allowed})

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not permissions.can_publish(request.user):
            fields.append("retraction_reason")
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.can_publish(request.user):
            for name in ("publish", "unpublish", "retract"):
                actions.pop(name, None)
        return actions

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersionError as error:
            # Someone saved between our form check and the UPDATE: nothing was
            # written (the transaction rolled back); say so and reload.
            self.message_user(request, error.messages[0], messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if change:
            old_status = form.initial.get("status")
            before = copy.copy(obj)
            before.status = old_status
            if not permissions.can_move(request.user, before, obj.status):
                raise PermissionDenied
            obj.version = form.cleaned_data["expected_version"]
        else:
            obj.created_by = request.user
        obj.updated_by = request.user
        obj._change_reason = form.cleaned_data.get("change_reason") or None
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # Inline rows carry the incident's reason into their own history.
        reason = form.cleaned_data.get("change_reason") or None
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj.delete()
        for obj in instances:
            obj._change_reason = reason
            obj.save()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        incident = form.instance
        lines = list(incident.weapon_lines.select_related("weapon"))
        if incident.fill_totals_from(lines):
            incident._change_reason = form.cleaned_data.get("change_reason") or None
            incident.save(update_fields=["drones_launched", "drones_intercepted"])

    def _transition(self, request, queryset, method, done_message, **kwargs):
        """Apply one workflow move to each selected incident, reporting refusals."""
        count = 0
        for incident in queryset:
            try:
                getattr(incident, method)(user=request.user, **kwargs)
            except (ValidationError, PermissionDenied) as error:
                text = (
                    "; ".join(error.messages)
                    if isinstance(error, ValidationError)
                    else str(error)
                )
                self.message_user(
                    request, f"{incident.public_id}: {text}", messages.ERROR
                )
            else:
                count += 1
        if count:
            self.message_user(request, done_message(count) % count, messages.SUCCESS)

    @admin.action(description=_("Submit selected incidents for review"))
    def submit_for_review(self, request, queryset):
        self._transition(
            request,
            queryset,
            "submit_for_review",
            lambda n: ngettext(
                "%d incident submitted for review.",
                "%d incidents submitted for review.",
                n,
            ),
        )

    @admin.action(
        description=_("Publish selected incidents"),
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        self._transition(
            request,
            queryset,
            "publish",
            lambda n: ngettext("%d incident published.", "%d incidents published.", n),
        )

    @admin.action(
        description=_("Unpublish selected incidents (back to draft)"),
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        self._transition(
            request,
            queryset,
            "unpublish",
            lambda n: ngettext(
                "%d incident unpublished.", "%d incidents unpublished.", n
            ),
        )

    @admin.action(
        description=_("Retract selected incidents (with a public reason)"),
        permissions=["publish"],
    )
    def retract(self, request, queryset):
        reason = (request.POST.get("retraction_reason") or "").strip()
        if "confirm" not in request.POST or not reason:
            return TemplateResponse(
                request,
                "admin/incidents/incident/retract.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Retract incidents"),
                    "opts": self.model._meta,
                    "incidents": queryset,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                    "missing_reason": "confirm" in request.POST,
                },
            )
        self._transition(
            request,
            queryset,
            "retract",
            lambda n: ngettext("%d incident retracted.", "%d incidents retracted.", n),
            reason=reason,
        )

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)
