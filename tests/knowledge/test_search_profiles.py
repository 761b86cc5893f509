"""Both profiles rank with one code path: the database only retrieves candidates, so the same
content gives the same order on SQLite (embedded) and PostgreSQL (production)."""

import json
from pathlib import Path

import pytest

from knowledge import searching

pytestmark = pytest.mark.django_db

QUERIES = [json.loads(line)["query"] for line in
           (Path(__file__).parents[2] / "bench" / "knowledge" / "eval_queries_v2.jsonl")
           .read_text(encoding="utf-8").splitlines() if '"corpus": "demo"' in line]


def in_memory_order(query: str) -> list[str]:
    """What the embedded profile returns for the published content of this database."""
    hits = searching.published_index().search(query, synonyms=searching.synonym_table(), limit=10)
    return [h.slug for h in hits]


def database_order(query: str) -> list[str]:
    return [r.slug for r in searching.search_articles(query, searching.Filters(public_only=False))]


def test_the_queries_cover_every_way_people_ask():
    assert len(QUERIES) > 90


def test_search_returns_the_embedded_order_for_the_same_content(demo_kb):
    different = [q for q in QUERIES if database_order(q) != in_memory_order(q)]
    assert different == []


def test_postgres_returns_the_embedded_order_for_the_same_content(demo_kb, require_service):
    require_service("postgres")
    different = [q for q in QUERIES if database_order(q) != in_memory_order(q)]
    assert different == []


def recounted() -> dict[str, int]:
    """Document frequencies counted from scratch over the published articles' vectors."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(searching.VOCABULARY_SQL)
        return dict(cursor.fetchall())


def test_postgres_keeps_word_statistics_as_content_is_published_and_archived(
        publish_article, compliance_officer, require_service):
    """The statistics table the triggers keep equals a recount after every kind of write, and a
    searcher updates its copy from the rows that changed instead of recounting every article."""
    require_service("postgres")
    from knowledge.models import Article, ArticleVersion, TermStat
    from knowledge.services import article_archive

    def stored() -> dict[str, int]:
        return {t.term: t.documents for t in TermStat.objects.exclude(term__startswith=" ")
                if t.documents > 0}

    publish_article("loss", "借记卡挂失与补卡", "口头挂失有效期5天，7天后补卡。", tags=["挂失"])
    publish_article("en-loss", "Lost card", "Report a lost card by phone.", language="en")
    assert stored() == recounted()
    before = searching._postgres_vocabulary()
    article = publish_article("zz-quokka", "短尾矮袋鼠卡片", "短尾矮袋鼠主题借记卡的申领。")
    assert stored() == recounted()
    searching._cache.clear()  # another process: it notices the content stamp move
    after = searching._postgres_vocabulary()
    assert after is not before and after.documents == before.documents + 1
    assert after.df["袋鼠"] == 1 and "袋鼠" not in before.df
    assert database_order("短尾矮袋鼠")[0] == "zz-quokka"
    article_archive(actor=compliance_officer, article=article)
    assert stored() == recounted()
    Article.objects.filter(slug="loss").update(live_version=None, status="draft")  # as the
    ArticleVersion.objects.filter(article__slug="loss").delete()  # evaluation empties a database
    Article.objects.filter(slug="loss").delete()
    assert stored() == recounted()
    assert TermStat.objects.get(term=" english").documents == 1
    assert TermStat.objects.get(term=" documents").documents == Article.objects.published().count()


def test_words_of_a_rolled_back_publish_do_not_stay_in_the_process_statistics(
        publish_article, require_service):
    """A search inside a transaction that wrote reads its own uncommitted statistics; they must
    not outlive a rollback (a rolled-back row never comes back as a changed row)."""
    require_service("postgres")
    from django.db import transaction

    publish_article("loss", "借记卡挂失与补卡", "口头挂失有效期5天，7天后补卡。", tags=["挂失"])
    with transaction.atomic():
        publish_article("zz-quokka", "短尾矮袋鼠卡片", "短尾矮袋鼠主题借记卡的申领。")
        assert database_order("短尾矮袋鼠")[0] == "zz-quokka"
        transaction.set_rollback(True)
    publish_article("zz-wombat", "袋熊卡片", "袋熊主题借记卡的申领。")
    vocabulary = searching._postgres_vocabulary()
    assert "袋熊" in vocabulary.df
    assert "袋鼠" not in vocabulary.df


def test_a_reused_version_id_never_brings_back_the_text_this_process_saw_under_it(
        publish_article, require_service):
    """After a restore or a flush the id sequence starts again: a new article's version may get
    the id of one this process already read. The search shows the new article, not the old."""
    require_service("postgres")
    from django.db import transaction

    from knowledge.models import Article, ArticleVersion

    old = publish_article("loss", "借记卡挂失与补卡", "口头挂失有效期5天，7天后补卡。", tags=["挂失"])
    assert database_order("挂失") == ["loss"]
    reused = old.live_version_id
    Article.objects.filter(pk=old.pk).update(live_version=None, status="draft")
    ArticleVersion.objects.filter(article=old).delete()
    old.delete()
    new = publish_article("fees", "挂失手续费", "挂失收取10元工本费。", tags=["挂失"])
    with transaction.atomic():  # as a restore writes it: another transaction, the same id
        ArticleVersion.objects.filter(pk=new.live_version_id).update(id=reused)
        Article.objects.filter(pk=new.pk).update(live_version_id=reused)
    results = searching.search_articles("挂失", searching.Filters(public_only=False))
    assert [(r.slug, r.title) for r in results] == [("fees", "挂失手续费")]


def test_postgres_finds_a_bracketed_name_by_its_initials_also_after_the_reindex_migration(
        publish_article, require_service):
    """A name in brackets is stored as a word of its own; migration 0015 writes the terms of
    articles stored before that again."""
    require_service("postgres")
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    from knowledge.models import Article

    article = publish_article("medical", "城乡居民医保（新农合）怎么交费", "每年9月至12月缴费。")
    assert database_order("xnh") == ["medical"]
    old_terms = searching.index_params(article.pk, title="城乡居民医保 怎么交费", tags=[],
                                       section=article.category.name_zh_hans, body="每年9月至12月缴费。")
    with connection.cursor() as cursor:  # as a release before the names stored it
        cursor.execute(searching.INDEX_SQL, old_terms)
    assert "新农合" not in Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)
    migration = import_module("knowledge.migrations.0015_reindex_named_terms")
    with connection.schema_editor() as editor:
        migration.reindex(apps, editor)
    assert "新农合" in Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)
    assert recounted().get("新农合") == 1
