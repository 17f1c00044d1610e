"""The search page: ranked published articles, and the records a query names."""

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from journal.content_generation import kept, kept_in_worker
from journal.forms.filters import ArticleFilter
from journal.models import Article
from journal.search.query import parse_query
from journal.search.results import (
    SearchResults,
    contributor_names,
    matching_contributors,
    matching_records,
)
from journal.search.spelling import spelling_suggestion
from journal.views.base import list_key, paginate, visible_articles


class SearchView(TemplateView):
    template_name = "journal/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        query = parse_query(request.GET.get("q"))
        filterset = ArticleFilter(
            request.GET or None, queryset=Article.objects.published(), request=request
        )
        context.update(query=query, filter=filterset, searched=bool(query.text))
        if not query:
            if query.text:
                context["notice"] = _("Those words are too common to search for; try others.")
            return context
        if filterset.is_bound and not filterset.is_valid():
            return context  # the form shows the errors; no results for half a filter
        cards = visible_articles()
        key = list_key(request)
        # Unfiltered, the search reads everything readers may see.
        narrowed = filterset.qs if _filtering(filterset) else None
        results = SearchResults(narrowed, query, cards=cards, key=key)
        if results.count() == 0 and (suggestion := spelling_suggestion(query)):
            corrected = parse_query(suggestion)
            context["suggestion"] = suggestion
            alternative = SearchResults(narrowed, corrected, cards=cards, key=key)
            if alternative.count():
                results, context["showing_suggestion"] = alternative, True
        page = paginate(request, results)
        context.update(
            ran_search=True,
            results=results,
            page_obj=page,
            articles=page.object_list,
            records=kept(
                f"search:records:{context.get('suggestion') or query.wanted_text}",
                lambda: matching_records(context.get("suggestion") or query.wanted_text),
            ),
            people=matching_contributors(
                query.wanted_text, kept_in_worker("search:contributor-names", contributor_names)
            ),
        )
        return context


def _filtering(filterset) -> bool:
    """Whether the reader chose any filter beside the search words."""
    if not filterset.is_bound:
        return False
    return any(value not in (None, "", [], ()) for value in filterset.form.cleaned_data.values())
