"""Periodic review: the owners are reminded once before an article's review date; a reviewer who
finds it still right moves the date a year on."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from branches.models import Department
from branches.roles import Role
from compliance.models import AuditEvent
from knowledge.models import PERIODIC_REVIEW
from knowledge.services import periodic_review_scan
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_department(db):
    return Department.objects.create(code="HO-CARD", kind=Department.Kind.RETAIL, name_zh_hans="银行卡部",
                                     name_en="Cards")


@pytest.fixture
def owned_article(publish_article, card_department):
    article = publish_article("card-loss", "银行卡挂失", "本人携带身份证办理挂失。")
    article.owner_department = card_department
    article.save(update_fields=["owner_department"])
    return article


def test_the_owning_department_is_reminded_once_a_month_before_the_date(
        owned_article, card_department, compliance_officer, live_events, django_capture_on_commit_callbacks):
    owner = make_staff(Role.DEPARTMENT_STAFF, None, username="cards1", department=card_department)
    owner.email = "cards1@bank.example"
    owner.save(update_fields=["email"])
    review_by = owned_article.review_by
    assert review_by == timezone.localdate() + PERIODIC_REVIEW

    with time_machine.travel(timezone.now() + PERIODIC_REVIEW - dt.timedelta(days=31)):
        assert periodic_review_scan() == 0  # not yet
    with time_machine.travel(timezone.now() + PERIODIC_REVIEW - dt.timedelta(days=29)):
        with django_capture_on_commit_callbacks(execute=True):
            assert periodic_review_scan() == 1
        assert periodic_review_scan() == 0  # once per review date
    assert [m.to for m in mail.outbox] == [["cards1@bank.example"]]
    assert "银行卡挂失" in mail.outbox[0].subject
    reminded = [group for group, event, _ in live_events if event == "knowledge.periodic_review_due"]
    assert reminded == [f"user.{owner.pk}"]
    assert AuditEvent.objects.filter(action="knowledge.article.review_remind").count() == 1


def test_without_an_owning_department_the_reviewers_are_reminded(
        publish_article, compliance_officer, live_events, django_capture_on_commit_callbacks):
    publish_article("fx-limits", "个人购汇额度", "每人每年5万美元。")
    with time_machine.travel(timezone.now() + PERIODIC_REVIEW), \
            django_capture_on_commit_callbacks(execute=True):
        assert periodic_review_scan() == 1
    assert {group for group, event, _ in live_events if event == "knowledge.periodic_review_due"} == {
        f"user.{compliance_officer.pk}"}


def test_a_reviewer_confirms_the_article_is_still_right_on_the_review_page(
        client, owned_article, compliance_officer):
    later = timezone.now() + PERIODIC_REVIEW - dt.timedelta(days=10)
    with time_machine.travel(later):
        client.force_login(compliance_officer)  # a session from a year earlier would have expired
        assert periodic_review_scan() == 1
        page = client.get("/knowledge/review/").content.decode()
        assert 'data-article="card-loss"' in page
        response = client.post("/knowledge/a/card-loss/confirm-review/")
        assert response.status_code == 302
        owned_article.refresh_from_db()
        assert owned_article.review_by == timezone.localdate(later) + PERIODIC_REVIEW
        # The new date is a year away: nothing to remind of now, and it will be reminded of again.
        assert periodic_review_scan() == 0
    with time_machine.travel(later + PERIODIC_REVIEW):
        assert periodic_review_scan() == 1
    assert AuditEvent.objects.filter(action="knowledge.article.review_confirm").count() == 1


def test_the_api_confirms_for_reviewers_only(client, owned_article, compliance_officer, department_staff):
    client.force_login(department_staff)
    assert client.post("/api/knowledge/articles/card-loss/confirm-review").status_code == 403
    client.force_login(compliance_officer)
    response = client.post("/api/knowledge/articles/card-loss/confirm-review")
    assert response.status_code == 200
    assert response.json() == {"slug": "card-loss", "review_by": owned_article.review_by.isoformat()}
