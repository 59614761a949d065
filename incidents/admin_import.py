"""Admin page: staff upload a dataset CSV, read the dry-run report, confirm.

The upload is kept in a private temporary folder under a random token stored
in the uploader's session until it is confirmed (or for a day at most).
"""

import tempfile
import time
import uuid
from functools import partial
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from incidents.importer import import_attacks
from incidents.models import Incident

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Room for the other form fields and the multipart framing around the file.
FORM_OVERHEAD_BYTES = 2**16
UPLOAD_DIR = Path(tempfile.gettempdir()) / "incident-imports"
KEEP_SECONDS = 24 * 3600
SESSION_KEY = "incident_imports"


def max_upload_bytes():
    """The largest file the form accepts: MAX_UPLOAD_BYTES, or less when the
    whole request body is capped lower (MAX_REQUEST_BODY_SIZE answers 413)."""
    body_limit = getattr(settings, "MAX_REQUEST_BODY_SIZE", None)
    if body_limit is None:
        return MAX_UPLOAD_BYTES
    return max(0, min(MAX_UPLOAD_BYTES, body_limit - FORM_OVERHEAD_BYTES))


class AttackImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A file in the format of the dataset “Massive Missile Attacks on "
            "Ukraine” (22 columns, UTF-8), at most %(max)s."
        ),
    )
    status = forms.ChoiceField(
        label=_("Status of new incidents"),
        choices=[
            (Incident.Status.PUBLISHED, Incident.Status.PUBLISHED.label),
            (Incident.Status.DRAFT, Incident.Status.DRAFT.label),
        ],
        initial=Incident.Status.PUBLISHED,
    )
    strict = forms.BooleanField(
        label=_("Strict: import nothing if any row is bad"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.help_text = field.help_text % {"max": filesizeformat(max_upload_bytes())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(max)s.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(limit)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


def import_urls(model_admin):
    view = model_admin.admin_site.admin_view(partial(import_view, model_admin))
    return [path("import/", view, name="incidents_incident_import")]


def import_view(model_admin, request):
    opts = model_admin.model._meta
    if not (
        model_admin.has_add_permission(request)
        and model_admin.has_change_permission(request)
    ):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": _("Import Ukrainian Air Force data"),
        "max_size": filesizeformat(max_upload_bytes()),
    }
    template = "admin/incidents/incident/import_attacks.html"
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, context, template)
    form = AttackImportForm()
    if request.method == "POST":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > max_upload_bytes() + FORM_OVERHEAD_BYTES:
            form = AttackImportForm()
            form.errors["file"] = form.error_class(
                [_("The file is larger than %(max)s.") % {"max": context["max_size"]}]
            )
        else:
            form = AttackImportForm(request.POST, request.FILES)
            if form.is_valid():
                return _preview(request, form, context, template)
    context["form"] = form
    return TemplateResponse(request, template, context)


def _preview(request, form, context, template):
    _clean_old_uploads()
    UPLOAD_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    stored = UPLOAD_DIR / f"{token}.csv"
    with open(stored, "wb") as out:
        for chunk in form.cleaned_data["file"].chunks():
            out.write(chunk)
    options = {
        "status": form.cleaned_data["status"],
        "strict": form.cleaned_data["strict"],
    }
    report = import_attacks(stored, dry_run=True, progress=False, **options)
    report.path = form.cleaned_data["file"].name
    if not report.ok and report.fatal:
        stored.unlink(missing_ok=True)
        form.add_error("file", report.fatal)
        context["form"] = form
        return TemplateResponse(request, template, context)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"name": report.path, **options}
    request.session[SESSION_KEY] = pending
    context.update(
        report=report,
        report_lines=report.lines(),
        token=token,
        can_confirm=report.ok,
        options=options,
    )
    return TemplateResponse(request, template, context)


def _confirm(request, context, template):
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    stored = UPLOAD_DIR / f"{token}.csv"
    if entry is None or not token.isalnum() or not stored.exists():
        messages.error(request, _("That upload has expired; please upload it again."))
        return redirect("admin:incidents_incident_import")
    report = import_attacks(
        stored,
        status=entry["status"],
        strict=entry["strict"],
        user=request.user,
        progress=False,
    )
    report.path = entry["name"]
    stored.unlink(missing_ok=True)
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    level = (
        messages.SUCCESS if report.written and not report.rejected else messages.WARNING
    )
    messages.add_message(request, level, " ".join(report.lines(max_rejected=0)[:2]))
    context.update(report=report, report_lines=report.lines(), done=True)
    context["changelist_url"] = reverse("admin:incidents_incident_changelist")
    return TemplateResponse(request, template, context)


def _clean_old_uploads():
    if not UPLOAD_DIR.is_dir():
        return
    limit = time.time() - KEEP_SECONDS
    for old in UPLOAD_DIR.glob("*.csv"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            pass
