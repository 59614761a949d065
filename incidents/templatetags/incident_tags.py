"""Display helpers for the public pages: dates in local time, rates, links."""

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from incidents.models import Incident

register = template.Library()


def _time(value, fmt):
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(),
        formats.date_format(value, fmt),
    )


@register.simple_tag
def incident_when(incident):
    """The incident's window in local time, formatted for the active language.

    Date-only incidents show dates; an overnight window shows as a range.
    """
    start = timezone.localtime(incident.started_at)
    end = timezone.localtime(incident.ended_at) if incident.ended_at else None
    if incident.time_precision == Incident.Precision.DAY:
        if end is None or end.date() <= start.date():
            return _time(start, "DATE_FORMAT")
        return format_html(
            "{} – {}", _time(start, "DATE_FORMAT"), _time(end, "DATE_FORMAT")
        )
    if end is None or end == start:
        return _time(start, "DATETIME_FORMAT")
    end_format = "TIME_FORMAT" if end.date() == start.date() else "DATETIME_FORMAT"
    return format_html(
        "{} – {}", _time(start, "DATETIME_FORMAT"), _time(end, end_format)
    )


@register.filter
def percent(value, digits=0):
    """0.4276 -> "43 %" (locale-formatted); an em dash when unknown."""
    if value is None or value == "":
        return "—"
    number = formats.number_format(round(value * 100, digits), digits)
    return _("%(number)s%%") % {"number": number}


@register.filter
def count(value):
    """An integer with the locale's grouping; an em dash when unknown."""
    if value is None or value == "":
        return "—"
    return formats.number_format(value, use_l10n=True, force_grouping=True)
