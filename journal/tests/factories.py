"""What the journal's tests build: accounts, contributors, articles, form data, images."""

import datetime
import io

import factory
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from journal.models import Article, Assignment, Byline, Contributor, Subscriber

# The password of accounts that log in through the login page, as people do;
# other accounts have none, and tests log them in with `force_login`.
PASSWORD = "a long and unusual passphrase"


class UserFactory(factory.django.DjangoModelFactory):
    """A staff account: `UserFactory(groups=["Editors"])`, `perms=["view_article"]`."""

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff-{n}")
    is_staff = True
    password = factory.django.Password(None)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get(name=name))

    @factory.post_generation
    def perms(self, create, extracted, **kwargs):
        """Permission codenames of the journal app."""
        if extracted:
            self.user_permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="journal", codename__in=extracted
                )
            )


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"Writer {n}")
    slug = factory.Sequence(lambda n: f"writer-{n}")
    position = "Correspondent"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft by default; use PublishedArticleFactory for one readers can see."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"headline-{n}")
    standfirst = "A short standfirst."
    body = "<p>The body of the article.</p>"
    section = Article.Section.NEWS

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)

    @factory.post_generation
    def frameworks(self, create, extracted, **kwargs):
        if create and extracted:
            self.frameworks.set(extracted)

    @factory.post_generation
    def summits(self, create, extracted, **kwargs):
        if create and extracted:
            self.summits.set(extracted)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for order, contributor in enumerate(extracted):
                Byline.objects.create(article=self, contributor=contributor, order=order)


class PublishedArticleFactory(ArticleFactory):
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    contributor = factory.SubFactory(ContributorFactory)


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed newsletter subscriber whose digests have got to a day ago.

    `SubscriberFactory(countries=[kz], frequency="weekly")`; `confirmed_at=None,
    sent_up_to=None` for one who has not confirmed yet.
    """

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader-{n}@example.org")
    language = "en"
    frequency = Subscriber.Frequency.DAILY
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    sent_up_to = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)

    @factory.post_generation
    def frameworks(self, create, extracted, **kwargs):
        if create and extracted:
            self.frameworks.set(extracted)


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An open assignment for a new writer, due in a day: `AssignmentFactory(summit=summit)`.

    `assigned_to=writer`, `countries=[kz]`, `status="done"`; made without the
    service, so nobody is e-mailed.
    """

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Planned piece number {n}")
    brief = "What the ministers agreed, and what it means for the region."
    assigned_to = factory.SubFactory(UserFactory, groups=["Writers"])
    due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)

    @factory.post_generation
    def frameworks(self, create, extracted, **kwargs):
        if create and extracted:
            self.frameworks.set(extracted)


def article_post_data(**overrides) -> dict:
    """What the admin's add-article form posts, filled in as a draft, with `overrides`."""
    data = {
        "title": "Ministers meet in Astana",
        "slug": "ministers-meet-in-astana",
        "language": "en",
        "standfirst": "",
        "body": "<p>They met.</p>",
        "editors_note": "",
        "credit_line": "",
        "section": "news",
        "hero_alt": "",
        "hero_caption": "",
        "hero_credit": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def image_file(name, size=(1200, 675), *, mode="RGB", format="JPEG", **save_options):
    """An image drawn in memory: a flat colour with a darker band, like a simple photo."""
    image = Image.new(mode, size, (40, 90, 140) if mode == "RGB" else (40, 90, 140, 255))
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 3, size[1]), fill=(10, 30, 60))
    buffer = io.BytesIO()
    image.save(buffer, format, **save_options)
    return ContentFile(buffer.getvalue(), name=name)
