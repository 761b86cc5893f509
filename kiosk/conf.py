"""Kiosk settings with their defaults (override in settings; the lead may wire them to env vars).

- KIOSK_IDLE_SECONDS (90): no touch for this long returns to the attract screen and clears
  everything personal; elderly mode doubles it.
- KIOSK_HEARTBEAT_SECONDS (20): how often the page reports that it is alive.
- KIOSK_SILENT_AFTER_SECONDS (60): a device not heard from for this long is shown offline.
- KIOSK_ICE_SERVERS ([]): WebRTC ICE servers, e.g. [{"urls": "stun:stun.bank.lan:3478"}]; none
  is needed when the VTM and the remote teller are on one routed network.
"""

from django.conf import settings


def idle_seconds() -> int:
    return int(getattr(settings, "KIOSK_IDLE_SECONDS", 90))


def heartbeat_seconds() -> int:
    return int(getattr(settings, "KIOSK_HEARTBEAT_SECONDS", 20))


def silent_after_seconds() -> int:
    return int(getattr(settings, "KIOSK_SILENT_AFTER_SECONDS", 60))


def ice_servers() -> list:
    return list(getattr(settings, "KIOSK_ICE_SERVERS", []))
