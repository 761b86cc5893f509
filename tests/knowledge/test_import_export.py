"""kb_import reads JSON arrays and JSON Lines; a bad file imports nothing and names its lines."""

import json

import pytest
from django.core.management import CommandError, call_command

from knowledge.models import Article, ArticleVersion

pytestmark = pytest.mark.django_db

GOOD = {"slug": "notice-deposit", "title": "七天通知存款", "body": "5万元起存。", "category": "product",
        "tags": ["通知存款"], "language": "zh-hans"}


def write(tmp_path, lines, name="kb.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_it_imports_json_lines_for_review(tmp_path):
    path = write(tmp_path, [json.dumps(GOOD, ensure_ascii=False),
                            json.dumps({**GOOD, "slug": "fx-quota", "category": "compliance"})])
    call_command("kb_import", str(path))
    assert Article.objects.count() == 2
    assert set(ArticleVersion.objects.values_list("status", flat=True)) == {"submitted"}
    assert not Article.objects.published().exists()


def test_it_publishes_with_the_publish_flag_and_reads_a_json_array(tmp_path):
    path = tmp_path / "kb.json"
    path.write_text(json.dumps([GOOD, {**GOOD, "slug": "other"}], ensure_ascii=False, indent=2))
    call_command("kb_import", str(path), "--publish")
    assert Article.objects.published().count() == 2


def test_a_malformed_file_imports_nothing_and_names_every_bad_line(tmp_path, capsys):
    path = write(tmp_path, [
        json.dumps(GOOD, ensure_ascii=False),
        '{"slug": "broken", "title": ',
        json.dumps({**GOOD, "slug": "bad-category", "category": "rumours"}),
        json.dumps({**GOOD, "slug": "no-body", "body": ""}),
        json.dumps({k: v for k, v in GOOD.items() if k != "language"} | {"slug": "no-lang"}),
        json.dumps(GOOD, ensure_ascii=False),
    ])
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("kb_import", str(path))
    errors = capsys.readouterr().err
    assert "line 2: not valid JSON" in errors
    assert "line 3: category 'rumours' is not one of" in errors
    assert "line 4: 'body' is empty" in errors
    assert "line 5: missing 'language'" in errors
    assert "line 6: slug 'notice-deposit' already appears on line 1" in errors
    assert Article.objects.count() == 0


def test_a_broken_json_array_reports_the_line(tmp_path, capsys):
    path = tmp_path / "kb.json"
    path.write_text('[\n  {"slug": "a", "title": "t", "body": "b", "category": "faq", "tags": [], '
                    '"language": "en"},\n  {"slug": "b",,}\n]\n')
    with pytest.raises(CommandError):
        call_command("kb_import", str(path))
    assert "line 3:" in capsys.readouterr().err
    assert Article.objects.count() == 0


def test_unknown_service_types_are_line_errors(tmp_path, capsys):
    path = write(tmp_path, [json.dumps({**GOOD, "service_types": ["NO_SUCH_SERVICE"]})])
    with pytest.raises(CommandError):
        call_command("kb_import", str(path))
    assert "line 1: unknown service type(s) NO_SUCH_SERVICE" in capsys.readouterr().err


def test_export_writes_what_import_reads(tmp_path):
    source = write(tmp_path, [json.dumps(GOOD, ensure_ascii=False)])
    call_command("kb_import", str(source), "--publish")
    exported = tmp_path / "out.jsonl"
    call_command("kb_export", str(exported))
    row = json.loads(exported.read_text(encoding="utf-8").splitlines()[0])
    assert {k: row[k] for k in GOOD} == GOOD
    call_command("kb_import", str(exported), "--publish")
    assert Article.objects.get(slug="notice-deposit").versions.count() == 1  # nothing changed


def test_reimporting_a_changed_row_makes_one_new_version(tmp_path, capsys):
    call_command("kb_import", str(write(tmp_path, [json.dumps(GOOD, ensure_ascii=False)])), "--publish")
    changed = write(tmp_path, [json.dumps({**GOOD, "body": "5万元起存，提前一天通知。"}, ensure_ascii=False)],
                    name="changed.jsonl")
    call_command("kb_import", str(changed))
    call_command("kb_import", str(changed))
    article = Article.objects.get(slug="notice-deposit")
    assert [v.status for v in article.versions.order_by("number")] == ["published", "submitted"]
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
