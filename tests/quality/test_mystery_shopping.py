"""Head office sends a mystery shopper: an external account that opens its own visits and nothing
else, and a visit the branch does not see until it is submitted."""

import pytest

from quality.models import Inspection, Kind, Status
from tests.quality.conftest import marks_post

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def visit(client, standard, branch, head_office_admin, shopper):
    client.force_login(head_office_admin)
    response = client.post(
        "/quality/",
        {
            "branch": branch.code,
            "kind": Kind.MYSTERY_SHOP,
            "inspector": shopper.pk,
            "scheduled_for": "2026-12-09",
        },
    )
    assert response.status_code == 302
    client.logout()
    return Inspection.objects.get(kind=Kind.MYSTERY_SHOP)


def test_the_shopper_sees_and_scores_only_their_visit(client, visit, shopper, scheduled):
    client.force_login(shopper)

    home = client.get("/quality/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "当前身份：神秘顾客" in home
    assert f'data-inspection="{visit.pk}"' in home and f'data-inspection="{scheduled.pk}"' not in home
    assert client.get(f"/quality/inspections/{scheduled.pk}/").status_code == 404
    response = client.post(f"/quality/inspections/{visit.pk}/", marks_post(visit, action="submit"))

    assert response.status_code == 302
    assert Inspection.objects.get(pk=visit.pk).status == Status.SUBMITTED


@pytest.mark.parametrize(
    "page",
    [
        "/staff/design/",
        "/insights/",
        "/fees/manage/",
        "/quality/scores/",
        "/quality/checklist/",
        "/environment/",
    ],
)
def test_the_shopper_opens_nothing_else(client, shopper, page):
    client.force_login(shopper)

    assert client.get(page).status_code in (403, 404)


def test_the_shopper_cannot_schedule(client, shopper, standard, branch):
    client.force_login(shopper)

    response = client.post(
        "/quality/",
        {
            "branch": branch.code,
            "kind": Kind.INSPECTION,
            "inspector": shopper.pk,
            "scheduled_for": "2026-12-09",
        },
    )

    assert response.status_code == 403 and not Inspection.objects.exists()


def test_the_branch_manager_learns_of_a_visit_only_once_it_is_submitted(client, visit, shopper, branch_admin):
    client.force_login(branch_admin)
    assert f'data-inspection="{visit.pk}"' not in client.get("/quality/").content.decode()
    assert client.get(f"/quality/inspections/{visit.pk}/").status_code == 404

    client.force_login(shopper)
    client.post(f"/quality/inspections/{visit.pk}/", marks_post(visit, action="submit"))
    client.force_login(branch_admin)

    assert f'data-inspection="{visit.pk}"' in client.get("/quality/").content.decode()
    assert client.get(f"/quality/inspections/{visit.pk}/").status_code == 200


def test_only_head_office_sends_mystery_shoppers(client, standard, branch, branch_admin, shopper):
    client.force_login(branch_admin)

    response = client.post(
        "/quality/",
        {
            "branch": branch.code,
            "kind": Kind.MYSTERY_SHOP,
            "inspector": shopper.pk,
            "scheduled_for": "2026-12-09",
        },
    )

    assert response.status_code == 400 and not Inspection.objects.exists()


def test_a_staff_member_is_not_a_mystery_shopper(client, standard, branch, head_office_admin, teller):
    client.force_login(head_office_admin)

    response = client.post(
        "/quality/",
        {
            "branch": branch.code,
            "kind": Kind.MYSTERY_SHOP,
            "inspector": teller.pk,
            "scheduled_for": "2026-12-09",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400 and not Inspection.objects.exists()
