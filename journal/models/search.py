"""The search index's rows: each published article's place, publish time, language and words."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from journal.models.articles import Article


class SearchEntry(models.Model):
    """One published article as search reads it, written by `journal.search.index`.

    A search finds its newest matches and their languages here, without the
    articles' wide rows. On PostgreSQL the row holds the weighted vector
    itself, behind a GIN index (made by migration 0027). On SQLite the words
    are in the FTS5 table `journal_article_search`, whose rows are numbered
    by `order_key` (the publish second, then the id: publication order); a
    trigger deletes an entry's FTS5 row with it.
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    publish_at = models.DateTimeField(_("publish time"))
    language = models.CharField(_("language"), max_length=8)
    order_key = models.BigIntegerField(_("place in the index"), null=True, unique=True)
    search_vector = SearchVectorField(null=True)

    class Meta:
        db_table = "journal_search_entry"
        ordering = ["-publish_at", "-article"]
        indexes = [
            # Newest first: PostgreSQL walks it for the newest matches of common
            # words, checking each row's vector, instead of reading every match.
            models.Index(fields=["-publish_at", "-article"], name="search_entry_newest"),
            # SQLite reads each match's language by its place in the index
            # alone, without the entry's row (journal.search.results).
            models.Index(
                fields=["order_key", "language"],
                name="search_entry_place_language",
                condition=models.Q(order_key__isnull=False),
            ),
        ]
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")

    def __str__(self) -> str:
        return f"{self.article_id} ({self.language}, {self.publish_at:%Y-%m-%d %H:%M})"
