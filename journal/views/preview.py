"""An article as readers will see it, before they can: for staff, and through a shared link.

Both render the reader's article page with the reader's context (related
articles stay published ones), plus a banner. Neither may be cached or indexed,
and neither reads what reader pages keep for the content generation.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from journal.models import Article
from journal.services.previews import (
    InvalidPreviewToken,
    PreviewLinkGone,
    can_preview,
    preview_link_for_token,
)
from journal.services.related import related_among
from journal.views.articles import RELATED_ARTICLES, ArticleDetailView
from journal.views.base import RowsById, visible_articles


def keep_private(response, *, referrer_policy: str = "no-referrer"):
    """No cache keeps the page, no search engine lists it, no link passes its address on.

    A page with a form sends `same-origin` instead: under `no-referrer`
    browsers post the form with "Origin: null", which Django's CSRF check
    refuses; `same-origin` still keeps the address from every other site.
    """
    patch_cache_control(response, private=True, no_store=True)
    response.headers["X-Robots-Tag"] = "noindex"
    # A shared link's address is its key.
    response.headers["Referrer-Policy"] = referrer_policy
    return response


class ArticlePreviewMixin:
    template_name = "journal/article_preview.html"

    def get_queryset(self):
        return Article.objects.all()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = self.get_context_data(object=self.object)
        return keep_private(self.render_to_response(context))

    def get_context_data(self, **kwargs):
        article = self.object
        # A draft has no publish time yet: show it as if it went out now. The
        # instance is never saved.
        stand_in_time = article.publish_at is None
        if stand_in_time:
            article.publish_at = timezone.now()
        context = super().get_context_data(**kwargs)
        context["stand_in_publish_time"] = stand_in_time
        return context

    def keep(self, name: str, compute):
        # A preview shows the article as it is now, never what reader pages keep.
        return compute()

    def related_articles(self, article, tags):
        # Ranked now, with the tags as they are: rows are written after a commit.
        ranked = related_among(
            Article.objects.published(), article, limit=RELATED_ARTICLES, tags=tags
        )
        return RowsById(visible_articles(), ranked)


class ArticlePreviewView(ArticlePreviewMixin, ArticleDetailView):
    """Any article, in any state, for staff who may open articles in the admin."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not can_preview(request.user):
            raise Http404("No article here.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["edit_url"] = reverse("admin:journal_article_change", args=[self.object.pk])
        return context


class ArticleSharePreviewView(ArticlePreviewMixin, ArticleDetailView):
    """The one article a shared link was made for, to anyone holding the link.

    A token this site did not sign is a plain 404, as for any mistyped address.
    A genuine token that no longer works says so (410): only someone who was
    given the link can hold one, so this tells them nothing new, and it spares
    them wondering whether they copied it wrongly.
    """

    def get(self, request, *args, **kwargs):
        try:
            self.link = preview_link_for_token(kwargs["token"])
        except PreviewLinkGone:
            return keep_private(render(request, "journal/preview_link_gone.html", status=410))
        except InvalidPreviewToken as error:
            raise Http404("No preview here.") from error
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.link.article_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview_link"] = self.link
        return context
