"""What the reader pages share: visible articles and forgiving pagination."""

from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.utils.functional import cached_property

from ..models import Article, Byline
from ..page_cache import per_generation

ARTICLES_PER_PAGE = 20


def visible_articles():
    """Published articles with the columns a card shows, newest first.

    Bylines are loaded by `{% article_cards %}` for the cards it renders; a
    page that names authors otherwise adds `.prefetch_related(card_bylines())`.
    """
    return Article.objects.published().card_columns().order_by("-publish_at", "-pk")


def article_detail_queryset():
    return article_page_queryset().published()


def article_page_queryset():
    """Articles in any state, with everything their page shows: for permission-checked previews."""
    return Article.objects.prefetch_related(
        Prefetch(
            "bylines",
            queryset=Byline.objects.select_related("contributor").order_by("order", "pk"),
        ),
        "countries",
        "frameworks",
        "summits__framework",
        "corrections",
    )


def page_number(request) -> int:
    """The requested page; nonsense such as ?page=-1 or ?page=abc means the first."""
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


class ReaderPaginator(Paginator):
    """Counts a reader list once per content generation, not on every request.

    Counting tens of thousands of tagged articles is most of what a list page
    costs on a large archive, and the number only changes with the content.
    `count_key` names the list: the page's path and its filters.
    """

    def __init__(self, object_list, per_page, *, count_key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        return per_generation(f"count:{self.count_key}", lambda: super(ReaderPaginator, self).count)


def list_key(request) -> str:
    """What a reader list depends on: its path and its query string, less the page number."""
    params = sorted((key, value) for key, value in request.GET.lists() if key != "page")
    return f"{request.path}?{urlencode(params, doseq=True)}"


def paginate(request, queryset, per_page: int = ARTICLES_PER_PAGE):
    """A page of the queryset; a page past the end is a 404, as for a missing article."""
    paginator = ReaderPaginator(queryset, per_page, count_key=list_key(request))
    try:
        return paginator.page(page_number(request))
    except InvalidPage as error:
        raise Http404("No such page.") from error


class ReaderPaginationMixin:
    """ListView pagination with the forgiving page numbers of `paginate()`."""

    paginate_by = ARTICLES_PER_PAGE

    def paginate_queryset(self, queryset, page_size):
        page = paginate(self.request, queryset, page_size)
        return page.paginator, page, page.object_list, page.has_other_pages()
