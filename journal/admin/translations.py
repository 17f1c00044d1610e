"""Translations on the article's admin page: the article's other languages, and starting one.

`TranslationAdminMixin` goes before `admin.ModelAdmin` in ArticleAdmin's bases.
Starting a translation asks first, on a page of its own, as a delete does.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from journal.services.translations import TranslationRefused, article_translation_start


def language_name(language: str) -> str:
    """The language's name in the interface's language: "Korean", "한국어", "корейский"."""
    try:
        return get_language_info(language)["name_translated"]
    except KeyError:  # a language Django does not know: its code
        return language


class TranslationAdminMixin:
    """The Language fieldset's list of translations, and the page that starts one."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/translate/<str:language>/",
                self.admin_site.admin_view(self.translate_view),
                name="{}_{}_translate".format(*info),
            ),
            *super().get_urls(),
        ]

    def translations(self, obj):
        """Each language: the translation (or original) with its status, or a link to start one."""
        if obj is None or obj.pk is None:
            return _("Save the article first; then it can be translated.")
        group = {
            article.language: article
            for article in obj.translation_group().only("title", "language", "status")
        }
        rows = []
        for language, _name in settings.LANGUAGES:
            if language == obj.language:
                continue
            other = group.get(language)
            if other is not None:
                role = _("original") if other.pk == obj.original_id else _("translation")
                rows.append(
                    (
                        language_name(language),
                        format_html(
                            '<a href="{}" lang="{}">{}</a> ({}, {})',
                            self._change_url(other),
                            language,
                            other.title,
                            role,
                            other.get_status_display(),
                        ),
                    )
                )
            else:
                url = reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_translate",
                    args=[obj.pk, language],
                    current_app=self.admin_site.name,
                )
                rows.append(
                    (
                        language_name(language),
                        format_html('<a href="{}">{}</a>', url, _("Start a translation")),
                    )
                )
        return format_html(
            '<ul class="translations">{}</ul>',
            format_html_join("", "<li>{}: {}</li>", rows),
        )

    translations.short_description = gettext_lazy("Translations")

    def _change_url(self, article) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[article.pk],
            current_app=self.admin_site.name,
        )

    def translate_view(self, request, object_id, language):
        """Confirm, then start a draft translation of the article into `language`."""
        article = self.get_object(request, unquote(object_id))
        if article is None or language not in dict(settings.LANGUAGES):
            raise Http404("No such article or language.")
        if not (self.has_view_permission(request, article) and self.has_add_permission(request)):
            raise PermissionDenied
        if request.method == "POST":
            try:
                draft = article_translation_start(
                    article=article, language=language, user=request.user
                )
            except TranslationRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
                return HttpResponseRedirect(self._change_url(article))
            self.message_user(
                request,
                _(
                    "A %(language)s translation was started as a draft in the original's "
                    "words. Translate the headline, standfirst and body, then untick "
                    "“title needs confirming”."
                )
                % {"language": language_name(language)},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._change_url(draft))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "language": language,
            "language_name": language_name(language),
            "title": _("Translate “%(title)s” into %(language)s")
            % {"title": article.title, "language": language_name(language)},
        }
        return TemplateResponse(request, "admin/journal/article/translate.html", context)
