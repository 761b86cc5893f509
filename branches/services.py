import secrets

from django.db import transaction
from django.utils import timezone

from branches.models import Branch, Device, ServicePoint
from compliance.audit import audit_record
from core.live import groups, push


@transaction.atomic
def device_issue_token(*, actor, branch: Branch, kind: str, name: str,
                       service_point: ServicePoint | None = None) -> tuple[Device, str]:
    """Register a device and return it with its token. The token is shown once; only its hash
    is stored."""
    prefix = secrets.token_hex(4)
    token = f"dev_{prefix}_{secrets.token_urlsafe(32)}"
    device = Device.objects.create(branch=branch, kind=kind, name=name, service_point=service_point,
                                   token_prefix=prefix, token_hash=Device.hash_token(token),
                                   issued_by=actor)
    audit_record(actor=actor, action="device.issue_token", obj=device, branch=branch,
                 after={"kind": kind, "name": name, "token_prefix": prefix})
    return device, token


@transaction.atomic
def device_revoke(*, actor, device: Device) -> Device:
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.revoked_at is not None:
        return device
    device.revoked_at = timezone.now()
    device.revoked_by = actor
    device.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=actor, action="device.revoke", obj=device, branch=device.branch,
                 before={"revoked": False}, after={"revoked": True})
    # Open websockets of this device close on this event.
    push(groups.device(device.pk), "device.revoked", {"device": device.pk})
    return device


def device_seen(*, device: Device) -> None:
    """Heartbeat: a plain timestamp, not an audited change."""
    Device.objects.filter(pk=device.pk).update(last_seen_at=timezone.now())


@transaction.atomic
def staff_sign_in_unlock(*, actor, branch: Branch, user) -> None:
    """Lift a staff member's sign-in lockout before it ends by itself (they called the branch
    admin). Their wrong-password count starts again from zero."""
    from axes.models import AccessAttempt

    cleared = AccessAttempt.objects.filter(username=user.get_username()).delete()[0]
    audit_record(actor=actor, action="staff.sign_in_unlock", obj=user, branch=branch,
                 after={"username": user.get_username(), "attempt_records_cleared": cleared})
