from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "queueing"
    verbose_name = _("Queueing")

    def ready(self) -> None:
        from queueing import config, wiring

        wiring.connect()
        config.connect()
