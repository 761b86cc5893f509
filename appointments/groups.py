"""Group sessions (e.g. an anti-fraud class): staff hold them, customers join, a waiting list
takes those who come after the last place and moves up when someone leaves.

Joining and leaving lock the session row (``select_for_update(of=("self",))``), and the
``joined <= capacity`` CHECK backs it in the database: two customers racing for the last place
get one place and one waiting-list entry (or refusal), never two places.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appointments.models import GroupParticipant, GroupSession, GroupSessionStatus, ParticipantStatus
from branches.models import Branch
from compliance.audit import audit_record
from core.notifications import notify
from customers.models import Customer


class GroupError(Exception):
    """A refusal with a stable ``code`` (full, closed, started, already_joined, not_joined)."""

    def __init__(self, message, *, code: str, field: str = "session"):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field


def group_session_create(
    *,
    actor,
    branch: Branch,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    capacity: int,
    description: str = "",
    location: str = "",
    waitlist_limit: int = 10,
    now: dt.datetime | None = None,
) -> GroupSession:
    now = now or timezone.now()
    if end <= start:
        raise GroupError(gettext_lazy("The class must end after it starts."), code="invalid", field="end")
    if start <= now:
        raise GroupError(gettext_lazy("The class must start in the future."), code="invalid", field="start")
    if capacity < 1:
        raise GroupError(gettext_lazy("A class needs at least one place."), code="invalid", field="capacity")
    with transaction.atomic():
        session = GroupSession.objects.create(
            branch=branch,
            title=title.strip(),
            description=description,
            location=location,
            start=start,
            end=end,
            capacity=capacity,
            waitlist_limit=waitlist_limit,
            created_by=actor,
            created_at=now,
        )
        audit_record(
            actor=actor,
            action="group_session.create",
            obj=session,
            branch=branch,
            after={"title": session.title, "start": start.isoformat(), "capacity": capacity},
        )
    return session


def _locked(session: GroupSession) -> GroupSession:
    return GroupSession.objects.select_for_update(of=("self",)).select_related("branch").get(pk=session.pk)


def group_session_join(
    *, actor, session: GroupSession, customer: Customer, waitlist: bool = True, now: dt.datetime | None = None
) -> GroupParticipant:
    """A place if one is free; else the waiting list (when asked and not full); else refused."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(session)
        _check_open(locked, now)
        if (
            GroupParticipant.objects.filter(session=locked, customer=customer)
            .exclude(status=ParticipantStatus.LEFT)
            .exists()
        ):
            raise GroupError(gettext_lazy("You have already joined this class."), code="already_joined")
        if locked.joined < locked.capacity:
            status = ParticipantStatus.JOINED
            locked.joined += 1
            locked.save(update_fields=["joined"])
        elif waitlist and _waiting(locked).count() < locked.waitlist_limit:
            status = ParticipantStatus.WAITLISTED
        else:
            raise GroupError(
                gettext_lazy("Sorry, this class is full. Please choose another date."), code="full"
            )
        participant = GroupParticipant.objects.create(
            session=locked, customer=customer, status=status, created_at=now
        )
        audit_record(
            actor=actor,
            action=f"group_session.{'join' if status == 'joined' else 'waitlist'}",
            obj=participant,
            branch=locked.branch,
            customer=customer,
            after={"session": locked.pk, "status": status, "joined": locked.joined},
        )
    session.joined = locked.joined
    return participant


def group_session_leave(
    *, actor, session: GroupSession, customer: Customer, now: dt.datetime | None = None
) -> GroupParticipant | None:
    """Leave the class or its waiting list; a freed place goes to the first on the waiting list,
    who is told by SMS. Returns the participant who moved up, if any."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(session)
        participant = (
            GroupParticipant.objects.filter(session=locked, customer=customer)
            .exclude(status=ParticipantStatus.LEFT)
            .first()
        )
        if participant is None:
            raise GroupError(gettext_lazy("You have not joined this class."), code="not_joined")
        was = participant.status
        participant.status, participant.left_at = ParticipantStatus.LEFT, now
        participant.save(update_fields=["status", "left_at"])
        audit_record(
            actor=actor,
            action="group_session.leave",
            obj=participant,
            branch=locked.branch,
            customer=customer,
            before={"status": was},
            after={"status": ParticipantStatus.LEFT},
        )
        moved_up = None
        if was == ParticipantStatus.JOINED:
            moved_up = _waiting(locked).select_related("customer").first()
            if moved_up is None or locked.start <= now:
                locked.joined -= 1
                locked.save(update_fields=["joined"])
                moved_up = None
            else:
                moved_up.status = ParticipantStatus.JOINED
                moved_up.save(update_fields=["status"])
                audit_record(
                    actor=actor,
                    action="group_session.move_up",
                    obj=moved_up,
                    branch=locked.branch,
                    customer=moved_up.customer,
                    before={"status": ParticipantStatus.WAITLISTED},
                    after={"status": ParticipantStatus.JOINED},
                )
                _tell_after_commit(moved_up.customer, locked, kind="moved_up")
    session.joined = locked.joined
    return moved_up


def group_session_cancel(*, actor, session: GroupSession, now: dt.datetime | None = None) -> int:
    """Staff call the class off; everyone joined or waiting is told. Returns how many were told."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(session)
        if locked.status == GroupSessionStatus.CANCELLED:
            return 0
        locked.status = GroupSessionStatus.CANCELLED
        locked.save(update_fields=["status"])
        people = list(
            GroupParticipant.objects.filter(session=locked)
            .exclude(status=ParticipantStatus.LEFT)
            .select_related("customer")
        )
        for participant in people:
            _tell_after_commit(participant.customer, locked, kind="cancelled")
        audit_record(
            actor=actor,
            action="group_session.cancel",
            obj=locked,
            branch=locked.branch,
            after={"status": locked.status, "told": len(people)},
        )
    session.status = locked.status
    return len(people)


def _check_open(session: GroupSession, now: dt.datetime) -> None:
    if session.status != GroupSessionStatus.OPEN:
        raise GroupError(gettext_lazy("This class has been cancelled."), code="closed")
    if session.start <= now:
        raise GroupError(gettext_lazy("This class has already started."), code="started")


def _waiting(session: GroupSession):
    return GroupParticipant.objects.filter(session=session, status=ParticipantStatus.WAITLISTED).order_by(
        "created_at", "pk"
    )


def waiting_position(participant: GroupParticipant) -> int | None:
    if participant.status != ParticipantStatus.WAITLISTED:
        return None
    ids = list(_waiting(participant.session).values_list("pk", flat=True))
    return ids.index(participant.pk) + 1 if participant.pk in ids else None


def _tell_after_commit(customer: Customer, session: GroupSession, *, kind: str) -> None:
    def send() -> None:
        with translation.override(customer.preferred_language or settings.LANGUAGE_CODE):
            when = formats.date_format(session.start.astimezone(session.branch.tz), "SHORT_DATETIME_FORMAT")
            params = {"title": session.title, "branch": session.branch.name, "time": when}
            if kind == "moved_up":
                body = _("A place became free: you are now in %(title)s at %(branch)s, %(time)s.") % params
            else:
                body = _("%(title)s at %(branch)s on %(time)s has been cancelled. Sorry.") % params
        notify(channel="sms", to=customer.phone, subject="", body=body)

    transaction.on_commit(send)
