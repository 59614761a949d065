from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("incidents.urls")),
]

# A database outage outside a view (session save, login checks) answers 503.
handler500 = "incidents.middleware.server_error"

# History endpoints, until they join the API router.
from api.history import ChangesView, IncidentHistoryView  # noqa: E402

urlpatterns += [
    path(
        "api/v1/incidents/<str:public_id>/history/",
        IncidentHistoryView.as_view(),
        name="api-incident-history",
    ),
    path("api/v1/changes/", ChangesView.as_view(), name="api-changes"),
]
