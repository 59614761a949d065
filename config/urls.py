from django.contrib import admin
from django.urls import include, path

from incidents.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    # Load balancer probe: database and cache; never cached.
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("incidents.urls")),
]
