"""What the API says of articles, contributors and the record: the JSON and its schema.

Every answer is the same whatever language the client asks for, so caches
in front can keep one copy: codes rather than labels, names in each
language where the record has them, and reader addresses under a language
the data names (an article's own; the default one, DJANGO_LANGUAGE_CODE,
for the record and contributors).
"""

import datetime
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from journal.models import Article, Byline, Contributor
from summits.models import Country, Framework, Summit

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def worded(record, field: str, language: str) -> str:
    """The record's `field` in `language`, or in English where it has none, as pages show it."""
    return getattr(record, f"{field}_{language}", None) or getattr(record, f"{field}_en") or ""


def reader_url(name: str, language: str, **kwargs) -> str:
    """The absolute address of a reader page (`journal:<name>`) under `language`'s prefix."""
    with translation.override(language):
        return settings.SITE_URL + reverse(f"journal:{name}", kwargs=kwargs)


def media_url(file) -> str | None:
    """The absolute address of an upload, or None: MEDIA_URL may be the site's own path."""
    return urljoin(f"{settings.SITE_URL}/", file.url) if file else None


def api_url(request, name: str, *, query: dict | None = None, **kwargs) -> str:
    url = request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))
    return f"{url}?{urlencode(query)}" if query else url


# Nested shapes: what the fields below produce, for the schema. Serializers
# carry comments, not docstrings: the schema would show a docstring to readers.


class TagSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(help_text=_("In the article's language (English where missing)."))


class TagsSerializer(serializers.Serializer):
    countries = TagSerializer(many=True)
    frameworks = TagSerializer(many=True)
    summits = TagSerializer(many=True)


class BylineSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
    role = serializers.ChoiceField(choices=Byline.Role.choices)
    url = serializers.URLField(help_text=_("The contributor's reader page."))


class ImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    alt = serializers.CharField(help_text=_("What the image shows."))
    caption = serializers.CharField()
    credit = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


class TranslationSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    slug = serializers.CharField()
    url = serializers.URLField(help_text=_("The reader page."))
    api_url = serializers.URLField()


# A record another one refers to: its slug and name in the default language.
class NamedSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


# A name in each of the journal's languages, English where one is missing.
class NamesSerializer(serializers.Serializer):
    ko = serializers.CharField()
    en = serializers.CharField()
    ru = serializers.CharField()


def named(record, field: str = "name") -> dict | None:
    if record is None:
        return None
    return {"slug": record.slug, "name": worded(record, field, settings.LANGUAGE_CODE)}


def names(record, field: str = "name") -> dict:
    return {language: worded(record, field, language) for language in LANGUAGES}


# A published article, as its reader page shows it. The view gives
# `translations` in the context: {original id: [(id, language, slug), ...]}
# of the published articles of each translation group on the page.
class ArticleSerializer(serializers.ModelSerializer):
    published_at = serializers.DateTimeField(source="publish_at")
    revised_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When readers were told the article changed, if they were.")
    )
    url = serializers.SerializerMethodField(help_text=_("The reader page."))
    api_url = serializers.SerializerMethodField()
    bylines = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    hero_image = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField(
        help_text=_("Its published translations, or the original and the other translations.")
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "language",
            "section",
            "standfirst",
            "body",
            "published_at",
            "revised_at",
            "url",
            "api_url",
            "bylines",
            "tags",
            "hero_image",
            "translations",
        ]
        extra_kwargs = {"body": {"help_text": _("Sanitised HTML, as published.")}}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, article) -> str:
        return settings.SITE_URL + article.get_absolute_url()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, article) -> str:
        return api_url(
            self.context["request"], "article_detail", language=article.language, slug=article.slug
        )

    @extend_schema_field(BylineSerializer(many=True))
    def get_bylines(self, article) -> list[dict]:
        return [
            {
                "name": byline.contributor.name,
                "slug": byline.contributor.slug,
                "role": byline.role,
                "url": reader_url(
                    "contributor_detail", article.language, slug=byline.contributor.slug
                ),
            }
            for byline in article.bylines.all()
        ]

    @extend_schema_field(TagsSerializer)
    def get_tags(self, article) -> dict:
        language = article.language

        def tags(records, field: str) -> list[dict]:
            return [
                {"slug": record.slug, "name": worded(record, field, language)} for record in records
            ]

        # In the order the article page shows them: by name, summits latest first.
        summits = sorted(
            article.summits.all(), key=lambda summit: worded(summit, "title", language)
        )
        summits.sort(key=lambda summit: summit.sort_date or datetime.date.min, reverse=True)
        return {
            "countries": sorted(tags(article.countries.all(), "name"), key=lambda tag: tag["name"]),
            "frameworks": sorted(
                tags(article.frameworks.all(), "short_name"), key=lambda tag: tag["name"]
            ),
            "summits": tags(summits, "title"),
        }

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_hero_image(self, article) -> dict | None:
        if not article.hero_image:
            return None
        return {
            "url": media_url(article.hero_image),
            "alt": article.hero_alt,
            "caption": article.hero_caption,
            "credit": article.hero_credit,
            "width": article.hero_width,
            "height": article.hero_height,
        }

    @extend_schema_field(TranslationSerializer(many=True))
    def get_translations(self, article) -> list[dict]:
        group = self.context["translations"].get(article.original_id, [])
        request = self.context["request"]
        return [
            {
                "language": language,
                "slug": slug,
                "url": reader_url("article_detail", language, slug=slug),
                "api_url": api_url(request, "article_detail", language=language, slug=slug),
            }
            for pk, language, slug in group
            if pk != article.pk
        ]


# What countries, frameworks, summits and contributors share: addresses and
# coverage. The view gives `counts` in the context: {id: published articles}
# (journal/models/counts.py), the tallies the reader pages show.
class RecordSerializer(serializers.ModelSerializer):
    # The reader page's name and the article filter that lists the coverage.
    page = ""
    article_filter = ""

    url = serializers.SerializerMethodField(help_text=_("The reader page."))
    api_url = serializers.SerializerMethodField()
    article_count = serializers.SerializerMethodField(help_text=_("Published articles about it."))
    articles_url = serializers.SerializerMethodField(help_text=_("Those articles, in this API."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, record) -> str:
        return reader_url(self.page, settings.LANGUAGE_CODE, slug=record.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, record) -> str:
        return api_url(self.context["request"], self.page, slug=record.slug)

    def get_article_count(self, record) -> int:
        return self.context["counts"].get(record.pk, 0)

    @extend_schema_field(OpenApiTypes.URI)
    def get_articles_url(self, record) -> str:
        return api_url(
            self.context["request"], "article_list", query={self.article_filter: record.slug}
        )


class CountrySerializer(RecordSerializer):
    page = "country_detail"
    article_filter = "country"

    name = serializers.SerializerMethodField(help_text=_("In the default language."))
    names = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField(help_text=_("A bloc's member countries."))

    class Meta:
        model = Country
        fields = [
            "slug",
            "code",
            "alpha3",
            "kind",
            "region",
            "name",
            "names",
            "members",
            "article_count",
            "url",
            "api_url",
            "articles_url",
        ]

    def get_name(self, country) -> str:
        return worded(country, "name", settings.LANGUAGE_CODE)

    @extend_schema_field(NamesSerializer)
    def get_names(self, country) -> dict:
        return names(country)

    @extend_schema_field(NamedSerializer(many=True))
    def get_members(self, country) -> list[dict]:
        return sorted((named(member) for member in country.members.all()), key=lambda m: m["slug"])


class FrameworkSerializer(RecordSerializer):
    page = "framework_detail"
    article_filter = "framework"

    name = serializers.SerializerMethodField(help_text=_("The full name, in the default language."))
    short_name = serializers.SerializerMethodField(
        help_text=_('The label of headlines and tags ("C5+1"), in the default language.')
    )
    names = serializers.SerializerMethodField(help_text=_("The short name in each language."))
    partner = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    class Meta:
        model = Framework
        fields = [
            "slug",
            "name",
            "short_name",
            "names",
            "partner",
            "members",
            "established",
            "established_precision",
            "status",
            "article_count",
            "url",
            "api_url",
            "articles_url",
        ]

    def get_name(self, framework) -> str:
        return worded(framework, "name", settings.LANGUAGE_CODE)

    def get_short_name(self, framework) -> str:
        return worded(framework, "short_name", settings.LANGUAGE_CODE)

    @extend_schema_field(NamesSerializer)
    def get_names(self, framework) -> dict:
        return names(framework, "short_name")

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_partner(self, framework) -> dict | None:
        return named(framework.partner)

    @extend_schema_field(NamedSerializer(many=True))
    def get_members(self, framework) -> list[dict]:
        return sorted(
            (named(member) for member in framework.members.all()), key=lambda m: m["slug"]
        )


class ParticipantSerializer(serializers.Serializer):
    country = NamedSerializer()
    representative_name = serializers.CharField()
    representative_title = serializers.CharField()


class SummitSerializer(RecordSerializer):
    page = "summit_detail"
    article_filter = "summit"

    title = serializers.SerializerMethodField(help_text=_("In the default language."))
    titles = serializers.SerializerMethodField()
    framework = serializers.SerializerMethodField()
    host_country = serializers.SerializerMethodField()
    city = serializers.SerializerMethodField(help_text=_("Empty for an online meeting."))
    participants = serializers.SerializerMethodField()
    sources = serializers.ListField(source="source_urls", child=serializers.URLField())

    class Meta:
        model = Summit
        fields = [
            "slug",
            "title",
            "titles",
            "framework",
            "level",
            "status",
            "edition",
            "start_date",
            "end_date",
            "approximate_month",
            "city",
            "host_country",
            "participants",
            "outcomes",
            "sources",
            "article_count",
            "url",
            "api_url",
            "articles_url",
        ]

    def get_title(self, summit) -> str:
        return worded(summit, "title", settings.LANGUAGE_CODE)

    @extend_schema_field(NamesSerializer)
    def get_titles(self, summit) -> dict:
        return names(summit, "title")

    @extend_schema_field(NamedSerializer)
    def get_framework(self, summit) -> dict:
        return named(summit.framework, "short_name")

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_host_country(self, summit) -> dict | None:
        return named(summit.host_country)

    def get_city(self, summit) -> str:
        return worded(summit, "city", settings.LANGUAGE_CODE)

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, summit) -> list[dict]:
        return [
            {
                "country": named(participant.country),
                "representative_name": participant.representative_name,
                "representative_title": participant.representative_title,
            }
            for participant in summit.participations.all()
        ]


class ContributorSerializer(RecordSerializer):
    page = "contributor_detail"
    article_filter = "contributor"

    photo = serializers.SerializerMethodField()

    class Meta:
        model = Contributor
        fields = [
            "slug",
            "name",
            "kind",
            "position",
            "affiliation",
            "bio",
            "photo",
            "article_count",
            "url",
            "api_url",
            "articles_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_photo(self, contributor) -> str | None:
        return media_url(contributor.photo)
