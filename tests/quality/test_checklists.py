"""Head office edits the checklist by publishing a new version; an inspection keeps the version it
was scheduled on."""

import pytest

from quality.models import ChecklistVersion, Inspection
from quality.scoring import weighted_score

pytestmark = pytest.mark.usefixtures("clock")


def _form(version, *, change=None, extra=None, note="新增一项"):
    data, rows = {}, list(version.items.all())
    for index, item in enumerate(rows):
        row = {
            "code": item.code,
            "section": item.section,
            "text_zh_hans": item.text_zh_hans,
            "text_en": item.text_en,
            "weight": item.weight,
        }
        row.update((change or {}).get(item.code, {}))
        data.update({f"items-{index}-{key}": value for key, value in row.items()})
    total = len(rows)
    if extra:
        data.update({f"items-{total}-{key}": value for key, value in extra.items()})
        total += 1
    data.update({"items-TOTAL_FORMS": total, "items-INITIAL_FORMS": len(rows), "note": note})
    return data


def test_head_office_publishes_a_new_version_and_scheduled_inspections_keep_theirs(
    client, standard, scheduled, head_office_admin
):
    first = scheduled.checklist_version
    client.force_login(head_office_admin)

    response = client.post(
        "/quality/checklist/",
        _form(
            first,
            change={"farewell": {"DELETE": "on"}},
            extra={
                "code": "sg-hearing",
                "section": "special_groups",
                "text_zh_hans": "为听障客户提供手写板",
                "text_en": "Writing pad for customers with hearing loss",
                "weight": 4,
            },
        ),
    )

    assert response.status_code == 302
    second = ChecklistVersion.objects.get(number=2)
    codes = set(second.items.values_list("code", flat=True))
    assert "sg-hearing" in codes and "farewell" not in codes and second.items.count() == 25
    assert Inspection.objects.get().checklist_version == first and first.items.count() == 25


def test_a_weight_out_of_range_is_refused_and_nothing_is_published(client, standard, head_office_admin):
    client.force_login(head_office_admin)
    first = ChecklistVersion.objects.get()

    response = client.post(
        "/quality/checklist/",
        _form(first, change={"env-clean": {"weight": 11}}),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert ChecklistVersion.objects.count() == 1


def test_only_head_office_edits_the_checklist(client, standard, branch_admin, inspector):
    for user in (branch_admin, inspector):
        client.force_login(user)
        assert client.get("/quality/checklist/").status_code == 403


def test_the_standard_has_25_items_in_five_sections(standard):
    version = standard.versions.get()
    assert version.items.count() == 25
    assert set(version.items.values_list("section", flat=True)) == {
        "greeting",
        "environment",
        "process",
        "compliance",
        "special_groups",
    }


@pytest.mark.parametrize(
    ("pairs", "score"),
    [
        ([("pass", 5), ("fail", 5)], "50.0"),
        ([("pass", 3), ("partial", 2), ("na", 10)], "80.0"),
        ([("partial", 1), ("partial", 2)], "50.0"),
        ([("na", 4)], None),
        ([("pass", 2), ("fail", 1)], "66.7"),
    ],
)
def test_the_score_weighs_each_item(pairs, score):
    result = weighted_score(pairs)
    assert (str(result) if result is not None else None) == score
