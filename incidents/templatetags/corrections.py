from django import template

from incidents.corrections import corrections_context

register = template.Library()


@register.inclusion_tag("incidents/corrections.html")
def incident_corrections(incident):
    """The public corrections section of an incident page (five queries)."""
    return corrections_context(incident)
