from django.apps import AppConfig


class KioskConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kiosk"

    def ready(self):
        from kiosk import wiring

        wiring.connect()
