"""The index search joins its matches to, now known to Django's model state.

Migration 0015 created it for SQLite by hand; SQLite rebuilds a table to add
a field (0018), and the rebuilt table kept only the indexes the models name,
so every search read each matching article's row again. Declared on the
model, it survives such rebuilds; it now holds the language too, which
search orders by. Where the database keeps planner statistics, the table's
are gathered again at once: SQLite's planner prefers the table's own key to
an index it knows nothing about.
"""

from django.db import migrations, models


def drop_hand_made_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS journal_article_visibility_idx")


def analyse(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        analysed = cursor.fetchone() is not None
    if analysed:
        schema_editor.execute("ANALYZE journal_article")


class Migration(migrations.Migration):
    dependencies = [("journal", "0022_outgoing_email")]

    operations = [
        migrations.RunPython(drop_hand_made_index, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["id", "status", "publish_at", "language"],
                name="journal_article_visible_idx",
            ),
        ),
        migrations.RunPython(analyse, migrations.RunPython.noop),
    ]
