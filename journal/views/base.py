"""What the reader pages share: visible articles and forgiving pagination."""

import json
from collections.abc import Sequence
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property

from journal.content_generation import kept, kept_for_lists
from journal.models import Article
from journal.models.counts import published_counts

ARTICLES_PER_PAGE = 20


def visible_articles():
    """Published articles with the columns a card shows, newest first.

    Bylines are loaded by `{% article_cards %}` for the cards it renders; a
    page that names authors otherwise adds `.prefetch_related(card_bylines())`.
    """
    return Article.objects.published().card_columns().order_by("-publish_at", "-pk")


def script_json(data) -> str:
    """`data` as JSON to embed in a <script> element (JSON-LD), unable to end it early."""
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def article_detail_queryset():
    """Published articles; the page reads their bylines, tags and corrections itself."""
    return Article.objects.published()


def page_number(request) -> int:
    """The requested page; nonsense such as ?page=-1 or ?page=abc means the first."""
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


class ReaderPaginator(Paginator):
    """Counts a reader list, and finds which rows make each page, once per (listing) generation.

    Counting tens of thousands of tagged articles is most of what a list page
    costs on a large archive, and finding a page's twenty means sorting every
    match; both only change with the content. A page then loads its rows by
    primary key, and only when something reads them (a kept fragment may not).
    `count_key` names the list: the page's path and its filters.
    """

    def __init__(self, object_list, per_page, *, count_key: str, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key
        # How to count the list other than with COUNT, where a page knows better.
        self.counted = counted

    def _kept(self, name: str, compute):
        # A queryset of a list is decided by tags and LISTED_FIELDS; search
        # results also by every word of the articles.
        if isinstance(self.object_list, QuerySet):
            return kept_for_lists(name, compute)
        return kept(name, compute)

    @cached_property
    def count(self):
        return self._kept(
            f"count:{self.count_key}", self.counted or (lambda: super(ReaderPaginator, self).count)
        )

    def page(self, number):
        number = self.validate_number(number)
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        ids = self._kept(
            f"page:{self.count_key}:{bottom}:{top}",
            lambda: list(rows.values_list("pk", flat=True)[bottom:top]),
        )
        return self._get_page(RowsById(rows, ids), number, self)


class RowsById(Sequence):
    """The rows of `queryset` with these primary keys, in this order, read on first use."""

    def __init__(self, queryset: QuerySet, ids: list):
        self.queryset = queryset
        self.ids = ids

    @cached_property
    def rows(self) -> list:
        found = self.queryset.order_by().in_bulk(self.ids)
        # A row gone since the ids were kept is left out; its change started a
        # new generation, so the next request lists the page again.
        return [found[pk] for pk in self.ids if pk in found]

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)


def list_key(request) -> str:
    """What a reader list depends on: its path and its query string, less the page number."""
    params = sorted((key, value) for key, value in request.GET.lists() if key != "page")
    return f"{request.path}?{urlencode(params, doseq=True)}"


# The filters that name one record, and the tallies that count its articles.
TALLIED_FILTERS = {"country": "countries", "framework": "frameworks", "summit": "summits"}


def tallied(request, tag: str, record):
    """How to count a record's page, from the tallies of `journal.models.counts`.

    One query per generation counts every country's (framework's, …)
    articles; a COUNT per page would be one each. None when the reader
    filtered the list: the tallies count it unfiltered.
    """
    if any(key != "page" for key in request.GET):
        return None
    return lambda: published_counts(tag).get(record.pk, 0)


def tallied_filter(request, filterset):
    """How to count a list filtered by one country, framework or summit alone, as `tallied`."""
    used = [key for key in request.GET if key != "page" and request.GET[key]]
    if len(used) != 1 or used[0] not in TALLIED_FILTERS or not filterset.is_valid():
        return None
    name = used[0]
    tag = TALLIED_FILTERS[name]
    related = Article._meta.get_field(tag).related_model
    slug = filterset.form.cleaned_data[name]

    def count() -> int:
        pk = related.objects.filter(slug=slug).values_list("pk", flat=True).first()
        return published_counts(tag).get(pk, 0)

    return count


def paginate(request, queryset, per_page: int = ARTICLES_PER_PAGE, *, counted=None):
    """A page of the queryset; a page past the end is a 404, as for a missing article.

    `counted` counts the rows, where the page knows a cheaper way than COUNT
    (`tallied`); the count is kept per generation either way.
    """
    paginator = ReaderPaginator(queryset, per_page, count_key=list_key(request), counted=counted)
    try:
        return paginator.page(page_number(request))
    except InvalidPage as error:
        raise Http404("No such page.") from error


class ReaderPaginationMixin:
    """ListView pagination with the forgiving page numbers of `paginate()`."""

    paginate_by = ARTICLES_PER_PAGE

    def counted(self):
        """How to count the list other than with COUNT, if the view knows (see `paginate`)."""
        return None

    def paginate_queryset(self, queryset, page_size):
        page = paginate(self.request, queryset, page_size, counted=self.counted())
        return page.paginator, page, page.object_list, page.has_other_pages()
