"""Search in Korean, English and Russian: stems, syllable pairs, and translations.

PostgreSQL: `journal_hangul_bigrams()` (the same pairs as
journal.search.languages.hangul_bigrams), and every vector built again with
the `russian` configuration (Russian and English stems), Hangul pairs, and
the article's published translations at weight D.

SQLite: the FTS5 table gains the translations' text and, for each field, a
column of its Russian stems and Hangul pairs; it is made again and filled.
"""

from django.db import migrations

from journal.search.index import FTS_COLUMNS, FTS_TABLE

HANGUL_BIGRAMS = r"""
CREATE OR REPLACE FUNCTION journal_hangul_bigrams(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT string_agg(
    CASE WHEN run.text !~ '^[가-힣]' THEN lower(run.text)
         WHEN length(run.text) = 1 THEN run.text
         ELSE substr(run.text, pair.i, 2) END,
    ' ' ORDER BY word.n, run.n, pair.i)
  FROM regexp_matches($1, '\w*[가-힣]\w*', 'g') WITH ORDINALITY AS word(parts, n)
  CROSS JOIN LATERAL regexp_matches(word.parts[1], '[가-힣]+|[^가-힣]+', 'g')
    WITH ORDINALITY AS run_match(parts, n)
  CROSS JOIN LATERAL (SELECT run_match.parts[1] AS text, run_match.n AS n) AS run
  CROSS JOIN LATERAL generate_series(
    1, CASE WHEN run.text ~ '^[가-힣]' THEN greatest(length(run.text) - 1, 1) ELSE 1 END
  ) AS pair(i)
$$
"""


def index_in_three_languages(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(HANGUL_BIGRAMS)
    elif connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(FTS_COLUMNS)}, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
    # The index is filled again by migration 0027, in the layout today's code reads.


class Migration(migrations.Migration):
    dependencies = [("journal", "0020_translations_index")]

    # Going back leaves the richer index: the earlier code reads its first columns.
    operations = [migrations.RunPython(index_in_three_languages, migrations.RunPython.noop)]
