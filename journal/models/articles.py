"""Articles with their bylines and corrections, and how pages query them."""

import datetime
import functools
import html
import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Count, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, get_text_list
from django.utils.text import slugify as django_slugify
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_language

from journal.models.addresses import article_address
from journal.sanitiser import clean_body_html, has_image_without_description, refused_body_tags
from summits.models import Country, Framework, Summit
from summits.slugs import slugify

UPDATE_GRACE = datetime.timedelta(minutes=1)
# The columns article cards and the home page's lead read.
CARD_FIELDS = [
    "title", "slug", "language", "standfirst", "section", "status", "publish_at", "featured",
    "hero_image", "hero_width", "hero_height", "hero_alt", "updated_at",
]  # fmt: skip


def check_storable_time(value: datetime.datetime | None) -> None:
    """Refuse a time the database cannot store: kept in UTC, it must fall within years 1 to 9999."""
    if value is None or timezone.is_naive(value):
        return
    try:
        value.astimezone(datetime.UTC)
    except OverflowError as error:
        raise ValidationError(
            _("This date is too far in the past or the future."), code="out_of_range"
        ) from error


def published_article_count(**filters):
    """A subquery counting published articles, for annotating rows articles are tagged with.

    Example: `Country.objects.annotate(n=published_article_count(countries=OuterRef("pk")))`.
    """
    return Coalesce(
        Subquery(
            Article.objects.published()
            .filter(**filters)
            .order_by()
            .values(*filters.keys())
            .annotate(total=Count("pk", distinct=True))
            .values("total")[:1]
        ),
        0,
    )


# A headline's address is cut after a whole word near this length.
HEADLINE_SLUG_LENGTH = 80


def headline_slug(title: str) -> str:
    """The address a headline gives: "C5+1 ministers meet" → "c5-plus-1-ministers-meet".

    The record's slug rule (`summits.slugs`), keeping Hangul and Cyrillic.
    """
    return slugify(title, allow_unicode=True, max_length=HEADLINE_SLUG_LENGTH)


def is_headline_slug(slug: str, title: str) -> bool:
    """Whether `slug` is what `title` gave, numbered when it was taken ("-2"), rather
    than one typed by hand. Slugs made before the record's rule (Django's) count too;
    a year typed after the headline's words ("-2024") is the editor's."""
    legacy = django_slugify(title, allow_unicode=True)
    given = {headline_slug(title), legacy, legacy[: HEADLINE_SLUG_LENGTH + 1].rsplit("-", 1)[0]}
    numbered = r"(?:-[2-9]|-[1-9][0-9])?"
    return any(re.fullmatch(re.escape(base) + numbered, slug) for base in given if base)


def author_line(names) -> str:
    """ "A, B and C": names as a byline gives them (`Article.author_names`, cards)."""
    return get_text_list(list(names), _("and"))


def default_language() -> str:
    """A new article's language: the journal's default (DJANGO_LANGUAGE_CODE)."""
    return settings.LANGUAGE_CODE


def hero_image_path(instance, filename: str) -> str:
    """An unguessable name, so an embargoed article's image cannot be found early."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"articles/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def card_bylines() -> Prefetch:
    """The bylines an article card names, in order, with only what it shows of contributors."""
    return Prefetch(
        "bylines",
        queryset=Byline.objects.select_related("contributor")
        .only("article", "role", "order", "contributor__name", "contributor__slug")
        .order_by("order", "pk"),
    )


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: published, and the publish time has come.

        This is the only definition of public visibility; every reader page,
        feed, count and search starts from it. A scheduled article is simply a
        published one whose time is in the future, so it goes live without a
        worker.
        """
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now)

    def hidden(self, now=None):
        """What `published()` leaves out, read from the status index: drafts, articles in
        review, archived and scheduled ones."""
        now = now or timezone.now()
        others = [status for status in Article.Status.values if status != Article.Status.PUBLISHED]
        return self.filter(
            Q(status__in=others) | Q(status=Article.Status.PUBLISHED, publish_at__gt=now)
        )

    def scheduled(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)

    def with_bylines(self):
        """Articles with their bylines and contributors, in byline order: one more query."""
        return self.prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("contributor").order_by("order", "pk"),
            )
        )

    def with_cards(self):
        """What an article card shows: the columns, and the bylines with their names.

        Bodies stay in the database: twenty of them are most of the bytes a
        list page would read, and a card shows the standfirst. Lists rendered
        with `{% article_cards %}` take the columns only (`card_columns()`):
        the tag loads bylines for the cards it has to render.
        """
        return self.card_columns().prefetch_related(card_bylines())

    def card_columns(self):
        return self.only(*CARD_FIELDS)

    def tags_of(self, article: "Article") -> tuple[list, list, list]:
        """The article's countries, frameworks and summits, in their usual order, in one query.

        Each carries what pages show of it and link to (names and slugs), not
        its whole row; the article page shows them on every first visit. The
        SQL is written out: built with the ORM, the three parts of the union
        cost more to compile than to run.
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(_tags_sql(get_language()), [article.pk] * 3)
            rows = cursor.fetchall()
        countries, frameworks, summits = [], [], []
        for kind, pk, name, slug, sort_date in rows:
            if kind == 0:
                countries.append(Country(pk=pk, name=name, slug=slug))
            elif kind == 1:
                frameworks.append(Framework(pk=pk, short_name=name, slug=slug))
            else:
                if isinstance(sort_date, str):  # SQLite gives dates as text
                    sort_date = datetime.date.fromisoformat(sort_date)
                summits.append(Summit(pk=pk, title=name, slug=slug, sort_date=sort_date))
        countries.sort(key=lambda country: country.name)
        frameworks.sort(key=lambda framework: framework.short_name)
        # As Summit's ordering: latest first, undated last, then by title.
        summits.sort(key=lambda summit: summit.title)
        summits.sort(key=lambda summit: summit.sort_date or datetime.date.min, reverse=True)
        return countries, frameworks, summits

    def latest_per_framework(self, frameworks, *, per_framework: int) -> list[tuple[int, int]]:
        """(framework id, article id) pairs: each framework's newest articles in this set.

        One small query per framework, sent as one UNION ALL: each reads the
        newest articles down the publication-time index until it has enough,
        where a window over every tagged article would read the whole archive.
        """
        parts, params = [], []
        for framework in frameworks:
            newest = (
                self.filter(frameworks=framework)
                .order_by("-publish_at", "-pk")
                .values_list(Value(framework.pk), "pk")[:per_framework]
            )
            sql, part_params = newest.query.sql_with_params()
            # Wrapped, because SQLite allows no LIMIT in a compound query's parts.
            parts.append(f"SELECT * FROM ({sql}) AS newest_{len(parts)}")
            params.extend(part_params)
        if not parts:
            return []
        with connections[self.db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            return [(framework_id, article_id) for framework_id, article_id in cursor.fetchall()]


@functools.cache
def _tags_sql(language: str) -> str:
    """`tags_of`'s query: (kind, id, name, slug, date) of each tag of one article.

    Names in `language`, or in English where the record has none in it
    (summits/translation.py).
    """
    parts = []
    for kind, (field, name, date) in enumerate(
        [
            ("countries", "name", None),
            ("frameworks", "short_name", None),
            ("summits", "title", "sort_date"),
        ]
    ):
        relation = Article._meta.get_field(field)
        through = relation.remote_field.through._meta
        record = relation.related_model._meta
        link = relation.m2m_reverse_name()
        worded = f"COALESCE(NULLIF(r.{name}_{language}, ''), r.{name}_en, r.{name})"
        parts.append(
            f"SELECT {kind}, r.id, {worded}, r.slug, "
            f"{'r.' + date if date else 'CAST(NULL AS date)'} "
            f"FROM {record.db_table} r JOIN {through.db_table} t ON t.{link} = r.id "
            f"WHERE t.{relation.m2m_column_name()} = %s"
        )
    return " UNION ALL ".join(parts)


class Article(models.Model):
    class Section(models.TextChoices):
        NEWS = "news", _("News")
        ANALYSIS = "analysis", _("Analysis")
        OPINION = "opinion", _("Opinion")
        CONTRIBUTION = "contribution", _("Contribution")
        INTERVIEW = "interview", _("Interview")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(max_length=255, help_text=_("The headline."))
    # Hangul and Cyrillic stay as they are: readers see words they can read in
    # the address bar (browsers show them decoded), unique within a language.
    slug = models.SlugField(
        max_length=255,
        allow_unicode=True,
        help_text=_("The page address; filled in from the headline."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=default_language,
        help_text=_("The language the article is written in."),
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        # Indexed below for translations only: most articles have no original,
        # and an index counting them all as one value leads SQLite's planner
        # to read every published article rather than one translation group.
        db_index=False,
        related_name="translations",
        verbose_name=_("translation of"),
        help_text=_("The original this article translates; readers are offered each other."),
    )
    standfirst = models.TextField(
        blank=True,
        help_text=_("One or two sentences under the headline; also used in lists and previews."),
    )
    body = models.TextField(
        blank=True,
        help_text=_(
            "Paragraphs, subheadings (h2-h4), bold, italic, links, lists, quotes and images "
            "with captions. Plain text becomes paragraphs at each blank line. Tables, code "
            "blocks and embeds are not published."
        ),
    )
    editors_note = models.TextField(
        _("editor's note"),
        blank=True,
        help_text=_(
            "Set apart above the body, e.g. who the contributor is and how the piece came."
        ),
    )
    credit_line = models.CharField(
        max_length=255,
        blank=True,
        help_text=_('e.g. "Submitted through the Embassy of Kazakhstan in Seoul".'),
    )
    section = models.CharField(max_length=12, choices=Section.choices, default=Section.NEWS)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_("A time in the future schedules the article; it goes live then by itself."),
    )
    review_note = models.TextField(
        blank=True,
        help_text=_("The editor's note to the writer when the article is sent back to draft."),
    )
    featured = models.BooleanField(
        default=False, help_text=_("Lead story on the home page (the latest featured one wins).")
    )
    hero_image = models.ImageField(
        upload_to=hero_image_path,
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
    )
    # Stored so pages can size images without opening the files.
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(
        _("image description"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    hero_caption = models.CharField(max_length=255, blank=True)
    hero_credit = models.CharField(max_length=255, blank=True, help_text=_("Photographer/agency."))
    countries = models.ManyToManyField(Country, related_name="articles", blank=True)
    frameworks = models.ManyToManyField(Framework, related_name="articles", blank=True)
    summits = models.ManyToManyField(Summit, related_name="articles", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    import_key = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Fingerprint of the plain-text file this article was imported from."),
    )
    title_is_provisional = models.BooleanField(
        _("title needs confirming"),
        default=False,
        help_text=_(
            "Set when an import found no title line. Untick it once the headline is right; "
            "the article cannot be published until then."
        ),
    )
    bylines_need_checking = models.BooleanField(
        _("bylines need checking"),
        default=False,
        help_text=_(
            "Set when an import took names without “By” for the writers. Untick it once the "
            "bylines are right; the article cannot be published until then."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and archive articles"),
            ("edit_any_article", "Can edit articles by anyone, in any state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="journal_article_published_has_time",
                violation_error_message=_("A published article needs a publish time."),
            ),
            models.UniqueConstraint(
                fields=["language", "slug"],
                name="journal_article_slug_per_language",
                violation_error_message=_("Another article in this language has this address."),
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="journal_article_one_translation_per_language",
                violation_error_message=_(
                    "This article already has a translation in that language."
                ),
            ),
            models.UniqueConstraint(
                fields=["import_key"],
                condition=~Q(import_key=""),
                name="journal_article_import_key_unique",
                violation_error_message=_("This file has already been imported."),
            ),
        ]
        indexes = [
            # Published articles newest first, read from the index alone:
            # counts, pages of a list deep in the archive, tallies joined by id.
            models.Index(
                fields=["status", "publish_at", "id"], name="journal_article_published_idx"
            ),
            models.Index(fields=["section", "status", "publish_at"]),
            models.Index(
                fields=["translation_of"],
                condition=Q(translation_of__isnull=False),
                name="journal_article_transl_idx",
            ),
            # A language's newest published articles (the front page, feeds).
            models.Index(
                fields=["language", "status", "publish_at"], name="journal_article_language_idx"
            ),
            models.Index(fields=["-updated_at"]),
            # The desk's list, newest first, across every status.
            models.Index(fields=["-publish_at", "-id"], name="journal_article_newest_idx"),
            # "May readers see article N, and in which language?" without
            # reading its row: SQLite's search joins each full-text match to
            # its article, and stores status and publish time after the body.
            models.Index(
                fields=["id", "status", "publish_at", "language"],
                name="journal_article_visible_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_body_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The article's own address: under its language's prefix, whatever the reader's."""
        return article_address(self.language, self.slug)

    def address_in(self, language: str) -> str:
        """The article under another language's prefix: its page with that interface."""
        return article_address(language, self.slug)

    @property
    def slug_follows_headline(self) -> bool:
        """Whether the address still changes with the headline.

        Until the article is first published or scheduled (it then has a
        publish time, which unpublishing keeps), unless someone typed an
        address of their own. A translation keeps its original's address.
        """
        if self.publish_at is not None or self.translation_of_id is not None:
            return False
        return not self.slug or is_headline_slug(self.slug, self.title)

    @property
    def original_id(self) -> int:
        """The id its translations share: the original's."""
        return self.translation_of_id or self.pk

    def translation_group(self):
        """This article, its original and every translation of it (any status)."""
        original = self.original_id
        return Article.objects.filter(Q(pk=original) | Q(translation_of=original))

    def clean(self):
        super().clean()
        try:
            check_storable_time(self.publish_at)
        except ValidationError as error:
            raise ValidationError({"publish_at": error}) from error
        if self.status == self.Status.PUBLISHED and not self.publish_at:
            self.publish_at = timezone.now()
        if self.translation_of_id:
            self._check_translation()
        refused = refused_body_tags(self.body)
        if refused:
            raise ValidationError(
                {
                    "body": _("The body contains elements we do not publish: %(tags)s.")
                    % {"tags": ", ".join(f"<{tag}>" for tag in refused)}
                }
            )
        # Images are described on every save; a published article keeps to
        # the rest of the rules its row can show.
        if self.status == self.Status.PUBLISHED:
            errors = self.publication_errors(relations=False)
        else:
            errors = self._description_errors()
        if errors:
            raise ValidationError(errors)

    def _check_translation(self) -> None:
        original = (
            Article.objects.filter(pk=self.translation_of_id)
            .only("language", "translation_of")
            .first()
        )
        if original is None:
            return
        if original.translation_of_id:  # a translation of a translation: of the original
            self.translation_of_id = original.translation_of_id
            original = Article.objects.only("language").get(pk=self.translation_of_id)
        if self.translation_of_id == self.pk:
            raise ValidationError({"translation_of": _("An article cannot translate itself.")})
        if original.language == self.language:
            raise ValidationError(
                {"translation_of": _("A translation is in another language than its original.")}
            )

    def publication_errors(
        self, *, countries=None, bylines=None, relations=True
    ) -> dict[str, list[str]]:
        """What stops this article from being published, whatever its status, by field.

        The one statement of the publishing rules: forms, services and list
        actions all ask here. Tags and bylines are read from the database
        unless the caller passes those it is about to save (`bylines`: the
        contributors credited); problems with bylines are under "bylines".
        `relations=False` leaves them out.
        """
        errors: dict[str, list[str]] = {}
        if not self.title.strip():
            errors["title"] = [_("An article needs a headline before it is published.")]
        if self.title_is_provisional:
            errors["title_is_provisional"] = [
                _(
                    "The headline was made up from the first words of an imported file. "
                    "Confirm or rewrite it and untick “title needs confirming” before publishing."
                )
            ]
        if self.bylines_need_checking:
            errors["bylines_need_checking"] = [
                _(
                    "An import guessed the writers from a line of names without “By”. Check "
                    "the bylines and untick “bylines need checking” before publishing."
                )
            ]
        if not strip_tags(self.body).strip():
            errors["body"] = [_("An article needs a body before it is published.")]
        for field, messages in self._description_errors().items():
            errors.setdefault(field, []).extend(messages)
        if not relations:
            return errors
        if not (self._saved_any("countries") if countries is None else list(countries)):
            errors["countries"] = [_("Tag at least one country before publishing.")]
        if not (self._saved_any("bylines") if bylines is None else list(bylines)):
            errors["bylines"] = [_("Add at least one byline before publishing.")]
        return errors

    def _saved_any(self, relation: str) -> bool:
        return self.pk is not None and getattr(self, relation).exists()

    def _description_errors(self) -> dict[str, list[str]]:
        """Images without a description for readers who cannot see them: refused on every save."""
        errors = {}
        if self.hero_image and not self.hero_alt.strip():
            errors["hero_alt"] = [_("Describe the image for readers who cannot see it.")]
        if has_image_without_description(self.body):
            errors["body"] = [_("Describe every image in the body for readers who cannot see it.")]
        return errors

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @property
    def revised_at(self):
        """When readers should be told the article changed, or None.

        Saves within a minute of publication (publishing itself, a quick fix)
        do not count as an update.
        """
        if self.publish_at and self.updated_at - self.publish_at > UPDATE_GRACE:
            return self.updated_at
        return None

    @property
    def author_names(self) -> str:
        """ "A, B and C": everyone credited except translators, in byline order."""
        return author_line(
            byline.contributor.name
            for byline in self.bylines.all()
            if byline.role != Byline.Role.TRANSLATOR
        )

    @property
    def section_label(self) -> str:
        """The section's name; `get_section_display()` rebuilds a dictionary of choices per call."""
        return SECTION_LABELS.get(self.section, self.section)

    @property
    def summary(self) -> str:
        """The standfirst, or the start of the body when there is none."""
        if self.standfirst:
            return self.standfirst
        return Truncator(html.unescape(strip_tags(self.body))).words(40)


SECTION_LABELS = dict(Article.Section.choices)


class Byline(models.Model):
    """One contributor credited on an article, in the order readers see."""

    class Role(models.TextChoices):
        AUTHOR = "author", _("Author")
        CONTRIBUTOR = "contributor", _("Contributor")
        TRANSLATOR = "translator", _("Translator")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    contributor = models.ForeignKey(
        "journal.Contributor", on_delete=models.PROTECT, related_name="bylines"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.AUTHOR)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "contributor", "role"],
                name="journal_byline_unique_role",
                violation_error_message=_("This contributor already has this role on the article."),
            )
        ]

    def __str__(self):
        return f"{self.contributor} ({self.get_role_display()})"


class Correction(models.Model):
    """A dated note telling readers what was wrong in a published article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(
        help_text=_("What was wrong and what is right, as readers will see it."),
    )
    published_at = models.DateTimeField(_("date"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["published_at", "pk"]

    def __str__(self):
        return f"Correction to “{self.article}” ({self.published_at:%Y-%m-%d})"

    def clean(self):
        super().clean()
        try:
            check_storable_time(self.published_at)
        except ValidationError as error:
            raise ValidationError({"published_at": error}) from error
