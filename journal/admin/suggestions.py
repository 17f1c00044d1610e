"""Tag suggestions on the article's admin page.

`TagSuggestionAdminMixin` goes before `admin.ModelAdmin` in ArticleAdmin's
bases. It adds a "Suggested tags" row to the fieldset holding the tags,
listing what `summits.tagging.suggest_tags()` finds in the saved text (so it
works without JavaScript), and an endpoint that answers the same question for
the text as it stands in the form. static/journal/admin/tag-suggestions.js
asks that endpoint and turns each suggestion into an "Add" button that puts
the tag into the field without reloading the page.
"""

import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from summits.tagging import Suggestion, Suggestions, suggest_tags

# Which article field takes each kind of suggestion.
KINDS = {"countries": "country", "frameworks": "framework", "summits": "summit"}
# Weak suggestions below this are not worth an editor's glance.
SHOWN_FROM = 0.5
SHOWN_PER_KIND = 12


class _IdsField(forms.Field):
    """Primary keys as a multiple select posts them; anything else is ignored."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return {int(item) for item in value or () if str(item).isdigit()}


class TagSuggestionForm(forms.Form):
    """The parts of the article form that suggestions are made from."""

    title = forms.CharField(required=False, strip=False)
    standfirst = forms.CharField(required=False, strip=False)
    body = forms.CharField(required=False, strip=False, max_length=1_000_000)
    countries = _IdsField(required=False)
    frameworks = _IdsField(required=False)
    summits = _IdsField(required=False)


def suggestions_payload(suggestions: Suggestions, tagged: dict[str, set[int]]) -> dict:
    """Suggestions as the script reads them, each marked when the article already has it."""

    def item(kind: str, suggestion: Suggestion) -> dict:
        return {
            "id": suggestion.obj.pk,
            "label": str(suggestion.obj),
            "kind": KINDS[kind],
            "score": suggestion.score,
            "strong": suggestion.strong,
            "evidence": list(suggestion.evidence),
            "tagged": suggestion.obj.pk in tagged.get(kind, ()),
        }

    return {
        kind: [
            item(kind, suggestion)
            for suggestion in getattr(suggestions, kind)
            if suggestion.strong or suggestion.score >= SHOWN_FROM
        ][:SHOWN_PER_KIND]
        for kind in KINDS
    }


class TagSuggestionAdminMixin:
    """Countries, frameworks and summits suggested from the article's own words."""

    tag_suggestions_field = "tag_suggestions"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(require_POST(self.tag_suggestions_view))
        return [
            # Before the admin's own patterns, whose "<object_id>/" catches everything.
            path(
                "<path:object_id>/tag-suggestions/",
                view,
                name="{}_{}_tag_suggestions".format(*info),
            ),
            path("tag-suggestions/", view, name="{}_{}_tag_suggestions_new".format(*info)),
            *super().get_urls(),
        ]

    @property
    def media(self):
        return super().media + forms.Media(
            js=["journal/admin/tag-suggestions.js"],
            css={"all": ["journal/admin/tag-suggestions.css"]},
        )

    def get_fieldsets(self, request, obj=None):
        # The suggestions sit with the tags they suggest.
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = list(options.get("fields", ()))
            if "countries" in fields and self.tag_suggestions_field not in fields:
                options = {**options, "fields": [*fields, self.tag_suggestions_field]}
            fieldsets.append((name, options))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self.tag_suggestions_field not in fields:
            fields.append(self.tag_suggestions_field)
        return fields

    def tag_suggestions_view(self, request, object_id=None):
        """JSON suggestions for the posted title, standfirst, body and tags."""
        if object_id is not None:
            article = self.get_object(request, unquote(object_id))
            if article is None:
                raise Http404("No such article.")
            if not self.has_change_permission(request, article):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        form = TagSuggestionForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        data = form.cleaned_data
        suggestions = suggest_tags(
            title=data["title"],
            standfirst=data["standfirst"],
            body=data["body"],
            summits=sorted(data["summits"]),
            published=_published(article if object_id is not None else None),
        )
        return JsonResponse(suggestions_payload(suggestions, {kind: data[kind] for kind in KINDS}))

    @admin.display(description="Suggested tags")
    def tag_suggestions(self, obj):
        if obj is not None and obj.pk:
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_tag_suggestions",
                args=[obj.pk],
                current_app=self.admin_site.name,
            )
            suggestions = suggest_tags(
                title=obj.title,
                standfirst=obj.standfirst,
                body=obj.body,
                summits=list(obj.summits.values_list("pk", flat=True)),
                published=_published(obj),
            )
            tagged = {kind: set(getattr(obj, kind).values_list("pk", flat=True)) for kind in KINDS}
            payload = suggestions_payload(suggestions, tagged)
            note = "From the saved headline, standfirst and text."
        else:
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_tag_suggestions_new",
                current_app=self.admin_site.name,
            )
            payload = {kind: [] for kind in KINDS}
            note = "Suggestions appear once the article has a headline or text."
        return format_html(
            '<div class="tag-suggestions" data-url="{}">'
            '<p class="tag-suggestions-note">{}</p><div class="tag-suggestions-list">{}</div>'
            "</div>",
            url,
            note,
            _render(payload),
        )


def _render(payload: dict) -> str:
    """The suggestions as lists; the script re-draws them in the same markup."""
    sections = []
    for field, items in payload.items():
        if not items:
            continue
        strong = [item for item in items if item["strong"]]
        weak = [item for item in items if not item["strong"]]
        lists = format_html(
            '<ul class="tag-suggestions-items">{}</ul>', _items(field, strong) if strong else ""
        )
        if weak:
            lists += format_html(
                '<details class="tag-suggestions-weak"><summary>Mentioned in passing ({})'
                '</summary><ul class="tag-suggestions-items">{}</ul></details>',
                len(weak),
                _items(field, weak),
            )
        sections.append(
            format_html(
                '<div class="tag-suggestions-kind" data-field="{}"><strong>{}</strong>{}</div>',
                field,
                field.capitalize(),
                lists,
            )
        )
    if not sections:
        return format_html('<p class="tag-suggestions-none">{}</p>', "Nothing to suggest yet.")
    return format_html_join("", "{}", ((section,) for section in sections))


def _items(field: str, items: list[dict]) -> str:
    return format_html_join(
        "",
        '<li data-field="{}" data-id="{}" data-label="{}" data-tagged="{}">'
        '<span class="tag-suggestion-label">{}</span> '
        '<span class="tag-suggestion-score" title="Score">{}</span>{} '
        '<span class="tag-suggestion-evidence">{}</span></li>',
        (
            (
                field,
                item["id"],
                item["label"],
                "true" if item["tagged"] else "false",
                item["label"],
                f"{item['score']:.1f}",
                format_html(' <span class="tag-suggestion-tagged">{}</span>', "already tagged")
                if item["tagged"]
                else "",
                "; ".join(item["evidence"][:3]),
            )
            for item in items
        ),
    )


def _published(article) -> datetime.date:
    """The day "on Thursday" is read against: the article's publication, or today for a draft."""
    if article is not None and article.publish_at:
        return timezone.localdate(article.publish_at)
    return timezone.localdate()
