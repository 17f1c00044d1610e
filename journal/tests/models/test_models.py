"""The publication models: visibility, publication rules, constraints, body cleaning, bylines."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone, translation
from PIL import Image

from journal.models import Article, Byline
from journal.models.addresses import article_address
from journal.sanitiser import clean_body_html
from journal.tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    PublishedArticleFactory,
)
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db


def test_published_shows_only_live_articles():
    now = timezone.now()
    live = PublishedArticleFactory(publish_at=now - datetime.timedelta(minutes=1))
    PublishedArticleFactory(publish_at=now + datetime.timedelta(days=1))  # scheduled
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(status=Article.Status.IN_REVIEW)
    ArticleFactory(status=Article.Status.ARCHIVED, publish_at=now - datetime.timedelta(days=3))

    assert list(Article.objects.published()) == [live]
    # `hidden()` is all the rest, for the tallies to take away.
    assert set(Article.objects.hidden()) == set(Article.objects.exclude(pk=live.pk))


def test_scheduled_article_goes_live_when_its_time_comes():
    now = timezone.now()
    scheduled = PublishedArticleFactory(publish_at=now + datetime.timedelta(hours=2))

    assert scheduled not in Article.objects.published(now=now)
    assert list(Article.objects.scheduled(now=now)) == [scheduled]
    assert scheduled in Article.objects.published(now=now + datetime.timedelta(hours=3))
    assert scheduled.is_scheduled and not scheduled.is_live


def test_database_refuses_published_article_without_publish_time():
    article = ArticleFactory()
    article.status = Article.Status.PUBLISHED
    article.publish_at = None
    with pytest.raises(IntegrityError), transaction.atomic():
        article.save()


def test_publishing_without_title_body_byline_or_country_names_each_problem():
    article = ArticleFactory(title="  ", body="<p> </p>")

    errors = article.publication_errors()

    assert errors["title"] == ["An article needs a headline before it is published."]
    assert errors["body"] == ["An article needs a body before it is published."]
    assert errors["countries"] == ["Tag at least one country before publishing."]
    assert errors["bylines"] == ["Add at least one byline before publishing."]


def test_publication_errors_check_the_tags_and_bylines_about_to_be_saved():
    article = ArticleFactory()
    pending = article.publication_errors(countries=[CountryFactory()], bylines=["a byline"])
    assert pending == {}
    assert set(article.publication_errors()) == {"countries", "bylines"}


def test_complete_article_has_no_publication_errors():
    article = PublishedArticleFactory(countries=[CountryFactory()], authors=[ContributorFactory()])
    assert article.publication_errors() == {}


def test_drafts_may_be_incomplete():
    article = ArticleFactory(body="")
    article.full_clean()
    assert "body" in article.publication_errors()  # what publishing it would take


def test_full_clean_refuses_published_article_without_body():
    article = ArticleFactory(body="")
    article.status = Article.Status.PUBLISHED
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert error.value.message_dict["body"] == ["An article needs a body before it is published."]


def test_full_clean_fills_in_publish_time_when_publishing_now():
    article = ArticleFactory()
    article.status = Article.Status.PUBLISHED
    article.full_clean()
    assert article.publish_at is not None
    assert article.publish_at <= timezone.now()


def test_hero_image_needs_a_description():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, "PNG")
    article = ArticleFactory(hero_alt="")
    article.hero_image.save("photo.png", ContentFile(buffer.getvalue()))
    article.refresh_from_db()
    assert (article.hero_width, article.hero_height) == (40, 30)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "hero_alt" in error.value.message_dict
    assert "hero_alt" in article.publication_errors()


def test_slug_is_unique():
    ArticleFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="same")


def test_body_is_cleaned_of_scripts_and_word_processor_junk():
    article = ArticleFactory(
        body=(
            '<p class="MsoNormal" style="margin:0" onclick="x()">Text '
            '<a href="javascript:alert(1)">bad</a> <a href="https://example.org">good</a></p>'
            "<script>alert(1)</script><o:p></o:p><h2>Heading</h2>"
        )
    )
    article.refresh_from_db()
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "MsoNormal" not in article.body
    assert "javascript:" not in article.body
    assert '<a href="https://example.org" rel="noopener noreferrer">good</a>' in article.body
    assert "<h2>Heading</h2>" in article.body


def test_clean_body_keeps_structure():
    html = "<blockquote><p>Quote</p></blockquote><ul><li>One</li></ul>"
    assert clean_body_html(html) == html


def test_bylines_keep_their_order():
    article = ArticleFactory()
    second = BylineFactory(article=article, order=2, contributor__name="Second")
    first = BylineFactory(article=article, order=1, contributor__name="First")
    assert list(article.bylines.all()) == [first, second]


def test_same_contributor_cannot_have_same_role_twice():
    byline = BylineFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Byline.objects.create(article=byline.article, contributor=byline.contributor)
    Byline.objects.create(
        article=byline.article, contributor=byline.contributor, role=Byline.Role.TRANSLATOR
    )


def test_summary_falls_back_to_body():
    article = ArticleFactory(standfirst="", body="<p>" + "word " * 60 + "</p>")
    assert article.summary.startswith("word word")
    assert article.summary.endswith("…")


def test_contributor_url():
    contributor = ContributorFactory(slug="aigerim-sadykova")
    assert contributor.get_absolute_url() == "/en/contributors/aigerim-sadykova/"


def test_plain_text_body_becomes_paragraphs():
    article = ArticleFactory(body="First paragraph.\n\nSecond paragraph & more.")
    article.refresh_from_db()
    assert article.body == "<p>First paragraph.</p>\n\n<p>Second paragraph &amp; more.</p>"


def test_body_with_unpublishable_elements_is_refused_not_mangled():
    article = ArticleFactory.build(body="<p>Figures:</p><table><tr><td>2023</td></tr></table>")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert error.value.message_dict["body"] == [
        "The body contains elements we do not publish: <table>."
    ]


def test_hero_image_names_cannot_be_guessed_from_the_slug():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, "PNG")
    article = ArticleFactory(slug="embargoed-summit-story", hero_alt="A map")
    article.hero_image.save("embargoed-summit-story.png", ContentFile(buffer.getvalue()))
    assert "embargoed" not in article.hero_image.name
    assert article.hero_image.name.endswith(".png")


def test_update_time_is_shown_only_for_later_changes():
    article = PublishedArticleFactory(publish_at=timezone.now())
    assert article.revised_at is None  # saved right after publishing
    later = article.publish_at + datetime.timedelta(hours=2)
    Article.objects.filter(pk=article.pk).update(updated_at=later)
    article.refresh_from_db()
    assert article.revised_at == later


def test_author_names_skip_translators_and_keep_order():
    article = ArticleFactory()
    BylineFactory(article=article, order=0, role="translator", contributor__name="Tr Anslator")
    BylineFactory(article=article, order=1, contributor__name="First Author")
    BylineFactory(article=article, order=2, contributor__name="Second Author")
    assert article.author_names == "First Author and Second Author"


def test_body_images_must_come_from_our_own_uploads():
    html = (
        '<figure><img src="/media/body/map.png" alt="Map"><figcaption>Map</figcaption></figure>'
        '<p><img src="https://tracker.example/pixel.gif" alt=""></p>'
    )
    cleaned = clean_body_html(html)
    assert '<img src="/media/body/map.png" alt="Map">' in cleaned
    assert "tracker.example" not in cleaned


def test_inline_markup_split_over_lines_keeps_its_link():
    cleaned = clean_body_html('<strong>Hi</strong> <a\nhref="https://example.org">x</a>')
    assert cleaned == (
        '<p><strong>Hi</strong> <a href="https://example.org" rel="noopener noreferrer">x</a></p>'
    )


@pytest.mark.parametrize(
    ("figure", "refused"),
    [
        ('<img src="/media/a.png" alt="Ministers at the table">', False),
        ('<img src="/media/a.png" alt="">', True),
        ('<img src="/media/a.png" alt="  ">', True),
        ('<img src="/media/a.png">', True),
    ],
)
def test_body_images_need_a_description(figure, refused):
    article = ArticleFactory.build(body=f"<p>Text.</p><figure>{figure}</figure>")
    if refused:
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        assert error.value.message_dict["body"] == [
            "Describe every image in the body for readers who cannot see it."
        ]
    else:
        article.full_clean()


# Article addresses ------------------------------------------------------------

ADDRESS_SLUGS = [
    "c5-plus-1-ministers-meet",
    "한-중앙아시아-정상회의",
    "саммит-в-астане",
    "slug_with_underscores-2026",
    "ñandú",
]


@pytest.mark.parametrize("slug", ADDRESS_SLUGS)
@pytest.mark.parametrize("language", ["en", "ko", "ru"])
def test_an_article_address_is_what_reverse_gives(slug, language):
    with translation.override(language):
        expected = reverse("journal:article_detail", kwargs={"slug": slug})

    assert article_address(language, slug) == expected
    assert Article(language=language, slug=slug).get_absolute_url() == expected


def test_article_addresses_follow_the_script_prefix():
    set_script_prefix("/journal/")
    try:
        assert (
            article_address("ru", "саммит")
            == "/journal/ru/articles/%D1%81%D0%B0%D0%BC%D0%BC%D0%B8%D1%82/"
        )
    finally:
        set_script_prefix("/")
    assert article_address("ru", "саммит") == "/ru/articles/%D1%81%D0%B0%D0%BC%D0%BC%D0%B8%D1%82/"


def test_a_slug_the_address_refuses_is_refused_as_reverse_refuses_it():
    for slug in ("", "two words", "a/b"):
        with pytest.raises(NoReverseMatch):
            article_address("en", slug)
