"""Drafting, review, publishing, versions, scheduled publishing and the review clock."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from knowledge.models import Article, ArticleVersion
from knowledge.services import (
    Content,
    article_create,
    article_save_draft,
    review_clock_scan,
    version_approve,
    version_submit,
)
from knowledge.services.imports import category_for
from knowledge.tasks import publish_scheduled

pytestmark = pytest.mark.django_db


CD_BODY = "个人大额存单认购起点金额不低于20万元。"


def draft(drafter, slug="cd-rules", title="大额存单20万元起存", body=CD_BODY):
    return article_create(actor=drafter, slug=slug, category=category_for("product", "存款"),
                          content=Content(title=title, body=body))


def test_drafter_submits_and_compliance_officer_approves_through_the_api(client, drafter,
                                                                         compliance_officer):
    client.force_login(drafter)
    created = client.post("/api/knowledge/articles", {
        "slug": "notice-deposit", "category": category_for("product", "").slug,
        "title": "七天通知存款", "body": "5万元起存。", "tags": ["通知存款"]},
        content_type="application/json")
    assert created.status_code == 201
    submitted = client.post(f"/api/knowledge/versions/{created.json()['id']}/submit")
    assert submitted.json()["status"] == "submitted"

    client.force_login(compliance_officer)
    queue = client.get("/api/knowledge/review-queue").json()
    assert [v["article"] for v in queue] == ["notice-deposit"]
    approved = client.post(f"/api/knowledge/versions/{created.json()['id']}/approve", {},
                           content_type="application/json")
    assert approved.json()["status"] == "published"
    assert client.get("/api/knowledge/articles/notice-deposit").json()["title"] == "七天通知存款"


def test_drafter_cannot_approve_their_own_article(client, drafter):
    version = draft(drafter)
    version_submit(actor=drafter, version=version)
    client.force_login(drafter)
    response = client.post(f"/api/knowledge/versions/{version.pk}/approve", {},
                           content_type="application/json")
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.status == ArticleVersion.Status.SUBMITTED


def test_a_reviewer_who_wrote_the_version_cannot_approve_it(client, compliance_officer):
    article = Article.objects.create(slug="own", category=category_for("faq", ""))
    version = ArticleVersion.objects.create(article=article, number=1, title="t", body="b",
                                            author=compliance_officer)
    version.submit_for_review()
    client.force_login(compliance_officer)
    response = client.post(f"/api/knowledge/versions/{version.pk}/approve", {},
                           content_type="application/json")
    assert response.status_code == 403
    assert not Article.objects.published().exists()


def test_tellers_cannot_draft_or_review(client, teller, drafter):
    version = draft(drafter)
    version_submit(actor=drafter, version=version)
    client.force_login(teller)
    assert client.post("/api/knowledge/articles/cd-rules/drafts", {"title": "x", "body": "y"},
                       content_type="application/json").status_code == 403
    assert client.post(f"/api/knowledge/versions/{version.pk}/approve", {},
                       content_type="application/json").status_code == 403


def test_rejection_needs_comments_and_the_author_sees_them(client, drafter, compliance_officer):
    version = draft(drafter)
    version_submit(actor=drafter, version=version)
    client.force_login(compliance_officer)
    assert client.post(f"/api/knowledge/versions/{version.pk}/reject", {"comment": ""},
                       content_type="application/json").status_code == 400
    client.post(f"/api/knowledge/versions/{version.pk}/reject", {"comment": "请注明存款保险保障范围"},
                content_type="application/json")
    client.force_login(drafter)
    page = client.get("/knowledge/a/cd-rules/history/")
    assert "请注明存款保险保障范围" in page.content.decode()


def test_editing_a_published_article_keeps_the_live_version_until_approved(
        client, drafter, compliance_officer, customer_user):
    version = draft(drafter)
    version_submit(actor=drafter, version=version)
    version_approve(actor=compliance_officer, version=version)

    new = article_save_draft(actor=drafter, article=version.article,
                             content=Content(title="大额存单30万元起存", body="起点金额调整为30万元。"))
    version_submit(actor=drafter, version=new)
    client.force_login(customer_user)
    assert client.get("/api/knowledge/articles/cd-rules").json()["title"] == "大额存单20万元起存"

    version_approve(actor=compliance_officer, version=new)
    assert client.get("/api/knowledge/articles/cd-rules").json()["title"] == "大额存单30万元起存"
    assert list(version.article.versions.values_list("number", "status")) == [
        (2, "published"), (1, "superseded")]


def test_every_saved_change_is_a_version_and_the_diff_shows_it(client, drafter):
    version = draft(drafter)
    article_save_draft(actor=drafter, article=version.article,
                       content=Content(title="大额存单20万元起存", body=CD_BODY + "\n纳入存款保险。"))
    client.force_login(drafter)
    versions = client.get("/api/knowledge/articles/cd-rules/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    diff = client.get("/api/knowledge/articles/cd-rules/diff", {"old": 1, "new": 2}).json()
    assert {"kind": "added", "text": "纳入存款保险。"} in diff
    page = client.get("/knowledge/a/cd-rules/history/", {"from": 1, "new": 2}).content.decode()
    assert "纳入存款保险。" in page


def test_cannot_edit_while_a_version_is_with_the_reviewer(drafter):
    version = draft(drafter)
    version_submit(actor=drafter, version=version)
    with pytest.raises(ValidationError):
        article_save_draft(actor=drafter, article=version.article, content=Content(title="x", body="y"))
    assert version.article.versions.count() == 1


def test_scheduled_version_goes_live_at_its_time(client, drafter, compliance_officer):
    version = draft(drafter)
    version_submit(actor=drafter, version=version)
    start = timezone.now()
    version_approve(actor=compliance_officer, version=version, publish_at=start + dt.timedelta(hours=2))
    assert client.get("/api/knowledge/articles/cd-rules").status_code == 404
    assert publish_scheduled.delay().get() == 0
    with time_machine.travel(start + dt.timedelta(hours=2, minutes=1)):
        assert publish_scheduled.delay().get() == 1
        assert publish_scheduled.delay().get() == 0  # running it again changes nothing
    assert client.get("/api/knowledge/articles/cd-rules").status_code == 200


def test_review_clock_warns_before_and_escalates_after_24_hours(drafter, compliance_officer,
                                                                head_office_admin):
    version = draft(drafter)
    start = timezone.now()
    version_submit(actor=drafter, version=version)
    with time_machine.travel(start + dt.timedelta(hours=21)):
        assert review_clock_scan() == {"warned": 1, "escalated": 0}
        assert review_clock_scan() == {"warned": 0, "escalated": 0}
    with time_machine.travel(start + dt.timedelta(hours=25)):
        assert review_clock_scan() == {"warned": 0, "escalated": 1}
    version.refresh_from_db()
    assert version.review_escalated_at is not None


def test_review_queue_shows_the_clock(client, drafter, compliance_officer):
    version = draft(drafter)
    version_submit(actor=drafter, version=version)
    client.force_login(compliance_officer)
    page = client.get("/knowledge/review/").content.decode()
    assert "大额存单20万元起存" in page
    assert "23" in page  # "23 hours, 59 minutes left"


def test_the_author_cannot_approve_even_when_calling_the_service(compliance_officer, drafter):
    version = draft(drafter)
    version_submit(actor=drafter, version=version)
    version.author = compliance_officer
    version.save(update_fields=["author"])
    with pytest.raises(PermissionDenied):
        version_approve(actor=compliance_officer, version=version)
