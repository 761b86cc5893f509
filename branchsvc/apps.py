from django.apps import AppConfig


class BranchsvcConfig(AppConfig):
    name = "branchsvc"
    verbose_name = "Branch service platform"

    def ready(self):
        from branchsvc.admin_defaults import audit_every_admin, register_missing_admins
        from core.i18n import customer_languages_fall_back_to_english

        customer_languages_fall_back_to_english()

        # Runs after the admin has imported every app's admin.py (django.contrib.admin is earlier
        # in INSTALLED_APPS), so only models without an admin of their own get the default.
        register_missing_admins()
        audit_every_admin()
        # Connect the Celery signal handlers: task counts and scan success, the request id.
        import branchsvc.metrics  # noqa: F401
        import core.logs  # noqa: F401
