"""How much the journal has published on each country, framework and summit, and by whom.

Counting the published articles of every country on each request reads the
whole archive; these tallies are worked out once per listing generation (see
`journal.content_generation.kept_for_lists`: an edit to an article's words
keeps them) and read from the cache after that.
"""

from django.db.models import Count

from journal.content_generation import kept_for_lists
from journal.models import Article, Byline, Contributor

# The tables that tag articles, and the column naming the tally's record.
TAGS = {
    "countries": (Article.countries.through, "country_id"),
    "frameworks": (Article.frameworks.through, "framework_id"),
    "summits": (Article.summits.through, "summit_id"),
    "contributors": (Byline, "contributor_id"),
}


def published_counts(tag: str) -> dict[int, int]:
    """{id: number of published articles} for every country, framework, summit or
    contributor (`tag`, a key of TAGS) with at least one."""
    table, column = TAGS[tag]
    return kept_for_lists(
        f"coverage:{tag}", lambda: _count(table, column, distinct=tag == "contributors")
    )


def _count(table, column: str, *, distinct: bool) -> dict[int, int]:
    """Every tag row counted, less those of articles readers cannot see.

    Most of an archive is published: counting the tag table alone reads one
    index, and the articles readers cannot see (drafts, archived, scheduled)
    are few, where joining every tag row to its article reads them all. An
    article names a country, framework or summit once, but may credit a
    contributor in two roles: those are counted once (`distinct`).
    """
    tally = Count("article_id", distinct=True) if distinct else Count("pk")
    every = dict(table.objects.values_list(column).annotate(total=tally).order_by())
    unseen = dict(
        table.objects.filter(article_id__in=Article.objects.hidden().values("pk"))
        .values_list(column)
        .annotate(total=tally)
        .order_by()
    )
    counts = {pk: total - unseen.get(pk, 0) for pk, total in every.items() if pk is not None}
    return {pk: total for pk, total in counts.items() if total > 0}


def with_counts(objects, tag: str) -> list:
    """`objects` as a list, each with `article_count` set from `published_counts(tag)`."""
    counts = published_counts(tag)
    objects = list(objects)
    for obj in objects:
        obj.article_count = counts.get(obj.pk, 0)
    return objects


def contributor_choices() -> list[tuple[str, str]]:
    """(slug, name) of the contributors readers may know of, by name: for filter forms.

    A guest whose only piece is still scheduled is not among them.
    """

    def choices() -> list[tuple[str, str]]:
        return list(
            Contributor.objects.known_to_readers().order_by("name").values_list("slug", "name")
        )

    return kept_for_lists("coverage:contributor-choices", choices)
