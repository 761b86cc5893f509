from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "continuity"
    verbose_name = _("Service continuity")

    def ready(self):
        from continuity import wiring

        wiring.connect()
