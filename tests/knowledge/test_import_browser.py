"""On a real browser: a knowledge editor previews an import file, sees the counts, imports it with
one more click (the file stays chosen), and the articles wait for compliance review."""

import pytest

from knowledge.models import Article, ArticleVersion
from tests.browser import axe_violations, screenshot, signed_in_page
from tests.knowledge.import_files import jsonl

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = [{"slug": "card-fees", "title": "借记卡收费标准", "body": "补卡工本费5元。", "category": "faq",
         "tags": ["收费"], "language": "zh-hans"},
        {"slug": "lost-card", "title": "银行卡挂失", "body": "拨打客服电话挂失。", "category": "process",
         "tags": ["挂失"], "language": "zh-hans"}]


def test_an_editor_previews_then_imports_a_file(chromium, asgi_server, department_staff):
    page = signed_in_page(chromium, asgi_server, department_staff, viewport={"width": 1200, "height": 800})
    page.goto(f"{asgi_server}/knowledge/import/")
    page.set_input_files("input[name=file]", files=[{"name": "kb.jsonl", "mimeType": "application/json",
                                                     "buffer": jsonl(*ROWS)}])
    page.click("button[value=preview]")
    page.wait_for_selector(".kb-preview")
    assert "新增 2 篇文章" in page.inner_text("#kb-import-result")
    assert not Article.objects.exists()
    assert axe_violations(page) == []
    screenshot(page, "knowledge-import-preview")
    page.click("button[value=import]")
    page.wait_for_selector("#kb-import-result .success")
    assert "已提交合规审核：新增 2 篇" in page.inner_text("#kb-import-result")
    assert set(ArticleVersion.objects.values_list("status", flat=True)) == {"submitted"}


def test_a_bad_line_is_shown_with_its_number(chromium, asgi_server, department_staff):
    page = signed_in_page(chromium, asgi_server, department_staff, locale="en-US")
    page.goto(f"{asgi_server}/knowledge/import/")
    bad = jsonl(ROWS[0], {**ROWS[1], "category": "rumours"})
    page.set_input_files("input[name=file]", files=[{"name": "kb.jsonl", "mimeType": "application/json",
                                                     "buffer": bad}])
    page.click("button[value=preview]")
    page.wait_for_selector(".kb-line-errors")
    text = page.inner_text("#kb-import-result")
    assert "1 error; nothing was imported." in text and "category 'rumours'" in text
    assert not page.query_selector("button[value=import]")
    assert not Article.objects.exists()

