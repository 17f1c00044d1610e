"""An index answering "may readers see article N?" without reading its row (SQLite).

Search joins each full-text match to its article to keep the published ones.
SQLite stores an article's status and publish time after its body, so each
look-up read the body's pages too; this index holds them beside the id.
PostgreSQL reads the matches' rows for the search vector anyway.
"""

from django.db import migrations

NAME = "journal_article_visibility_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON journal_article (id, status, publish_at)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("journal", "0014_article_published_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
