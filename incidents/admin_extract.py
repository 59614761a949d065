"""Admin: "New incident from article".

A journalist pastes a report; the extraction proposes draft incidents, each
field shown with the sentence it came from. The journalist corrects them and
saves the chosen ones as drafts (never published from here). Saving checks
each draft as the incident form does and writes nothing if any is wrong.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.utils import ErrorDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from incidents.extraction import LANGUAGES, MAX_TEXT_LENGTH, extract_incidents
from incidents.models import (
    Country,
    Incident,
    IncidentLocation,
    Location,
    Source,
    WeaponLine,
)

_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class ArticleForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the report"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
    )
    url = forms.URLField(label=_("URL"), max_length=500, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    published_on = forms.DateField(
        label=_("Publication date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_('Resolves "overnight", "la nuit de samedi à dimanche"…'),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("detect"))] + [(code, code) for code in LANGUAGES],
    )


class DraftForm(forms.Form):
    """One proposed incident; `evidence` maps each field to its sentence."""

    include = forms.BooleanField(
        label=_("Save this draft"), required=False, initial=True
    )
    started_at = forms.DateTimeField(
        label=_("started at"),
        input_formats=_DATETIME_FORMATS,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    ended_at = forms.DateTimeField(
        label=_("ended at"),
        required=False,
        input_formats=_DATETIME_FORMATS,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    time_precision = forms.ChoiceField(
        label=_("time precision"), choices=Incident.Precision.choices
    )
    attacker = forms.ChoiceField(label=_("attacking side"), choices=Country.choices)
    target_country = forms.ChoiceField(
        label=_("target country"), choices=Country.choices
    )
    attribution = forms.ChoiceField(
        label=_("attribution"), choices=Incident.Attribution.choices
    )
    drones_launched = forms.IntegerField(
        label=_("drones launched"), min_value=0, required=False
    )
    drones_intercepted = forms.IntegerField(
        label=_("drones intercepted"), min_value=0, required=False
    )
    summary = forms.CharField(
        label=_("summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 90}),
    )
    places = forms.MultipleChoiceField(
        label=_("places"), required=False, widget=forms.CheckboxSelectMultiple
    )

    FIELD_NAMES = (
        "started_at",
        "ended_at",
        "time_precision",
        "attacker",
        "target_country",
        "attribution",
        "drones_launched",
        "drones_intercepted",
    )

    def __init__(self, proposal, *args, **kwargs):
        self.proposal = proposal
        initial = {
            name: _initial(getattr(proposal, name).value) for name in self.FIELD_NAMES
        }
        initial["summary"] = proposal.summary
        initial["places"] = [_place_key(p) for p in proposal.places]
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["places"].choices = [
            (
                _place_key(p),
                f"{p.location} — {IncidentLocation.Role(p.role).label}",
            )
            for p in proposal.places
        ]
        self.line_names = []
        for index, line in enumerate(proposal.weapon_lines):
            names = (f"line_{index}_launched", f"line_{index}_intercepted")
            self.fields[names[0]] = forms.IntegerField(
                label=_("%(weapon)s launched") % {"weapon": line.weapon},
                min_value=0,
                required=False,
                initial=line.launched,
            )
            self.fields[names[1]] = forms.IntegerField(
                label=_("%(weapon)s intercepted") % {"weapon": line.weapon},
                min_value=0,
                required=False,
                initial=line.intercepted,
            )
            self.line_names.append((line, names))
        self.source_names = []
        for index, source in enumerate(proposal.sources):
            names = (f"source_{index}_claimant", f"source_{index}_claim")
            self.fields[names[0]] = forms.CharField(
                label=_("claimant"),
                max_length=200,
                required=False,
                initial=source.claimant,
                widget=forms.TextInput(attrs={"size": 60}),
            )
            self.fields[names[1]] = forms.CharField(
                label=_("quoted claim"),
                required=False,
                initial=source.claim,
                widget=forms.Textarea(attrs={"rows": 3, "cols": 90}),
            )
            self.source_names.append((source, names))

    def fields_with_evidence(self):
        """(bound field, sentence, same as the field above) for the template."""
        rows, previous = [], None
        for name in self.FIELD_NAMES:
            evidence = getattr(self.proposal, name).evidence
            rows.append((self[name], evidence, bool(evidence) and evidence == previous))
            previous = evidence
        return rows

    def place_evidence(self):
        return [(p, p.evidence) for p in self.proposal.places]

    def lines(self):
        return [
            (line, self[names[0]], self[names[1]]) for line, names in self.line_names
        ]

    def sources(self):
        return [
            (source, self[names[0]], self[names[1]])
            for source, names in self.source_names
        ]

    def full_clean(self):
        super().full_clean()
        if self.is_bound and not self.cleaned_data.get("include"):
            self._errors = ErrorDict()  # a draft left out is not checked


def _initial(value):
    if hasattr(value, "tzinfo") and value is not None:
        return timezone.localtime(value)
    return value


def _place_key(place):
    return f"{place.location.pk}:{place.role}"


def extract_urls(model_admin):
    """The URL of the view, for IncidentAdmin.get_urls."""
    view = model_admin.admin_site.admin_view(
        lambda request: incident_from_article(request, model_admin)
    )
    return [path("extract/", view, name="incidents_incident_extract")]


def incident_from_article(request, model_admin):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("New incident from article"),
    }
    if request.method != "POST":
        context["form"] = ArticleForm()
        return TemplateResponse(
            request, "admin/incidents/incident/extract.html", context
        )
    article = ArticleForm(request.POST)
    if not article.is_valid():
        context["form"] = article
        return TemplateResponse(
            request, "admin/incidents/incident/extract.html", context, status=400
        )
    data = article.cleaned_data
    # The same text gives the same proposals: the review form is rebuilt
    # from them when the journalist saves.
    proposals = extract_incidents(
        data["text"],
        published_on=data["published_on"],
        url=data["url"],
        publisher=data["publisher"],
        language=data["language"] or None,
    )
    saving = "_save" in request.POST
    drafts = [
        DraftForm(proposal, request.POST if saving else None, prefix=f"draft-{index}")
        for index, proposal in enumerate(proposals)
    ]
    context.update(
        {
            "article": article,
            "drafts": drafts,
            "hidden_article": [article[name] for name in article.fields],
        }
    )
    status = 200
    if saving:
        saved = _save_drafts(request, drafts, data)
        if saved is not None:
            messages.success(
                request,
                ngettext(
                    "%d draft incident saved. Check it and publish it when ready.",
                    "%d draft incidents saved. Check them and publish when ready.",
                    len(saved),
                )
                % len(saved),
            )
            changelist = reverse("admin:incidents_incident_changelist")
            return redirect(f"{changelist}?status__exact={Incident.Status.DRAFT}")
        status = 400
    return TemplateResponse(
        request,
        "admin/incidents/incident/extract_review.html",
        context,
        status=status,
    )


class _Invalid(Exception):
    """Raised inside the transaction to undo every draft when one is wrong."""


def _save_drafts(request, drafts, article):
    """Saves the chosen drafts; None (and form errors) when any is wrong."""
    if not all(form.is_valid() for form in drafts):
        return None
    chosen = [form for form in drafts if form.cleaned_data["include"]]
    if not chosen:
        for form in drafts:
            form.add_error(None, _("Tick at least one draft to save."))
        return None
    saved = []
    try:
        with transaction.atomic():
            for form in chosen:
                incident = _save_draft(request, form, article)
                if incident is None:
                    raise _Invalid
                saved.append(incident)
    except _Invalid:
        return None
    return saved


def _save_draft(request, form, article):
    data = form.cleaned_data
    incident = Incident(
        status=Incident.Status.DRAFT,
        created_by=request.user,
        updated_by=request.user,
        **{name: data[name] for name in DraftForm.FIELD_NAMES},
        summary=data["summary"],
    )
    lines = [
        WeaponLine(
            weapon=line.weapon,
            launched=data[names[0]],
            intercepted=data[names[1]],
        )
        for line, names in form.line_names
        if data[names[0]] is not None or data[names[1]] is not None
    ]
    errors = incident.check_totals(lines)
    for name, message in errors.items():
        form.add_error(name, message)
    incident.fill_totals_from(lines)
    if not _checked(form, incident):
        return None
    if errors:
        return None
    incident.save()
    for line in lines:
        line.incident = incident
        if not _checked(form, line):
            return None
        line.save()
    locations = Location.objects.in_bulk(
        [int(key.split(":")[0]) for key in data["places"]]
    )
    for key in data["places"]:
        pk, role = key.split(":")
        place = IncidentLocation(
            incident=incident, location=locations[int(pk)], role=role
        )
        if not _checked(form, place):
            return None
        place.save()
    title = next(
        (line.strip() for line in article["text"].splitlines() if line.strip()), ""
    )
    for source, names in form.source_names:
        claimant = data[names[0]].strip()
        if not claimant:
            form.add_error(names[0], _("Say who makes this claim."))
            return None
        row = Source(
            incident=incident,
            url=article["url"],
            publisher=article["publisher"],
            title=title[:300],
            language=source.language,
            published_on=article["published_on"],
            claimant=claimant,
            claim=data[names[1]],
        )
        if not _checked(form, row):
            return None
        row.save()
    return incident


def _checked(form, obj):
    """Validates `obj` as the admin would; errors go on the form."""
    try:
        obj.full_clean()
    except ValidationError as error:
        for name, messages_ in error.message_dict.items():
            field = name if name in form.fields else None
            for message in messages_:
                if field is None and name != "__all__":
                    message = f"{name}: {message}"
                form.add_error(field, message)
        return False
    return True
