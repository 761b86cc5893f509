"""What kiosk registers in the hooks of lower apps; called from `KioskConfig.ready`."""

from compliance.hooks import register_recording_details
from counter import hooks
from kiosk.recording import recording_details
from kiosk.selectors import self_service_items
from kiosk.services import vtm_record_finished


def connect() -> None:
    # A service record finished by a remote teller ends the VTM call and frees the teller.
    if vtm_record_finished not in hooks.service_finished:
        hooks.service_finished.append(vtm_record_finished)
    # Self-service at kiosks in the customer's 360-degree view.
    if self_service_items not in hooks.self_service_records:
        hooks.self_service_records.append(self_service_items)
    # Recordings stored here, listed with their hash and retention in the evidence export.
    register_recording_details(recording_details)
