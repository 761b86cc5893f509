"""Routing: which channel and queue a new ticket should go to, and with what priority."""

from __future__ import annotations

from dataclasses import dataclass

from .estimate import estimate_wait
from .types import (
    AppointmentInfo,
    Channel,
    Complexity,
    CustomerProfile,
    LiveState,
    PolicyWeights,
    PriorityClass,
    Reason,
    Recommendation,
    ServiceProfile,
    WaitingTicket,
)

_NEW_TICKET = object()  # the id of the ticket being routed; never equal to a real id
_SELF_SERVICE = (Channel.KIOSK, Channel.VTM)


def ticket_priority(
    customer: CustomerProfile,
    appointment: AppointmentInfo | None,
    now: float,
    weights: PolicyWeights,
) -> tuple[PriorityClass, tuple[Reason, ...]]:
    reasons: list[Reason] = []
    on_time = False
    if appointment is not None:
        if now < appointment.window_start:
            reasons.append(Reason.APPOINTMENT_EARLY)
            on_time = True
        elif now <= appointment.window_end:
            reasons.append(Reason.APPOINTMENT_ON_TIME)
            on_time = True
        else:
            reasons.append(Reason.APPOINTMENT_LATE)
    if customer.needs:
        reasons.append(Reason.DISABILITY)
    if is_elderly(customer, weights):
        reasons.append(Reason.ELDERLY)
    if customer.vip_tier > 0:
        reasons.append(Reason.VIP)
    if on_time:
        return PriorityClass.APPOINTMENT, tuple(reasons)
    if customer.needs:
        return PriorityClass.DISABILITY, tuple(reasons)
    if is_elderly(customer, weights):
        return PriorityClass.ELDERLY, tuple(reasons)
    if customer.vip_tier > 0:
        return PriorityClass.VIP, tuple(reasons)
    return PriorityClass.NORMAL, tuple(reasons)


def is_elderly(customer: CustomerProfile, weights: PolicyWeights) -> bool:
    return customer.age is not None and customer.age >= weights.elderly_age


def queue_prefix_for(
    channel: Channel,
    service: ServiceProfile,
    customer: CustomerProfile,
    weights: PolicyWeights,
) -> str:
    if channel == Channel.KIOSK:
        return weights.kiosk_queue_prefix
    if channel == Channel.VTM:
        return weights.vtm_queue_prefix
    if customer.vip_tier >= weights.vip_queue_min_tier:
        return weights.vip_queue_prefix
    return service.queue_prefix


@dataclass(frozen=True)
class _Option:
    channel: Channel
    queue_prefix: str
    wait: float
    done: float  # wait + expected handling time: what the customer cares about
    language: str | None


def recommend_route(
    service: ServiceProfile,
    customer: CustomerProfile,
    appointment: AppointmentInfo | None,
    live: LiveState,
    weights: PolicyWeights,
) -> Recommendation:
    priority_class, reasons = ticket_priority(customer, appointment, live.now, weights)
    window = None
    if priority_class == PriorityClass.APPOINTMENT and appointment is not None:
        window = (appointment.window_start, appointment.window_end)

    options = _channel_options(service, customer, live, weights, priority_class, window)

    if not options:
        return Recommendation(
            channel=Channel.COUNTER if Channel.COUNTER in service.channels else Channel.KIOSK,
            queue_prefix=queue_prefix_for(Channel.COUNTER, service, customer, weights),
            priority_class=priority_class,
            estimated_wait_minutes=None,
            reasons=(Reason.NO_OPEN_CHANNEL, *reasons),
            language_required=None,
        )

    best, channel_reason = _choose(options, customer, weights, tellers_scarce=_tellers_scarce(service, live))
    if service.complexity == Complexity.SPECIAL and best.channel == Channel.COUNTER:
        channel_reason = Reason.SPECIALIST_COUNTER
    others = [option for option in options if option is not best]
    alternative = None
    if others:
        other = min(others, key=lambda option: option.done)
        alternative = _recommendation(other, priority_class, reasons, None)
    chosen_reasons = (channel_reason, *reasons)
    if best.language:
        chosen_reasons += (Reason.LANGUAGE,)
    return _recommendation(best, priority_class, chosen_reasons, alternative)


def _channel_options(
    service: ServiceProfile,
    customer: CustomerProfile,
    live: LiveState,
    weights: PolicyWeights,
    priority_class: PriorityClass,
    window: tuple[float, float] | None,
) -> list[_Option]:
    """The new ticket placed in each channel that offers the service and can serve it: its wait there,
    and when it would be done."""
    options: list[_Option] = []
    for channel in (Channel.COUNTER, Channel.VTM, Channel.KIOSK):
        if channel not in service.channels:
            continue
        ticket = WaitingTicket(
            id=_NEW_TICKET,
            service_code=service.code,
            channel=channel,
            queue_prefix=queue_prefix_for(channel, service, customer, weights),
            priority_class=priority_class,
            arrived_at=live.now,
            vip_tier=customer.vip_tier,
            appointment_window=window,
            # Kiosks switch language on screen; tellers (counter or video) must speak it.
            language=None if channel == Channel.KIOSK else _language_required(
                customer, service, channel, live, weights),
        )
        wait = estimate_wait(
            _NEW_TICKET,
            (*live.waiting, ticket),
            live.counters,
            live.service_times,
            live.now,
            weights,
        )
        if wait is None:
            continue
        done = wait + live.service_times.expected(service.code, channel)
        options.append(_Option(channel, ticket.queue_prefix, wait, done, ticket.language))
    return options


def _tellers_scarce(service: ServiceProfile, live: LiveState) -> bool:
    """At most one teller who could serve this service is free now."""
    idle = sum(
        1
        for counter in live.counters
        if counter.kind == Channel.COUNTER and counter.open and service.code in counter.skills
        and (counter.busy_until is None or counter.busy_until <= live.now)
    )
    return idle <= 1


def _choose(
    options: list[_Option], customer: CustomerProfile, weights: PolicyWeights, *, tellers_scarce: bool = False
) -> tuple[_Option, Reason]:
    counter = next((option for option in options if option.channel == Channel.COUNTER), None)
    if counter is None:
        best = min(options, key=lambda option: option.done)
        return best, Reason.SELF_SERVICE_ONLY
    prefers_counter = (customer.needs or is_elderly(customer, weights)) and not (
        weights.self_service_for_elderly
    )
    machines = [option for option in options if option.channel in _SELF_SERVICE]
    if machines and not prefers_counter:
        fastest = min(machines, key=lambda option: option.done)
        margin = weights.channel_switch_margin_minutes
        if fastest.channel == Channel.KIOSK or counter.wait > 0 or tellers_scarce:
            margin = min(margin, -weights.self_service_slack_minutes)
        if fastest.done + margin <= counter.done:
            reason = Reason.SELF_SERVICE_FASTER if fastest.channel == Channel.KIOSK else Reason.VTM_FASTER
            return fastest, reason
    return counter, Reason.NEEDS_TELLER


def _recommendation(
    option: _Option,
    priority_class: PriorityClass,
    reasons: tuple[Reason, ...],
    alternative: Recommendation | None,
) -> Recommendation:
    return Recommendation(
        channel=option.channel,
        queue_prefix=option.queue_prefix,
        priority_class=priority_class,
        estimated_wait_minutes=round(option.wait, 1),
        reasons=reasons,
        language_required=option.language,
        alternative=alternative,
    )


def _language_required(customer: CustomerProfile, service: ServiceProfile, channel: Channel,
                       live: LiveState, weights: PolicyWeights) -> str | None:
    """Ask for a teller speaking the customer's language only when one on duty could serve
    this service on this channel (a VTM or a counter without the skill does not count)."""
    if customer.language == weights.default_language:
        return None
    speaks = any(counter.open and counter.kind == channel and service.code in counter.skills
                 and customer.language in counter.languages for counter in live.counters)
    return customer.language if speaks else None
