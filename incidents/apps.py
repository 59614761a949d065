from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Drone-strike incidents")

    def ready(self):
        from incidents.cache import connect_signals

        connect_signals()
