"""Contributors: the journal's staff and its guest writers."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from journal.models.articles import Article, Byline, published_article_count


class ContributorQuerySet(models.QuerySet):
    def known_to_readers(self):
        """Contributors with at least one published article, without counting them.

        A guest whose only piece is still scheduled stays unknown until it goes
        live. One index probe per contributor, where counting every
        contributor's articles reads every byline of the archive.
        """
        published = Article.objects.published().filter(pk=OuterRef("article_id"))
        return self.filter(
            Exists(Byline.objects.filter(contributor=OuterRef("pk")).filter(Exists(published)))
        )

    def with_published_work(self):
        """Contributors readers may know of: those with at least one published article.

        A guest whose only piece is still scheduled stays unknown until it goes
        live. Each row carries `article_count`, its number of published articles.
        """
        return self.annotate(
            article_count=published_article_count(bylines__contributor=OuterRef("pk"))
        ).filter(article_count__gt=0)


class Contributor(models.Model):
    """A person who writes for the journal: staff, or a guest such as a former ambassador."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        GUEST = "guest", _("Guest contributor")

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True, help_text=_("Used in the page address."))
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.STAFF)
    position = models.CharField(
        max_length=255,
        blank=True,
        help_text=_(
            'Shown under the name, e.g. "Former Ambassador of the Republic of Korea to the '
            'Republic of Kazakhstan".'
        ),
    )
    affiliation = models.CharField(
        max_length=255, blank=True, help_text=_("Institution or outlet, if any.")
    )
    bio = models.TextField(blank=True, help_text=_("A short paragraph for the contributor page."))
    photo = models.ImageField(
        upload_to="contributors/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    email = models.EmailField(blank=True, help_text=_("For the desk only; never shown."))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributor",
        help_text=_("The login this contributor uses, if they write in the admin."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContributorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("journal:contributor_detail", kwargs={"slug": self.slug})
