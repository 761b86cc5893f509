from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "branches"
    verbose_name = _("Branches")

    def ready(self):
        from branches import calendar_services, device_lookup  # noqa: F401  (maker-checker applier)
        from branches.roles import sync_role_groups

        # Groups must exist with their permissions on every database, including test databases
        # and after a flush; this is set-up, not business logic.
        post_migrate.connect(sync_role_groups, dispatch_uid="branches.sync_role_groups")
        # A remembered device must not outlive its revocation (branches.device_lookup).
        device_lookup.connect()
