"""Related coverage: ranking an article's related articles and keeping them as rows.

The article page reads an article's related coverage from `RelatedArticle`
rows with one indexed join. The rows are written here:

* when an article's tags change or it is published, after its transaction
  commits (`related_articles_refresh_on_commit`, called by signals in
  `journal.signals`), with the articles it now lists, so that a new article
  also reaches the related coverage of the articles most like it;
* for the whole archive by `manage.py refresh_related_articles`, after
  writes that send no signals (bulk inserts, a restore, the demo archive).

The ranking is `related_among`: among the RELATED_POOL newest
articles sharing a tag, most shared tags first, then newest. The rows are
ranked among published articles whatever their publish time, so a scheduled
article takes its place when it goes live, and the page reads them through
`Article.objects.published()`; STORED rows are kept so that unpublished ones
can be skipped.
"""

import heapq
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial

from django.db import router, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from journal import content_generation
from journal.models import Article, RelatedArticle

# How many of the newest articles sharing a tag are ranked for "related coverage".
RELATED_POOL = 200
# Rows kept per article; the article page shows RELATED_ARTICLES of them.
STORED = 8
PUBLISHED = Article.Status.PUBLISHED
# The tag tables, each with its tag's column.
TAG_TABLES = (
    (Article.countries.through, "country_id"),
    (Article.frameworks.through, "framework_id"),
    (Article.summits.through, "summit_id"),
)


# How many of the articles a newly published one lists are ranked again with it.
NEIGHBOURS = 4


def related_articles_rank(
    article: Article, *, limit: int = STORED, using: str | None = None
) -> list[int]:
    """Ids of the published articles most related to `article`, best first."""
    articles = Article.objects.using(using) if using else Article.objects
    return related_among(articles.filter(status=PUBLISHED), article, limit=limit)


def related_among(articles, article: Article, *, limit: int = 4, tags=None) -> list[int]:
    """Ids of `articles` sharing most tags with `article`, most recent first.

    Candidates are the RELATED_POOL newest articles sharing at least one tag.
    `tags` are its (countries, frameworks, summits) where the caller has them.
    """
    countries, frameworks, summits = tags or (
        article.countries.all(),
        article.frameworks.all(),
        article.summits.all(),
    )
    tags = [
        (through, field, [record.pk for record in records])
        for (through, field), records in zip(
            TAG_TABLES, (countries, frameworks, summits), strict=True
        )
        if records
    ]
    if not tags:
        return []
    sharing_any = Q()
    shared = Value(0)
    for through, field, ids in tags:
        # EXISTS, not IN: the newest articles are read down the
        # publication-time index and each is checked, instead of every
        # article with the tag being gathered first.
        sharing_any |= Exists(
            through.objects.filter(article_id=OuterRef("pk"), **{f"{field}__in": ids})
        )
        shared = shared + _count_shared_tags(through, field, ids)
    # Ranked among the newest articles sharing any tag: a country's whole
    # coverage can be tens of thousands of articles, each to be scored.
    pool = (
        articles.exclude(pk=article.pk)
        .filter(sharing_any)
        .order_by("-publish_at", "-pk")
        .values("pk")[:RELATED_POOL]
    )
    return list(
        articles.filter(pk__in=pool)
        .annotate(shared=shared)
        .order_by("-shared", "-publish_at", "-pk")
        .values_list("pk", flat=True)[:limit]
    )


def _count_shared_tags(through, field: str, ids: list[int]):
    """How many of `ids` an article is tagged with, through one tag table."""
    return Coalesce(
        Subquery(
            through.objects.filter(article_id=OuterRef("pk"), **{f"{field}__in": ids})
            .order_by()
            .values("article_id")
            .annotate(total=Count("pk"))
            .values("total")[:1]
        ),
        0,
    )


def related_articles_refresh(article_ids: Iterable[int], *, using: str | None = None) -> int:
    """Rank the related articles of these articles again, and of those a published one
    lists first (NEIGHBOURS of them), which may now list it.

    Returns how many articles had their rows written.
    """
    using = using or router.db_for_write(RelatedArticle)
    articles = Article.objects.using(using).filter(pk__in=set(article_ids)).only("pk", "status")
    done: set[int] = set()
    neighbours: list[int] = []
    with transaction.atomic(using=using):
        for article in articles:
            ranked = _write_rows(article, using=using)
            done.add(article.pk)
            if article.status == PUBLISHED:
                neighbours.extend(ranked[:NEIGHBOURS])
        # The articles it now lists may now list it.
        for neighbour in (
            Article.objects.using(using).filter(pk__in=set(neighbours) - done).only("pk")
        ):
            _write_rows(neighbour, using=using)
            done.add(neighbour.pk)
    return len(done)


def _write_rows(article: Article, *, using: str) -> list[int]:
    ranked = related_articles_rank(article, using=using)
    RelatedArticle.objects.using(using).filter(article=article).delete()
    RelatedArticle.objects.using(using).bulk_create(
        RelatedArticle(article_id=article.pk, related_id=related_id, position=position)
        for position, related_id in enumerate(ranked)
    )
    return ranked


class _Batch:
    """The articles one transaction changed; the first of its callbacks ranks them all."""

    def __init__(self):
        self.article_ids: set[int] = set()
        self.done = False


_local = threading.local()


def related_articles_refresh_on_commit(article_ids: Iterable[int], *, using: str) -> None:
    """Rank these articles' related coverage again once the transaction commits.

    However often a transaction changes an article's tags, its rows are
    written once; a rolled-back transaction writes none.
    """
    batch = getattr(_local, "batch", None)
    if batch is None or batch.done:
        batch = _local.batch = _Batch()
    batch.article_ids.update(article_ids)
    refresh = partial(_refresh_batch, batch, using)
    # Before the commit's end of the content generation, if it has one; by
    # itself otherwise (tags of a draft). Whichever comes first does the work.
    content_generation.before_end_on_commit(refresh)
    transaction.on_commit(refresh, using=using, robust=True)


def _refresh_batch(batch: _Batch, using: str) -> None:
    if batch.done:
        return
    batch.done = True
    related_articles_refresh(batch.article_ids, using=using)
    readers_see = (
        Article.objects.using(using).filter(pk__in=batch.article_ids, status=PUBLISHED).exists()
    )
    if readers_see:
        # Pages kept since the commit ended the generation lack the new rows.
        content_generation.end_unless_pending()


def related_articles_refresh_all(
    *, using: str | None = None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Rank every article's related coverage again, in memory, and replace all the rows.

    The same ranking as `related_to`, for the whole archive at once: each
    article's tags and the published articles' order are read once, and
    articles with the same tags share their pool. Returns the rows written.
    """
    using = using or router.db_for_write(RelatedArticle)
    written = rank_all(Article, RelatedArticle, using=using, progress=progress)
    content_generation.end_on_commit(using=using)
    return written


def rank_all(article_model, related_model, *, using: str, progress=None) -> int:
    """`related_articles_refresh_all` with the models given, as a migration has them."""
    Article, RelatedArticle = article_model, related_model  # noqa: N806
    tags: dict[int, set[tuple[int, int]]] = defaultdict(set)
    tag_tables = (
        (Article.countries.through, "country_id"),
        (Article.frameworks.through, "framework_id"),
        (Article.summits.through, "summit_id"),
    )
    for kind, (through, column) in enumerate(tag_tables):
        for article_id, tag_id in through.objects.using(using).values_list("article_id", column):
            tags[article_id].add((kind, tag_id))
    newest_first = list(
        Article.objects.using(using)
        .filter(status=PUBLISHED)
        .order_by("-publish_at", "-pk")
        .values_list("pk", flat=True)
    )
    # For each tag, the published articles carrying it, by their place in that order.
    carrying: dict[tuple[int, int], list[int]] = defaultdict(list)
    for place, article_id in enumerate(newest_first):
        for tag in tags.get(article_id, ()):
            carrying[tag].append(place)

    place_of = {article_id: place for place, article_id in enumerate(newest_first)}
    # For each set of tags: the RELATED_POOL + 1 newest articles carrying any of
    # them, and those in ranked order. An article's own pool is the newest
    # RELATED_POOL of them without itself.
    pools: dict[frozenset, tuple[list[int], list[int]]] = {}

    def pool_of(tag_set: frozenset) -> tuple[list[int], list[int]]:
        if tag_set not in pools:
            pool: list[int] = []
            for place in heapq.merge(*(carrying[tag] for tag in tag_set)):
                if not pool or pool[-1] != place:
                    pool.append(place)
                    if len(pool) > RELATED_POOL:
                        break
            ranked = sorted(
                pool, key=lambda place: (-len(tag_set & tags[newest_first[place]]), place)
            )
            pools[tag_set] = pool, ranked
        return pools[tag_set]

    rows = []
    with transaction.atomic(using=using):
        RelatedArticle.objects.using(using).all().delete()
        total = len(tags)
        for done, (article_id, article_tags) in enumerate(tags.items(), start=1):
            pool, ranked = pool_of(frozenset(article_tags))
            own_place = place_of.get(article_id)
            if own_place in pool:
                left_out = own_place
            else:
                left_out = pool[RELATED_POOL] if len(pool) > RELATED_POOL else None
            own = [place for place in ranked if place != left_out][:STORED]
            rows.extend(
                RelatedArticle(
                    article_id=article_id, related_id=newest_first[place], position=position
                )
                for position, place in enumerate(own)
            )
            if len(rows) >= 5000:
                RelatedArticle.objects.using(using).bulk_create(rows)
                rows = []
                if progress:
                    progress(done, total)
        RelatedArticle.objects.using(using).bulk_create(rows)
        return RelatedArticle.objects.using(using).count()
