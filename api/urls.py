from rest_framework.routers import DefaultRouter

from api import views

app_name = "api"

router = DefaultRouter()
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("locations", views.LocationViewSet, basename="location")
router.register("stats", views.StatsViewSet, basename="stats")

urlpatterns = router.urls
