"""Emergency plans: activate one with one action, tick off its timed checklist, close it with the
incident report. Every write here is a service (audited, live pushes after commit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, StaffProfile
from branches.roles import Role
from compliance.audit import audit_record
from continuity.models import (
    Incident,
    IncidentStatus,
    IncidentStep,
    Playbook,
    Ticketing,
)
from core.cache import config_bump, config_versions, remembered
from core.i18n import english
from core.live import groups, push
from queueing.config import branch_scope
from queueing.models import Ticket, TicketStatus

LOBBY_STATE_SECONDS = 60
# Tickets an appointment brings are honoured while tickets are limited; walk-ins wait their turn.
LIMITED_SOURCES_EXEMPT = {"appointment"}
# Bounds how long a copy can outlive a bump that never reached the cache (the cache was down
# while the plan was activated or closed); a bump that did reach it acts at once.
_TICKETING_TTL = 60.0


def active_incident(branch) -> Incident | None:
    return Incident.objects.filter(branch=branch, status=IncidentStatus.ACTIVE).first()


def lobby_payload(incident: Incident | None) -> dict:
    """What a lobby screen shows and says: public text only, never a person."""
    if incident is None:
        return {"active": False}
    return {
        "active": True,
        "id": incident.pk,
        "level": incident.level,
        "kind": incident.kind,
        "message": {"zh-hans": incident.lobby_message_zh, "en": incident.lobby_message_en},
    }


@dataclass(frozen=True)
class _TicketingState:
    """What the active plan (if any) says about issuing tickets at a branch."""

    ticketing: str = Ticketing.NORMAL
    ticket_limit: int = 0
    message_zh: str = ""
    message_en: str = ""


def _ticketing_state(branch) -> _TicketingState:
    """The branch's ticketing under its active plan, read once per version of the branch's
    configuration scope: every issue asked the database before. Activating and closing a plan
    bump that scope in their transaction and again at commit (`config_bump`), so the next ticket
    after either is judged by the new state; issuing already read the scope's token, so this costs
    the request nothing when remembered."""

    def load() -> _TicketingState:
        incident = active_incident(branch)
        if incident is None:
            return _TicketingState()
        return _TicketingState(incident.ticketing, incident.ticket_limit,
                               incident.lobby_message_zh, incident.lobby_message_en)

    versions = config_versions(branch_scope(branch.pk))
    return remembered(f"ticketing:{branch.pk}", versions, load, ttl=_TICKETING_TTL)


def _cache_key(branch_code: str) -> str:
    return f"continuity:emergency:{branch_code}"


def lobby_state(branch_code: str) -> dict:
    """The lobby payload for a branch, from the cache: hundreds of screens poll it every few
    seconds, and the database is asked only when the cache has nothing (or after a minute)."""
    state = cache.get(_cache_key(branch_code))
    if state is None:
        incident = Incident.objects.filter(branch__code=branch_code, status=IncidentStatus.ACTIVE).first()
        state = lobby_payload(incident)
        cache.set(_cache_key(branch_code), state, LOBBY_STATE_SECONDS)
    return state


def _push_lobby(incident: Incident) -> None:
    payload = lobby_payload(incident if incident.status == IncidentStatus.ACTIVE else None)
    code = incident.branch.code
    transaction.on_commit(lambda: cache.set(_cache_key(code), payload, LOBBY_STATE_SECONDS), robust=True)
    config_bump(branch_scope(incident.branch_id))  # ticketing changes with the next ticket
    push(groups.lobby(incident.branch.code), "continuity.emergency", payload)
    push(groups.staff(incident.branch.code), "continuity.emergency", payload)


def _snapshot(incident: Incident) -> dict:
    return {
        "kind": incident.kind,
        "level": incident.level,
        "status": incident.status,
        "ticketing": incident.ticketing,
        "ticket_limit": incident.ticket_limit,
    }


def incident_activate(*, actor, branch: Branch, playbook: Playbook, level: int | None = None) -> Incident:
    """The lobby manager's one action: lobby screens switch to the plan's message, ticketing is
    paused or limited, head office is told, and the plan's checklist starts its clocks."""
    now = timezone.now()
    try:
        with transaction.atomic():
            incident = Incident.objects.create(
                branch=branch,
                kind=playbook.kind,
                level=level or playbook.level,
                status=IncidentStatus.ACTIVE,
                lobby_message_zh=playbook.lobby_message_zh,
                lobby_message_en=playbook.lobby_message_en,
                ticketing=playbook.ticketing,
                ticket_limit=playbook.ticket_limit,
                activated_by=actor,
                activated_at=now,
            )
            IncidentStep.objects.bulk_create(
                [
                    IncidentStep(
                        incident=incident,
                        position=index,
                        text=step["text"][:300],
                        due_at=now + dt.timedelta(minutes=int(step.get("minutes") or 0)),
                    )
                    for index, step in enumerate(playbook.steps, start=1)
                ]
            )
            audit_record(
                actor=actor,
                action="continuity.incident.activate",
                obj=incident,
                branch=branch,
                after=_snapshot(incident),
                summary=f"{playbook.kind} level {incident.level}",
            )
            _push_lobby(incident)
            if playbook.notify_head_office:
                _tell_head_office(incident, _("%(branch)s activated the %(plan)s plan (%(level)s)."))
    except IntegrityError as error:
        raise ValidationError(
            _("An emergency plan is already active at this branch: close it first.")
        ) from error
    return incident


def incident_step_done(*, actor, step: IncidentStep, note: str = "") -> IncidentStep:
    with transaction.atomic():
        step = (IncidentStep.objects.select_for_update(of=("self",))
            .select_related("incident__branch").get(pk=step.pk))
        if step.incident.status != IncidentStatus.ACTIVE:
            raise ValidationError(_("This incident is closed."))
        if step.done_at is not None:
            raise ValidationError(_("This step is already done."))
        step.done_by, step.done_at, step.note = actor, timezone.now(), note.strip()[:300]
        step.save(update_fields=["done_by", "done_at", "note"])
        audit_record(
            actor=actor,
            action="continuity.incident.step_done",
            obj=step.incident,
            branch=step.incident.branch,
            after={"step": step.position, "late": step.done_at > step.due_at, "note": step.note},
            summary=step.text[:200],
        )
        push(
            groups.staff(step.incident.branch.code),
            "continuity.incident_step",
            {"incident": step.incident_id},
        )
    return step


def incident_close(*, actor, incident: Incident, summary: str) -> Incident:
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(
            {"summary": _("Write what happened and what was done: it goes into the report.")}
        )
    with transaction.atomic():
        incident = (Incident.objects.select_for_update(of=("self",))
            .select_related("branch").get(pk=incident.pk))
        if incident.status != IncidentStatus.ACTIVE:
            raise ValidationError(_("This incident is closed."))
        before = _snapshot(incident)
        incident.status, incident.closed_by, incident.closed_at = IncidentStatus.CLOSED, actor, timezone.now()
        incident.summary = summary[:4000]
        incident.save(update_fields=["status", "closed_by", "closed_at", "summary"])
        audit_record(
            actor=actor,
            action="continuity.incident.close",
            obj=incident,
            branch=incident.branch,
            before=before,
            after=_snapshot(incident),
            summary=summary[:200],
        )
        _push_lobby(incident)
        _tell_head_office(
            incident, _("%(branch)s closed the %(plan)s plan (%(level)s); the report is ready.")
        )
    return incident


def playbook_update(*, actor, playbook: Playbook, **changes) -> Playbook:
    with transaction.atomic():
        playbook = Playbook.objects.select_for_update().get(pk=playbook.pk)
        before = {name: getattr(playbook, name) for name in changes}
        for name, value in changes.items():
            setattr(playbook, name, value)
        playbook.save(update_fields=[*changes, "updated_at"])
        audit_record(
            actor=actor,
            action="continuity.playbook.update",
            obj=playbook,
            before=before,
            after=changes,
            summary=playbook.kind,
        )
    return playbook


def _tell_head_office(incident: Incident, text) -> None:
    message = str(text) % {
        "branch": incident.branch.name,  # in the language of the text (core.i18n.english)
        "plan": incident.get_kind_display(),
        "level": incident.get_level_display(),
    }
    people = StaffProfile.objects.filter(role=Role.HEAD_OFFICE_ADMIN, user__is_active=True).select_related(
        "user"
    )
    for profile in people:
        push(
            groups.user(profile.user_id),
            "toast",
            {"text": message, "url": f"/continuity/incidents/{incident.pk}/"},
        )


def _message(state: _TicketingState) -> str:
    return state.message_en if english() else state.message_zh


def ticketing_refusal(*, branch, source: str) -> str | None:
    """queueing's issue check (registered in continuity's AppConfig): the active plan's ticketing."""
    state = _ticketing_state(branch)
    if state.ticketing == Ticketing.NORMAL:
        return None
    if state.ticketing == Ticketing.PAUSED:
        return str(_("Ticketing is paused: %(message)s")) % {"message": _message(state)}
    if source in LIMITED_SOURCES_EXEMPT:
        return None

    waiting = Ticket.objects.filter(branch=branch, status=TicketStatus.WAITING).count()
    if waiting >= state.ticket_limit:
        return str(_("Tickets are limited now (%(limit)s waiting): %(message)s")) % {
            "limit": state.ticket_limit,
            "message": _message(state),
        }
    return None
