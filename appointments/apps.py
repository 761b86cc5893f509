from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from appointments.hooks import branches_with_appointment_today
        from customers import hooks

        # Staff of a branch may open a customer who has an appointment there today.
        if branches_with_appointment_today not in hooks.customer_branch_ids:
            hooks.customer_branch_ids.append(branches_with_appointment_today)
