"""A branch's static configuration, read once per version instead of once per request.

What issuing and calling read about a branch but that changes a few times a day — its zones'
ticket prefixes, its counters with their services, work profiles and status, its opening hours;
the service catalogue and the tellers' skills — is kept per process under version tokens in the
shared cache (`core.cache.config_versions`). Every write to those rows, the admin's included,
replaces the token through the model signals below, so the next request rebuilds; a request
otherwise pays one cache round trip for it. Entries also expire after `_TTL` seconds, which bounds
what a write that was rolled back after saving could leave in the process that made it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models.signals import m2m_changed, post_delete, post_save

from branches.models import (
    Branch,
    CalendarException,
    OpeningHours,
    ScheduleDay,
    ScheduleYear,
    ServicePoint,
    ServiceType,
    StaffProfile,
    Zone,
)
from core.cache import config_bump, config_versions, forget_remembered, remembered
from queueing.duty import CounterDuty, duty_plans

GLOBAL = "global"  # the service catalogue, the national calendar, the tellers' skills
_TTL = 300.0


def branch_scope(branch_id: int) -> str:
    return f"branch:{branch_id}"


@dataclass
class Catalogue:
    """The service catalogue and the tellers' skills, the same for every branch."""

    services: dict[str, ServiceType]  # by code
    skills: dict[int, frozenset[str]] = field(default_factory=dict)  # by staff profile id

    def teller_skills(self, profile_ids: set[int]) -> dict[int, frozenset[str]]:
        missing = profile_ids - self.skills.keys()
        if missing:
            rows = StaffProfile.skills.through.objects.filter(
                staffprofile_id__in=missing).values_list("staffprofile_id", "servicetype__code")
            found: dict[int, set[str]] = {pid: set() for pid in missing}
            for pid, code in rows:
                found[pid].add(code)
            self.skills.update({pid: frozenset(codes) for pid, codes in found.items()})
        return {pid: self.skills[pid] for pid in profile_ids}


@dataclass
class BranchConfig:
    """One branch's counters (with zone and services), zone prefixes and opening hours."""

    prefixes: dict[str, str]  # zone kind -> ticket prefix (only the zones the branch has)
    points: list[ServicePoint]
    hours: dict[dt.date, list[tuple[dt.time, dt.time]]] = field(default_factory=dict)
    # The counters' rosters and breaks per day (queueing.duty), read with the configuration.
    duty: dict[dt.date, dict[int, CounterDuty]] = field(default_factory=dict)
    # ticket prefix -> the zone's name in both languages (the queues' names on every surface)
    zone_names: dict[str, dict[str, str]] = field(default_factory=dict)

    def hours_on(self, branch, day: dt.date) -> list[tuple[dt.time, dt.time]]:
        if day not in self.hours:
            self.hours[day] = branch.hours_on(day)
        return self.hours[day]

    def duty_on(self, branch, day: dt.date) -> dict[int, CounterDuty]:
        if day not in self.duty:
            self.duty[day] = duty_plans(branch=branch, day=day)
        return self.duty[day]

    def is_open_at(self, branch, moment: dt.datetime) -> bool:
        local = moment.astimezone(branch.tz)
        return any(start <= local.time() < end for start, end in self.hours_on(branch, local.date()))


def _remembered(key: str, versions: tuple[str, ...] | None, build):
    return remembered(f"config:{key}", versions, build, ttl=_TTL)


def _build_catalogue() -> Catalogue:
    return Catalogue(services={s.code: s for s in ServiceType.objects.all()})


def _build_branch(branch) -> BranchConfig:
    points = list(ServicePoint.objects.filter(branch=branch).select_related("zone")
                  .prefetch_related("service_types").order_by("kind", "code"))
    zones = Zone.objects.filter(branch=branch).values_list("kind", "ticket_prefix", "name_zh_hans",
                                                          "name_en")
    prefixes, zone_names = {}, {}
    for kind, prefix, name_zh, name_en in zones:
        prefixes[kind] = prefix
        zone_names[prefix] = {"zh-hans": name_zh, "en": name_en or name_zh}
    return BranchConfig(prefixes=prefixes, points=points, zone_names=zone_names)


def configuration(branch) -> tuple[BranchConfig, Catalogue]:
    """The branch's configuration and the catalogue, as of their current versions."""
    versions = config_versions(GLOBAL, branch_scope(branch.pk))
    catalogue = _remembered(GLOBAL, versions and versions[:1], _build_catalogue)
    config = _remembered(branch_scope(branch.pk), versions, lambda: _build_branch(branch))
    return config, catalogue


def catalogue() -> Catalogue:
    versions = config_versions(GLOBAL)
    return _remembered(GLOBAL, versions, _build_catalogue)


def bump_branch_config(*, branch_id: int | None = None, point_id: int | None = None) -> None:
    """A higher app changed what the configuration keeps (a counter's breaks, a roster)."""
    if branch_id is None:
        branch_id = ServicePoint.objects.filter(pk=point_id).values_list("branch_id", flat=True).first()
    if branch_id is not None:
        config_bump(branch_scope(branch_id))


def forget() -> None:
    """Drop this process's copies (tests that change rows behind the signals' back)."""
    forget_remembered()


# --- what bumps the versions -----------------------------------------------------------------

def _branch_of(instance) -> int | None:
    if isinstance(instance, Branch):
        return instance.pk
    return getattr(instance, "branch_id", None)


def _changed_branch_row(sender, instance, **kwargs) -> None:
    branch_id = _branch_of(instance)
    if branch_id is not None:
        config_bump(branch_scope(branch_id))


def _changed_global_row(sender, instance, **kwargs) -> None:
    config_bump(GLOBAL)


def _changed_point_services(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        if isinstance(instance, ServicePoint):
            config_bump(branch_scope(instance.branch_id))
        else:  # from the service type's side: every branch may have one of its counters
            config_bump(GLOBAL, *(branch_scope(pk) for pk in ServicePoint.objects.filter(
                pk__in=kwargs.get("pk_set") or ()).values_list("branch_id", flat=True)))


def _changed_skills(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        config_bump(GLOBAL)


def connect() -> None:
    """Called from QueueingConfig.ready: every save or delete of a configuration row (services,
    the admin, data migrations) bumps its version."""
    for model in (Branch, Zone, ServicePoint, OpeningHours, CalendarException):
        post_save.connect(_changed_branch_row, sender=model, dispatch_uid=f"config-{model.__name__}")
        post_delete.connect(_changed_branch_row, sender=model,
                            dispatch_uid=f"config-del-{model.__name__}")
    for model in (ServiceType, ScheduleDay, ScheduleYear, StaffProfile):
        post_save.connect(_changed_global_row, sender=model, dispatch_uid=f"config-{model.__name__}")
        post_delete.connect(_changed_global_row, sender=model,
                            dispatch_uid=f"config-del-{model.__name__}")
    m2m_changed.connect(_changed_point_services, sender=ServicePoint.service_types.through,
                        dispatch_uid="config-point-services")
    m2m_changed.connect(_changed_skills, sender=StaffProfile.skills.through,
                        dispatch_uid="config-skills")
