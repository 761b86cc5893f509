"""The data migrations that seed the shipped synonym table give a new database every default
group — also the groups whose first term a later group repeats (issue 21: 0006 keyed the table by
first term and lost five of them)."""

from importlib import import_module

import pytest
from django.apps import apps

from knowledge.models import SynonymGroup
from knowledge.search.dictionary import DEFAULT_SYNONYMS

pytestmark = pytest.mark.django_db

SEEDING = ("0006_default_synonyms_colloquial_and_english", "0008_default_synonyms_glossary",
           "0010_default_synonyms_card_and_apply", "0012_default_synonyms_restore_shared_first_terms",
           "0013_default_synonyms_cards_and_payments", "0014_default_synonyms_bilingual_glossary")
SHARED = import_module("knowledge.migrations.0012_default_synonyms_restore_shared_first_terms")


def seeded() -> set[str]:
    return set(SynonymGroup.objects.values_list("terms", flat=True))


def everything_shipped() -> set[str]:
    return {", ".join(group) for group in DEFAULT_SYNONYMS}


def test_the_table_repeats_some_first_terms_so_the_case_is_real():
    heads = [group[0] for group in DEFAULT_SYNONYMS]
    assert len(heads) > len(set(heads))
    assert {g[0] for g in SHARED.sharing_a_later_first_term()} >= {"提前还款", "逾期", "代办"}


def test_a_new_database_gets_every_default_group():
    SynonymGroup.objects.all().delete()
    for name in SEEDING:
        migration = import_module(f"knowledge.migrations.{name}")
        (getattr(migration, "update_defaults", None) or getattr(migration, "add_new_defaults", None)
         or migration.restore)(apps, None)
    assert seeded() == everything_shipped()


def test_a_database_seeded_by_the_old_0006_gets_the_lost_groups_and_keeps_editors_rows():
    SynonymGroup.objects.all().delete()
    lost = {", ".join(g) for g in SHARED.sharing_a_later_first_term()}
    for terms in everything_shipped() - lost:
        SynonymGroup.objects.create(terms=terms)
    SynonymGroup.objects.create(terms="网点, 营业点")  # an editor's own group
    SHARED.restore(apps, None)
    assert seeded() == everything_shipped() | {"网点, 营业点"}


def test_a_database_seeded_before_0013_gets_its_groups_and_keeps_editors_rows():
    cards = import_module("knowledge.migrations.0013_default_synonyms_cards_and_payments")
    new = {", ".join(g) for g in cards.new_groups()}
    assert len(new) == 12 and "激活, 开卡, activate" in new
    assert_added_where_missing(cards, new, editors_row="账单日, 出账日")


def assert_added_where_missing(migration, new: set[str], *, editors_row: str) -> None:
    SynonymGroup.objects.all().delete()
    for terms in everything_shipped() - new:
        SynonymGroup.objects.create(terms=terms)
    SynonymGroup.objects.create(terms=editors_row)  # an editor's own, narrower group
    migration.add_new_defaults(apps, None)
    migration.add_new_defaults(apps, None)  # twice: nothing doubled
    assert seeded() == everything_shipped() | {editors_row}


def test_a_database_seeded_before_0014_gets_the_glossary_and_keeps_editors_rows():
    glossary = import_module("knowledge.migrations.0014_default_synonyms_bilingual_glossary")
    new = {", ".join(g) for g in glossary.new_groups()}
    assert any("escrow" in g for g in new) and not any("activate" in g for g in new)
    assert_added_where_missing(glossary, new, editors_row="解押, 解除抵押")
