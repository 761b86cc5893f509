from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "queueing"
    verbose_name = _("Queueing")

    def ready(self) -> None:
        from customers.face.hooks import register_arrival_action
        from queueing import hooks
        from servicedesk.hooks import register_served_counter

        # A recognised VIP takes a priority ticket with one tap (docs/face.md).
        register_arrival_action(key=hooks.PRIORITY_ACTION, offer=hooks.priority_ticket_offer,
                                perform=hooks.priority_ticket_perform)
        # Complaints per 10,000 customers served count queueing's finished tickets.
        register_served_counter(hooks.served_counts)
