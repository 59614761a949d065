from django.contrib import admin
from django.urls import include, path

from api.extract import ExtractView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Drafts from news articles (JSON, nothing saved).
    path("api/v1/extract/", ExtractView.as_view(), name="api-extract"),
    path("", include("incidents.urls")),
]
