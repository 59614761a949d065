from importlib import import_module

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule

# Apps whose admin module is not loaded. django-leaflet's needs GeoDjango and
# the GDAL library; the site only uses its Leaflet build and template tags.
_SKIPPED = {"leaflet"}


class AdminConfig(SimpleAdminConfig):
    """The admin site, discovering every installed app's admin but the skipped."""

    def ready(self):
        super().ready()
        for app in apps.get_app_configs():
            if app.name not in _SKIPPED and module_has_submodule(app.module, "admin"):
                import_module(f"{app.name}.admin")
