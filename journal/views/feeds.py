"""RSS 2.0 and Atom feeds of published articles: the latest, and per country, framework
and contributor."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from journal.models import Article, Contributor
from summits.models import Country, Framework

FEED_LENGTH = 30


def feed_articles(articles):
    """The newest published articles of `articles`, with everything an item shows.

    Four queries whatever the number of items: the articles, then their bylines
    (with contributors), countries and frameworks. A feed is in one language,
    its address's: /ko/feeds/rss/ carries the Korean articles.
    """
    return (
        articles.filter(language=get_language())
        .with_bylines()
        .prefetch_related("countries", "frameworks")
        .order_by("-publish_at", "-pk")[:FEED_LENGTH]
    )


class ArticleFeed(Feed):
    """The items every feed shares; subclasses choose the articles and the titles."""

    item_guid_is_permalink = True

    def item_title(self, item):
        # Plain text, which the feed's XML escapes. Django's default escapes it
        # as HTML first, and readers then show "Central Asia&#x27;s".
        return item.title

    def item_description(self, item):
        # Readers treat the description as HTML; the summary is plain text.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.revised_at or item.publish_at

    def item_author_name(self, item):
        # `.all()` reads the prefetched bylines, already in byline order.
        names = [byline.contributor.name for byline in item.bylines.all()]
        return get_text_list(names, _("and")) or None

    def item_categories(self, item):
        return [country.name for country in item.countries.all()] + [
            framework.short_name for framework in item.frameworks.all()
        ]


class AtomFeedMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self._get_dynamic_attr("description", obj)


class LatestArticlesFeed(ArticleFeed):
    def title(self):
        return settings.SITE_NAME

    def description(self):
        return settings.SITE_TAGLINE

    def link(self):
        return reverse("journal:home")

    def items(self):
        return feed_articles(Article.objects.published())


class LatestArticlesAtomFeed(AtomFeedMixin, LatestArticlesFeed):
    pass


class CountryArticlesFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Country, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj):
        return _("Articles about %(country)s.") % {"country": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return feed_articles(Article.objects.published().filter(countries=obj))


class CountryArticlesAtomFeed(AtomFeedMixin, CountryArticlesFeed):
    pass


class FrameworkArticlesFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Framework, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.short_name}"

    def description(self, obj):
        return _("Articles about %(framework)s.") % {"framework": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return feed_articles(Article.objects.published().filter(frameworks=obj))


class FrameworkArticlesAtomFeed(AtomFeedMixin, FrameworkArticlesFeed):
    pass


class ContributorArticlesFeed(ArticleFeed):
    def get_object(self, request, slug):
        # Like the contributor page: unknown to readers until a piece is live.
        return get_object_or_404(Contributor.objects.with_published_work(), slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj):
        return _("Articles by %(name)s.") % {"name": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        # A subquery, not a join, so two bylines by one person list the article once.
        return feed_articles(
            Article.objects.published().filter(
                pk__in=Article.objects.filter(bylines__contributor=obj).values("pk")
            )
        )


class ContributorArticlesAtomFeed(AtomFeedMixin, ContributorArticlesFeed):
    pass
