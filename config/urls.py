from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("incidents.urls")),
]

# A database outage outside a view (session save, login checks) answers 503.
handler500 = "incidents.middleware.server_error"
