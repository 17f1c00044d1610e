"""The article form: workflow inputs, headline slugs, and the check for a version saved since."""

import datetime
import json

from django import forms
from django.contrib.admin import widgets
from django.contrib.admin.models import LogEntry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journal.admin.editor import ArticleBodyField, ArticleBodyWidget
from journal.admin.workflow import STEP_FIELD, WORKFLOW_INPUTS
from journal.models import Article, ArticleSlugHistory
from journal.models.articles import HEADLINE_SLUG_LENGTH, headline_slug
from journal.services.revisions import (
    COMPARED_FIELDS,
    article_current_snapshot,
    article_snapshot,
    article_version_saved_at,
    compare_snapshots,
    field_diff,
    same_value,
)
from journal.services.workflow import Step, article_step_errors
from summits.slugs import first_free


class ArticleAdminForm(forms.ModelForm):
    """Checks what the model cannot see: the step a workflow button asks for, the
    pending tags, and whether someone else saved the article since this form was opened."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Posted by the workflow buttons under the form (article/_workflow.html).
    workflow_step = forms.TypedChoiceField(
        choices=Step.choices, coerce=Step, required=False, empty_value=None
    )
    schedule_at = forms.SplitDateTimeField(
        label=gettext_lazy("Publish time"),
        required=False,
        widget=widgets.AdminSplitDateTime,
        help_text=gettext_lazy(
            "The article goes live at this time by itself. A time already past "
            "publishes it now, dated then."
        ),
    )
    send_back_note = forms.CharField(
        label=gettext_lazy("Note to the writer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("What to change; shown on the article."),
    )
    user = None  # set by ArticleAdmin.get_form

    class Meta:
        widgets = {"body": ArticleBodyWidget}
        field_classes = {"body": ArticleBodyField}
        help_texts = {
            "slug": gettext_lazy(
                "The page address. Until the article is first published it follows the "
                "headline; type one of your own to keep it. Once published it stays put, "
                "and any address it had before still leads here."
            ),
            "body": gettext_lazy(
                "Paragraphs, subheadings, bold, italic, links, lists, quotes and images "
                "from our uploads, with captions. Pasting from a word processor keeps this "
                "structure; tables, code blocks and embeds are not published."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()
            if self.instance.is_scheduled:
                self.fields["schedule_at"].initial = self.instance.publish_at
        self._offer_headline_slug()

    @property
    def changed_data(self):
        # The workflow inputs say what to do, not what changed: the step names itself
        # in the revision (ArticleAdmin._name_step_in_revision).
        return [name for name in super().changed_data if name not in WORKFLOW_INPUTS]

    def clean(self):
        cleaned = super().clean()
        self._check_conflict(cleaned)
        self._slug_from_headline(cleaned)
        return cleaned

    def _follows_headline(self, slug: str, title: str) -> bool:
        """Whether `slug`, posted with `title`, is still the headline's, not one typed by hand."""
        if not self.instance.slug_follows_headline:
            return False
        return slug in ("", self.instance.slug, headline_slug(title))

    def _offer_headline_slug(self):
        """Let the slug follow the headline in the browser (static/journal/admin/slugs.js)."""
        field = self.fields.get("slug")
        if field is None:  # a view-only form
            return
        # Left empty, it is made from the headline (_slug_from_headline).
        field.required = False
        slug, title = self.instance.slug, self.instance.title
        if self.is_bound:
            slug = self.data.get(self.add_prefix("slug"), "")
            title = self.data.get(self.add_prefix("title"), "")
        if "title" in self.fields and self._follows_headline(slug, title):
            field.widget.attrs.update(
                {
                    "data-slug-rule": "text",
                    "data-slug-follows": True,
                    "data-slug-sources": json.dumps([self["title"].auto_id]),
                    "data-slug-unicode": True,
                    "data-slug-max-length": HEADLINE_SLUG_LENGTH,
                }
            )

    def _slug_from_headline(self, cleaned):
        """The headline's slug, when the slug is left empty or still follows the headline.

        Numbered when another article in the language has it; a slug typed by
        hand is the editor's, and a taken one is refused as usual.
        """
        if "slug" not in self.fields or "slug" not in cleaned or not cleaned.get("title"):
            return
        slug, title = cleaned["slug"], cleaned["title"]
        if not self._follows_headline(slug, title):
            if not slug and self.instance.slug:
                cleaned["slug"] = self.instance.slug  # published: the address stays put
            if cleaned["slug"]:
                return
        base = headline_slug(title) or "article"
        language = cleaned.get("language") or self.instance.language
        taken = set(
            Article.objects.filter(language=language, slug__startswith=base)
            .exclude(pk=self.instance.pk)
            .values_list("slug", flat=True)
        )
        # Another article's former address still takes its old links there.
        taken.update(
            ArticleSlugHistory.objects.filter(old_slug__startswith=base)
            .exclude(article=self.instance.pk)
            .values_list("old_slug", flat=True)
        )
        cleaned["slug"] = first_free(base, taken)

    def _post_clean(self):
        super()._post_clean()
        # Here, not in clean(): the instance now holds this form's values.
        self._check_workflow()

    def _check_workflow(self):
        """What stops this save and its step, as the service will see them, on their fields."""
        cleaned = self.cleaned_data
        errors = article_step_errors(
            article=self.instance,
            step=cleaned.get(STEP_FIELD),
            user=self.user,
            at=cleaned.get("schedule_at"),
            note=cleaned.get("send_back_note", ""),
            countries=cleaned.get("countries"),
        )
        errors.pop("bylines", None)  # checked by the bylines inline, which holds them
        for key, problems in errors.items():
            field = {"at": "schedule_at", "note": "send_back_note"}.get(key, key)
            if field not in self.fields:
                field = None
            # The model's own clean() may have said it already.
            shown = [str(error) for error in self.errors.get(field or NON_FIELD_ERRORS, [])]
            for problem in problems:
                if str(problem) not in shown:
                    self.add_error(field, problem)

    def _check_conflict(self, cleaned):
        """Refuse to overwrite a version saved after this form was opened.

        The message lists what the other person changed: the revision this form
        was opened on against the article as saved. Where only they changed a
        field, the form takes their version, so saving again keeps both people's
        work; where both did, it keeps this editor's and shows theirs.
        """
        loaded = self.data.get(self.add_prefix("loaded_version"))
        if not self.instance.pk or not loaded:
            return
        saved = Article.objects.filter(pk=self.instance.pk).first()
        if saved is None or saved.updated_at.isoformat() == loaded:
            return
        try:
            opened_at = datetime.datetime.fromisoformat(loaded)
            if timezone.is_naive(opened_at):
                raise ValueError("no time zone")
            opened = article_version_saved_at(saved, opened_at)
        except ValueError:  # not a time this form wrote
            opened = None
        theirs = article_current_snapshot(saved)
        # Saving again after reading this replaces their version on purpose.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = saved.updated_at.isoformat()
        if opened is not None:
            items = self._their_changes(article_snapshot(opened), theirs, cleaned)
            if not items and not self._corrections_differ(saved):
                # Nothing they changed is lost by this save (a new correction stays).
                return
            if not items:
                items = [format_html("<li>{}</li>", _("Corrections"))]
            intro = _("What they changed:")
        else:
            # No revision of the version this form showed: where theirs differs from it.
            items = [
                format_html(
                    _("<li><strong>{}</strong>: saved version {}</li>"),
                    self.fields[name].label,
                    self._saved_excerpt(name, theirs, cleaned),
                )
                for name in self.changed_data
                if name in cleaned and (name in theirs.tags or name in COMPARED_FIELDS)
            ] or [format_html("<li>{}</li>", _("only in bylines, corrections or images"))]
            intro = _("Where the saved version differs from yours:")
        entry = (
            LogEntry.objects.filter(
                content_type__app_label="journal",
                content_type__model="article",
                object_id=str(saved.pk),
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        who = entry.user.get_username() if entry and entry.user else _("Someone else")
        when = date_format(timezone.localtime(saved.updated_at), "DATETIME_FORMAT")
        raise ValidationError(
            format_html(
                _(
                    "{} saved this article at {}, after you opened it. Your changes were not "
                    "saved. {}<ul>{}</ul>Keep what you need from their version and save again "
                    "to replace it with yours."
                ),
                who,
                when,
                intro,
                format_html_join("", "{}", ((item,) for item in items)),
            ),
            code="conflict",
        )

    def _corrections_differ(self, saved) -> bool:
        """Whether this form posts corrections that differ from those saved now.

        Corrections are not in the revisions: a correction someone else edited
        would be written back as this form opened it, so any difference counts.
        """
        prefix = "corrections"
        try:
            total = int(self.data.get(f"{prefix}-TOTAL_FORMS", 0))
        except ValueError:
            return True
        stored = {str(pk): text for pk, text in saved.corrections.values_list("pk", "text")}
        for index in range(min(total, 1000)):
            pk = self.data.get(f"{prefix}-{index}-id")
            if not pk:
                continue
            if pk not in stored:
                return True  # deleted meanwhile
            posted = self.data.get(f"{prefix}-{index}-text", "").replace("\r\n", "\n")
            if posted.strip() != stored[pk].replace("\r\n", "\n").strip():
                return True
        return False

    def _their_changes(self, opened, theirs, cleaned) -> list:
        """The fields someone changed since `opened`, each with their version, for the message.

        Fields only they changed take their version in this form (as posted
        again); a field this form changed too keeps this editor's version.
        """
        items = []
        for diff in compare_snapshots(opened, theirs).sections:
            name, note = diff.name, ""
            if name == "bylines":
                note = _("(the form still has the ones you opened)")
            elif name in self.fields:
                if name not in self.changed_data:
                    continue  # this form holds the same
                if name in cleaned and self._as_opened(name, cleaned[name], opened):
                    self._take_saved(name)
                    note = _("(now in the form)")
                else:
                    note = _("(you changed it too: the form keeps yours)")
            items.append(
                format_html("<li><strong>{}</strong>: {} {}</li>", diff.label, diff.excerpt(), note)
            )
        return items

    def _as_opened(self, name, value, opened) -> bool:
        """Whether this form's `value` of `name` is still what the form was opened with."""
        if name in opened.tags:
            return sorted(str(tag) for tag in value) == opened.tags[name]
        attname = Article._meta.get_field(name).attname
        return same_value(name, getattr(value, "pk", value), opened.values.get(attname))

    def _take_saved(self, name):
        """Put the saved version's value of `name` (this form's initial) in the posted data."""
        field, key = self.fields[name], self.add_prefix(name)
        value = self.get_initial_for_field(field, name)
        if isinstance(field, forms.FileField):
            return  # the file stays the saved one unless another is uploaded
        if isinstance(field, forms.ModelMultipleChoiceField):
            self.data.setlist(key, [str(getattr(item, "pk", item)) for item in value or ()])
        elif isinstance(field, forms.BooleanField):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
        else:
            self.data[key] = "" if value is None else str(getattr(value, "pk", value))

    def _saved_excerpt(self, name, theirs, cleaned) -> str:
        if name in theirs.tags:
            return "“{}”".format(", ".join(theirs.tags[name]) or "—")
        attname = Article._meta.get_field(name).attname
        value = cleaned[name]
        return field_diff(name, getattr(value, "pk", value), theirs.values[attname]).excerpt()
