from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from appointments.hooks import (
            branches_with_appointment_today,
            complete_on_service_finished,
            face_check_in_offer,
            face_check_in_perform,
            upcoming_for_counter,
        )
        from counter import hooks as counter_hooks
        from customers import hooks
        from customers.face.hooks import register_arrival_action

        # Staff of a branch may open a customer who has an appointment there today.
        if branches_with_appointment_today not in hooks.customer_branch_ids:
            hooks.customer_branch_ids.append(branches_with_appointment_today)
        # The teller's panel lists upcoming appointments; finishing the service completes one.
        if upcoming_for_counter not in counter_hooks.upcoming_appointments:
            counter_hooks.upcoming_appointments.append(upcoming_for_counter)
        if complete_on_service_finished not in counter_hooks.service_finished:
            counter_hooks.service_finished.append(complete_on_service_finished)
        # A customer the face greeting recognises can check in with one tap (docs/face.md).
        register_arrival_action(
            key="appointment.check_in", offer=face_check_in_offer, perform=face_check_in_perform
        )
