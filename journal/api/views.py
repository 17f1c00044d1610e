"""The API's endpoints: list and detail of each resource, the schema and its documentation.

Everything starts from what readers may see, as the reader pages do:
`Article.objects.published()`, and the contributors it credits
(`Contributor.objects.known_to_readers()`). Each endpoint makes a fixed
number of queries, whatever the page size (journal/tests/api/test_queries.py).
What the schema says of each (`extend_schema`), the documentation page
shows, in the reader's language.
"""

from django.db.models import F, Prefetch
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import exceptions, generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.base import NOT_A_CHOICE, ArticlePagination, ReaderFilters, RecordPagination
from journal.api.serializers import (
    LANGUAGES,
    ArticleSerializer,
    ContributorSerializer,
    CountrySerializer,
    FrameworkSerializer,
    SummitSerializer,
    api_url,
)
from journal.content_generation import kept
from journal.forms.filters import ArticleFilter, SummitFilter
from journal.models import Article, Contributor, card_bylines
from journal.models.counts import published_counts
from journal.views.articles import translated_originals
from summits.models import Country, Framework, Participant, Summit


def in_languages(*fields: str) -> list[str]:
    """The columns of translated `fields`, one per language (summits/translation.py)."""
    return [f"{field}_{language}" for field in fields for language in LANGUAGES]


def api_articles():
    """Published articles with their bylines and tags: five queries for a page of any size."""
    return (
        Article.objects.published()
        .defer("review_note")
        .prefetch_related(
            card_bylines(),
            # Sorted by their names in the article's language, by the serializer.
            Prefetch(
                "countries", queryset=Country.objects.only("slug", *in_languages("name")).order_by()
            ),
            Prefetch(
                "frameworks",
                queryset=Framework.objects.only("slug", *in_languages("short_name")).order_by(),
            ),
            Prefetch(
                "summits",
                queryset=Summit.objects.only(
                    "slug", "sort_date", *in_languages("title")
                ).order_by(),
            ),
        )
    )


def published_translations(articles) -> dict[int, list[tuple[int, str, str]]]:
    """{original id: [(id, language, slug), ...]}: the published articles of `articles`' groups.

    Most articles have no translation: only the groups that have one are
    read, each part by an index of its own (as the article page does).
    """
    groups = {article.original_id for article in articles} & kept(
        "translations:originals", translated_originals
    )
    if not groups:
        return {}
    published = Article.objects.published().values_list("pk", "translation_of", "language", "slug")
    found: dict[int, list[tuple[int, str, str]]] = {}
    for rows in (published.filter(translation_of__in=groups), published.filter(pk__in=groups)):
        for pk, original, language, slug in rows:
            found.setdefault(original or pk, []).append((pk, language, slug))
    for group in found.values():
        group.sort(key=lambda row: LANGUAGES.index(row[1]))
    return found


class ArticleEndpoint:
    serializer_class = ArticleSerializer

    def get_queryset(self):
        return api_articles()

    def get_serializer(self, *args, **kwargs):
        # The translations of every article on the page, read at once.
        if args:
            articles = args[0] if kwargs.get("many") else [args[0]]
            kwargs["context"] = {
                **self.get_serializer_context(),
                "translations": published_translations(articles),
            }
        return super().get_serializer(*args, **kwargs)


@extend_schema(
    description=_(
        "Published articles, newest first, with the reading site's filters "
        "(?country=kazakhstan&framework=c5-plus-1). The next page is at `next`."
    )
)
class ArticleListView(ArticleEndpoint, generics.ListAPIView):
    filter_backends = [ReaderFilters]
    filterset_class = ArticleFilter
    pagination_class = ArticlePagination


@extend_schema(
    description=_("A published article, by its language and slug, as in its page's address.")
)
class ArticleDetailView(ArticleEndpoint, generics.RetrieveAPIView):
    def get_object(self):
        return generics.get_object_or_404(
            self.get_queryset(), language=self.kwargs["language"], slug=self.kwargs["slug"]
        )


class RecordEndpoint:
    """A country, framework, summit or contributor, with its published articles counted."""

    lookup_field = "slug"
    pagination_class = RecordPagination
    # The tallies of journal/models/counts.py that count its coverage.
    tally = ""

    def get_serializer_context(self):
        # Lazy: reading the schema needs no counts.
        counts = SimpleLazyObject(lambda: published_counts(self.tally))
        return {**super().get_serializer_context(), "counts": counts}


def member_countries():
    return Prefetch("members", queryset=Country.objects.only("slug", *in_languages("name")))


class CountryEndpoint(RecordEndpoint):
    serializer_class = CountrySerializer
    tally = "countries"

    def get_queryset(self):
        return Country.objects.prefetch_related(member_countries()).order_by("slug")


@extend_schema(description=_("Countries and blocs, with their published articles counted."))
class CountryListView(CountryEndpoint, generics.ListAPIView):
    pass


@extend_schema(description=_("Its published articles are at `articles_url`."))
class CountryDetailView(CountryEndpoint, generics.RetrieveAPIView):
    pass


class FrameworkEndpoint(RecordEndpoint):
    serializer_class = FrameworkSerializer
    tally = "frameworks"

    def get_queryset(self):
        return (
            Framework.objects.select_related("partner")
            .prefetch_related(member_countries())
            .order_by("slug")
        )


@extend_schema(description=_("Frameworks, with their published articles counted."))
class FrameworkListView(FrameworkEndpoint, generics.ListAPIView):
    pass


@extend_schema(description=_("Its published articles are at `articles_url`."))
class FrameworkDetailView(FrameworkEndpoint, generics.RetrieveAPIView):
    pass


class SummitEndpoint(RecordEndpoint):
    serializer_class = SummitSerializer
    tally = "summits"

    def get_queryset(self):
        return (
            Summit.objects.select_related("framework", "host_country")
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participant.objects.select_related("country").order_by("order", "pk"),
                )
            )
            .order_by(F("sort_date").desc(nulls_last=True), "slug")
        )


@extend_schema(
    description=_(
        "Summits, latest first (undated last), with the reading site's filters "
        "(?framework=c5-plus-1&year=2025)."
    )
)
class SummitListView(SummitEndpoint, generics.ListAPIView):
    filter_backends = [ReaderFilters]
    filterset_class = SummitFilter


@extend_schema(description=_("Its published articles are at `articles_url`."))
class SummitDetailView(SummitEndpoint, generics.RetrieveAPIView):
    pass


class ContributorEndpoint(RecordEndpoint):
    serializer_class = ContributorSerializer
    tally = "contributors"

    def get_queryset(self):
        # Only those readers may know of: a guest whose piece is still
        # scheduled is unknown until it goes live.
        return Contributor.objects.known_to_readers().order_by("name", "pk")


@extend_schema(description=_("Contributors with published work, by name."))
class ContributorListView(ContributorEndpoint, generics.ListAPIView):
    pass


@extend_schema(description=_("Its published articles are at `articles_url`."))
class ContributorDetailView(ContributorEndpoint, generics.RetrieveAPIView):
    pass


class RootView(APIView):
    LINKS = {
        "articles": "article_list",
        "contributors": "contributor_list",
        "countries": "country_list",
        "frameworks": "framework_list",
        "summits": "summit_list",
        "schema": "schema",
        "docs": "docs",
    }

    @extend_schema(
        description=_("Where each resource, the schema and this documentation are."),
        responses=inline_serializer("Root", {name: serializers.URLField() for name in LINKS}),
    )
    def get(self, request):
        return Response({name: api_url(request, page) for name, page in self.LINKS.items()})


class SchemaView(SpectacularJSONAPIView):
    """The OpenAPI 3 schema, described in the client's language (Accept-Language, or ?lang=)."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if request.query_params.get("lang") not in (None, "", *LANGUAGES):
            raise exceptions.ValidationError({"lang": [NOT_A_CHOICE]})
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language",))
        return response

    def _get_version_parameter(self, request):
        # One version, whatever ?version= says: drf-spectacular writes it into the schema as sent.
        return None


class DocsView(TemplateView):
    """The documentation: Swagger UI on the schema, from this site's own files (no CDN)."""

    template_name = "api/docs.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language",))
        return response


class NotFoundView(APIView):
    """Any other address under the API: a 404 in JSON, not the reader site's page."""

    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()
