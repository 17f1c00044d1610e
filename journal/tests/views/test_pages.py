"""The reader pages: what each shows, what it hides, and how it takes bad input."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import Article, Correction
from journal.tests.factories import (
    ArticleFactory,
    BylineFactory,
    PublishedArticleFactory,
)
from summits.models import Framework, Summit
from summits.tests.factories import SummitFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_article_list_filters_combine(client, world):
    both = PublishedArticleFactory(title="Both tags", countries=[world.kz], frameworks=[world.c5])
    PublishedArticleFactory(title="Only the country", countries=[world.kz])
    PublishedArticleFactory(title="Only the framework", frameworks=[world.c5])

    response = client.get("/en/articles/?country=kazakhstan&framework=c5-plus-1")

    assert response.status_code == 200
    assert [a.title for a in response.context["articles"]] == [both.title]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("section=analysis", {"Analysis piece"}),
        ("summit=new-york-2023", {"Summit piece"}),
        ("contributor=aigerim-sadykova", {"Analysis piece"}),
        ("year=2023", {"Summit piece"}),
        ("country=uzbekistan", set()),
    ],
)
def test_each_article_filter_narrows(client, world, query, expected):
    PublishedArticleFactory(
        title="Analysis piece", section=Article.Section.ANALYSIS, authors=[world.aigerim]
    )
    PublishedArticleFactory(
        title="Summit piece",
        summits=[world.summit],
        publish_at=datetime.datetime(2023, 9, 20, 12, tzinfo=datetime.UTC),
    )
    response = client.get(f"/en/articles/?{query}")
    assert response.status_code == 200
    assert {a.title for a in response.context["articles"]} == expected


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=99999999999999999999",
        "country=atlantis",
        "framework=%27%3B--",
        "section=gossip",
        "page=-1",
        "page=abc",
        "page=0",
        "summit=%00",
        "contributor=" + "x" * 5000,
    ],
)
def test_bad_filter_values_never_fail(client, world, query):
    PublishedArticleFactory(title="Visible")
    for path in ["/en/articles/", "/en/countries/kazakhstan/", "/en/summits/"]:
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400), (path, query)


def test_invalid_filter_shows_the_form_error(client, world):
    response = client.get("/en/articles/?country=atlantis")
    assert response.status_code == 200
    assert "Some filters could not be used" in response.text
    assert "Select a valid choice" in response.text


def test_page_past_the_end_is_not_found(client):
    PublishedArticleFactory()
    assert client.get("/en/articles/?page=2").status_code == 404
    assert client.get("/en/articles/?page=1").status_code == 200


def test_pagination_keeps_the_filters(client, world):
    for index in range(25):
        PublishedArticleFactory(title=f"Piece {index}", countries=[world.kz])
    response = client.get("/en/articles/?country=kazakhstan")
    assert "?country=kazakhstan&amp;page=2" in response.text
    second = client.get("/en/articles/?country=kazakhstan&page=2")
    assert len(second.context["articles"]) == 5


@pytest.mark.parametrize(
    "url",
    [
        "/en/articles/no-such-article/",
        "/en/countries/atlantis/",
        "/en/frameworks/no-such-format/",
        "/en/summits/no-such-summit/",
        "/en/contributors/nobody/",
        "/en/articles/x/../../etc/passwd",
    ],
)
def test_unknown_slugs_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_home_page_sections(client, world):
    lead = PublishedArticleFactory(title="The lead", featured=True, publish_at=days_ago(3))
    PublishedArticleFactory(title="Newer story", publish_at=days_ago(1), frameworks=[world.c5])
    SummitFactory(
        title="Planned meeting", status=Summit.Status.PLANNED, framework=world.japan,
        start_date=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
    response = client.get("/en/")
    assert response.context["lead"] == lead
    assert "Newer story" in response.text
    assert "Planned meeting" in response.text  # upcoming summits
    assert "C5+1 summit in New York" in response.text  # recent summits
    strips = dict(response.context["strips"])
    assert [a.title for a in strips[world.c5]] == ["Newer story"]
    assert world.japan not in strips  # no coverage, no strip
    assert 'id="strip-c5-plus-1"' in response.text
    assert 'id="strip-central-asia-japan"' not in response.text


def test_home_strip_is_capped_per_framework(client, world):
    for index in range(5):
        PublishedArticleFactory(
            title=f"C5 story {index}", publish_at=days_ago(index + 1), frameworks=[world.c5]
        )
    strips = dict(client.get("/en/").context["strips"])
    # The newest is the lead (no featured article), so the strip starts at the next one.
    assert [a.title for a in strips[world.c5]] == ["C5 story 1", "C5 story 2", "C5 story 3"]


def test_article_page_meta_and_structured_data(client, world):
    article = PublishedArticleFactory(
        title="Leaders meet", standfirst="A short summary.", countries=[world.kz]
    )
    BylineFactory(article=article, contributor=world.aigerim)
    response = client.get(article.get_absolute_url())
    text = response.text
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in text
    assert '<meta property="og:title" content="Leaders meet">' in text
    assert '<meta name="twitter:card" content="summary">' in text
    assert '"@type": "NewsArticle"' in text
    assert '"headline": "Leaders meet"' in text
    assert '"name": "Aigerim Sadykova"' in text
    assert '"datePublished"' in text and '"dateModified"' in text
    assert text.count("<h1") == 1


def test_json_ld_cannot_break_out_of_its_script(client):
    article = PublishedArticleFactory(title="</script><script>alert(1)</script>")
    response = client.get(article.get_absolute_url())
    assert "</script><script>alert(1)" not in response.text
    assert "\\u003c/script\\u003e" in response.text


def test_related_articles_share_most_tags_then_newest(client, world, commit):
    with commit():
        article = PublishedArticleFactory(countries=[world.kz, world.uz], frameworks=[world.c5])
        best = PublishedArticleFactory(
            title="Shares three", countries=[world.kz, world.uz], frameworks=[world.c5],
            publish_at=days_ago(10),
        )  # fmt: skip
        newer = PublishedArticleFactory(
            title="Shares one, newer", countries=[world.kz], publish_at=days_ago(1)
        )
        older = PublishedArticleFactory(
            title="Shares one, older", countries=[world.uz], publish_at=days_ago(5)
        )
        PublishedArticleFactory(title="Shares nothing", countries=[world.us])
        ArticleFactory(title="Draft sharing all", countries=[world.kz, world.uz])

    response = client.get(article.get_absolute_url())
    related = list(response.context["related_articles"])

    assert related == [best, newer, older]
    section = response.text.split('id="related-title"', 1)[1]
    positions = [section.index(a.title) for a in (best, newer, older)]
    assert positions == sorted(positions)
    assert "Shares nothing" not in section and "Draft sharing all" not in section


def test_corrections_box(client, commit):
    article = PublishedArticleFactory()
    assert "Corrections" not in client.get(article.get_absolute_url()).text
    with commit():
        Correction.objects.create(article=article, text="An earlier version misspelt Cholpon-Ata.")
    response = client.get(article.get_absolute_url())
    assert "Corrections" in response.text
    assert "An earlier version misspelt Cholpon-Ata." in response.text


def test_country_index_groups_by_region_central_asia_first(client, world):
    PublishedArticleFactory(countries=[world.kz])
    PublishedArticleFactory(countries=[world.kz])
    ArticleFactory(countries=[world.kz])  # drafts are not counted
    response = client.get("/en/countries/")
    regions = response.context["regions"]
    assert regions[0][0] == "Central Asia"
    counts = {c.name: c.article_count for _, countries in regions for c in countries}
    assert counts["Kazakhstan"] == 2
    assert counts["Uzbekistan"] == 0


def test_country_page_filters_by_framework(client, world):
    PublishedArticleFactory(title="C5 story", countries=[world.kz], frameworks=[world.c5])
    PublishedArticleFactory(title="Other story", countries=[world.kz])
    response = client.get("/en/countries/kazakhstan/?framework=c5-plus-1")
    assert [a.title for a in response.context["page_obj"]] == ["C5 story"]
    assert response.context["frameworks"].get() == world.c5


def test_framework_page_timeline_and_members(client, world):
    response = client.get("/en/frameworks/c5-plus-1/")
    assert response.status_code == 200
    assert "C5+1 summit in New York" in response.text
    assert "Uzbekistan" in response.text and "United States" in response.text


def test_summit_list_splits_upcoming_and_past_and_filters(client, world):
    planned = SummitFactory(
        title="Future meeting", status=Summit.Status.PLANNED, framework=world.japan,
        start_date=timezone.localdate() + datetime.timedelta(days=40), level="foreign_ministers",
    )  # fmt: skip
    response = client.get("/en/summits/")
    assert list(response.context["upcoming"]) == [planned]
    assert list(response.context["summits"]) == [world.summit]

    filtered = client.get("/en/summits/?framework=c5-plus-1")
    assert list(filtered.context["upcoming"]) == []
    assert list(filtered.context["summits"]) == [world.summit]
    assert list(client.get("/en/summits/?year=2023").context["summits"]) == [world.summit]
    assert list(client.get("/en/summits/?host=united-states").context["summits"]) == [world.summit]
    by_level = client.get("/en/summits/?level=foreign_ministers")
    assert list(by_level.context["upcoming"]) == [planned]
    assert list(by_level.context["summits"]) == []


def test_contributor_without_published_work_stays_unknown(client, commit, world):
    ArticleFactory(title="Unpublished op-ed", authors=[world.aigerim])
    PublishedArticleFactory(
        title="Scheduled op-ed",
        authors=[world.aigerim],
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert "Aigerim Sadykova" not in client.get("/en/contributors/").text
    assert client.get("/en/contributors/aigerim-sadykova/").status_code == 404

    with commit():
        PublishedArticleFactory(title="Live op-ed", authors=[world.aigerim])
    assert "Aigerim Sadykova" in client.get("/en/contributors/").text
    page = client.get("/en/contributors/aigerim-sadykova/")
    assert "Live op-ed" in page.text
    assert "Unpublished op-ed" not in page.text and "Scheduled op-ed" not in page.text


def test_navigation_links_every_index(client):
    text = client.get("/en/").text
    for name in ["article_list", "country_list", "framework_list", "summit_list",
                 "contributor_list"]:  # fmt: skip
        assert f'href="{reverse(f"journal:{name}")}"' in text


def test_a_record_page_counts_its_articles_with_and_without_filters(client, world, commit):
    with commit():
        for number in range(21):
            PublishedArticleFactory(
                title=f"Kazakh story {number}",
                countries=[world.kz],
                frameworks=[world.c5] if number == 0 else [],
            )
        ArticleFactory(countries=[world.kz])  # a draft is not counted
    country_page = world.kz.get_absolute_url()

    assert client.get(country_page, {"page": 2}).text.count('<article class="card') == 1
    assert client.get(country_page, {"page": 3}).status_code == 404
    filtered = client.get(country_page, {"framework": "c5-plus-1"})
    assert filtered.text.count('<article class="card') == 1
    assert client.get(country_page, {"framework": "c5-plus-1", "page": 2}).status_code == 404
    # The article list filtered by the country alone counts as its page does.
    listed = reverse("journal:article_list")
    assert (
        client.get(listed, {"country": "kazakhstan", "page": 2}).text.count('<article class="card')
        == 1
    )
    assert client.get(listed, {"country": "kazakhstan", "page": 3}).status_code == 404
    assert client.get(listed, {"country": "nowhere"}).status_code == 200


def test_an_articles_tags_are_listed_as_each_records_own_list_orders_them(client, world):
    later = SummitFactory(title="B later", start_date=datetime.date(2025, 4, 4))
    earlier = SummitFactory(title="A earlier", start_date=datetime.date(2019, 5, 5))
    undated = SummitFactory(title="C undated", start_date=None, status=Summit.Status.PLANNED)
    article = PublishedArticleFactory(
        countries=[world.uz, world.kz],
        frameworks=[world.japan, world.c5],
        summits=[earlier, undated, later],
    )
    expected = [
        *Article.objects.get(pk=article.pk).countries.all(),
        *Framework.objects.filter(articles=article),
        *Summit.objects.filter(articles=article),
    ]

    tags = client.get(article.get_absolute_url()).text.split('class="plain tag-list"', 1)[1]
    tags = tags.split("</ul>", 1)[0]

    links = [part.split('"', 1)[0] for part in tags.split('href="')[1:]]
    assert links == [record.get_absolute_url() for record in expected]
    assert [s.title for s in Summit.objects.filter(articles=article)] == [
        "B later",
        "A earlier",
        "C undated",
    ]


def test_a_card_tells_its_time_in_a_form_browsers_read_whatever_the_year(client):
    """Almaty kept local mean time (+05:07:48) until 1924: still "+0507", as HTML asks."""
    PublishedArticleFactory(
        title="A treaty of 1900", publish_at=datetime.datetime(1900, 5, 1, 9, tzinfo=datetime.UTC)
    )
    PublishedArticleFactory(title="A treaty of today")

    page = client.get(reverse("journal:article_list")).text

    stamps = re.findall(r'<time datetime="([^"]*)">', page)
    assert len(stamps) >= 2
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", stamp) for stamp in stamps)
    assert "1900-05-01T14:07:48+0507" in stamps
