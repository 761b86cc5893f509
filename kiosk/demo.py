"""Demo data for the kiosk: the foundation's demo already registers kiosks K1, K2 and the VTM
(tokens printed by seed_demo, kept in var/demo_device_tokens.json) and
makes teller5 a remote teller; here they get their status rows so the lobby manager's list shows
them (offline until their pages send heartbeats)."""

from branches.models import Device
from kiosk.models import DeviceStatus
from kiosk.services import KIOSK_KINDS


def seed(*, stdout) -> None:
    devices = Device.objects.active().filter(kind__in=KIOSK_KINDS)
    for device in devices:
        DeviceStatus.objects.get_or_create(device=device)
    stdout.write(f"kiosk: {devices.count()} kiosks/VTMs; sign one in at /device/login/ with its demo "
                 "token; remote teller: teller5 at /kiosk/remote-teller/")
