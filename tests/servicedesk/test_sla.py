"""SLA clocks with frozen time: business-hour deadlines, pauses, warnings, escalation, ceilings."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from branches.roles import Role
from core.live import groups
from servicedesk import services
from servicedesk.models import (
    Category,
    Channel,
    Escalation,
    Level,
    Notification,
    Priority,
    SLAPolicy,
    Status,
    Target,
    WorkOrderKind,
)
from tests.factories import make_staff
from tests.servicedesk.conftest import at

pytestmark = pytest.mark.django_db


def _request(branch, actor, **kw):
    """A normal cross-department request: 1 business hour to respond, 4 to resolve."""
    kw.setdefault("category", Category.objects.get(code="fx.remit.not_arrived"))
    return services.work_order_create(
        actor=actor,
        kind=WorkOrderKind.REQUEST,
        channel=Channel.STAFF,
        branch=branch,
        description="客户汇往美国的款项一周未到，请协查",
        **kw,
    )


def _complaint(branch, actor, **kw):
    return services.work_order_create(
        actor=actor,
        kind=WorkOrderKind.COMPLAINT,
        channel=Channel.COUNTER,
        branch=branch,
        description="理财赎回很多天没到账",
        **kw,
    )


def _scan(now: str) -> int:
    with time_machine.travel(at(now), tick=False):
        return services.sla_scan()


def _breaches(work_order, level=Level.DEPARTMENT_HEAD):
    return Escalation.objects.filter(work_order=work_order, target=Target.RESOLUTION, level=level)


def test_request_deadline_runs_over_the_weekend(branch, teller, fx_staff):
    with time_machine.travel(at("2026-03-06T16:00"), tick=False):  # a Friday
        work_order = _request(branch, teller)
    assert work_order.first_response_due == at("2026-03-06T17:00")
    assert work_order.resolution_due == at("2026-03-09T11:00")


def test_request_deadline_lands_on_a_make_up_working_saturday(branch, teller, fx_staff):
    with time_machine.travel(at("2026-02-13T15:00"), tick=False):
        work_order = _request(branch, teller)
    assert work_order.resolution_due == at("2026-02-14T10:00")


def test_complex_complaint_skips_national_day_but_counts_the_make_up_saturday(branch, teller, fx_staff):
    with time_machine.travel(at("2026-09-30T10:00"), tick=False):
        work_order = _complaint(branch, teller, complex_case=True)
    # 5 business days = 40 h: 7 h on 30 Sept, then 8, 9, 10 (Saturday, worked) and 12 October.
    assert work_order.resolution_due == at("2026-10-13T10:00")
    assert work_order.regulatory_due == at("2026-10-30T10:00")


def test_waiting_for_the_customer_pauses_the_clock(branch, teller, fx_staff):
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        work_order = _request(branch, teller)
    assert work_order.resolution_due == at("2026-03-09T14:00")
    with time_machine.travel(at("2026-03-09T10:00"), tick=False):
        work_order = services.work_order_wait_for_customer(
            actor=fx_staff, work_order=work_order, message="请提供汇款回单"
        )
    assert work_order.status == Status.WAITING_CUSTOMER
    assert work_order.resolution_due is None
    assert _scan("2026-03-10T09:30") == 0
    with time_machine.travel(at("2026-03-10T10:00"), tick=False):
        work_order = services.work_order_resume(actor=fx_staff, work_order=work_order)
    # One business hour was used before the pause; three remain from Tuesday 10:00.
    assert work_order.resolution_due == at("2026-03-10T14:00")


def test_customer_reply_ends_the_wait(branch, teller, fx_staff, customer_user):
    customer = customer_user.customer
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        work_order = _complaint(branch, teller, customer=customer)
        services.work_order_wait_for_customer(actor=fx_staff, work_order=work_order, message="请提供赎回单号")
        services.work_order_comment(
            actor=customer_user, work_order=work_order, body="单号是 123", customer_visible=False
        )
    work_order.refresh_from_db()
    assert work_order.status == Status.IN_PROGRESS
    assert work_order.pauses.get().ended_at == at("2026-03-09T09:00")


def test_it_warns_at_eighty_percent_once(branch, teller, fx_staff):
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        work_order = _request(branch, teller)
    _scan("2026-03-09T13:11")  # resolution at 79.6%
    assert not Escalation.objects.filter(work_order=work_order, target=Target.RESOLUTION).exists()
    _scan("2026-03-09T13:12")
    warning = Escalation.objects.get(work_order=work_order, target=Target.RESOLUTION)
    assert warning.level == Level.WARNING
    assert set(Notification.objects.filter(escalation=warning).values_list("user__username", flat=True)) == {
        "teller",
        "fxstaff",
    }
    _scan("2026-03-09T13:30")
    assert Escalation.objects.filter(work_order=work_order, target=Target.RESOLUTION).count() == 1


def test_breach_escalates_to_the_department_head_exactly_once(branch, teller, fx_staff, fx_head):
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        work_order = _request(branch, teller)
    _scan("2026-03-09T14:01")
    _scan("2026-03-09T14:02")  # the scan running twice changes nothing
    breach = _breaches(work_order).get()
    assert breach.due_at == at("2026-03-09T14:00")
    assert Notification.objects.filter(user=fx_head, escalation__target=Target.RESOLUTION).count() == 1


def test_long_breach_climbs_to_branch_head_and_head_office(
    branch, teller, fx_staff, fx_head, branch_admin, head_office_admin
):
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        work_order = _request(branch, teller)
    _scan("2026-03-09T15:00")  # 125%
    assert not _breaches(work_order, Level.BRANCH_HEAD).exists()
    _scan("2026-03-09T16:00")  # 150%
    assert (
        Notification.objects.filter(
            user=branch_admin, escalation__level=Level.BRANCH_HEAD, escalation__target=Target.RESOLUTION
        ).count()
        == 1
    )
    _scan("2026-03-10T10:00")  # 200%
    _scan("2026-03-10T11:00")
    assert (
        Notification.objects.filter(user=head_office_admin, escalation__level=Level.HEAD_OFFICE).count() == 1
    )


def test_late_first_response_goes_to_the_department_head_only(
    branch, teller, fx_staff, fx_head, head_office_admin
):
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        work_order = _request(branch, teller)
    _scan("2026-03-09T12:00")  # first response 300% late, resolution 75%
    levels = set(
        Escalation.objects.filter(work_order=work_order, target=Target.FIRST_RESPONSE).values_list(
            "level", flat=True
        )
    )
    assert levels == {Level.WARNING, Level.DEPARTMENT_HEAD}
    assert not Notification.objects.filter(user=head_office_admin).exists()


def test_breach_while_paused_is_not_escalated_again_after_resume(branch, teller, fx_staff, fx_head):
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        work_order = _request(branch, teller)
    _scan("2026-03-09T14:30")
    with time_machine.travel(at("2026-03-09T15:00"), tick=False):
        services.work_order_wait_for_customer(actor=fx_staff, work_order=work_order, message="请补充材料")
    with time_machine.travel(at("2026-03-10T09:00"), tick=False):
        services.work_order_resume(actor=fx_staff, work_order=work_order)
    _scan("2026-03-10T09:05")
    assert _breaches(work_order).count() == 1


def test_major_complaint_alerts_heads_at_once(branch, teller, fx_staff, fx_head, branch_admin):
    complaint = _complaint(
        branch, teller, priority=Priority.MAJOR, category=Category.objects.get(code="fx.remit.returned")
    )
    alerted = set(
        Notification.objects.filter(escalation__target=Target.EMERGENCY).values_list(
            "user__username", flat=True
        )
    )
    assert alerted == {"fxhead", "badmin"}
    assert complaint.sla_policy.escalate_at_once


def test_strong_emotion_raises_priority_and_alerts_the_lobby_manager(branch, teller, lobby_manager, fx_staff):
    complaint = services.work_order_create(
        actor=teller,
        kind=WorkOrderKind.COMPLAINT,
        channel=Channel.COUNTER,
        branch=branch,
        description="汇款十天没到，太过分了！再不处理我就打12378投诉，还要找媒体曝光！",
    )
    assert complaint.priority == Priority.URGENT
    assert Notification.objects.filter(user=lobby_manager, work_order=complaint).exists()


def test_reopen_within_the_window_continues_the_clock(branch, teller, fx_staff):
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        work_order = _request(branch, teller)
    with time_machine.travel(at("2026-03-09T10:00"), tick=False):
        services.work_order_resolve(actor=fx_staff, work_order=work_order, resolution="已查到，款项已入账")
    with time_machine.travel(at("2026-03-11T09:00"), tick=False):
        work_order = services.work_order_reopen(actor=teller, work_order=work_order, reason="客户说仍未到账")
    assert work_order.status == Status.IN_PROGRESS
    assert work_order.reopen_count == 1
    # One hour was used before resolving; three remain from Wednesday 09:00.
    assert work_order.resolution_due == at("2026-03-11T12:00")


def test_reopen_after_the_window_is_refused(branch, teller, fx_staff):
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        work_order = _request(branch, teller)
        services.work_order_resolve(actor=fx_staff, work_order=work_order, resolution="已处理")
    with time_machine.travel(at("2026-03-17T09:00"), tick=False), pytest.raises(ValidationError):
        services.work_order_reopen(actor=teller, work_order=work_order, reason="again")


def test_regulatory_ceiling_caps_a_slow_policy_and_ignores_pauses(
    branch, teller, fx_staff, fx_head, head_office_admin
):
    SLAPolicy.objects.filter(order=30).update(resolution_minutes=60 * 8 * 40, resolution_clock="business")
    with time_machine.travel(at("2026-03-02T09:00"), tick=False):
        complaint = _complaint(branch, teller)
        services.work_order_wait_for_customer(actor=fx_staff, work_order=complaint, message="请提供材料")
    complaint.refresh_from_db()
    assert complaint.regulatory_due == at("2026-03-17T09:00")
    assert complaint.resolution_due == at("2026-03-17T09:00")  # waiting does not move the ceiling
    _scan("2026-03-17T09:01")
    assert _breaches(complaint).get().due_at == at("2026-03-17T09:00")


def test_complex_complaint_extends_once_with_a_heads_approval(branch, teller, fx_staff, fx_head):
    with time_machine.travel(at("2026-03-02T09:00"), tick=False):
        complaint = _complaint(branch, teller, complex_case=True)
    assert complaint.regulatory_due == at("2026-04-01T09:00")
    with pytest.raises(ValidationError):
        services.work_order_extend(actor=fx_staff, work_order=complaint, reason="需要境外协查")
    complaint = services.work_order_extend(actor=fx_head, work_order=complaint, reason="需要境外协查")
    assert complaint.regulatory_due == at("2026-05-01T09:00")
    with pytest.raises(ValidationError):
        services.work_order_extend(actor=fx_head, work_order=complaint, reason="再延一次")


def test_simple_complaint_cannot_be_extended(branch, teller, fx_head):
    complaint = _complaint(branch, teller)
    with pytest.raises(ValidationError):
        services.work_order_extend(actor=fx_head, work_order=complaint, reason="x")


def test_low_survey_score_opens_a_follow_up_for_the_owner(branch, teller, fx_staff, customer):
    complaint = _complaint(branch, teller, customer=customer)
    services.work_order_resolve(actor=fx_staff, work_order=complaint, resolution="已加急处理")
    services.work_order_close(actor=teller, work_order=complaint)
    survey = services.survey_answer(survey=complaint.survey, score=6, comment="太慢了")
    follow_up = survey.follow_up
    assert follow_up.kind == WorkOrderKind.FOLLOW_UP
    assert follow_up.parent == complaint
    assert follow_up.assignee == teller and follow_up.owner == teller
    assert follow_up.customer == customer


def test_good_survey_score_opens_nothing_and_cannot_be_answered_twice(branch, teller, fx_staff, customer):
    complaint = _complaint(branch, teller, customer=customer)
    services.work_order_resolve(actor=fx_staff, work_order=complaint, resolution="已处理")
    services.work_order_close(actor=teller, work_order=complaint)
    assert services.survey_answer(survey=complaint.survey, score=9).follow_up is None
    with pytest.raises(ValidationError):
        services.survey_answer(survey=complaint.survey, score=3)


def test_first_responder_keeps_ownership_when_reassigned(branch, teller, fx_staff, fx_senior):
    work_order = _request(branch, teller)
    work_order = services.work_order_assign(actor=teller, work_order=work_order, assignee=fx_senior)
    assert work_order.owner == teller
    assert work_order.assignee == fx_senior


def test_department_head_gets_the_breach_as_a_toast(
    branch, teller, fx_staff, fx_head, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        "core.live.send_now", lambda group, event, payload: sent.append((group, event, payload))
    )
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        work_order = _request(branch, teller)
    with django_capture_on_commit_callbacks(execute=True):
        _scan("2026-03-09T14:30")
    toasts = [p["text"] for group, event, p in sent if group == groups.user(fx_head.pk) and event == "toast"]
    assert any(work_order.number in text and "超过" in text for text in toasts)


def test_merging_a_duplicate_stops_its_clocks(branch, teller, fx_staff):
    first, second = _request(branch, teller), _request(branch, teller)
    merged = services.work_order_merge(actor=teller, duplicate=second, into=first)
    assert merged.status == Status.MERGED and merged.merged_into == first
    assert first.updates.filter(body__contains=second.number).exists()
    assert services.sla_scan(now=at("2026-06-01T10:00")) >= 0
    assert not Escalation.objects.filter(work_order=merged).exists()


def test_other_head_office_admin_gets_no_branch_escalation(branch, other_branch, teller, fx_staff, fx_head):
    other_admin = make_staff(Role.BRANCH_ADMIN, other_branch, username="otheradmin")
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        _request(branch, teller)
    _scan("2026-03-09T16:30")
    assert not Notification.objects.filter(user=other_admin).exists()
