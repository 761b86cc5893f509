"""Every live article's stored search terms written again: the analysis now also keeps a name the
text puts in brackets or quotes (城乡居民医保（新农合）, “丰收贷”) and each tag as a whole word
(收款码), so pinyin initials (xnh, skm) and spellings find them. On PostgreSQL the terms are stored
in the article row (the embedded profile analyses at start-up and needs nothing); the term
statistics follow through their trigger."""

from django.db import migrations


def reindex(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from knowledge.searching import INDEX_SQL, index_params

    Article = apps.get_model("knowledge", "Article")
    rows = Article.objects.filter(live_version__isnull=False).select_related("live_version", "category")
    with schema_editor.connection.cursor() as cursor:
        for article in rows.iterator(chunk_size=500):
            version = article.live_version
            cursor.execute(INDEX_SQL, index_params(article.pk, title=version.title, tags=version.tags,
                                                   section=article.category.name_zh_hans,
                                                   body=version.body))


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0014_default_synonyms_bilingual_glossary")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
