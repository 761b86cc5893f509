from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from appointments.hooks import (
            branches_with_appointment_today,
            face_check_in_offer,
            face_check_in_perform,
        )
        from customers import hooks
        from customers.face.hooks import register_arrival_action

        # Staff of a branch may open a customer who has an appointment there today.
        if branches_with_appointment_today not in hooks.customer_branch_ids:
            hooks.customer_branch_ids.append(branches_with_appointment_today)
        # A customer the face greeting recognises can check in with one tap (docs/face.md).
        register_arrival_action(
            key="appointment.check_in", offer=face_check_in_offer, perform=face_check_in_perform
        )
