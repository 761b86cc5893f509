"""Failed items become corrective actions: the owner sees theirs and closes them with evidence;
overdue ones are escalated once by beat, whatever the clock says."""

import datetime as dt

import pytest

from compliance.models import AuditEvent
from quality.models import ActionStatus, CorrectiveAction
from quality.services import corrective_actions_escalate
from quality.tasks import escalate_overdue_actions
from tests.factories import make_staff
from tests.quality.conftest import marks_post, png


@pytest.fixture
def action(client, scheduled, inspector):
    client.force_login(inspector)
    client.post(
        f"/quality/inspections/{scheduled.pk}/",
        marks_post(
            scheduled, {"env-devices": "fail"}, action="submit", notes={"env-devices": "2号取款机故障无提示"}
        ),
    )
    client.logout()
    return CorrectiveAction.objects.get()


def test_the_owner_sees_theirs_and_closes_it_with_evidence(client, action, branch_admin):
    client.force_login(branch_admin)
    assert f'data-action="{action.pk}"' in client.get("/quality/actions/").content.decode()

    response = client.post(
        f"/quality/actions/{action.pk}/",
        {"step": "close", "evidence": "已张贴停用提示并报修", "evidence_photo": png("fixed.png")},
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED and action.evidence_photo
    assert client.get(f"/quality/photos/actions/{action.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="quality.action.close").count() == 1


def test_closing_without_evidence_is_refused_in_chinese(client, action, branch_admin):
    client.force_login(branch_admin)

    response = client.post(
        f"/quality/actions/{action.pk}/", {"step": "close", "evidence": " "}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_an_action_assigned_to_a_teller_shows_in_their_list(client, action, branch, branch_admin):
    teller = make_staff("teller", branch, username="owner-teller")
    client.force_login(branch_admin)
    assert (
        client.post(f"/quality/actions/{action.pk}/", {"step": "assign", "owner": teller.pk}).status_code
        == 302
    )

    client.force_login(teller)
    mine = client.get("/quality/actions/")

    assert mine.status_code == 200 and f'data-action="{action.pk}"' in mine.content.decode()
    assert client.post(f"/quality/actions/{action.pk}/", {"step": "reopen", "reason": "x"}).status_code == 403


def test_an_owner_at_another_branch_is_refused(client, action, other_branch, branch_admin):
    stranger = make_staff("teller", other_branch)
    client.force_login(branch_admin)

    response = client.post(f"/quality/actions/{action.pk}/", {"step": "assign", "owner": stranger.pk})

    assert response.status_code == 400 and CorrectiveAction.objects.get().owner == branch_admin


def test_the_manager_reopens_with_a_fresh_deadline(client, clock, action, branch_admin):
    client.force_login(branch_admin)
    client.post(f"/quality/actions/{action.pk}/", {"step": "close", "evidence": "已处理"})
    clock.shift(days=2)
    client.force_login(branch_admin)  # the staff session of two days ago has expired

    response = client.post(f"/quality/actions/{action.pk}/", {"step": "reopen", "reason": "照片看不出已整改"})

    assert response.status_code == 302 and response["Location"] == f"/quality/actions/{action.pk}/"
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.due_at == clock.now() + dt.timedelta(days=7)


def test_an_overdue_action_is_escalated_once(client, clock, action, head_office_admin):
    clock.shift(days=6, hours=23)
    assert corrective_actions_escalate() == 0

    clock.shift(hours=2)
    assert escalate_overdue_actions.delay().get() == 1
    assert corrective_actions_escalate() == 0

    action.refresh_from_db()
    assert action.escalated_at == clock.now()
    client.force_login(head_office_admin)
    page = client.get("/quality/actions/").content.decode()
    assert "data-overdue" in page
    assert AuditEvent.objects.filter(action="quality.action.escalate").count() == 1


def test_a_closed_action_is_never_escalated(client, clock, action, branch_admin):
    client.force_login(branch_admin)
    client.post(f"/quality/actions/{action.pk}/", {"step": "close", "evidence": "已处理"})
    clock.shift(days=30)

    assert corrective_actions_escalate() == 0


def test_staff_without_inspections_land_on_their_actions_and_customers_get_403(client, teller, customer_user):
    client.force_login(teller)
    landing = client.get("/quality/", follow=True)
    assert landing.redirect_chain == [("/quality/actions/", 302)] and landing.status_code == 200

    client.force_login(customer_user)
    assert client.get("/quality/").status_code == 403
    assert client.get("/quality/actions/").status_code == 403
