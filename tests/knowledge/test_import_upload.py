"""Knowledge editors import articles from the web: a preview with counts and every bad line, then
an all-or-nothing import whose articles wait for compliance review. Nothing is stored by a refused
file; the same file twice changes nothing the second time."""

import hashlib
import json
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from branches.roles import Role
from compliance.models import AuditEvent
from knowledge.models import Article, ArticleVersion
from knowledge.services import imports as import_service
from knowledge.services import version_approve
from tests.knowledge.import_files import jsonl, zipped

pytestmark = pytest.mark.django_db

PAGE = reverse("knowledge-import")
API = reverse("api-knowledge-import")
FEES = {"slug": "card-fees", "title": "借记卡收费标准", "body": "补卡工本费5元。", "category": "faq",
        "tags": ["收费", "借记卡"], "language": "zh-hans"}
LOST = {"slug": "lost-card", "title": "银行卡挂失", "body": "拨打客服电话或到柜台办理挂失。",
        "category": "process", "tags": ["挂失"], "language": "zh-hans"}
FX = {"slug": "fx-quota", "title": "Foreign exchange quota", "body": "USD 50,000 a year per person.",
      "category": "compliance", "tags": ["fx"], "language": "en"}


def upload(data: bytes, name: str = "kb.jsonl") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def nothing_stored(before_versions: int = 0) -> bool:
    return (ArticleVersion.objects.count() == before_versions
            and not AuditEvent.objects.filter(action="knowledge.import").exists())


@pytest.fixture
def editor(client, department_staff):
    client.force_login(department_staff)
    return client


@pytest.fixture
def fees_published(publish_article):
    return publish_article("card-fees", FEES["title"], FEES["body"], tags=FEES["tags"])


def test_the_page_offers_the_upload_to_editors(editor):
    response = editor.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'type="file" name="file"' in response.content.decode()
    assert b"Import articles" in editor.get(reverse("knowledge-search"), HTTP_ACCEPT_LANGUAGE="en").content


def test_a_preview_counts_new_changed_and_unchanged_articles_and_stores_nothing(editor, fees_published):
    changed_lost = {**LOST}
    data = jsonl(FEES, changed_lost, FX)
    versions = ArticleVersion.objects.count()
    response = editor.post(PAGE, {"file": upload(data), "action": "preview"}, HTTP_HX_REQUEST="true",
                           HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 new articles" in page and "1 article unchanged" in page
    assert hashlib.sha256(data).hexdigest() in page
    assert 'value="import"' in page
    assert nothing_stored(versions) and Article.objects.count() == 1


def test_importing_sends_every_new_and_changed_article_to_review_without_publishing(
        editor, fees_published, department_staff):
    data = jsonl({**FEES, "body": "补卡工本费10元。"}, LOST)
    response = editor.post(PAGE, {"file": upload(data), "action": "import"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    page = editor.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sent to compliance review: 1 new, 1 changed, 0 unchanged." in page
    fees = Article.objects.get(slug="card-fees")
    assert fees.live_version.body == "补卡工本费5元。"  # readers keep the approved text
    pending = fees.versions.get(status="submitted")
    assert pending.body == "补卡工本费10元。" and pending.author == department_staff
    lost = Article.objects.get(slug="lost-card")
    assert lost.status == Article.Status.DRAFT and lost.live_version is None
    assert list(lost.versions.values_list("status", flat=True)) == ["submitted"]
    (event,) = AuditEvent.objects.filter(action="knowledge.import")
    assert event.after["created"] == 1 and event.after["updated"] == 1
    assert event.after["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_compliance_officer_approves_what_was_imported(client, compliance_officer, department_staff):
    client.force_login(department_staff)
    assert client.post(API, {"file": upload(jsonl(LOST))}).status_code == 201
    version = ArticleVersion.objects.get(article__slug="lost-card")
    version_approve(actor=compliance_officer, version=version)
    assert client.get(reverse("knowledge-article", args=["lost-card"])).status_code == 200


def test_the_same_file_twice_creates_nothing_the_second_time(editor):
    data = jsonl(FEES, LOST)
    first = editor.post(API, {"file": upload(data)})
    assert first.status_code == 201 and first.json()["created"] == 2
    second = editor.post(API, {"file": upload(data)})
    assert second.status_code == 200
    assert second.json() | {"sha256": ""} == {"file": "kb.jsonl", "sha256": "", "dry_run": False,
                                              "rows": 2, "created": 0, "updated": 0, "unchanged": 2}
    assert Article.objects.count() == 2 and ArticleVersion.objects.count() == 2
    assert AuditEvent.objects.filter(action="knowledge.import").count() == 1


def test_the_api_dry_run_says_what_would_happen(editor, fees_published):
    response = editor.post(API, {"file": upload(jsonl(FEES, LOST)), "dry_run": "true"})
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("rows", "created", "updated", "unchanged")} == {
        "rows": 2, "created": 1, "updated": 0, "unchanged": 1}
    assert Article.objects.count() == 1


def test_every_bad_line_is_named_and_nothing_is_imported(editor):
    data = b"\n".join([
        jsonl(FEES).strip(),
        json.dumps({k: v for k, v in LOST.items() if k != "title"}).encode(),
        json.dumps({**FX, "category": "rumours"}).encode(),
        json.dumps({**FX, "slug": "huge", "body": "x" * 100_001}).encode(),
        b'{"slug": "broken", ',
    ]) + b"\n"
    response = editor.post(API, {"file": upload(data), "dry_run": "true"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "4 errors; nothing was imported."
    assert body["errors"]["file"] == ["4 errors; nothing was imported."]
    lines = {(e["line"], e["message"].split(" (")[0]) for e in body["lines"]}
    assert lines == {(2, "missing 'title'"), (3, "category 'rumours' is not one of product, process, "
                                                 "compliance, faq"),
                     (4, "'body' is longer than 100000 characters"), (5, "not valid JSON")}
    assert Article.objects.count() == 0 and nothing_stored()


def test_the_page_shows_the_line_errors_in_chinese(editor):
    data = jsonl(FEES, {**LOST, "category": "rumours"})
    response = editor.post(PAGE, {"file": upload(data), "action": "import"}, HTTP_HX_REQUEST="true",
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 400
    assert "1 个错误，未导入任何内容。" in page
    assert "<td>2</td>" in page and "rumours" in page
    assert Article.objects.count() == 0 and nothing_stored()


def test_a_file_that_is_not_utf8_names_the_line(editor):
    data = jsonl(FEES) + "银行卡挂失\n".encode("gbk")
    response = editor.post(API, {"file": upload(data)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "is not UTF-8 text: line 2" in response.json()["errors"]["file"][0]
    assert nothing_stored()


def test_a_zip_of_json_lines_files_imports_and_names_the_file_of_a_bad_line(editor):
    good = zipped({"faq/fees.jsonl": jsonl(FEES), "process/lost.jsonl": jsonl(LOST),
                   "__MACOSX/._fees.jsonl": b"\0\1", "fx.json": json.dumps([FX]).encode()})
    response = editor.post(API, {"file": upload(good, "kb.zip")})
    assert response.status_code == 201 and response.json()["created"] == 3
    bad = zipped({"a.jsonl": jsonl({**FEES, "slug": "other"}), "b.jsonl": jsonl(FX, {**FX, "slug": "other"})})
    response = editor.post(API, {"file": upload(bad, "more.zip")}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["lines"] == [{"source": "b.jsonl", "line": 2, "message":
                                          "slug 'other' already appears in a.jsonl on line 1"}]
    assert Article.objects.count() == 3


def test_a_file_with_too_many_articles_is_refused(editor, monkeypatch):
    monkeypatch.setattr(import_service, "MAX_ARTICLES", 2)
    response = editor.post(API, {"file": upload(jsonl(FEES, LOST, FX))}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [
        "The file holds more than 2 articles; import at most 2 at a time."]
    assert nothing_stored()


def test_the_size_limit_is_a_setting(editor, settings):
    settings.KB_IMPORT_MAX_BYTES = 1024 * 1024
    response = editor.post(API, {"file": upload(b"[" + b" " * 1024 * 1024 + b"]")}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == ["The file is larger than 1 MB; split it into smaller files."]
    assert nothing_stored()


def test_an_import_of_a_different_file_than_the_preview_is_refused(editor):
    response = editor.post(API, {"file": upload(jsonl(FEES)), "sha256": "0" * 64}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == ["The file changed since its preview; preview it again."]
    assert Article.objects.count() == 0


def test_a_change_to_an_article_under_review_waits_for_the_decision(editor, department_staff):
    editor.post(API, {"file": upload(jsonl(FEES))})
    response = editor.post(API, {"file": upload(jsonl({**FEES, "body": "改了。"}))},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "version 1 of card-fees is with the reviewer" in response.json()["lines"][0]["message"]
    assert ArticleVersion.objects.get().body == FEES["body"]


def test_articles_not_in_the_file_are_left_alone(client, branch_admin, other_branch, fees_published):
    # Knowledge is network-wide (not branch-scoped): a branch admin's import touches only its rows.
    client.force_login(branch_admin)
    assert client.post(API, {"file": upload(jsonl(LOST))}).status_code == 201
    fees = Article.objects.get(slug="card-fees")
    assert fees.status == Article.Status.PUBLISHED and fees.versions.count() == 1


DRAFTING = {Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.BRANCH_ADMIN}


@pytest.mark.parametrize("role", [r for r in Role if r not in DRAFTING])
def test_only_knowledge_editors_may_import(role, client, users_by_role):
    client.force_login(users_by_role[role])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"file": upload(jsonl(FEES)), "action": "import"}).status_code == 403
    assert client.post(API, {"file": upload(jsonl(FEES))}).status_code == 403
    assert Article.objects.count() == 0 and nothing_stored()


def test_a_teller_gets_403_and_anonymous_visitors_sign_in_first(client, teller):
    assert client.get(PAGE).status_code == 302
    assert client.post(API, {"file": upload(jsonl(FEES))}).status_code in (401, 403)
    client.force_login(teller)
    assert client.post(API, {"file": upload(jsonl(FEES))}).status_code == 403
    assert Article.objects.count() == 0


@pytest.mark.parametrize(("members", "says"), [
    ({"kb.jsonl": jsonl(FEES) + b" " * 4 * 1024 * 1024}, "expands to more than"),  # ratio ~1000:1
    ({f"part-{n}.jsonl": jsonl({**FEES, "slug": f"a{n}"}) for n in range(101)}, "more than 100 files"),
    ({"kb.jsonl": jsonl(FEES), "notes.txt": b"notes"}, "only .jsonl, .json and .md files"),
    ({"docs/": b"", "__MACOSX/._kb.jsonl": b"\0"}, "holds no .jsonl, .json or .md file"),
])
def test_a_zip_that_does_not_look_like_an_export_is_refused(editor, members, says):
    response = editor.post(API, {"file": upload(zipped(members), "kb.zip")}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert says in response.json()["errors"]["file"][0]
    assert Article.objects.count() == 0 and nothing_stored()


def test_an_export_uploaded_again_changes_nothing(editor, fees_published, tmp_path):
    call_command("kb_export", str(tmp_path / "kb.json"), "--array")
    data = (tmp_path / "kb.json").read_bytes()
    response = editor.post(API, {"file": upload(data, "kb.json")})
    assert response.status_code == 200
    assert (response.json()["created"], response.json()["unchanged"]) == (0, 1)
    assert ArticleVersion.objects.count() == 1


def test_compliance_officers_hear_of_an_import_once(editor, compliance_officer, live_events,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(API, {"file": upload(jsonl(FEES, LOST))}, HTTP_ACCEPT_LANGUAGE="en")
    notices = [(group, payload) for group, event, payload in live_events
               if event == "knowledge.import_review_requested"]
    assert notices == [(f"user.{compliance_officer.pk}", {
        "count": 2, "url": "/knowledge/review/", "message": "2 imported articles await review."})]


def test_an_article_created_meanwhile_by_someone_else_refuses_the_import(editor, monkeypatch):
    from django.db import IntegrityError

    def collide(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(import_service, "_create", collide)
    response = editor.post(API, {"file": upload(jsonl(FEES))}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "created by someone else just now" in response.json()["errors"]["file"][0]
    assert nothing_stored()


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_import_creates_the_articles_once(require_service, department_staff, monkeypatch):
    """Two imports of one new file at once (PostgreSQL): the second waits for the first's rows,
    then is refused with a message instead of a server error; each article exists once."""
    require_service("postgres")
    from django.db import connection

    first_inserted, outcomes = threading.Event(), {}
    real_tell = import_service._tell_reviewers

    def hold_until_the_other_waits(changed):
        first_inserted.set()
        deadline = time.monotonic() + 30
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:  # waits for a state, not for a fixed time
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                               "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")
                if cursor.fetchone()[0]:
                    outcomes["second waited"] = True
                    break
        real_tell(changed)

    def run(name):
        try:
            translation.activate("en")
            outcomes[name] = import_service.articles_import_upload(
                actor=department_staff, name="kb.jsonl", sha256="0" * 64,
                parts=[("kb.jsonl", jsonl(FEES, LOST).decode())])
        except ValidationError as error:
            outcomes[name] = error.message_dict["file"][0]
        finally:
            connection.close()

    monkeypatch.setattr(import_service, "_tell_reviewers", hold_until_the_other_waits)
    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert first_inserted.wait(30)
    monkeypatch.setattr(import_service, "_tell_reviewers", real_tell)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    first.join(60)
    second.join(60)
    assert outcomes["second waited"] and outcomes["first"]["created"] == 2
    assert "created by someone else just now" in str(outcomes["second"])
    assert Article.objects.count() == 2 and ArticleVersion.objects.count() == 2
