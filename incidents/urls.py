from django.urls import path

from incidents import corrections_views, views

app_name = "incidents"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="list"),
    path(
        "incidents/<str:public_id>/", views.IncidentDetailView.as_view(), name="detail"
    ),
    path("places/<slug:slug>/", views.LocationDetailView.as_view(), name="location"),
]

# Public corrections log and its feed.
urlpatterns += [
    path("corrections/", corrections_views.correction_list, name="corrections"),
    path(
        "corrections/feed/",
        corrections_views.CorrectionsFeed(),
        name="corrections-feed",
    ),
]
