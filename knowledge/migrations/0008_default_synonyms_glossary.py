"""The shipped synonym table grows again: general banking vocabulary as customers say it and
its English (car loan → 车贷, 存死期 → 定期存款, safe deposit box → 保管箱). Only groups that
are not there yet are added; groups editors wrote or changed are left alone. (0006 seeds a new
database with the whole current table, so on a new database this adds nothing.)"""

from django.db import migrations

from knowledge.search.dictionary import DEFAULT_SYNONYMS

# The first group this migration brings: it and every group after it in the table are new.
FIRST_NEW = ("保管箱", "保险箱")


def add_new_defaults(apps, schema_editor):
    SynonymGroup = apps.get_model("knowledge", "SynonymGroup")
    start = next(i for i, g in enumerate(DEFAULT_SYNONYMS) if g[:2] == FIRST_NEW)
    for group in DEFAULT_SYNONYMS[start:]:
        SynonymGroup.objects.get_or_create(terms=", ".join(group))


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0007_assistant_clarification_options")]

    operations = [migrations.RunPython(add_new_defaults, migrations.RunPython.noop)]
