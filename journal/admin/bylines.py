"""Bylines: the inline on an article's page, checked before publishing, and the list of credits."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from journal.models import Byline
from summits.admin_guards import GuardedAdminMixin


class BylineInlineFormSet(BaseInlineFormSet):
    def __init__(self, *args, publishing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Whether the article is, or is about to be, published (ArticleAdmin says).
        self.publishing = publishing

    def contributors(self) -> list:
        """Who is credited once this formset, validated, is saved."""
        return [
            form.cleaned_data["contributor"]
            for form in self.forms
            if form.cleaned_data.get("contributor") and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors) or not self.publishing:
            return
        # The article form checks the rest of the publication rules.
        problems = self.instance.publication_errors(bylines=self.contributors()).get("bylines")
        if problems:
            raise ValidationError(problems)


class BylineInline(GuardedAdminMixin, admin.TabularInline):
    model = Byline
    formset = BylineInlineFormSet
    autocomplete_fields = ["contributor"]
    fields = ["order", "contributor", "role"]
    extra = 1
    verbose_name_plural = "Bylines (in the order readers see them)"


@admin.register(Byline)
class BylineAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """Every credit across articles; bylines are normally edited on their article."""

    list_display = ["article", "contributor", "role", "order"]
    list_filter = ["role", "contributor__kind"]
    list_select_related = ["article", "contributor"]
    search_fields = ["article__title", "contributor__name"]
    autocomplete_fields = ["article", "contributor"]
