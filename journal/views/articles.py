"""The article list with its filters, and the article page."""

from django.conf import settings
from django.db.models import Case, Value, When
from django.http import Http404, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info
from django.views.generic import DetailView
from django_filters.views import FilterView

from journal.content_generation import kept
from journal.forms.filters import ArticleFilter
from journal.models import Article
from journal.models.addresses import article_address
from journal.ops.database import prepared_lookups
from journal.views.base import (
    ReaderPaginationMixin,
    article_detail_queryset,
    script_json,
    tallied_filter,
    visible_articles,
)

RELATED_ARTICLES = 4


class ArticleListView(ReaderPaginationMixin, FilterView):
    filterset_class = ArticleFilter
    template_name = "journal/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return visible_articles()

    def counted(self):
        return tallied_filter(self.request, self.filterset)


def _person(contributor, request) -> dict:
    person = {
        "@type": "Person",
        "name": contributor.name,
        "url": request.build_absolute_uri(contributor.get_absolute_url()),
    }
    if contributor.position:
        person["jobTitle"] = contributor.position
    return person


def news_article_json_ld(article: Article, request, *, bylines, countries, frameworks) -> str:
    """schema.org NewsArticle for search engines, as a JSON string."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "inLanguage": article.language,
        "description": article.summary,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": article.publish_at.isoformat(),
        "dateModified": (article.revised_at or article.publish_at).isoformat(),
        "articleSection": article.get_section_display(),
        "author": [
            _person(byline.contributor, request)
            for byline in bylines
            if byline.role != byline.Role.TRANSLATOR
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.SITE_NAME,
            "url": request.build_absolute_uri("/"),
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(static("img/logo.png")),
            },
        },
        "keywords": [country.name for country in countries]
        + [framework.short_name for framework in frameworks],
    }
    if article.hero_image:
        data["image"] = [request.build_absolute_uri(article.hero_image.url)]
    return script_json(data)


def moved_article_redirect(request, slug: str) -> HttpResponsePermanentRedirect:
    """A permanent redirect from a former slug to the article's current page.

    Only a published article is redirected to, so an old address never gives
    away where an unpublished one lives now; anything else is a 404. The query
    string (campaign tags, say) goes along.
    """
    article = (
        Article.objects.published()
        .filter(slug_history__old_slug=slug)
        .only("slug", "language")
        .first()
    )
    if article is None:
        raise Http404("No article at this address.")
    url = article.get_absolute_url()
    # Re-encoded from the parsed query: the raw string may hold undecoded bytes.
    if query := request.GET.urlencode():
        url = f"{url}?{query}"
    return HttpResponsePermanentRedirect(url)


def translated_originals() -> frozenset[int]:
    """The ids of the articles that have a translation (read by its partial index)."""
    return frozenset(
        Article.objects.filter(translation_of__isnull=False)
        .order_by()
        .values_list("translation_of", flat=True)
    )


class ArticleDetailView(DetailView):
    template_name = "journal/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return article_detail_queryset()

    def get_object(self, queryset=None):
        """The article with this slug: in the page's language first, then the default one.

        Slugs are unique within a language, so a translation may share its
        original's; an article is shown under any language's prefix, with that
        interface (its canonical address is under its own language).
        """
        if "slug" not in self.kwargs:  # a preview, by id
            return super().get_object(queryset)
        queryset = self.get_queryset() if queryset is None else queryset
        preference = Case(
            When(language=get_language(), then=Value(0)),
            When(language=settings.LANGUAGE_CODE, then=Value(1)),
            default=Value(2),
        )
        article = queryset.filter(slug=self.kwargs["slug"]).order_by(preference, "pk").first()
        if article is None:
            raise Http404("No article at this address.")
        return article

    def get(self, request, *args, **kwargs):
        # Every query of the page looks a row up by key, template included
        # (rendered here, not after the view returns): prepared on PostgreSQL.
        with prepared_lookups():
            try:
                self.object = self.get_object()
            except Http404:
                # Only a miss pays for the look-up, so the page's query budget holds.
                return moved_article_redirect(request, self.kwargs["slug"])
            context = self.get_context_data(object=self.object)
            return self.render_to_response(context).render()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        request = self.request
        # Read only where the page's kept fragment is missing (and, the first
        # time, for its structured data): one query for all three kinds of tag.
        tags = SimpleLazyObject(lambda: Article.objects.tags_of(article))
        relations = {
            "bylines": article.bylines.select_related("contributor"),
            "countries": SimpleLazyObject(lambda: tags[0]),
            "frameworks": SimpleLazyObject(lambda: tags[1]),
            "summits": SimpleLazyObject(lambda: tags[2]),
            "corrections": article.corrections.all(),
        }
        related_articles = self.related_articles(article, tags)
        context.update(
            relations,
            related_articles=related_articles,
            json_ld=self.keep(
                f"json-ld:{article.pk}:{request.scheme}://{request.get_host()}",
                lambda: news_article_json_ld(
                    article,
                    request,
                    bylines=relations["bylines"],
                    countries=relations["countries"],
                    frameworks=relations["frameworks"],
                ),
            ),
            canonical_url=request.build_absolute_uri(article.get_absolute_url()),
            content_language=article.language if article.language != get_language() else "",
            **self.translations(article),
        )
        return context

    def translations(self, article: Article) -> dict:
        """The article's published translations, for "Also in …" and the language switcher.

        In a language with a translation the switcher goes there; in the
        article's own it stays; elsewhere it shows this article with that
        language's interface. Only real translations are `hreflang` alternates.
        """
        # Most articles have no translation: only those in a group ask.
        in_groups = self.keep("translations:originals", translated_originals)
        found = (
            self.keep(f"translations:{article.pk}", lambda: self.published_translations(article))
            if article.original_id in in_groups
            else {}
        )
        versions, also_in = {}, []
        for language, _name in settings.LANGUAGES:
            if language == article.language:
                versions[language] = (article.get_absolute_url(), True)
            elif language in found:
                url = article_address(language, found[language])
                versions[language] = (url, True)
                also_in.append((language, get_language_info(language)["name_local"], url))
            else:
                versions[language] = (article.address_in(language), False)
        return {"language_versions": versions, "also_in": also_in}

    def published_translations(self, article: Article) -> dict[str, str]:
        """{language: slug} of the other articles of its group that readers may see.

        Each part is read by an index of its own: an OR of the two made SQLite
        read every published article (about 100 ms at 100,000 articles).
        """
        published = Article.objects.published().values_list("language", "slug")
        found = dict(published.filter(translation_of=article.original_id).exclude(pk=article.pk))
        if article.translation_of_id is not None:  # a translation: its original too
            found.update(published.filter(pk=article.translation_of_id))
        return found

    def related_articles(self, article: Article, tags):
        """The related coverage readers can see, from the rows ranked when its tags last changed.

        Read only where the page's kept fragment is missing.
        """
        return (
            visible_articles()
            .filter(related_to_rows__article=article)
            .order_by("related_to_rows__position")[:RELATED_ARTICLES]
        )

    def keep(self, name: str, compute):
        """What the page derives, kept for the content generation (a preview keeps nothing)."""
        return kept(name, compute)
