"""Staff performance: a month of two tellers' work at one branch, worked out on paper, then the star
rules at their boundaries and who may see whose figures."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from branches.models import FormSchema
from branches.roles import Role
from compliance.models import AuditEvent
from counter.models import (
    FieldVerification,
    FormSource,
    Outcome,
    PrefilledForm,
    RecordStatus,
    ServiceRecord,
    VerificationOutcome,
)
from insights import performance
from insights.models import DEFAULT_STAR_RULES, StarMetric, StarRule
from queueing.models import Ticket, TicketEvent, TicketEventKind, TicketStatus
from servicedesk.models import VisitSurvey, WorkOrder, WorkOrderKind
from tests.factories import make_counter, make_service_type, make_staff

TZ = ZoneInfo("Asia/Shanghai")
MARCH = dt.date(2026, 3, 1)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


def named(user, last, first):
    user.last_name, user.first_name = last, first
    user.save(update_fields=["last_name", "first_name"])
    return user


class Month:
    """王芳 and 李明 at one counter each in March 2026 (and one line of 王芳's from February)."""

    def __init__(self, branch):
        self.branch = branch
        self.quick = make_service_type(target_minutes=5)
        self.slow = make_service_type(target_minutes=10, complexity="complex")
        self.schema = FormSchema.objects.create(service_type=self.quick, version=1, fields=[])
        self.wang = named(make_staff(Role.TELLER, branch, username="wangfang"), "王", "芳")
        self.li = named(make_staff(Role.TELLER, branch, username="liming"), "李", "明")
        self.supervisor = make_staff(Role.LOBBY_MANAGER, branch, username="supervisor")
        self.counter = make_counter(branch, services=[self.quick, self.slow])
        self.n = 0

    def ticket(self, when, status=TicketStatus.DONE, teller=None):
        self.n += 1
        return Ticket.objects.create(
            branch=self.branch, business_date=when.date(), prefix="A", sequence=self.n, queue="A",
            number=f"A{self.n:03d}", status=status, service_type=self.quick, source="kiosk",
            issued_at=when - dt.timedelta(minutes=10), queued_at=when - dt.timedelta(minutes=10),
            called_at=when, served_by=teller, counter=self.counter)

    def line(self, ticket, teller, service, seconds, *, checks=(), score=None, follow_up=False):
        started = ticket.called_at
        form = None
        if checks:
            form = PrefilledForm.objects.create(service_type=service, schema=self.schema, branch=self.branch,
                                                ticket=ticket, source=FormSource.TELLER)
            for i, outcome in enumerate(checks):
                by, reason = ((self.supervisor, "客户赶时间") if outcome == VerificationOutcome.OVERRIDDEN
                              else (teller, ""))
                FieldVerification.objects.create(form=form, field_name=f"f{i}", outcome=outcome, by=by,
                                                 reason=reason)
        record = ServiceRecord.objects.create(
            ticket=ticket, branch=self.branch, counter=self.counter, teller=teller, service_type=service,
            form=form, status=RecordStatus.FINISHED, started_at=started,
            finished_at=started + dt.timedelta(seconds=seconds), handling_seconds=seconds,
            outcome=Outcome.DONE)
        survey = VisitSurvey.objects.create(
            visit_ref=record.ref, branch=self.branch, service_name="业务", invited_at=record.finished_at,
            expires_at=record.finished_at + dt.timedelta(days=7), score=score,
            answered_at=record.finished_at + dt.timedelta(hours=1) if score else None)
        if follow_up:
            survey.follow_up = WorkOrder.objects.create(
                number=f"WO{record.pk:05d}", kind=WorkOrderKind.FOLLOW_UP, channel="counter", title="回访",
                description="评价低", branch=self.branch, received_at=record.finished_at)
            survey.save(update_fields=["follow_up"])
        return record


@pytest.fixture
def month(branch):
    m = Month(branch)
    ok, fixed, waived = (VerificationOutcome.CONFIRMED, VerificationOutcome.CORRECTED,
                         VerificationOutcome.OVERRIDDEN)
    # 王芳: three customers in March, one of them with two service lines.
    m.line(m.ticket(at(2, 9), teller=m.wang), m.wang, m.quick, 360, checks=(ok, ok, ok, fixed), score=5)
    m.line(m.ticket(at(9, 10), teller=m.wang), m.wang, m.slow, 480, checks=(ok, waived), score=2,
           follow_up=True)
    third = m.ticket(at(31, 16, 30), teller=m.wang)  # the last afternoon of the month still counts
    m.line(third, m.wang, m.quick, 240)
    m.line(third, m.wang, m.slow, 600)
    # … and one called customer who never came to the counter.
    gone = m.ticket(at(16, 11), status=TicketStatus.NO_SHOW)
    TicketEvent.objects.create(ticket=gone, kind=TicketEventKind.NO_SHOW, at=at(16, 11, 3), actor=m.wang,
                               counter=m.counter)
    # February's work is not March's.
    m.line(m.ticket(at(28, 16, month=2), teller=m.wang), m.wang, m.quick, 900, score=1, follow_up=True)
    # 李明: one quick customer, rated 5.
    m.line(m.ticket(at(3, 14), teller=m.li), m.li, m.quick, 270, score=5)
    return m


def by_name(rows):
    return {r.teller.username: r for r in rows}


def test_a_managers_figures_for_the_month(month, branch):
    rows = by_name(performance.monthly(branch=branch, tellers=[month.wang, month.li], month=MARCH))
    wang = rows["wangfang"]
    assert wang.served == 3  # customers, not service lines
    assert wang.lines == 4
    assert wang.mean_handling_minutes == pytest.approx(7.0)  # (6 + 8 + 4 + 10) / 4
    assert wang.mean_target_minutes == pytest.approx(7.5)  # (5 + 10 + 5 + 10) / 4
    assert wang.handling_ratio == pytest.approx(28 / 30)
    assert (wang.fields_checked, wang.fields_total) == (5, 6)  # the supervisor's override is not hers
    assert (wang.ratings, wang.rating_mean) == (2, 3.5)  # the unanswered surveys are not ratings
    assert wang.complaints == 1 and wang.no_shows == 1
    li = rows["liming"]
    assert (li.served, li.verification_rate, li.rating_mean, li.complaints, li.no_shows) == (1, None, 5, 0, 0)


def test_monthly_stars_from_the_default_rules(month, branch):
    rows = by_name(performance.monthly(branch=branch, tellers=[month.wang, month.li], month=MARCH))
    wang = rows["wangfang"]
    assert wang.stars == {StarMetric.SERVED: 1, StarMetric.HANDLING: 4, StarMetric.VERIFICATION: 2,
                          StarMetric.RATING: 2, StarMetric.COMPLAINTS: 1}
    assert wang.overall == 2  # (1 + 4 + 2 + 2·2 + 1·2) / 7 = 1.86
    li = rows["liming"]
    assert li.stars[StarMetric.VERIFICATION] is None  # no form checked: the metric is left out
    assert li.overall == 4  # (1 + 4 + 5·2 + 5·2) / 6 = 4.17


@pytest.mark.parametrize(("metric", "value", "stars"), [
    (StarMetric.RATING, 3.49, 1), (StarMetric.RATING, 3.5, 2), (StarMetric.RATING, 4.79, 4),
    (StarMetric.RATING, 4.8, 5), (StarMetric.RATING, 5.0, 5),
    (StarMetric.HANDLING, 1.51, 1), (StarMetric.HANDLING, 1.5, 2), (StarMetric.HANDLING, 1.0, 4),
    (StarMetric.HANDLING, 0.85, 5), (StarMetric.COMPLAINTS, 0.0, 5), (StarMetric.COMPLAINTS, 3.01, 1),
    (StarMetric.SERVED, 449, 4), (StarMetric.SERVED, 450, 5), (StarMetric.SERVED, 0, 1),
])
def test_a_threshold_is_reached_at_its_value(db, metric, value, stars):
    assert performance.metric_stars(StarRule.objects.get(metric=metric), value) == stars


def test_a_teller_with_nothing_to_judge_has_no_rating(month, branch):
    idle = make_staff(Role.TELLER, branch, username="idle")
    [row] = performance.monthly(branch=branch, tellers=[idle], month=MARCH)
    assert row.overall is None and set(row.stars.values()) == {None}  # on leave: not rated
    assert performance.metric_stars(StarRule.objects.get(metric=StarMetric.RATING), None) is None


def page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, {"month": "2026-03", **params}, HTTP_ACCEPT_LANGUAGE="en")


def test_a_teller_sees_her_own_month_and_nobody_elses(client, month, branch):
    response = page(client, month.wang, "/insights/my-performance/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "王芳" in text and "李明" not in text
    assert "7.0 / 7.5" in text and "83.3 %" in text and "3.50 (2)" in text
    assert 'aria-label="2 stars"' in text
    assert page(client, month.wang, f"/insights/branch/{branch.code}/performance/").status_code == 403
    assert 'href="/insights/my-performance/"' in text  # her navigation links the page


def test_the_branchs_tellers_in_one_table_for_its_managers(client, month, branch, other_branch, branch_admin,
                                                           head_office_admin):
    elsewhere = named(make_staff(Role.TELLER, other_branch, username="zhao"), "赵", "雷")
    url = f"/insights/branch/{branch.code}/performance/"
    for manager in (month.supervisor, branch_admin, head_office_admin):
        text = page(client, manager, url).content.decode()
        assert "王芳" in text and "李明" in text and person_name_absent(text, elsewhere)
    foreign = make_staff(Role.LOBBY_MANAGER, other_branch, username="shlobby")
    assert page(client, foreign, url).status_code == 404
    assert page(client, make_staff(Role.COMPLIANCE_OFFICER, None, username="co"), url).status_code == 403
    assert page(client, month.supervisor, "/insights/my-performance/").status_code == 403


def person_name_absent(text, user):
    return user.last_name + user.first_name not in text


def test_a_bad_month_is_refused(client, month):
    assert page(client, month.wang, "/insights/my-performance/", month="March").status_code == 400


def test_head_office_edits_a_rule_and_the_change_is_audited(client, month, head_office_admin, branch_admin):
    rules = {r.metric: r for r in StarRule.objects.all()}
    fields = ("two", "three", "four", "five", "weight")
    data = {f"{m}-{k}": getattr(r, k) for m, r in rules.items() for k in fields}
    client.force_login(branch_admin)
    assert client.post("/insights/star-rules/", data).status_code == 403
    client.force_login(head_office_admin)
    backwards = {**data, "rating-two": 4.9}
    assert client.post("/insights/star-rules/", backwards, HTTP_ACCEPT_LANGUAGE="en").status_code == 400
    assert StarRule.objects.get(metric="rating").two == 3.5
    assert not AuditEvent.objects.filter(action="insights.star_rule.update").exists()
    easier = {**data, "rating-two": 2, "rating-three": 3}
    assert client.post("/insights/star-rules/", easier).status_code == 302
    event = AuditEvent.objects.get(action="insights.star_rule.update")
    assert event.before["two"] == 3.5 and event.after["two"] == 2
    [wang] = performance.monthly(branch=month.branch, tellers=[month.wang], month=MARCH)
    assert wang.stars[StarMetric.RATING] == 3  # 3.5 now reaches the 3-star threshold


def test_a_wiped_rule_table_falls_back_to_the_defaults_until_head_office_saves(client, month, branch,
                                                                               head_office_admin):
    StarRule.objects.all().delete()
    [wang] = performance.monthly(branch=branch, tellers=[month.wang], month=MARCH)
    assert wang.overall == 2
    client.force_login(head_office_admin)
    page = client.get("/insights/star-rules/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="rating-two" value="3.5"' in page
    data = {f"{m}-{k}": v for m, row in DEFAULT_STAR_RULES.items()
            for k, v in zip(("two", "three", "four", "five", "weight"), row, strict=True)}
    assert client.post("/insights/star-rules/", {**data, "served-two": 1}).status_code == 302
    assert StarRule.objects.count() == 5 and StarRule.objects.get(metric="served").two == 1
