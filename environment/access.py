"""Who may see and change which sensors and alerts (built on branches.access)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from branches.access import branch_for_user, staff_branches, user_role
from branches.roles import Role
from environment.models import Sensor, SensorAlert

# Watch the branch's environment and acknowledge its alerts.
WATCH_ROLES = (Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)
# Register sensors and set the branch's thresholds.
CONFIGURE_ROLES = (Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)


def may_configure(user) -> bool:
    return user_role(user) in CONFIGURE_ROLES


def _check(user, configure: bool) -> None:
    if user_role(user) not in (CONFIGURE_ROLES if configure else WATCH_ROLES):
        raise PermissionDenied


def sensor_for_user(user, pk: int, *, configure: bool = False) -> Sensor:
    _check(user, configure)
    return get_object_or_404(Sensor.objects.select_related("branch"), pk=pk,
                             branch__in=staff_branches(user))


def alert_for_user(user, pk: int) -> SensorAlert:
    _check(user, configure=False)
    return get_object_or_404(SensorAlert.objects.select_related("sensor__branch", "branch"), pk=pk,
                             branch__in=staff_branches(user))


def branch_for_watcher(user, code: str, *, configure: bool = False):
    _check(user, configure)

    return branch_for_user(user, code)
