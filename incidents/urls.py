from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="list"),
    path(
        "incidents/<str:public_id>/", views.IncidentDetailView.as_view(), name="detail"
    ),
    path("places/<slug:slug>/", views.LocationDetailView.as_view(), name="location"),
]
