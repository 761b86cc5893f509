"""The shipped synonym table gains a bilingual glossary of general banking terms (解押 / release
mortgage, 资金监管 / escrow, 外汇账户 / foreign currency account, 溢缴款 / overpayment …), so a
foreign customer or a teller asking in English reaches content written only in Chinese. Added
where no row holds them; groups editors wrote or changed are left alone. (0006 seeds a new
database with the whole current table, so there this adds nothing.)"""

from importlib import import_module

from django.db import migrations

from knowledge.search.dictionary import DEFAULT_SYNONYMS

FIRST_NEW = ("解押", "抵押注销")
CARDS = import_module("knowledge.migrations.0013_default_synonyms_cards_and_payments")


def new_groups() -> list[tuple[str, ...]]:
    start = next(i for i, g in enumerate(DEFAULT_SYNONYMS) if g[:2] == FIRST_NEW)
    return list(DEFAULT_SYNONYMS[start:])


def add_new_defaults(apps, schema_editor):
    CARDS.add_groups(apps, new_groups())


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0013_default_synonyms_cards_and_payments")]

    operations = [migrations.RunPython(add_new_defaults, migrations.RunPython.noop)]
