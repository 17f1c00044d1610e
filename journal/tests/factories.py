import datetime

import factory
from django.utils import timezone

from journal.models import Article, Byline, Contributor


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
