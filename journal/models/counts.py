"""How much the journal has published on each country, framework and summit, and by whom.

Counting the published articles of every country on each request reads the
whole archive; these tallies are worked out once per content generation (see
`journal.content_generation.kept`) and read from the cache after that.
"""

from django.db.models import Count

from journal.content_generation import kept
from journal.models import Article, Contributor

# The article relations readers browse by, and the tallies' names.
TAGS = {
    "countries": "countries",
    "frameworks": "frameworks",
    "summits": "summits",
    "contributors": "bylines__contributor",
}


def published_counts(tag: str) -> dict[int, int]:
    """{id: number of published articles} for every country, framework, summit or
    contributor (`tag`, a key of TAGS) with at least one."""
    relation = TAGS[tag]

    def count() -> dict[int, int]:
        rows = (
            Article.objects.published()
            .filter(**{f"{relation}__isnull": False})
            .values_list(relation)
            # An article names a country, framework or summit once, but may
            # credit a contributor in two roles.
            .annotate(total=Count("pk", distinct=tag == "contributors"))
            .order_by()
        )
        return dict(rows)

    return kept(f"coverage:{tag}", count)


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

    return kept("coverage:contributor-choices", choices)
