"""Kiosk settings with their defaults (override in settings; the lead may wire them to env vars).

- KIOSK_IDLE_SECONDS (90): no touch for this long returns to the attract screen and clears
  everything personal; elderly mode doubles it.
- KIOSK_HEARTBEAT_SECONDS (20): how often the page reports that it is alive.
- KIOSK_SILENT_AFTER_SECONDS (60): a device not heard from for this long is shown offline.
- KIOSK_ICE_SERVERS ([]): extra WebRTC ICE servers as given, e.g. [{"urls": "stun:stun.bank.lan"}].
- WEBRTC_STUN_URLS, WEBRTC_TURN_URLS ([]), WEBRTC_TURN_SECRET (""), WEBRTC_TURN_TTL_SECONDS (3600),
  WEBRTC_ICE_TRANSPORT_POLICY ("all"): STUN/TURN for calls across networks; see `ice_config`.
- VTM_RECORDING_RETENTION_DAYS (3653): how long a call's dual recording (双录) is kept.
"""

import base64
import hashlib
import hmac
import time

from django.conf import settings


def idle_seconds() -> int:
    return int(getattr(settings, "KIOSK_IDLE_SECONDS", 90))


def heartbeat_seconds() -> int:
    return int(getattr(settings, "KIOSK_HEARTBEAT_SECONDS", 20))


def silent_after_seconds() -> int:
    return int(getattr(settings, "KIOSK_SILENT_AFTER_SECONDS", 60))


def ice_servers() -> list:
    return list(getattr(settings, "KIOSK_ICE_SERVERS", []))


def turn_credential(secret: str, user: str, *, ttl: int, now: float | None = None) -> tuple[str, str]:
    """coturn's REST-API credential (`use-auth-secret`): the username is "<expiry>:<user>" (expiry
    in Unix seconds) and the password base64(HMAC-SHA1(secret, username)). coturn checks both with
    the shared secret alone and refuses the username once the expiry has passed."""
    expiry = int(now if now is not None else time.time()) + ttl
    username = f"{expiry}:{user}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def ice_config(user: str) -> dict:
    """The RTCPeerConnection configuration for one end of a call (`user` names it in TURN's logs,
    e.g. "vtm-<session>-kiosk"): STUN, TURN with a credential of its own, the transport policy."""
    servers = ice_servers()
    stun = list(getattr(settings, "WEBRTC_STUN_URLS", []))
    if stun:
        servers.append({"urls": stun})
    turn = list(getattr(settings, "WEBRTC_TURN_URLS", []))
    secret = getattr(settings, "WEBRTC_TURN_SECRET", "")
    if turn and secret:
        username, credential = turn_credential(
            secret, user, ttl=int(getattr(settings, "WEBRTC_TURN_TTL_SECONDS", 3600)))
        servers.append({"urls": turn, "username": username, "credential": credential})
    elif turn:
        servers.append({"urls": turn})
    return {"iceServers": servers,
            "iceTransportPolicy": getattr(settings, "WEBRTC_ICE_TRANSPORT_POLICY", "all")}


def recording_retention_days() -> int:
    return int(getattr(settings, "VTM_RECORDING_RETENTION_DAYS", 3653))
