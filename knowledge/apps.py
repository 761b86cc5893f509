from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self):
        # The service desk sits below knowledge in the app order, so it cannot register itself
        # here; knowledge wires its work-order handler for assistant hand-offs instead.
        from knowledge.hooks import register_handoff

        try:
            from servicedesk.services import work_order_from_handoff
        except ImportError:  # a deployment without the service desk keeps the hook empty
            return
        register_handoff(work_order_from_handoff)
