from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident, Location, StaleVersionError


class NameListField(forms.CharField):
    """A list of names edited as a textarea, one name per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return self.to_python(initial or []) != self.to_python(data or "")


class LocationForm(forms.ModelForm):
    alternate_names = NameListField(
        label=_("alternate names"),
        required=False,
        help_text=_("Other spellings and transliterations, one per line."),
    )

    class Meta:
        model = Location
        fields = [
            "name",
            "slug",
            "alternate_names",
            "region",
            "country",
            "kind",
            "latitude",
            "longitude",
            "geonameid",
        ]


class StatsPeriodForm(forms.Form):
    """The stats page's own parameter, next to the shared incident filter."""

    period = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[("day", _("day")), ("week", _("week")), ("month", _("month"))],
    )


# --- Editorial workflow: the admin's incident form -----------------------


class IncidentAdminForm(forms.ModelForm):
    """The incident form with the editorial rules of the workflow.

    - `expected_version` (hidden) is the version the editor started from; a save from a
      stale version is refused instead of silently overwriting someone else.
    - `status` offers only the moves the user may make (set by the admin in
      `allowed_statuses`), checked again against the workflow on save.
    - `change_reason` is required once the incident has been published; it
      becomes the public correction note.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label=_("reason for change"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text=_(
            "Required once the incident has been published: shown to readers "
            "in the incident's corrections."
        ),
    )

    # Set by IncidentAdmin.get_form for the requesting user.
    allowed_statuses = None

    class Meta:
        model = Incident
        fields = [
            "started_at",
            "ended_at",
            "time_precision",
            "attacker",
            "target_country",
            "attribution",
            "drones_launched",
            "drones_intercepted",
            "summary",
            "status",
            "retraction_reason",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            field = self.fields["expected_version"]
            field.initial = self.instance.version
            field.required = True
            field.error_messages["required"] = _(
                "The form lost track of the incident's version; reload the page."
            )
        if self.instance.published_at is not None:
            self.fields["change_reason"].required = True
            self.fields["change_reason"].error_messages["required"] = _(
                "This incident has been published: say why you are changing it "
                "(readers see this reason)."
            )
        if self.allowed_statuses is not None and "status" in self.fields:
            self.fields["status"].choices = [
                (status.value, status.label) for status in self.allowed_statuses
            ]

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is not None:
            current = (
                Incident.objects.filter(pk=instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            sent = cleaned.get("expected_version")
            if sent is not None and current is not None and sent != current:
                raise StaleVersionError(sent, current)
        new_status = cleaned.get("status")
        if new_status:
            old_status = self.initial.get("status") or Incident.Status.DRAFT
            if instance.pk is None:
                old_status = Incident.Status.DRAFT
            reason = cleaned.get("retraction_reason")
            if reason is None:
                reason = instance.retraction_reason
            try:
                # Sources are checked by the sources inline (they are not saved yet).
                Incident.check_transition(
                    old_status, new_status, retraction_reason=reason or ""
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned
