from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from incidents.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    # Load balancer probe: database and cache; never cached.
    path("healthz", healthz, name="healthz"),
    # The language switcher is on every public page; without a CSRF token in
    # it those pages stay cacheable for everyone. Changing a visitor's
    # language is harmless if forged.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its start-up script as a file: the CSP allows no inline JS.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("", include("incidents.urls")),
]

# A database outage outside a view (session save, login checks) answers 503.
handler500 = "incidents.middleware.server_error"
