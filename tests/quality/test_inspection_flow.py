"""An inspection end to end through the phone pages: scheduled, scored with photos and notes,
submitted and locked, its failed item raising a corrective action for the branch's manager."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from compliance.models import AuditEvent
from quality.models import Answer, CorrectiveAction, Inspection, Kind, Status
from tests.quality.conftest import marks_post, png

pytestmark = pytest.mark.usefixtures("clock")


def test_a_branch_manager_schedules_an_inspection_of_their_branch(client, standard, branch, branch_admin):
    client.force_login(branch_admin)

    response = client.post(
        "/quality/",
        {
            "branch": branch.code,
            "kind": Kind.INSPECTION,
            "inspector": branch_admin.pk,
            "scheduled_for": "2026-12-08",
        },
    )

    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/quality/inspections/{inspection.pk}/"
    assert inspection.status == Status.SCHEDULED and inspection.checklist_version.number == 1
    assert AuditEvent.objects.filter(action="quality.inspection.schedule").count() == 1


def test_scheduling_in_the_past_is_refused_in_chinese(client, standard, branch, branch_admin):
    client.force_login(branch_admin)

    response = client.post(
        "/quality/",
        {
            "branch": branch.code,
            "kind": Kind.INSPECTION,
            "inspector": branch_admin.pk,
            "scheduled_for": "2026-12-01",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert "请安排在今天或之后的日期" in response.content.decode()
    assert not Inspection.objects.exists()


def test_the_inspector_scores_every_item_and_submits(client, scheduled, inspector, branch_admin):
    client.force_login(inspector)
    data = marks_post(
        scheduled,
        {"env-clean": "fail", "proc-explain": "partial", "sg-home": "na"},
        action="submit",
        notes={"env-clean": "等候区地面有纸屑"},
    )
    env_clean = scheduled.checklist_version.items.get(code="env-clean")
    data[f"photo-{env_clean.pk}"] = png()

    response = client.post(f"/quality/inspections/{scheduled.pk}/", data)

    assert response.status_code == 302
    scheduled.refresh_from_db()
    # 144 points in all; NA leaves 5 out, the fail loses 4 and the partial 2: 133 / 139.
    assert scheduled.status == Status.SUBMITTED and scheduled.score == Decimal("95.7")
    action = CorrectiveAction.objects.get()
    assert action.answer.item.code == "env-clean" and action.owner == branch_admin
    assert action.due_at == scheduled.submitted_at + dt.timedelta(days=7)
    photo = Answer.objects.get(item=env_clean).photo
    assert photo.name.startswith("quality/") and default_storage.exists(photo.name)
    page = client.get(f"/quality/inspections/{scheduled.pk}/").content.decode()
    assert 'data-score="95.7"' in page and f'data-action="{action.pk}"' in page


def test_a_submitted_inspection_is_locked(client, scheduled, inspector):
    client.force_login(inspector)
    client.post(f"/quality/inspections/{scheduled.pk}/", marks_post(scheduled, action="submit"))

    again = client.post(f"/quality/inspections/{scheduled.pk}/", marks_post(scheduled, default="fail"))

    assert again.status_code == 403
    assert not Answer.objects.filter(result="fail").exists()
    assert Inspection.objects.get().score == Decimal("100.0")


def test_saving_keeps_the_answers_for_later(client, scheduled, inspector):
    client.force_login(inspector)

    response = client.post(
        f"/quality/inspections/{scheduled.pk}/", marks_post(scheduled, {"greet-stand": "partial"}, default="")
    )

    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.status == Status.IN_PROGRESS and scheduled.answers.get().result == "partial"
    page = client.get(response["Location"]).content.decode()
    assert "1 of 25 items scored" in page or "已评 1 / 25 项" in page


def test_submitting_with_items_left_is_refused_and_changes_nothing(client, scheduled, inspector):
    client.force_login(inspector)

    response = client.post(
        f"/quality/inspections/{scheduled.pk}/",
        marks_post(scheduled, {"farewell": ""}, action="submit"),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert "提交前请为每一项评分：还剩 1 项。" in response.content.decode()
    scheduled.refresh_from_db()
    # The answers given are kept (saved first), the inspection stays open and unscored.
    assert scheduled.status == Status.IN_PROGRESS and scheduled.score is None
    assert not CorrectiveAction.objects.exists()


def test_a_failed_item_needs_a_note(client, scheduled, inspector):
    client.force_login(inspector)

    response = client.post(
        f"/quality/inspections/{scheduled.pk}/",
        marks_post(scheduled, {"env-signs": "fail"}, action="submit"),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert "请说明问题：不通过的项目需要备注。" in response.content.decode()
    assert Inspection.objects.get().status != Status.SUBMITTED


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(client, scheduled, inspector):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(inspector)
    data = marks_post(scheduled)
    item = scheduled.checklist_version.items.first()
    data[f"photo-{item.pk}"] = SimpleUploadedFile(
        "x.png", b"%PDF-1.4 not a picture", content_type="image/png"
    )

    response = client.post(f"/quality/inspections/{scheduled.pk}/", data, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 400
    assert "请上传照片（JPEG、PNG 或 WebP）。" in response.content.decode()
    assert not Answer.objects.exists()


def test_only_the_assigned_inspector_scores(client, scheduled, head_office_admin):
    client.force_login(head_office_admin)

    response = client.post(f"/quality/inspections/{scheduled.pk}/", marks_post(scheduled))

    assert response.status_code == 403 and not Answer.objects.exists()


def test_photos_are_served_only_to_people_who_see_the_inspection(client, scheduled, inspector, teller):
    client.force_login(inspector)
    data = marks_post(scheduled)
    item = scheduled.checklist_version.items.first()
    data[f"photo-{item.pk}"] = png()
    client.post(f"/quality/inspections/{scheduled.pk}/", data)
    answer = Answer.objects.get(item=item)

    assert client.get(f"/quality/photos/answers/{answer.pk}/").status_code == 200
    client.force_login(teller)
    assert client.get(f"/quality/photos/answers/{answer.pk}/").status_code == 404


def test_whoever_scheduled_it_may_cancel_with_a_reason(client, scheduled, inspector):
    client.force_login(inspector)

    assert client.post(f"/quality/inspections/{scheduled.pk}/cancel/", {"reason": ""}).status_code == 400
    assert (
        client.post(f"/quality/inspections/{scheduled.pk}/cancel/", {"reason": "网点临时停业"}).status_code
        == 302
    )
    assert Inspection.objects.get().status == Status.CANCELLED
    assert client.post(f"/quality/inspections/{scheduled.pk}/", marks_post(scheduled)).status_code == 403
