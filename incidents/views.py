from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from incidents.cache import cache_public
from incidents.models import Incident, Location


@method_decorator(cache_public(), name="dispatch")
class IncidentListView(ListView):
    template_name = "incidents/incident_list.html"
    context_object_name = "incidents"
    paginate_by = 50

    def get_queryset(self):
        return Incident.objects.public().for_list()


@method_decorator(cache_public(), name="dispatch")
class IncidentDetailView(DetailView):
    template_name = "incidents/incident_detail.html"
    context_object_name = "incident"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Incident.objects.public().for_detail(),
            public_id=self.kwargs["public_id"],
        )


@method_decorator(cache_public(), name="dispatch")
class LocationDetailView(DetailView):
    template_name = "incidents/location_detail.html"
    context_object_name = "location"
    model = Location

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["incidents"] = (
            Incident.objects.public()
            .filter(incident_locations__location=self.object)
            .distinct()
            .for_list()
        )
        return context
