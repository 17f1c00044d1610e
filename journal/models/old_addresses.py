"""Articles' former addresses, kept so that old links reach them with a permanent redirect."""

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from journal.models.articles import Article


class ArticleSlugHistoryManager(models.Manager):
    def record_slug_change(self, *, article: Article, old_slug: str | None) -> None:
        """Keep `old_slug` as a former address of `article`, now at `article.slug`.

        The article's current slug is live again, so it stops being anyone's
        former address: going back to an earlier slug cannot loop, and a slug
        taken over by another article serves that article. Pass no `old_slug`
        for a new article. Chains need no rewriting: every former slug points
        at the article itself, so it redirects to the current address in one hop.
        """
        with transaction.atomic(using=self.db):
            self.filter(old_slug__in=[slug for slug in (article.slug, old_slug) if slug]).delete()
            if old_slug and old_slug != article.slug:
                # Not full_clean(): both values come from the saved article row.
                self.create(article=article, old_slug=old_slug)


class ArticleSlugHistory(models.Model):
    """A former address of an article, kept so old links reach it with a permanent redirect.

    Recorded by a signal whenever an article's slug changes (admin, shell or
    service). Only published articles are redirected to; the others stay 404.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_history")
    old_slug = models.SlugField(
        max_length=255,
        unique=True,
        help_text=_("A former page address; links to it go to the article's current page."),
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    objects = ArticleSlugHistoryManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("old article address")
        verbose_name_plural = _("old article addresses")
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_slug=""),
                name="journal_articleslughistory_old_slug_not_empty",
            ),
        ]

    def __str__(self):
        return self.old_slug
