import secrets

from django.db import transaction
from django.utils import timezone

from branches.device_lookup import devices_changed
from branches.models import ApiClient, ApiScope, Branch, Device, ServicePoint, StaffProfile
from branches.roles import NETWORK_ROLES, STAFF_ROLES, Role
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
    devices_changed()  # remembered copies go now and at commit: the next request is refused
    audit_record(actor=actor, action="device.revoke", obj=device, branch=device.branch,
                 before={"revoked": False}, after={"revoked": True})
    # Open websockets of this device close on this event.
    push(groups.device(device.pk), "device.revoked", {"device": device.pk})
    return device


@transaction.atomic
def api_client_create(*, actor, name: str, role: str, branch: Branch | None,
                      scopes: list[str]) -> tuple[ApiClient, str]:
    """Register an integration and return it with its key (shown once; only the hash is kept).

    The client acts through its own technical account with `role` (and `branch` for branch
    roles), so every existing branch and role check applies to it unchanged; `scopes` narrow it
    further to endpoint families. Head office only (the API and admin check that)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    if Role(role) not in STAFF_ROLES:
        raise ValueError("API clients act as a staff role")
    if branch is None and Role(role) not in NETWORK_ROLES:
        raise ValueError("a branch role needs a branch")
    unknown = set(scopes) - set(ApiScope.values)
    if unknown or not scopes:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    prefix = secrets.token_hex(4)
    key = f"bsk_{prefix}_{secrets.token_urlsafe(32)}"
    user = get_user_model().objects.create_user(username=f"api-{prefix}", first_name=name[:150])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    StaffProfile.objects.create(user=user, employee_no=f"API-{prefix}", role=role, branch=branch)
    group = Group.objects.filter(name=role).first()
    if group is not None:
        user.groups.add(group)
    client = ApiClient.objects.create(name=name, user=user, scopes=sorted(set(scopes)),
                                      key_prefix=prefix, key_hash=ApiClient.hash_key(key),
                                      created_by=actor)
    audit_record(actor=actor, action="api_client.create", obj=client, branch=branch,
                 after={"name": name, "role": role, "scopes": client.scopes, "key_prefix": prefix})
    return client, key


@transaction.atomic
def api_client_revoke(*, actor, client: ApiClient) -> ApiClient:
    """The key stops working at once; the technical account is deactivated with it."""
    client = ApiClient.objects.select_for_update().select_related("user").get(pk=client.pk)
    if client.revoked_at is not None:
        return client
    client.revoked_at = timezone.now()
    client.revoked_by = actor
    client.save(update_fields=["revoked_at", "revoked_by"])
    client.user.is_active = False
    client.user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="api_client.revoke", obj=client,
                 before={"revoked": False}, after={"revoked": True, "key_prefix": client.key_prefix})
    return client


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
