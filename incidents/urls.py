from django.urls import path

from incidents import views
from incidents.feeds import IncidentFeed

app_name = "incidents"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="list"),
    path(
        "incidents/<str:public_id>/", views.IncidentDetailView.as_view(), name="detail"
    ),
    path("places/<slug:slug>/", views.LocationDetailView.as_view(), name="location"),
    path("map/", views.MapView.as_view(), name="map"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("feed/", IncidentFeed(), name="feed"),
    path("incidents.csv", views.incidents_csv, name="csv"),
]
