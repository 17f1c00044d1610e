"""The parts of `bench/run` that need Django or the database driver.

`bench/run` itself only uses the standard library, so that one run can measure
SQLite and PostgreSQL one after the other; it calls this module in a
subprocess with the environment of the database being measured:

    python -m bench.prepare recreate-postgres   # DATABASE_URL: drop and create it, empty
    python -m bench.prepare targets             # JSON on stdout: URLs, versions, counts
                                                #   and the traffic groups' paths and words
    python -m bench.prepare load-urls           # JSON on stdout: the load test's mix

`targets` also creates (or resets) the staff account the admin pages are
measured with; its password comes from BENCH_ADMIN_PASSWORD. BENCH_RANDOM_ARTICLES
says how many articles the random traffic spreads over (2,000).
"""

import argparse
import json
import os
import platform
import random
import re
import sqlite3
import sys
from urllib.parse import urlencode

BENCH_USERNAME = "bench-admin"
RANDOM_ARTICLES = 2000
# Pages of the article list in the random traffic, spread from the first to the last.
LIST_PAGES = 12
# At most this many words for new searches; every pair of two is one query.
VOCABULARY = 600
# Words of four letters or more that search leaves out or that say nothing.
COMMON_WORDS = frozenset(
    """
    about above after again against been before being below between both does doing down
    during each from further have having here into more most much only other over same
    should some such than that their theirs them then there these they this those through
    under until very were what when where which while whom will with would your yours
    also said says
    """.split()
)


def postgres_recreate(url: str) -> None:
    """Drop the database DATABASE_URL names and create it again, empty."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if not name.startswith("journal_bench"):
        # Dropping is only ever done to a database this script named.
        raise SystemExit(f"refusing to drop {name!r}: not a journal_bench* database")
    with psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    ) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _bench_user(password: str):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(username=BENCH_USERNAME).first() or User(username=BENCH_USERNAME)
    user.email = "bench@example.invalid"
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.save()
    return user


def _most_covered(queryset, **filters):
    """The row of `queryset` with the most published articles (filters name the link)."""
    from django.db.models import OuterRef

    from journal.models import published_article_count

    return (
        queryset.annotate(n=published_article_count(**{k: OuterRef("pk") for k in filters}))
        .order_by("-n", "pk")
        .first()
    )


def targets() -> dict:
    """Concrete URLs for every page type, chosen from what the database holds."""
    import django
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count

    from journal.models import Article, Contributor
    from journal.views.sitemaps import ArticleSitemap
    from summits.models import Country, Framework, Summit

    published = Article.objects.published()
    if not published.exists():
        raise SystemExit("no published articles: the benchmark needs a filled database")
    country = _most_covered(Country.objects.all(), countries="pk")
    framework = _most_covered(Framework.objects.all(), frameworks="pk")
    summit = _most_covered(Summit.objects.all(), summits="pk")
    contributor = _most_covered(Contributor.objects.all(), bylines__contributor="pk")
    # A recent, fully dressed article: image, bylines, countries, a framework.
    article = (
        published.exclude(hero_image="")
        .annotate(n_bylines=Count("bylines", distinct=True))
        .filter(n_bylines__gt=0, frameworks__isnull=False)
        .order_by("-publish_at", "-pk")
        .first()
    ) or published.order_by("-publish_at", "-pk").first()
    section = published.values("section").annotate(n=Count("pk")).order_by("-n").first()["section"]

    reader = {
        "home": "/en/",
        "article_list": "/en/articles/",
        "filtered_list": "/en/articles/?"
        + urlencode({"country": country.slug, "framework": framework.slug}),
        "article": article.get_absolute_url(),
        "country_index": "/en/countries/",
        "country": country.get_absolute_url(),
        "framework": framework.get_absolute_url(),
        "summit_list": "/en/summits/",
        "summit": summit.get_absolute_url(),
        "contributor": contributor.get_absolute_url(),
        # A country's name: a common word, so search ranks and pages many matches.
        "search": "/en/search/?" + urlencode({"q": country.name}),
        "feed": "/en/feeds/rss/",
        "sitemap": "/sitemap.xml",
        # A page of the articles' sitemap in the middle of the archive: 1,000 URLs.
        "sitemap_articles": "/sitemap-articles.xml?p="
        + str(max(1, published.count() // ArticleSitemap.limit // 2)),
    }
    admin = {
        "admin_articles": "/admin/journal/article/",
        "admin_articles_search": "/admin/journal/article/?" + urlencode({"q": country.name}),
        "admin_articles_filtered": "/admin/journal/article/?"
        + urlencode({"section__exact": section, "status__exact": "published"}),
        "admin_article_change": f"/admin/journal/article/{article.pk}/change/",
        "admin_summits": "/admin/summits/summit/",
    }

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database_version = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()")
            database_version = f"SQLite {cursor.fetchone()[0]}"

    password = os.environ.get("BENCH_ADMIN_PASSWORD")
    if password:
        _bench_user(password)

    cache = settings.CACHES[settings.CACHE_MIDDLEWARE_ALIAS]["BACKEND"].rsplit(".", 1)[-1]
    return {
        "reader": reader,
        "admin": admin,
        "traffic": traffic(int(os.environ.get("BENCH_RANDOM_ARTICLES") or RANDOM_ARTICLES)),
        "admin_username": BENCH_USERNAME,
        "counts": {
            "articles": Article.objects.count(),
            "published": published.count(),
            "contributors": Contributor.objects.count(),
            "countries": Country.objects.count(),
            "frameworks": Framework.objects.count(),
            "summits": Summit.objects.count(),
        },
        "versions": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "database": database_version,
            "sqlite_library": sqlite3.sqlite_version,
        },
        "settings": {
            "database_engine": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
            "debug": settings.DEBUG,
            "cache": cache,
        },
    }


def traffic(articles: int) -> dict:
    """The paths random traffic picks from, and the words new searches are made of.

    `articles` published articles spread evenly over the archive, from the
    oldest to the newest, every country, framework and summit page, and list
    pages: the indexes, pages of the article list from the first to the last,
    and the list filtered by each country and each framework. The words are
    those of the titles, standfirsts and bodies of the same articles.
    """
    from django.utils.html import strip_tags

    from journal.models import Article
    from summits.models import Country, Framework, Summit

    published = Article.objects.published().order_by("publish_at", "pk")
    ids = list(published.values_list("pk", flat=True))
    step = max(1, len(ids) / articles)
    chosen = [ids[int(index * step)] for index in range(min(articles, len(ids)))]
    rows = Article.objects.filter(pk__in=chosen).order_by("pk")
    article_paths = [article.get_absolute_url() for article in rows]

    countries = list(Country.objects.order_by("pk"))
    frameworks = list(Framework.objects.order_by("pk"))
    summits = list(Summit.objects.order_by("pk"))
    pages = max(1, -(-len(ids) // 20))
    list_paths = [
        "/en/",
        "/en/articles/",
        "/en/countries/",
        "/en/frameworks/",
        "/en/summits/",
        "/en/contributors/",
    ]
    list_paths += [
        "/en/articles/?" + urlencode({"page": 2 + index * (pages - 2) // (LIST_PAGES - 1)})
        for index in range(LIST_PAGES)
        if pages > 2
    ]
    list_paths += ["/en/articles/?" + urlencode({"country": c.slug}) for c in countries]
    list_paths += ["/en/articles/?" + urlencode({"framework": f.slug}) for f in frameworks]

    words = set()
    for title, standfirst, body in rows.values_list("title", "standfirst", "body"):
        text = f"{title} {standfirst} {strip_tags(body)}".lower()
        words.update(re.findall(r"[a-z]{4,}", text))
    vocabulary = sorted(words - COMMON_WORDS)
    random.Random(1).shuffle(vocabulary)

    return {
        "paths": [
            *article_paths,
            *(c.get_absolute_url() for c in countries),
            *(f.get_absolute_url() for f in frameworks),
            *(s.get_absolute_url() for s in summits),
            *list_paths,
        ],
        "pool": {
            "articles": len(article_paths),
            "countries": len(countries),
            "frameworks": len(frameworks),
            "summits": len(summits),
            "lists": len(list_paths),
        },
        "words": vocabulary[:VOCABULARY],
    }


def load_urls() -> dict:
    """The load test's mix: many pages of each kind readers visit, by weight.

    Articles weigh most, as on a real site; the rest are spread over every
    country, framework and summit with coverage, a dozen searches and the feeds.
    """
    from journal.models import Article
    from summits.models import Country, Framework, Summit

    published = Article.objects.published().order_by("-publish_at", "-pk")
    articles = [a.get_absolute_url() for a in published[:150]]
    articles += [a.get_absolute_url() for a in published[1000:1050]]
    countries = [c.get_absolute_url() for c in Country.objects.filter(articles__isnull=False)]
    frameworks = [f.get_absolute_url() for f in Framework.objects.filter(articles__isnull=False)]
    summits = [s.get_absolute_url() for s in Summit.objects.filter(articles__isnull=False)[:40]]
    words = ["summit", "water", "Kazakhstan", "Uzbekistan", "energy", "transport"]
    words += ["Tashkent", "Astana", "Japan", "security", "trade", "Kyrgystan"]
    return {
        "home": ["/"],
        "article": sorted(set(articles)),
        "country": sorted(set(countries)),
        "framework": sorted(set(frameworks)),
        "summit": sorted(set(summits)),
        "search": ["/en/search/?" + urlencode({"q": word}) for word in words],
        "feed": ["/en/feeds/rss/", "/en/feeds/atom/"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.prepare", description=__doc__)
    parser.add_argument("action", choices=["recreate-postgres", "targets", "load-urls"])
    args = parser.parse_args(argv)
    if args.action == "recreate-postgres":
        postgres_recreate(os.environ["DATABASE_URL"])
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    result = load_urls() if args.action == "load-urls" else targets()
    sys.stdout.write(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
