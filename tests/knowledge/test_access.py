"""Who sees and does what, for every role."""

import pytest

from branches.roles import Role
from knowledge.services import Content, article_create
from knowledge.services.imports import category_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(publish_article, drafter):
    publish_article("public", "银行卡挂失", "本人办理。")
    publish_article("internal", "可疑交易报告", "不得泄密。", category="compliance", audience="staff")
    article_create(actor=drafter, slug="draft", category=category_for("faq", ""),
                   content=Content(title="草稿", body="未发布。"))


STAFF = [Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN,
         Role.COMPLIANCE_OFFICER, Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.HEAD_OFFICE_ADMIN]


@pytest.mark.parametrize("role", [*STAFF, Role.CUSTOMER, None])
def test_reading_by_role(client, users_by_role, articles, role):
    if users_by_role[role] is not None:
        client.force_login(users_by_role[role])
    staff = role in STAFF
    assert client.get("/api/knowledge/articles/public").status_code == 200
    assert client.get("/api/knowledge/articles/internal").status_code == (200 if staff else 404)
    assert client.get("/knowledge/a/draft/").status_code in ((302,) if staff else (404,))
    assert client.get("/knowledge/").status_code == (200 if staff else (302 if role is None else 403))


@pytest.mark.parametrize("role", [*STAFF, Role.CUSTOMER])
def test_drafting_and_reviewing_pages_by_role(client, users_by_role, articles, role):
    client.force_login(users_by_role[role])
    drafter = role in (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.BRANCH_ADMIN)
    assert client.get("/knowledge/new/").status_code == (200 if drafter else 403)
    assert client.get("/knowledge/a/public/edit/").status_code == (200 if drafter else 403)
    assert client.get("/knowledge/review/").status_code == (200 if role == Role.COMPLIANCE_OFFICER else 403)


def test_drafter_creates_an_article_through_the_edit_page(client, drafter, articles):
    client.force_login(drafter)
    response = client.post("/knowledge/new/", {
        "slug": "lpr", "category": category_for("product", "").pk, "language": "zh-hans",
        "audience": "public", "title": "最新LPR", "body": "1年期3.0%，5年期以上3.5%。", "tags": "LPR, 利率",
        "submit": "1"})
    assert response.status_code == 302
    history = client.get("/knowledge/a/lpr/history/").content.decode()
    assert "最新LPR" in history


def test_article_page_renders_markdown_safely(client, publish_article):
    publish_article("xss", "安全", "**粗体**\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(1))")
    page = client.get("/knowledge/a/xss/").content.decode()
    assert "<strong>粗体</strong>" in page
    assert "<script>alert(1)</script>" not in page and "javascript:alert" not in page


def test_editing_stages_a_new_version_with_an_attachment(client, drafter, publish_article):
    from django.core.files.uploadedfile import SimpleUploadedFile

    article = publish_article("fees", "收费标准", "补卡工本费5元。")
    client.force_login(drafter)
    response = client.post("/knowledge/a/fees/edit/", {
        "category": article.category_id, "language": "zh-hans", "audience": "public",
        "title": "收费标准", "body": "补卡工本费10元。", "tags": "收费",
        "attachment": SimpleUploadedFile("收费标准.pdf", b"%PDF-1.4 test", content_type="application/pdf")})
    assert response.status_code == 302
    page = client.get("/knowledge/a/fees/").content.decode()
    assert "补卡工本费5元" in page  # still the live version
    assert "收费标准.pdf" in page
    assert article.versions.count() == 2


def test_an_attachment_of_the_wrong_type_is_refused_with_a_message(client, drafter, publish_article):
    from django.core.files.uploadedfile import SimpleUploadedFile

    article = publish_article("fees", "收费标准", "补卡工本费5元。")
    client.force_login(drafter)
    response = client.post("/knowledge/a/fees/edit/", {
        "category": article.category_id, "language": "zh-hans", "audience": "public",
        "title": "收费标准", "body": "补卡工本费10元。",
        "attachment": SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")})
    assert response.status_code == 400
    assert article.attachments.count() == 0
    assert article.versions.count() == 1
