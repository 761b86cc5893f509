"""A compliance officer finds article versions waiting for review on their home page."""

import datetime as dt

import pytest

from knowledge.services import Content, article_create, version_submit
from knowledge.services.imports import category_for
from tests.staff_home import staff_home

pytestmark = pytest.mark.django_db


def test_a_submitted_version_waits_on_the_reviewers_home_and_turns_urgent_after_24_hours(
        client, drafter, compliance_officer, clock):
    version = article_create(actor=drafter, slug="card-loss", category=category_for("faq", ""),
                             service_types=(), content=Content(title="银行卡挂失", body="携带身份证。"))
    assert "等待审核" not in staff_home(client, compliance_officer)
    version_submit(actor=drafter, version=version)
    page = staff_home(client, compliance_officer)
    assert "1 个文章版本等待审核" in page and "attention-item due" in page
    clock.shift(dt.timedelta(hours=25))
    page = staff_home(client, compliance_officer)
    assert "其中 1 项已超过 24 小时审核时限。" in page and "attention-item urgent" in page
    assert "等待审核" not in staff_home(client, drafter)
