"""Thin Celery tasks: load by id, call a service. Each is safe to run twice."""

import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q
from kombu.exceptions import OperationalError
from redis import RedisError

from branches.models import Branch
from queueing import services
from queueing.models import Ticket, TicketStatus

_PENDING = "queueing:refresh-pending:{}"
SHARD_DONE = "queueing:scan-shard-done:{}"
SCAN_SENT = "queueing:scan-sent"
logger = logging.getLogger(__name__)


def schedule_refresh(branch_id: int) -> None:
    """Queue one estimate refresh per branch: changes arriving while one is pending ride along."""
    try:
        if cache.add(_PENDING.format(branch_id), 1, timeout=30):
            refresh_estimates.apply_async((branch_id,), countdown=0.2, retry=False)
    except (RedisError, OperationalError, OSError):
        # Cache or broker down: the periodic scan_queues refreshes the estimates instead.
        logger.warning("estimate refresh of branch %s not queued", branch_id, exc_info=True)


@shared_task(ignore_result=True)
def refresh_estimates(branch_id: int) -> None:
    cache.delete(_PENDING.format(branch_id))
    branch = Branch.objects.filter(pk=branch_id, is_active=True).first()
    if branch is not None:
        services.queue_refresh(branch=branch)


@shared_task(ignore_result=True, acks_late=True)
def send_turn_notices(branch_id: int) -> int:
    """After a refresh: each crossed turn-near notice, once (a rerun or a retry sends nothing)."""
    branch = Branch.objects.filter(pk=branch_id).first()
    return 0 if branch is None else services.turn_notices_send_due(branch=branch)


@shared_task(ignore_result=True)
def scan_queues() -> None:
    """Every 30 s: fan the scan out, one task per shard of the branches with live tickets, so
    workers scan shards in parallel (500 branches at ~0.4 s each do not fit 30 s serially)."""
    shards = max(1, settings.QUEUE_SCAN_SHARDS)
    cache.set(SCAN_SENT, time.time(), timeout=None)  # the scan lag counts from here (metrics)
    for shard in range(shards):
        scan_queue_shard.delay(shard, shards)


@shared_task(ignore_result=True)
def scan_queue_shard(shard: int, shards: int) -> None:
    """The branches with live tickets whose id falls in this shard: mark overdue no-shows,
    refresh estimates, raise alerts."""
    live = Ticket.objects.filter(Q(status=TicketStatus.WAITING) | Q(status=TicketStatus.CALLED))
    branches = Branch.objects.filter(is_active=True, pk__in=live.values("branch")).annotate(
        shard=F("id") % shards).filter(shard=shard).annotate(
        has_waiting=_any_ticket(TicketStatus.WAITING),
        has_called=_any_ticket(TicketStatus.CALLED)).order_by("id")
    for branch in branches:
        # Only called tickets can become no-shows. With nobody waiting there is no estimate,
        # long wait or idle counter to find, and the change that emptied the queue refreshed
        # (and pushed) it already; a no-show marked here asks for its own refresh.
        if branch.has_called:
            services.ticket_mark_no_shows(branch=branch)
        if branch.has_waiting:
            services.queue_refresh(branch=branch)
    # When each shard last finished: the scan lag bench/network reports (and a dashboard can).
    cache.set(SHARD_DONE.format(shard), time.time(), timeout=None)


def _any_ticket(status: str) -> Exists:
    return Exists(Ticket.objects.filter(branch=OuterRef("pk"), status=status))


def scan_lag(now: float) -> float | None:
    """Seconds from beat sending the last scan to its last shard finishing, or, while a shard
    of it is still running or queued, seconds since it was sent; None before the first scan."""
    shards = max(1, settings.QUEUE_SCAN_SHARDS)
    found = cache.get_many([SCAN_SENT, *(SHARD_DONE.format(n) for n in range(shards))])
    sent = found.get(SCAN_SENT)
    if sent is None:
        return None
    done = [found.get(SHARD_DONE.format(n)) for n in range(shards)]
    if any(at is None or at < sent for at in done):
        return max(0.0, now - sent)
    return max(at for at in done if at is not None) - sent
