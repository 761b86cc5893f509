"""The default synonym groups that share their first term with a later group (提前还款 / 提前还贷
/ 还一部分 …, 逾期 / 晚还 …, 代办 / 替我 …, 吞卡 / 吞了 …, 风险测评 / 风险评估 …) were never
seeded: 0006 keyed the shipped table by first term, so the later group of each pair overwrote
the earlier one. They are added when no row holds them; nothing else is touched."""

from django.db import migrations

from knowledge.search.dictionary import DEFAULT_SYNONYMS


def sharing_a_later_first_term() -> list[tuple[str, ...]]:
    return [group for i, group in enumerate(DEFAULT_SYNONYMS)
            if any(later[0] == group[0] for later in DEFAULT_SYNONYMS[i + 1:])]


def restore(apps, schema_editor):
    SynonymGroup = apps.get_model("knowledge", "SynonymGroup")
    for group in sharing_a_later_first_term():
        SynonymGroup.objects.get_or_create(terms=", ".join(group))


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0011_term_statistics")]

    operations = [migrations.RunPython(restore, migrations.RunPython.noop)]
