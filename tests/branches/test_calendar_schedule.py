import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from branches.calendar import DayKind, calendar_day, confirmed_until, day_kind
from branches.calendar_services import calendar_horizon_alert
from branches.models import ScheduleDay, ScheduleYear
from compliance.models import AuditEvent, ChangeRequest

# The kind of notice the State Council publishes, as head office types it up.
NOTICE_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-05,holiday,春节
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-13,holiday,春节
2027-02-14,班,春节调休
2027-02-20,makeup_workday,春节调休
2027-10-01,holiday,国庆节
2027-10-04,holiday,国庆节
"""


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("2027.csv", text.encode(), content_type="text/csv")


def submit(client, user, text: str, language: str = "zh-hans"):
    client.force_login(user)
    return client.post("/api/calendar/imports/", {"file": upload(text), "source": "国办发明电"},
                       HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.django_db
def test_head_office_previews_a_schedule_file_before_submitting_it(client, head_office_admin):
    client.force_login(head_office_admin)
    response = client.post("/api/calendar/imports/preview/", {"file": upload(NOTICE_2027)})
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2027
    assert {"date": "2027-02-14", "kind": "makeup_workday", "name": "春节调休"} in body["days"]
    # The file forgets the statutory Tomb-Sweeping Day: the preview says so.
    assert {"date": "2027-04-05", "name": "清明节"} in body["statutory_days_not_listed"]
    assert not ScheduleDay.objects.exists()


@pytest.mark.django_db
def test_an_approved_schedule_brings_its_make_up_days_and_confirms_the_year(
        client, head_office_admin, compliance_officer):
    response = submit(client, head_office_admin, NOTICE_2027)
    assert response.status_code == 201
    assert day_kind(dt.date(2027, 2, 14)) == DayKind.WEEKEND  # nothing applies before approval

    client.force_login(compliance_officer)
    approve = f"/api/compliance/change-requests/{response.json()['change_request']}/approve/"
    assert client.post(approve).status_code == 200

    assert day_kind(dt.date(2027, 2, 14)) == DayKind.MAKEUP_WORKDAY  # a Sunday worked
    assert day_kind(dt.date(2027, 2, 12)) == DayKind.HOLIDAY
    assert day_kind(dt.date(2027, 4, 5)) == DayKind.WORKDAY  # not in this (partial) notice
    assert not calendar_day(dt.date(2027, 2, 14)).provisional
    assert confirmed_until() == dt.date(2027, 12, 31)
    assert AuditEvent.objects.filter(action="calendar.schedule_confirm").exists()


@pytest.mark.django_db
def test_the_maker_cannot_approve_their_own_schedule(client, head_office_admin):
    change = submit(client, head_office_admin, NOTICE_2027).json()["change_request"]
    response = client.post(f"/api/compliance/change-requests/{change}/approve/")
    assert response.status_code == 403
    assert ScheduleYear.objects.get(year=2027).status == ScheduleYear.Status.PROVISIONAL


@pytest.mark.django_db
def test_a_bad_file_is_refused_with_its_line_errors_and_nothing_is_imported(
        client, head_office_admin):
    bad = NOTICE_2027 + "2027-13-01,holiday,错日\n2027-03-03,makeup_workday,周三\n" \
                        "2027-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n2027-05-01,rest,劳动节\n"
    response = submit(client, head_office_admin, bad, language="en")
    assert response.status_code == 400
    errors = {error["line"]: error["message"] for error in response.json()["lines"]}
    assert sorted(errors) == [16, 17, 18, 19, 20]
    assert "2027-13-01" in errors[16]
    assert "weekday" in errors[17]
    assert "line 2" in errors[18]
    assert "rest" in errors[20]
    assert not ChangeRequest.objects.exists()
    assert not ScheduleDay.objects.exists()


@pytest.mark.django_db
def test_line_errors_are_in_chinese_for_a_chinese_speaking_admin(client, head_office_admin):
    client.force_login(head_office_admin)
    response = client.post("/api/calendar/imports/preview/", {"file": upload("2027-02-31,休,春节\n")},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "不是" in response.json()["lines"][0]["message"]


@pytest.mark.django_db
def test_head_office_is_alerted_daily_from_60_days_before_the_confirmed_horizon_ends(
        head_office_admin, clock, django_capture_on_commit_callbacks):
    head_office_admin.email = "ho@bank.example"
    head_office_admin.save(update_fields=["email"])
    clock.move_to("2026-10-31T10:00:00+08:00")  # 61 days before 2026-12-31
    assert not calendar_horizon_alert()
    clock.move_to("2026-11-01T10:00:00+08:00")
    with django_capture_on_commit_callbacks(execute=True):
        assert calendar_horizon_alert()
        assert not calendar_horizon_alert()  # once a day
        clock.move_to("2026-11-02T00:30:00+08:00")  # the next Beijing day, still Nov 1 in UTC
        assert calendar_horizon_alert()
    assert [message.subject for message in mail.outbox] == ["2027年的官方日历尚未录入"] * 2
    assert ScheduleYear.objects.get(year=2027).status == ScheduleYear.Status.PROVISIONAL


@pytest.mark.django_db
def test_no_alert_once_next_year_is_confirmed(head_office_admin, clock):
    ScheduleYear.objects.create(year=2027, status=ScheduleYear.Status.CONFIRMED)
    clock.move_to("2026-12-20T10:00:00+08:00")
    assert not calendar_horizon_alert()


@pytest.mark.django_db
def test_anyone_can_read_which_days_are_worked(client):
    response = client.get("/api/calendar/days/", {"start": "2027-02-07", "days": 3})
    assert response.status_code == 200
    assert [(day["date"], day["kind"], day["provisional"]) for day in response.json()] == [
        ("2027-02-07", "holiday", True), ("2027-02-08", "holiday", True),
        ("2027-02-09", "holiday", True)]


@pytest.mark.django_db
def test_head_office_sets_a_branch_exception_through_the_api(client, head_office_admin, branch):
    client.force_login(head_office_admin)
    both = client.post("/api/calendar/exceptions/", {"date": "2027-04-10", "kind": "holiday",
                                                     "name": "店庆", "region": "华北",
                                                     "branch": branch.code},
                       content_type="application/json")
    assert both.status_code == 400 and "region" in both.json()["errors"]
    created = client.post("/api/calendar/exceptions/", {"date": "2027-04-12", "kind": "holiday",
                                                        "name": "网点装修", "branch": branch.code},
                          content_type="application/json")
    assert created.status_code == 201
    assert day_kind(dt.date(2027, 4, 12), branch=branch) == DayKind.HOLIDAY
    assert day_kind(dt.date(2027, 4, 12)) == DayKind.WORKDAY
    assert client.delete(f"/api/calendar/exceptions/{created.json()['id']}/").status_code == 204
    assert day_kind(dt.date(2027, 4, 12), branch=branch) == DayKind.WORKDAY
    assert AuditEvent.objects.filter(action__startswith="calendar.exception_").count() == 2


@pytest.mark.django_db
def test_staff_outside_head_office_cannot_import_a_schedule(client, teller):
    assert submit(client, teller, NOTICE_2027).status_code == 403
