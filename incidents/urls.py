from django.urls import path

from incidents import corrections_views, views
from incidents.cache import cache_public
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
    path("feed/", cache_public()(IncidentFeed()), name="feed"),
    path("incidents.csv", views.incidents_csv, name="csv"),
]

# Public corrections log and its feed.
urlpatterns += [
    path(
        "corrections/",
        cache_public()(corrections_views.correction_list),
        name="corrections",
    ),
    path(
        "corrections/feed/",
        cache_public()(corrections_views.CorrectionsFeed()),
        name="corrections-feed",
    ),
]
