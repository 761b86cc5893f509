from django.apps import AppConfig


class FeesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fees"

    def ready(self):
        from fees import makerchecker  # noqa: F401 - registers the fee-change applier
