"""The shipped synonym table: a bare 卡 (卡丢了, 卡被吞了) means the bank card — a one-character
member only triggers when the query says it alone, never inside 信用卡 — and 申请 / 办张 / apply
join up. The bank-card group is replaced only if an editor has not changed it; groups editors
wrote are left alone. (On a new database 0006 and 0008 already seed the current table.)"""

from django.db import migrations

from knowledge.search.dictionary import DEFAULT_SYNONYMS

BANK_CARD_BEFORE = ("借记卡", "储蓄卡", "银行卡", "debit card")
NEW_GROUPS = [g for g in DEFAULT_SYNONYMS if g[0] == "申请"]


def update_defaults(apps, schema_editor):
    SynonymGroup = apps.get_model("knowledge", "SynonymGroup")
    current = next(g for g in DEFAULT_SYNONYMS if g[0] == "借记卡")
    SynonymGroup.objects.filter(terms=", ".join(BANK_CARD_BEFORE)).update(terms=", ".join(current))
    for group in NEW_GROUPS:
        SynonymGroup.objects.get_or_create(terms=", ".join(group))


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0009_merge_glossary_and_labels")]

    operations = [migrations.RunPython(update_defaults, migrations.RunPython.noop)]
