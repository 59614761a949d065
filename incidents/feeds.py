"""Atom feed of newly published incidents, filtered like the list page."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from incidents.models import Incident
from incidents.views import bad_filter_response, build_filter, filter_query

FEED_SIZE = 50


class IncidentFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        filterset = build_filter(request, Incident.objects.public())
        if not filterset.is_valid():
            return bad_filter_response(request, filterset)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        # Rebuilt here: one Feed instance serves every request, so it keeps
        # no per-request state.
        return build_filter(request, Incident.objects.public().for_list())

    def title(self, obj):
        return _("Drone-strike incidents: newly published")

    def subtitle(self, obj):
        if filter_query(obj.request, obj):
            return _("Published incidents matching the filter of the list page.")
        return _("Every published incident, most recently published first.")

    def link(self, obj):
        query = filter_query(obj.request, obj)
        return reverse("incidents:list") + (f"?{query}" if query else "")

    def feed_url(self, obj):
        return obj.request.get_full_path()

    def items(self, obj):
        return obj.qs.order_by(
            F("published_at").desc(nulls_last=True), "-updated_at", "-id"
        )[:FEED_SIZE]

    def item_title(self, item):
        if item.status == Incident.Status.RETRACTED:
            return _("Retracted: %(incident)s") % {"incident": item}
        return str(item)

    def item_description(self, item):
        places = ", ".join(link.location.name for link in item.incident_locations.all())
        parts = [
            item.summary,
            _("Places: %(places)s") % {"places": places} if places else "",
            _("Drones launched: %(launched)s; intercepted: %(intercepted)s")
            % {
                "launched": _unknown(item.drones_launched),
                "intercepted": _unknown(item.drones_intercepted),
            },
        ]
        # Atom marks the summary as HTML: escape the text, keep paragraphs.
        return format_html_join("\n", "<p>{}</p>", ((part,) for part in parts if part))

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at


def _unknown(value):
    return _("unknown") if value is None else value
