"""Related coverage: the articles ranked as most related to each article, kept as rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from journal.models.articles import Article


class RelatedArticle(models.Model):
    """`related` is the `position`-th most related article to `article`.

    Written by `journal.services.related` when an article's tags change or it
    is published, so the article page reads its related coverage with one
    indexed join instead of ranking the archive. Rows may name articles
    readers cannot see (scheduled, since unpublished): the page reads them
    through `Article.objects.published()`, and more are kept than it shows.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_rows")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_to_rows")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("related article")
        verbose_name_plural = _("related articles")
        ordering = ["article", "position"]
        constraints = [
            # Also the index the article page reads its rows by.
            models.UniqueConstraint(
                fields=["article", "position"], name="journal_related_article_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id} ({self.position})"
