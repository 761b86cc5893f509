from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KioskConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kiosk"
    verbose_name = _("Kiosks")

    def ready(self):
        from counter import hooks
        from kiosk.services import vtm_record_finished

        # A service record finished by a remote teller ends the VTM call and frees the teller.
        if vtm_record_finished not in hooks.service_finished:
            hooks.service_finished.append(vtm_record_finished)
        # Self-service at kiosks in the customer's 360-degree view, once counter offers the hook.
        self_service = getattr(hooks, "self_service_records", None)
        if self_service is not None:
            from kiosk.selectors import self_service_items

            if self_service_items not in self_service:
                self_service.append(self_service_items)
