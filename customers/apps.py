from django.apps import AppConfig


class CustomersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "customers"

    def ready(self):
        from customers import makerchecker  # noqa: F401  (maker-checker appliers, compliance hooks)
        from customers.face import wiring

        # Withdrawing face consent deletes encodings; workers check the dlib models at start.
        wiring.connect()
