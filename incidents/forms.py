from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.models import Location


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
