"""Importing plain-text exports from the article list: upload files, read the report.

`ArticleImportAdminMixin` goes before `admin.ModelAdmin` in ArticleAdmin's
bases. The "Import plain text" button is in
templates/admin/journal/article/change_list.html. Each file becomes a draft
through `journal.services.imports.article_import()`, in a transaction of its own.
"""

import logging

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import get_text_list

from journal.services.imports import ImportOutcome, ImportResult, article_import
from journal.services.plaintext import MAX_EXPORT_BYTES, read_limited

logger = logging.getLogger(__name__)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,text/plain"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        clean_one = super().clean
        return [clean_one(item, initial) for item in files]


def max_files() -> int | None:
    """How many files one upload may carry: Django refuses more (DATA_UPLOAD_MAX_NUMBER_FILES)."""
    return settings.DATA_UPLOAD_MAX_NUMBER_FILES


class ArticleImportForm(forms.Form):
    files = MultipleFileField(
        label="Plain-text files",
        # An empty file gets its own line in the report rather than failing the batch.
        allow_empty_file=True,
    )
    dry_run = forms.BooleanField(
        label="Check only",
        required=False,
        help_text="Read the files and report what would be created, without creating anything.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = max_files()
        self.fields["files"].help_text = (
            f"One article per .txt file (UTF-8), each at most "
            f"{filesizeformat(MAX_EXPORT_BYTES)}"
            + (f"; up to {limit} files at once." if limit else ".")
            + " Each becomes a draft; a file imported before is skipped."
        )

    def clean_files(self):
        files = self.cleaned_data["files"]
        others = [upload.name for upload in files if not upload.name.lower().endswith(".txt")]
        if others:
            raise ValidationError(
                "Only plain-text files ending in .txt can be imported, not %(names)s.",
                params={"names": get_text_list([f"“{name}”" for name in others], "or")},
                code="not_txt",
            )
        return files


class ArticleImportAdminMixin:
    """An "Import plain text" page for those who may add articles."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            # Before the admin's own patterns, whose "<object_id>/" catches everything.
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """The upload form; after an upload, the report on each file with links to the drafts."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleImportForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
        )
        rows = None
        if request.method == "POST" and form.is_valid():
            dry_run = form.cleaned_data["dry_run"]
            rows = [
                self._report_row(request, self._import_upload(request, upload, dry_run=dry_run))
                for upload in form.cleaned_data["files"]
            ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Import plain-text articles",
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "rows": rows,
            "counts": _counts(rows or []),
            "max_bytes": MAX_EXPORT_BYTES,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/journal/article/import.html", context)

    def _import_upload(self, request, upload, *, dry_run: bool) -> ImportResult:
        try:
            with upload.open("rb") as stream:
                data = read_limited(stream)
            return article_import(name=upload.name, data=data, user=request.user, dry_run=dry_run)
        except Exception:
            # One file going wrong must not cost the report on the others.
            logger.exception("Importing %s failed", upload.name)
            return ImportResult(
                upload.name,
                ImportOutcome.FAILED,
                "failed. Something went wrong on our side; it has been logged.",
            )

    def _report_row(self, request, result: ImportResult) -> dict:
        article = result.article
        url = None
        if (
            article is not None
            and article.pk
            and self.has_view_or_change_permission(request, article)
        ):
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[article.pk],
                current_app=self.admin_site.name,
            )
        return {"result": result, "url": url}


def _counts(rows: list[dict]) -> dict[str, int]:
    counts = {outcome.value: 0 for outcome in ImportOutcome}
    for row in rows:
        counts[row["result"].outcome] += 1
    return counts
