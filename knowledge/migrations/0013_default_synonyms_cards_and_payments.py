"""The shipped synonym table gains twelve groups of general card, payment and loan vocabulary as
customers say it (出账日 for 账单日, 副卡 for 附属卡, 开卡 for 激活, 多扣 for 重复扣款 …). Added
where no row holds them; groups editors wrote or changed are left alone. (0006 seeds a new
database with the whole current table, so there this adds nothing.)"""

from django.db import migrations

from knowledge.search.dictionary import DEFAULT_SYNONYMS

FIRST_NEW = ("降低", "调低")


def new_groups() -> list[tuple[str, ...]]:
    start = next(i for i, g in enumerate(DEFAULT_SYNONYMS) if g[:2] == FIRST_NEW)
    end = next(i for i, g in enumerate(DEFAULT_SYNONYMS) if g[:2] == ("解押", "抵押注销"))
    return list(DEFAULT_SYNONYMS[start:end])


def add_groups(apps, groups) -> None:
    SynonymGroup = apps.get_model("knowledge", "SynonymGroup")
    for group in groups:
        SynonymGroup.objects.get_or_create(terms=", ".join(group))


def add_new_defaults(apps, schema_editor):
    add_groups(apps, new_groups())


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0012_default_synonyms_restore_shared_first_terms")]

    operations = [migrations.RunPython(add_new_defaults, migrations.RunPython.noop)]
