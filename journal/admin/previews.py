"""Previews on the article's admin page: a Preview button and shareable preview links.

`PreviewAdminMixin` goes before `admin.ModelAdmin` in ArticleAdmin's bases.
The buttons themselves are in templates/admin/journal/article/change_form.html.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from journal.models import PreviewLink
from journal.services.previews import preview_link_create, preview_link_revoke, preview_token


class PreviewLinkForm(forms.Form):
    days = forms.IntegerField(
        label="Works for (days)",
        min_value=1,
        max_value=PreviewLink.MAX_DAYS,
        initial=PreviewLink.DEFAULT_DAYS,
        help_text=f"From 1 to {PreviewLink.MAX_DAYS} days. You can withdraw the link sooner.",
    )


class RevokePreviewLinkForm(forms.Form):
    link = forms.ModelChoiceField(queryset=PreviewLink.objects.none(), to_field_name="token_id")

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = article.preview_links.active()


class PreviewAdminMixin:
    """Shareable preview links for an article, made and withdrawn by those who may change it."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            # Before the admin's own patterns, whose "<object_id>/" catches everything.
            path(
                "<path:object_id>/preview-links/",
                self.admin_site.admin_view(self.preview_links_view),
                name="{}_{}_preview_links".format(*info),
            ),
            path(
                "<path:object_id>/preview-links/withdraw/",
                self.admin_site.admin_view(require_POST(self.preview_link_revoke_view)),
                name="{}_{}_preview_link_revoke".format(*info),
            ),
            *super().get_urls(),
        ]

    def _shareable_article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def _admin_url(self, view: str, article) -> str:
        opts = self.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_{view}",
            args=[article.pk],
            current_app=self.admin_site.name,
        )

    def preview_links_view(self, request, object_id):
        """The article's working preview links, and a form for a new one."""
        article = self._shareable_article(request, object_id)
        form = PreviewLinkForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            link = preview_link_create(
                article=article, user=request.user, days=form.cleaned_data["days"]
            )
            self.message_user(
                request,
                "Preview link made; it works until {}. Copy it from the list below.".format(
                    date_format(timezone.localtime(link.expires_at), "DATETIME_FORMAT")
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._admin_url("preview_links", article))
        links = article.preview_links.active().select_related("created_by")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Share a preview of “{article}”",
            "subtitle": None,
            "opts": self.opts,
            "original": article,
            "form": form,
            "links": [
                (
                    link,
                    request.build_absolute_uri(
                        reverse(
                            "journal:article_share_preview",
                            kwargs={"token": preview_token(link)},
                        )
                    ),
                )
                for link in links
            ],
            "revoke_url": self._admin_url("preview_link_revoke", article),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/journal/article/preview_links.html", context)

    def preview_link_revoke_view(self, request, object_id):
        """Withdraw one of the article's links; it stops working at once."""
        article = self._shareable_article(request, object_id)
        form = RevokePreviewLinkForm(request.POST, article=article)
        if form.is_valid():
            preview_link_revoke(link=form.cleaned_data["link"])
            self.message_user(request, "Preview link withdrawn.", messages.SUCCESS)
        else:
            self.message_user(
                request, "That link had already expired or been withdrawn.", messages.WARNING
            )
        return HttpResponseRedirect(self._admin_url("preview_links", article))
