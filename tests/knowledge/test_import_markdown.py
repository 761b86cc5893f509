"""Knowledge editors import articles written as Markdown files with front matter, one per file, on
their own or in a zip beside JSON Lines; they wait for review like any import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from knowledge.models import Article, ArticleVersion
from knowledge.transfer import parse_markdown
from tests.knowledge.import_files import jsonl, zipped

pytestmark = pytest.mark.django_db

API = reverse("api-knowledge-import")
LOST_MD = """---
category: process
tags: 挂失, 银行卡
section: 银行卡
---
# 银行卡挂失

1. 拨打客服电话口头挂失（有效期 5 天）；
2. 本人携带身份证到柜台办理正式挂失。
"""


def upload(data: str | bytes, name: str) -> SimpleUploadedFile:
    data = data.encode() if isinstance(data, str) else data
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def editor(client, department_staff):
    client.force_login(department_staff)
    return client


def test_a_markdown_article_is_imported_for_review(editor):
    response = editor.post(API, {"file": upload(LOST_MD, "lost-card.md")})
    assert response.status_code == 201, response.json()
    article = Article.objects.get(slug="lost-card")  # the slug is the file name
    version = article.versions.get()
    assert version.title == "银行卡挂失"  # the first heading, not repeated in the body
    assert version.body.startswith("1. 拨打客服电话") and "# 银行卡挂失" not in version.body
    assert sorted(version.tags) == ["挂失", "银行卡"]
    assert version.status == ArticleVersion.Status.SUBMITTED and article.live_version is None


def test_markdown_and_json_lines_import_together_from_a_zip(editor):
    fees = {"slug": "card-fees", "title": "借记卡收费标准", "body": "补卡工本费5元。", "category": "faq",
            "tags": ["收费"], "language": "zh-hans"}
    archive = zipped({"process/lost-card.md": LOST_MD.encode(), "faq.jsonl": jsonl(fees)})
    response = editor.post(API, {"file": upload(archive, "kb.zip")})
    assert response.status_code == 201 and response.json()["created"] == 2


def test_a_bad_markdown_article_names_its_file_and_line_and_nothing_is_stored(editor):
    broken = LOST_MD.replace("tags: 挂失, 银行卡", "tags 挂失")
    good = LOST_MD.replace("# 银行卡挂失", "# 好").encode()
    archive = zipped({"good.md": good, "broken.md": broken.encode()})
    response = editor.post(API, {"file": upload(archive, "kb.zip")}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["lines"] == [
        {"source": "broken.md", "line": 3, "message": "not a 'key: value' line"}]
    unknown = LOST_MD.replace("category: process", "category: process\nowner: 张三")
    response = editor.post(API, {"file": upload(unknown, "x.md")}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["lines"][0]["message"] == "unknown field(s) owner"
    no_front_matter = editor.post(API, {"file": upload("# 标题\n正文", "y.md")}, HTTP_ACCEPT_LANGUAGE="en")
    assert no_front_matter.status_code == 400
    assert not Article.objects.exists()


def test_a_pdf_named_md_is_refused_as_not_markdown_and_the_page_names_the_type(editor):
    response = editor.post(API, {"file": upload(b"%PDF-1.7 ...", "notes.md")}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == ["notes.md is not Markdown text: its content is a PDF file."]
    assert not Article.objects.exists()
    page = editor.get(reverse("knowledge-import"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "文件（.jsonl、.json、.md 或 .zip）" in page


HUGO_MD = """---
Title: >
  银行卡挂失
  与补卡
Category: process
tags:
  - 挂失
  - 银行卡
Section: "银行卡"
date: 2026-03-01
draft: false
---
1. 拨打客服电话口头挂失（有效期 5 天）；
2. 本人携带身份证到柜台办理正式挂失。
"""


def test_yaml_front_matter_as_hugo_and_obsidian_write_it_is_read():
    result = parse_markdown(HUGO_MD, name="notes/card-loss.md")
    assert result.errors == []
    record = result.records[0]
    assert (record.slug, record.title, record.category) == ("card-loss", "银行卡挂失 与补卡", "process")
    assert record.tags == ["挂失", "银行卡"]
    assert record.section == "银行卡"
    assert record.body.startswith("1. 拨打客服电话")


def test_broken_yaml_is_reported_with_the_file_line():
    broken = HUGO_MD.replace("  - 银行卡", "  - [银行卡")
    with translation.override("en"):
        result = parse_markdown(broken, name="card-loss.md", source="card-loss.md")
    assert result.records == []
    [error] = result.errors
    assert (error.source, error.line) == ("card-loss.md", 9)
    assert "not valid YAML" in error.message


def test_a_yaml_value_of_the_wrong_kind_is_refused_by_name():
    with translation.override("en"):
        result = parse_markdown(HUGO_MD.replace("Section: \"银行卡\"", "Section:\n  - a\n  - b"),
                                name="card-loss.md")
    assert [e.message for e in result.errors] == ["'section' must be a string"]
