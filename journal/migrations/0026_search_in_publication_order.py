"""SQLite's search index in publication order: superseded by 0027 before release.

This migration numbered the FTS5 table's rows in publication order with a
table of its own, `journal_article_search_order`. Migration 0027 keeps the
idea with a model both databases share (`SearchEntry`), drops that table
where this migration made it, and fills the index again; this one now does
nothing, so that databases and backups that recorded it still migrate and
restore.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("journal", "0025_assignments")]

    operations = []
