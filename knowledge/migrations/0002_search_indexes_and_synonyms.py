"""PostgreSQL search indexes (GIN on the tsvector, pg_trgm on titles) and the seed synonym table."""

from django.db import migrations

from knowledge.search.dictionary import DEFAULT_SYNONYMS

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS knowledge_article_search_gin "
    "ON knowledge_article USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS knowledge_article_title_trgm "
    "ON knowledge_article USING gin (search_title gin_trgm_ops)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS knowledge_article_title_trgm",
    "DROP INDEX IF EXISTS knowledge_article_search_gin",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_UP:
            schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DOWN:
            schema_editor.execute(statement)


def seed_synonyms(apps, schema_editor):
    SynonymGroup = apps.get_model("knowledge", "SynonymGroup")
    for group in DEFAULT_SYNONYMS:
        SynonymGroup.objects.get_or_create(terms=", ".join(group))


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_articles_versions_assistant")]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
    ]
