"""Revision history in the admin: list, compare and restore, built on django-reversion.

`VersionAdmin` records a revision (user, time, change message, a copy of the
object and what it follows) whenever the admin saves, list actions included.
What these mixins change is restoring. Reversion's own revert puts back the
whole revision: every object saved with it (a list action saves many articles
at once) and every field, status and publish time included, and it checks
permission against the reverted object. Here a restore touches only the
object at hand, brings back its content and leaves its place in the workflow
alone, and is open only to those who may change the object as it is now.
"""

import dataclasses
import functools

import reversion
from django import forms
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from journal.services.revisions import (
    article_restore_revision,
    compare_article_versions,
    restore_values,
)


class _Discard(Exception):
    """Leaves the restore transaction, rolling it back, with the page to show."""

    def __init__(self, response):
        self.response = response


def _revision_time(version: Version) -> str:
    return date_format(localtime(version.revision.date_created), "DATETIME_FORMAT")


class RevisionHistoryMixin(VersionAdmin):
    """Reversion's admin with a restore that keeps everything but `restore_fields`."""

    history_latest_first = True
    # Reversion's list template only adds "Recover deleted …", switched off below.
    change_list_template = None
    # What a restore brings back; every other field keeps its current value.
    restore_fields: tuple[str, ...] = ()

    def restore_version(self, version: Version, obj) -> list[str]:
        """Put `version`'s restorable values on `obj`'s row; return notes for the editor."""
        restore_values(obj, version, self.restore_fields)
        return []

    def get_revision_form_template(self):
        opts = self.opts
        return self.revision_form_template or [
            f"reversion/{opts.app_label}/{opts.model_name}/revision_form.html",
            f"reversion/{opts.app_label}/revision_form.html",
            "reversion/revision_form.html",
        ]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """The change form filled from an earlier revision; saving it restores that one.

        The restore is made inside a transaction; showing the form (or a form
        with errors) rolls it back, a successful save keeps it and records a
        new revision. Permission is checked on the object as it is now, before
        anything is restored.
        """
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(obj).select_related("revision__user"), pk=version_id
        )
        opts = self.opts
        context = {
            "title": _("Restore %(name)s as of %(datetime)s")
            % {"name": version.object_repr, "datetime": _revision_time(version)},
            "revert": True,
            "version": version,
            "restore_base_template": select_template(
                [
                    self.change_form_template
                    or f"admin/{opts.app_label}/{opts.model_name}/change_form.html",
                    f"admin/{opts.app_label}/change_form.html",
                    "admin/change_form.html",
                ]
            ),
            **(extra_context or {}),
        }
        try:
            with transaction.atomic(using=version.db):
                notes = self.restore_version(version, obj)
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(str(obj.pk)), request.path, context
                    )
                    if request.method == "POST" and response.status_code == 302:
                        reversion.set_comment(
                            _("Restored the version of %(datetime)s.")
                            % {"datetime": _revision_time(version)}
                        )
                        for note in notes:
                            self.message_user(request, note, level="warning")
                        return response
                    if response.status_code == 200:
                        response.template_name = self.get_revision_form_template()
                        response.context_data["restore_notes"] = notes
                        response.render()
                    raise _Discard(response)
        except _Discard as discard:
            return discard.response
        except RevertError as error:  # stored data the current models cannot read
            self.message_user(request, str(error), level="error")
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history", obj.pk
            )

    def recoverlist_view(self, request, extra_context=None):
        # Reversion recovers a deleted object by reverting its whole last
        # revision, status and other objects included; not offered until a
        # recovery that goes through the workflow exists.
        raise Http404

    def recover_view(self, request, version_id, extra_context=None):
        raise Http404


class ContributorHistoryMixin(RevisionHistoryMixin):
    """History and restore for contributors: the profile comes back, the address and login stay."""

    restore_fields = (
        "name",
        "kind",
        "position",
        "affiliation",
        "bio",
        "photo",
        "photo_width",
        "photo_height",
        "email",
    )


class RevisionCompareForm(forms.Form):
    a = forms.ModelChoiceField(queryset=Version.objects.none(), label="A")
    b = forms.ModelChoiceField(queryset=Version.objects.none(), label="B")

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = versions
        self.fields["b"].queryset = versions

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            raise ValidationError(_("Choose two different revisions to compare."))
        return cleaned


class ArticleHistoryMixin(RevisionHistoryMixin):
    """Article history: revisions newest first, a comparison of any two, and restore.

    A restore brings back the headline, text, image, section, tags and
    bylines. Status, publish time, featuring, the review note and the slug
    stay as they are (see `journal.services.revisions.RESTORED_FIELDS`), so the
    workflow only moves through `article_transition`; corrections are never
    touched.
    """

    object_history_template = "admin/journal/article/history.html"
    revision_form_template = "admin/journal/article/revision_form.html"
    revision_compare_template = "admin/journal/article/revision_compare.html"
    history_per_page = 100

    def restore_version(self, version, obj):
        return article_restore_revision(article=obj, version=version)

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.revision_compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def get_action(self, action, *args, **kwargs):
        """The action as it was, naming itself in the revision it records."""
        found = super().get_action(action, *args, **kwargs)
        if found is None:
            return None
        return dataclasses.replace(found, func=self._recorded(found.func, found.description))

    @staticmethod
    def _recorded(func, description):
        @functools.wraps(func)
        def action(modeladmin, request, queryset):
            # VersionAdmin's changelist view has opened the revision.
            if reversion.is_active():
                reversion.set_comment(_("List action: %s") % capfirst(str(description)))
            return func(modeladmin, request, queryset)

        return action

    def _versions(self, obj):
        return Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk")

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = self._versions(obj)
        paginator = self.get_paginator(request, versions, self.history_per_page)
        page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        context = {
            "action_list": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "pagination_required": paginator.num_pages > 1,
            "latest_version_id": versions.values_list("pk", flat=True).first(),
            "can_restore": self.has_change_permission(request, obj),
            **(extra_context or {}),
        }
        # Django's history view (not reversion's list of revert links), given our list.
        return super(VersionAdmin, self).history_view(request, object_id, context)

    def revision_compare_view(self, request, object_id, extra_context=None):
        """Two revisions side by side: what changed in each field, bylines and tags."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = self._versions(obj)
        form = RevisionCompareForm(request.GET, versions=versions)
        comparison = None
        if form.is_valid():
            old, new = sorted([form.cleaned_data["a"], form.cleaned_data["b"]], key=lambda v: v.pk)
            try:
                comparison = compare_article_versions(old, new)
            except RevertError as error:  # stored data the current models cannot read
                form.add_error(None, str(error))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare revisions of “%s”") % obj,
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "form": form,
            "comparison": comparison,
            "latest_version_id": versions.values_list("pk", flat=True).first(),
            "can_restore": self.has_change_permission(request, obj),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            self.revision_compare_template,
            context,
            status=200 if comparison else 400,
        )
