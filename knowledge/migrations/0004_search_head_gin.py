"""GIN index on the head vector (title, tags, section): search picks its ranked candidates among
articles whose head matches, without visiting every article whose body mentions a word. A btree
index on `content_changed_at` answers the search caches' "did anything change?" from the index."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS knowledge_article_head_gin "
                              "ON knowledge_article USING gin (search_head)")
        schema_editor.execute("CREATE INDEX IF NOT EXISTS knowledge_article_changed_at "
                              "ON knowledge_article (content_changed_at)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS knowledge_article_head_gin")
        schema_editor.execute("DROP INDEX IF EXISTS knowledge_article_changed_at")


class Migration(migrations.Migration):

    dependencies = [
        ('knowledge', '0003_search_head_and_chars'),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
