"""In Chromium on a 390×844 phone: the inspector scores an inspection one item a row, with a note
and a photo for the failed item, submits it and sees it locked with its score; head office reads
the heat map on the insights page. No serious or critical accessibility violation."""

import pytest
from django.utils import timezone
from PIL import Image

from quality.models import CorrectiveAction, Kind
from quality.services import inspection_save, inspection_schedule, inspection_submit
from quality.services.inspections import Mark
from tests.browser import (  # noqa: F401 (fixtures)
    DESK,
    PHONE,
    asgi_server,
    axe_violations,
    chromium,
    off_the_browser_thread,
    screenshot,
    signed_in_page,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _schedule(branch, inspector):
    return inspection_schedule(
        actor=inspector,
        branch=branch,
        kind=Kind.INSPECTION,
        inspector=inspector,
        scheduled_for=timezone.localdate(),
    )


def test_the_inspector_scores_an_inspection_on_a_phone(
    chromium,  # noqa: F811
    asgi_server,  # noqa: F811
    standard,
    branch,
    branch_admin,  # noqa: F811
    inspector,
    tmp_path,
):
    inspection = off_the_browser_thread(_schedule, branch=branch, inspector=inspector)
    photo = tmp_path / "floor.png"
    Image.new("RGB", (64, 48), (180, 170, 160)).save(photo)
    page = signed_in_page(chromium, asgi_server, inspector, **PHONE)

    page.goto(f"{asgi_server}/quality/")
    page.click(f"#to-score [data-inspection='{inspection.pk}'] a")
    page.wait_for_selector(".q-score-form")
    for item in page.query_selector_all(".q-item"):
        item.query_selector("label.q-pass").click()
    row = page.locator("[data-item='env-clean']")
    row.locator("label.q-fail").click()
    row.locator("summary").click()
    row.locator("textarea").fill("等候区地面有纸屑")
    row.locator("input[type=file]").set_input_files(str(photo))
    page.locator("[data-item='sg-home'] label.q-na").click()

    # One item a row: nothing wider than the phone, every choice a full touch target.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    boxes = [
        label.bounding_box() for label in page.query_selector_all("[data-item='env-clean'] .q-result span")
    ]
    assert all(box["height"] >= 44 and box["width"] >= 70 for box in boxes)
    assert axe_violations(page) == []
    row.scroll_into_view_if_needed()
    screenshot(page, "quality-phone-scoring")

    page.click("button[value=submit]")
    page.wait_for_selector("[data-status=submitted]")
    assert page.inner_text(".q-total [data-score]").strip() == "97.1"  # 4 of 139 points lost (sg-home is NA)
    assert page.query_selector(".q-score-form") is None
    assert page.query_selector("[data-item='env-clean'] [data-action]") is not None
    assert CorrectiveAction.objects.get().owner == branch_admin
    screenshot(page, "quality-phone-report")


def _history(branch, other_branch, inspector):
    for where, weak in ((branch, "environment"), (other_branch, "special_groups")):
        found = _schedule(where, inspector)
        marks = {
            item.pk: Mark(
                result="fail" if item.section == weak and item.weight > 4 else "pass", note="未达标"
            )
            for item in found.checklist_version.items.all()
        }
        inspection_save(actor=inspector, inspection=found, marks=marks)
        inspection_submit(actor=inspector, inspection=found)


def test_head_office_reads_the_heat_map_in_insights(
    chromium,  # noqa: F811
    asgi_server,  # noqa: F811
    standard,
    branch,
    other_branch,  # noqa: F811
    branch_admin,
    inspector,
    head_office_admin,
):
    off_the_browser_thread(_history, branch=branch, other_branch=other_branch, inspector=inspector)
    page = signed_in_page(chromium, asgi_server, head_office_admin, **DESK)

    page.goto(f"{asgi_server}/insights/")
    heat = page.wait_for_selector("#quality-heat")

    assert (
        page.inner_text(f"#quality-heat [data-branch='{branch.code}'] td.heat-bad") == "50.0"
    )  # 11 of 22 points
    colour = page.eval_on_selector(
        "#quality-heat td.heat-bad", "cell => getComputedStyle(cell).backgroundColor"
    )
    assert colour == "rgb(251, 233, 236)"  # --color-bad-soft
    assert axe_violations(page) == []
    heat.scroll_into_view_if_needed()
    heat.screenshot(path=str(screenshot(page, "quality-heat-map")))
