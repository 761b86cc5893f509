"""The read-only inspections API, and the scores head office reads: the heat map in insights and
the scores by item."""

import pytest

from quality.models import Kind
from quality.services import inspection_save, inspection_schedule, inspection_submit
from quality.services.inspections import Mark

pytestmark = pytest.mark.usefixtures("clock")


def _submitted(inspection, inspector, results):
    items = inspection.checklist_version.items.all()
    marks = {item.pk: Mark(result=results.get(item.section, "pass"), note="问题") for item in items}
    inspection_save(actor=inspector, inspection=inspection, marks=marks)
    return inspection_submit(actor=inspector, inspection=inspection)


@pytest.fixture
def two_branches(clock, standard, branch, other_branch, inspector, head_office_admin):
    for where, results in ((branch, {"environment": "fail"}), (other_branch, {"compliance": "partial"})):
        found = inspection_schedule(
            actor=inspector,
            branch=where,
            kind=Kind.INSPECTION,
            inspector=inspector,
            scheduled_for=clock.today(),
        )
        _submitted(found, inspector, results)


def test_head_office_sees_the_heat_map_in_insights(
    client, two_branches, head_office_admin, branch, other_branch
):
    client.force_login(head_office_admin)

    page = client.get("/insights/").content.decode()

    assert 'id="quality-heat"' in page
    row = page.split(f'data-branch="{branch.code}"')[1].split("</tr>")[0]
    # Environment (second column) failed entirely at the first branch; compliance was partly met at the other.
    assert row.count('data-level="bad"') == 1 and 'data-level="ok">100.0' in row
    other = page.split(f'data-branch="{other_branch.code}"')[1].split("</tr>")[0]
    assert 'data-level="bad">50.0' in other


def test_the_scores_page_lists_the_weakest_items_first(client, two_branches, head_office_admin):
    client.force_login(head_office_admin)

    page = client.get("/quality/scores/").content.decode()

    by_item = page.split('id="by-item"')[1]
    assert (
        by_item.index('data-item="env-')
        < by_item.index('data-item="comp-')
        < by_item.index('data-item="greet-')
    )


def test_a_branch_manager_sees_only_their_branch_scores(client, two_branches, branch_admin, other_branch):
    client.force_login(branch_admin)

    page = client.get("/quality/scores/").content.decode()

    assert f'data-branch="{other_branch.code}"' not in page


def test_a_bad_period_is_a_translated_400(client, head_office_admin):
    client.force_login(head_office_admin)

    response = client.get("/quality/scores/?start=2026-12-07&end=2026-11-01", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 400 and "开始日期不能晚于结束日期。" in response.content.decode()


def test_the_api_lists_and_shows_inspections(client, two_branches, inspector, branch):
    client.force_login(inspector)

    listed = client.get("/api/v1/quality/inspections/", {"branch": branch.code}).json()
    assert listed["count"] == 1
    row = listed["results"][0]
    detail = client.get(f"/api/v1/quality/inspections/{row['id']}/").json()

    assert row["status"] == "submitted" and row["checklist_version"] == 1
    assert len(detail["answers"]) == 25 and {a["result"] for a in detail["answers"]} == {"pass", "fail"}


def test_the_api_refuses_bad_filters_and_strangers(client, two_branches, inspector, teller):
    client.force_login(inspector)
    bad = client.get("/api/v1/quality/inspections/", {"status": "done"})
    assert bad.status_code == 400 and set(bad.json()) >= {"code", "detail", "errors"}

    client.force_login(teller)
    assert client.get("/api/v1/quality/inspections/").status_code == 403
