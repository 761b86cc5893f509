import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from branches.models import ScheduleDay, ScheduleYear
from compliance.models import ChangeRequest

FILE = "date,kind,name\n2027-02-08,holiday,春节\n2027-02-20,makeup_workday,春节调休\n"


def preview(client, language: str):
    upload = SimpleUploadedFile("2027.csv", FILE.encode(), content_type="text/csv")
    return client.post("/calendar/import/preview/", {"file": upload, "source": "国办发明电"},
                       HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.django_db
def test_the_chinese_preview_shows_chinese_dates_with_the_weekday(client, head_office_admin):
    client.force_login(head_office_admin)
    page = preview(client, "zh-hans")
    assert "2027年2月8日 星期一" in page
    assert "2027年2月20日 星期六" in page
    assert "十二月" not in page and "a.m." not in page


@pytest.mark.django_db
def test_the_english_preview_shows_english_dates(client, head_office_admin):
    client.force_login(head_office_admin)
    assert "Monday, 8 February 2027" in preview(client, "en")


@pytest.mark.django_db
def test_head_office_submits_the_previewed_file_for_approval(client, head_office_admin, clock):
    client.force_login(head_office_admin)
    page = client.get("/calendar/").content.decode()
    # On 7 December 2026 the confirmed calendar (to 31 December) ends within 60 days.
    assert "2027" in page and 'role="alert"' in page
    preview(client, "zh-hans")
    response = client.post("/calendar/import/", {"data": FILE, "source": "国办发明电"})
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.target_id == "2027" and change.status == "pending"
    assert not ScheduleDay.objects.exists()
    assert ScheduleYear.objects.get(year=2027).status == ScheduleYear.Status.PROVISIONAL


@pytest.mark.django_db
def test_a_bad_file_shows_its_line_errors_on_the_page(client, head_office_admin):
    client.force_login(head_office_admin)
    upload = SimpleUploadedFile("bad.csv", "2027-02-30,休,春节\n".encode())
    page = client.post("/calendar/import/preview/", {"file": upload}).content.decode()
    assert "第1行" in page and "2027-02-30" in page
    assert "提交审批" not in page


@pytest.mark.django_db
def test_head_office_adds_and_removes_a_regional_holiday(client, head_office_admin, branch):
    branch.region = "广西"
    branch.save(update_fields=["region"])
    client.force_login(head_office_admin)
    response = client.post("/calendar/exceptions/", {"date": "2027-04-09", "kind": "holiday",
                                                     "name": "三月三", "region": "广西"})
    assert response.status_code == 302
    day = ScheduleDay.objects.get()
    assert day.scope == "region"
    client.post(f"/calendar/exceptions/{day.pk}/remove/")
    assert not ScheduleDay.objects.exists()


@pytest.mark.django_db
def test_only_head_office_sees_the_calendar_page(client, teller):
    client.force_login(teller)
    assert client.get("/calendar/").status_code == 403
