"""The roster page of the branch manager, the comparison with counter sign-ins and the day-ahead
gap check. Every moment is passed in or set with the clock: nothing depends on today's date."""

import datetime as dt

import pytest
from django.core import mail

from branches.roles import Role
from compliance.models import AuditEvent
from insights import rosters
from insights.models import Roster, RosterGapAlert, RosterSlot, RosterStatus, SlotKind
from insights.roster_grid import roster_grid
from insights.roster_services import roster_check_tomorrow, roster_gap_check, roster_generate, roster_publish
from queueing.models import CounterSession
from tests.factories import make_staff
from tests.insights.roster_day import DAY, Day, at

PAGE = "/insights/branch/RS001/roster/"


@pytest.fixture
def day(db):
    built = Day()
    built.seed_history()
    built.manager = make_staff(Role.LOBBY_MANAGER, built.branch, username="lobby")
    built.manager.email = "lobby@bank.example"
    built.manager.save(update_fields=["email"])
    return built


def post(client, user, **data):
    client.force_login(user)
    return client.post(f"{PAGE}?date={DAY.isoformat()}", data, HTTP_ACCEPT_LANGUAGE="en")


def test_the_lobby_manager_plans_edits_and_publishes_tomorrows_roster(client, day):
    response = post(client, day.manager, action="generate")
    assert response.status_code == 302
    roster = Roster.objects.get(branch=day.branch, date=DAY)
    page = client.get(PAGE, {"date": DAY.isoformat()}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Covers the forecast" in page and "Draft" in page
    teller3 = day.staff["teller3"]
    edit = client.get(PAGE, {"date": DAY.isoformat(), "teller": teller3.pk, "slot": 33},
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "16:30" in edit and "Counter 03" in edit and "Counter 01" not in edit  # only skilled counters
    assert post(client, day.manager, action="assign", teller=teller3.pk, slot=33,
                assignment="off").status_code == 302
    assert not RosterSlot.objects.filter(roster=roster, teller=teller3, slot=33).exists()
    assert post(client, day.manager, action="publish").status_code == 302
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED and roster.published_by == day.manager
    assert list(AuditEvent.objects.filter(action__startswith="insights.roster.").order_by("id")
                .values_list("action", flat=True)) == ["insights.roster.generate", "insights.roster.assign",
                                                       "insights.roster.publish"]


def test_a_refused_change_says_why_and_changes_nothing(client, day):
    post(client, day.manager, action="generate")
    roster = Roster.objects.get(branch=day.branch, date=DAY)
    before = list(RosterSlot.objects.filter(roster=roster).values_list("slot", "teller", "counter"))
    response = post(client, day.manager, action="assign", teller=day.staff["teller1"].pk, slot=20,
                    assignment=f"counter:{day.counters['06'].pk}")
    assert response.status_code == 400
    assert "lacks the skills counter 06 needs" in response.content.decode()
    assert list(RosterSlot.objects.filter(roster=roster).values_list("slot", "teller", "counter")) == before
    assert not AuditEvent.objects.filter(action="insights.roster.assign").exists()


def test_a_counter_takes_one_teller_per_half_hour(client, day):
    post(client, day.manager, action="generate")
    roster = Roster.objects.get(branch=day.branch, date=DAY)
    at_01 = RosterSlot.objects.get(roster=roster, slot=20, counter=day.counters["01"])
    other = "teller2" if at_01.teller.username != "teller2" else "floater1"
    response = post(client, day.manager, action="assign", teller=day.staff[other].pk, slot=20,
                    assignment=f"counter:{day.counters['01'].pk}")
    assert response.status_code == 400 and "already has" in response.content.decode()


def test_tellers_may_not_change_the_roster_and_head_office_only_reads_it(client, day, head_office_admin):
    assert post(client, day.staff["teller1"], action="generate").status_code == 403
    assert post(client, head_office_admin, action="generate").status_code == 403
    client.force_login(head_office_admin)
    assert client.get(PAGE, {"date": DAY.isoformat()}).status_code == 200
    assert not Roster.objects.exists()


def test_the_grid_compares_the_roster_with_who_signed_in(day):
    roster = roster_generate(branch=day.branch, day=DAY, actor=None)
    first = RosterSlot.objects.filter(roster=roster, slot=18, kind=SlotKind.COUNTER).order_by("counter__code")
    present, missing = first[0], first[1]
    CounterSession.objects.create(counter=present.counter, teller=present.teller, opened_at=at(8, 55),
                                  closed_at=at(10, 0))
    idle = next(t for t in day.staff.values()
                if not RosterSlot.objects.filter(roster=roster, slot=18, teller=t).exists())
    spare = next(c for c in day.counters.values()
                 if not RosterSlot.objects.filter(roster=roster, slot=18, counter=c).exists())
    CounterSession.objects.create(counter=spare, teller=idle, opened_at=at(9, 5), closed_at=at(9, 20))
    grid = roster_grid(roster, now=at(9, 40))
    cells = {(row.teller.id, cell.slot): cell for row in grid["rows"] for cell in row.cells}
    assert cells[(present.teller_id, 18)].state == "" and cells[(present.teller_id, 19)].state == ""
    assert cells[(missing.teller_id, 18)].state == "absent"
    assert cells[(idle.pk, 18)].state == "unplanned"
    assert cells[(present.teller_id, 20)].state == ""  # 10:00 has not begun at 09:40
    nine = next(c for c in grid["columns"] if c.slot == 18)
    assert nine.signed_in == 2 and next(c for c in grid["columns"] if c.slot == 20).signed_in is None


def test_no_published_roster_a_day_ahead_alerts_the_managers_once(day, django_capture_on_commit_callbacks):
    now = at(15, 0, DAY - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        alert = roster_gap_check(branch=day.branch, day=DAY, now=now)
        assert roster_gap_check(branch=day.branch, day=DAY, now=now + dt.timedelta(hours=1)) is None
    assert alert.gaps == [{"kind": "no_roster"}]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lobby@bank.example"]
    assert AuditEvent.objects.filter(action="insights.roster.gap_alert").count() == 1


def test_a_published_roster_short_of_the_forecast_is_flagged(day, django_capture_on_commit_callbacks):
    roster = roster_generate(branch=day.branch, day=DAY, actor=None)
    # Counter 06 is left empty in the afternoon: the wealth zone's customers have nobody.
    RosterSlot.objects.filter(roster=roster, counter=day.counters["06"], slot__gte=28).delete()
    roster_publish(roster=roster, actor=day.manager)
    with django_capture_on_commit_callbacks(execute=True):
        alert = roster_gap_check(branch=day.branch, day=DAY, now=at(15, 0, DAY - dt.timedelta(days=1)))
    assert {g["zone"] for g in alert.gaps if g["kind"] == "zone"} == {"wealth"}
    assert min(g["slot"] for g in alert.gaps) == 28
    assert "14:00" in mail.outbox[0].body


def test_a_covering_published_roster_raises_no_alert(day):
    roster = roster_generate(branch=day.branch, day=DAY, actor=None)
    roster_publish(roster=roster, actor=day.manager)
    assert roster_gap_check(branch=day.branch, day=DAY, now=at(15, 0, DAY - dt.timedelta(days=1))) is None
    assert not RosterGapAlert.objects.exists()


def test_the_beat_checks_each_branchs_own_tomorrow(day):
    # 01:00 on Tuesday in Beijing is still Monday in UTC: tomorrow is Wednesday, not Tuesday.
    tuesday_night = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)
    day.seed_history(day=DAY + dt.timedelta(days=1))
    assert roster_check_tomorrow(now=tuesday_night) == 1
    assert list(RosterGapAlert.objects.values_list("date", flat=True)) == [DAY + dt.timedelta(days=1)]
    assert roster_check_tomorrow(now=tuesday_night + dt.timedelta(hours=1)) == 0


def test_a_half_hour_is_labelled_by_its_start():
    assert [rosters.slot_label(s) for s in (0, 19, 47)] == ["00:00", "09:30", "23:30"]
