from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "customers"
    verbose_name = _("Customers")

    def ready(self):
        from customers import makerchecker  # noqa: F401  (maker-checker appliers, compliance hooks)
        from customers.face import wiring

        # Withdrawing face consent deletes encodings; workers check the dlib models at start.
        wiring.connect()
