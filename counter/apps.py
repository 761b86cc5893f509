from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "counter"
    verbose_name = _("Counter")

    def ready(self):
        from compliance.hooks import register_evidence_provider, register_service_record_source
        from counter import compliance_hooks, queue_callbacks
        from queueing import callbacks

        register_service_record_source(compliance_hooks.service_records)
        if queue_callbacks.close_record_customer_left not in callbacks.ticket_left:
            callbacks.ticket_left.append(queue_callbacks.close_record_customer_left)
        register_evidence_provider(compliance_hooks.evidence)
