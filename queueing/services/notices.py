"""Turn-near notices: the customer chooses "about N customers before me" or "about M minutes
left" on their ticket page, and gets one SMS or e-mail when the queue crosses it.

Once means once: the notice row is unique per (ticket, kind, threshold) and is inserted in the
same transaction that asks the gateway, so a second refresh, a concurrent one, or a retried
worker finds the row (or waits on it, then fails the insert) and sends nothing. A position that
goes back above the threshold and crosses it again sends nothing either. Inside the branch's
quiet hours the notice is recorded as held back and never sent later: by then it would be stale.
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.audit import audit_record
from core.i18n import content_language
from core.live import groups, push
from core.notifications import notify
from customers.validators import normalize_cn_mobile, validate_cn_mobile
from queueing import payloads
from queueing.models import (
    NoticeChannel,
    NoticeKind,
    NoticeOutcome,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
    TurnNotice,
    TurnNoticeChoice,
)
from queueing.policy import settings_for
from queueing.services.common import _lock, request_refresh

log = logging.getLogger("branchsvc.notifications")

# The thresholds a customer may choose, inclusive.
THRESHOLD_LIMITS = {NoticeKind.POSITION: (1, 30), NoticeKind.MINUTES: (1, 120)}
NOTICE_STATUSES = (TicketStatus.WAITING, TicketStatus.PARKED)


def _contact(ticket: Ticket, channel: str) -> str:
    customer = ticket.customer
    if customer is None:
        return ""
    return customer.phone if channel == NoticeChannel.SMS else customer.email


def _clean_address(channel: str, address: str) -> str:
    address = (address or "").strip()
    if not address:
        return ""
    if channel == NoticeChannel.SMS:
        validate_cn_mobile(address)
        return normalize_cn_mobile(address)
    validate_email(address)
    return address


def turn_notice_choose(*, ticket: Ticket, kind: str, threshold: int, channel: str,
                       address: str = "") -> TurnNoticeChoice:
    """Store (or replace) the customer's choice. The address is needed only when the ticket's
    customer has none for this channel (a kiosk walk-in); it is stored encrypted."""
    errors: dict[str, list] = {}
    if kind not in NoticeKind.values:
        errors["kind"] = [_("Choose customers before you or minutes left.")]
    if channel not in NoticeChannel.values:
        errors["channel"] = [_("Choose SMS or e-mail.")]
    if kind in NoticeKind.values:
        low, high = THRESHOLD_LIMITS[NoticeKind(kind)]
        if not isinstance(threshold, int) or isinstance(threshold, bool) \
                or not low <= threshold <= high:
            errors["threshold"] = [_("Choose a number from %(low)d to %(high)d.")
                                   % {"low": low, "high": high}]
    if channel in NoticeChannel.values:
        try:
            address = _clean_address(channel, address)
        except ValidationError as error:
            errors["address"] = error.messages
        else:
            earlier = TurnNoticeChoice.objects.filter(ticket=ticket, channel=channel).first()
            address = address or (earlier.address if earlier else "")
            if not address and not _contact(ticket, channel):
                errors["address"] = [_("Enter the mobile number or e-mail address to notify.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ticket = _lock(ticket)
        if ticket.status not in NOTICE_STATUSES:
            raise ValidationError({"kind": [_("This ticket is no longer waiting.")]})
        choice, _created = TurnNoticeChoice.objects.update_or_create(
            ticket=ticket, defaults={"kind": kind, "threshold": threshold, "channel": channel,
                                     "address": address, "chosen_at": timezone.now()})
        audit_record(actor=None, action="ticket.notice_chosen", obj=ticket, branch=ticket.branch,
                     customer=ticket.customer_id,
                     after={"number": ticket.number, "kind": kind, "threshold": threshold,
                            "channel": channel})
        # The next refresh checks the new threshold (and sends at once if already crossed).
        request_refresh(ticket.branch)
    return choice


def crossed(ticket: Ticket, choice: TurnNoticeChoice) -> bool:
    """Whether the ticket's stored place or estimate is at or past the chosen threshold."""
    if ticket.status != TicketStatus.WAITING:
        return False
    if choice.kind == NoticeKind.POSITION:
        return ticket.position is not None and ticket.position - 1 <= choice.threshold
    return (ticket.estimated_wait_seconds is not None
            and ticket.estimated_wait_seconds <= choice.threshold * 60)


def in_quiet_hours(branch, moment: dt.datetime) -> bool:
    settings = settings_for(branch)
    if not settings.notice_quiet_start or not settings.notice_quiet_end:
        return False
    start = dt.time.fromisoformat(settings.notice_quiet_start)
    end = dt.time.fromisoformat(settings.notice_quiet_end)
    local = moment.astimezone(branch.tz).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def turn_notices_due(*, branch) -> list[int]:
    """Tickets of the branch whose chosen threshold is crossed and whose notice is not recorded."""
    choices = (TurnNoticeChoice.objects.select_related("ticket")
               .filter(ticket__branch=branch, ticket__status=TicketStatus.WAITING))
    done = set(TurnNotice.objects.filter(ticket__branch=branch, ticket__status=TicketStatus.WAITING)
               .values_list("ticket_id", "kind", "threshold"))
    return [choice.ticket_id for choice in choices
            if crossed(choice.ticket, choice)
            and (choice.ticket_id, choice.kind, choice.threshold) not in done]


def notice_text(ticket: Ticket) -> str:
    """The notice in the ticket's language; no personal data, only the branch and number."""
    language = content_language(ticket.language or "zh-hans")
    seconds = ticket.estimated_wait_seconds
    with translation.override(language):
        return gettext(
            "%(branch)s: ticket %(number)s, about %(ahead)d customers before you "
            "(about %(minutes)s min). Please come back to the waiting area.") % {
            "branch": payloads.names(ticket.branch)[language], "number": ticket.number,
            "ahead": max((ticket.position or 1) - 1, 0),
            "minutes": "—" if seconds is None else round(seconds / 60)}


def turn_notice_send(*, ticket_id: int, now: dt.datetime | None = None) -> TurnNotice | None:
    """Send the ticket's turn-near notice if its threshold is crossed and it was never sent.
    The row is inserted first and committed only after the gateway accepted the message: a
    worker dying mid-send rolls it back and the next refresh sends it; a concurrent sender
    waits on the unique row, then fails its insert and sends nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = (Ticket.objects.select_for_update(of=("self",))
                  .select_related("branch", "customer", "notice_choice")
                  .filter(pk=ticket_id).first())
        if ticket is None:
            return None
        choice = getattr(ticket, "notice_choice", None)
        if choice is None or not crossed(ticket, choice):
            return None
        quiet = in_quiet_hours(ticket.branch, now)
        try:
            with transaction.atomic():
                notice = TurnNotice.objects.create(
                    ticket=ticket, kind=choice.kind, threshold=choice.threshold,
                    channel=choice.channel, at=now, position=ticket.position,
                    estimated_wait_seconds=ticket.estimated_wait_seconds,
                    outcome=NoticeOutcome.QUIET if quiet else NoticeOutcome.SENT)
        except IntegrityError:
            return None
        if not quiet:
            to = choice.address or _contact(ticket, choice.channel)
            try:
                notify(channel=choice.channel, to=to, subject=gettext("Your turn is near"),
                       body=notice_text(ticket))
            except Exception:  # noqa: BLE001 - any gateway error: recorded, never retried
                log.warning("turn-near notice of ticket %s refused", ticket.pk, exc_info=True)
                notice.outcome = NoticeOutcome.FAILED
                notice.save(update_fields=["outcome"])
        TicketEvent.objects.create(ticket=ticket, kind=TicketEventKind.NOTICE, at=now, data={
            "kind": choice.kind, "threshold": choice.threshold, "channel": choice.channel,
            "outcome": notice.outcome})
        audit_record(actor=None, action="ticket.notice", obj=ticket, branch=ticket.branch,
                     customer=ticket.customer_id,
                     after={"number": ticket.number, "kind": choice.kind,
                            "threshold": choice.threshold, "channel": choice.channel,
                            "outcome": notice.outcome, "position": ticket.position})
        token = ticket.public_token
        transaction.on_commit(
            lambda: push(groups.ticket(token), "ticket.updated", payloads.ticket_page(ticket)))
    return notice


def turn_notices_send_due(*, branch) -> int:
    """Send every due notice of the branch; the count of notices recorded."""
    return sum(turn_notice_send(ticket_id=pk) is not None for pk in turn_notices_due(branch=branch))
