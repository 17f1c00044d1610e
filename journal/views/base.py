"""What the reader pages share: visible articles and forgiving pagination."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404

from ..models import Article, Byline

ARTICLES_PER_PAGE = 20


def visible_articles():
    """Published articles with what a card shows, newest first."""
    return Article.objects.published().with_cards().order_by("-publish_at", "-pk")


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


def paginate(request, queryset, per_page: int = ARTICLES_PER_PAGE):
    """A page of the queryset; a page past the end is a 404, as for a missing article."""
    paginator = Paginator(queryset, per_page)
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
