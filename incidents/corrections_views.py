"""The public corrections log (/corrections/) and its Atom feed."""

from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.corrections import RETRACTION, recent_corrections

PAGE_SIZE = 100


def correction_list(request):
    """Recent corrections and retractions of public incidents, newest first."""
    return render(
        request,
        "incidents/correction_list.html",
        {"corrections": recent_corrections(limit=PAGE_SIZE)},
    )


class CorrectionsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Drone-strike tracker: corrections and retractions")
    subtitle = gettext_lazy(
        "Every change made to a published incident, with its reason."
    )

    def link(self):
        return reverse("incidents:corrections")

    def items(self):
        return recent_corrections(limit=50)

    def item_title(self, item):
        if item.kind == RETRACTION:
            return _("Retraction of incident %(id)s") % {"id": item.public_id}
        return _("Incident %(id)s: %(field)s corrected") % {
            "id": item.public_id,
            "field": item.field,
        }

    def item_description(self, item):
        if item.kind == RETRACTION:
            return _("Retracted: %(reason)s") % {"reason": item.reason}
        return _("%(field)s: %(old)s → %(new)s. Reason: %(reason)s") % {
            "field": item.field,
            "old": item.old,
            "new": item.new,
            "reason": item.reason or "—",
        }

    def item_link(self, item):
        return reverse("incidents:detail", args=[item.public_id]) + "#corrections"

    def item_guid(self, item):
        return f"{item.public_id}/{item.date.isoformat()}/{item.kind}/{item.field}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date
