from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "counter"
    verbose_name = _("Counter")

    def ready(self):
        from counter import wiring

        wiring.connect()
