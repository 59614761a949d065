from django.urls import path
from rest_framework.routers import DefaultRouter

from api import views
from api.extract import ExtractView
from api.history import ChangesView, IncidentHistoryView

app_name = "api"

router = DefaultRouter()
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("locations", views.LocationViewSet, basename="location")
router.register("stats", views.StatsViewSet, basename="stats")

urlpatterns = [
    # Drafts from news articles (JSON, nothing saved).
    path("extract/", ExtractView.as_view(), name="extract"),
    # Corrections of one incident, and every change since a date.
    path(
        "incidents/<str:public_id>/history/",
        IncidentHistoryView.as_view(),
        name="incident-history",
    ),
    path("changes/", ChangesView.as_view(), name="changes"),
    *router.urls,
]
