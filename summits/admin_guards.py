"""Forged admin input answered with a form error or a refusal, not a server error.

Both desks' admins use `GuardedAdminMixin` (the journal's too: it imports it
from here, as it imports the record). It closes what Django's admin leaves
open to a hand-made request:

- Autocomplete fields look the posted ids up again to show them beside the
  form's errors, and a multiple-choice field looks them up all at once: an id
  that is not a number, or one too large for the column, makes that query
  fail. Such an id is left out; the field says the choice is not valid.
- A changelist's date hierarchy works out where a year, month or day ends
  outside its own check (`?created_at__year=9999` asks for the year 10000).
- A changelist accepts any lookup on a model's own fields from its address,
  and the database compiles a `regex` one, or meets a NUL character, only
  when the list is counted; a lookup on a search vector is PostgreSQL's own,
  and SQLite cannot run it, nor bind an id past 2**63 - 1.
- The changelist's search box refuses a NUL character, but the autocomplete
  view hands it to the search, and PostgreSQL refuses it in a query: the
  newsroom's admin site strips it there, for every model (journal/admin/site.py,
  which summits cannot import).
- A list action is refused in silence when it is not one the user may take,
  not one the list has, or posted without the "Go" button or a selection;
  an id that is not a number fails it with a server error; and ids of rows
  deleted since the page was loaded are dropped without a word. Each of
  these now says what happened, and an action on some rows that have gone
  goes ahead on the others, with a warning.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import ActionLocation, IncorrectLookupParameters
from django.contrib.admin.utils import model_format_dict, model_ngettext
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Lookups whose value the database parses as a pattern of its own.
PATTERN_LOOKUPS = {"regex", "iregex"}


def _can_look_up(field, value) -> bool:
    """Whether `value` is one the column of `field` could hold."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class _CheckedAutocomplete:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", opts.pk.attname))
        shown = [item for item in value if item in ("", None) or _can_look_up(target, item)]
        return super().optgroups(name, shown, attr)


class CheckedAutocompleteSelect(_CheckedAutocomplete, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(_CheckedAutocomplete, AutocompleteSelectMultiple):
    pass


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        opts = self.queryset.model._meta
        target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for item in value:
            if not _can_look_up(target, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class CheckedChangeList(ChangeList):
    def get_filters(self, request):
        if any("\x00" in value for values in self.filter_params.values() for value in values):
            raise IncorrectLookupParameters("A filter holds a NUL character.")
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            super().get_results(request)
        except OverflowError as error:
            # SQLite binds integers up to 2**63 - 1: an id past that in a filter.
            raise IncorrectLookupParameters(error) from error


def _posted_action(request) -> str:
    """The action chosen in the form whose "Go" was pressed, as Django's admin reads it."""
    try:
        index = int(request.POST.get("index", 0))
    except ValueError:
        index = 0
    try:
        return request.POST.getlist("action")[index]
    except IndexError:
        return ""


class GuardedAdminMixin:
    """For a ModelAdmin or an inline: see the module's docstring."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def lookup_allowed(self, lookup, value, request):
        parts = lookup.split(LOOKUP_SEP)
        if parts[-1] in PATTERN_LOOKUPS:
            return False
        try:
            field = self.model._meta.get_field(parts[0])
        except FieldDoesNotExist:
            field = None
        if isinstance(field, SearchVectorField):
            return False
        return super().lookup_allowed(lookup, value, request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        refusal = self._refused_action(request)
        if refusal is None:
            return super().changelist_view(request, extra_context)
        level, message = refusal
        self.message_user(request, message, level)
        return HttpResponseRedirect(request.get_full_path())

    def _refused_action(self, request) -> tuple[int, str] | None:
        """Why a posted list action will not run, where Django's admin would not say."""
        post = request.POST
        if request.method != "POST" or "action" not in post or "_save" in post:
            return None
        if not self.has_view_or_change_permission(request):
            return None  # Django's own refusal, which says nothing of the list
        name, offered = _posted_action(request), self.get_actions(request)
        pressed_go = "index" in post or ACTION_CHECKBOX_NAME in post
        if not name:
            # With actions and "Go", Django says "No action selected." itself.
            return None if offered and pressed_go else (messages.WARNING, _("No action selected."))
        if name not in offered:
            if (action := self._known_actions().get(name)) is None:
                return messages.ERROR, _(
                    "That action is not offered on this list (the page may be out of date: "
                    "reload it), so nothing was changed."
                )
            description = action.plural_description % model_format_dict(self.opts)
            return messages.ERROR, _(
                "You may not use “%(action)s” here, so nothing was changed."
            ) % {"action": description}
        if not pressed_go:
            return messages.WARNING, _(
                "Items must be selected in order to perform actions on them. "
                "No items have been changed."
            )
        return None

    def _known_actions(self) -> dict:
        """The list's actions, whoever asks: those the user may take and those they may not."""
        if self.actions is None:
            return {}
        found = (
            self.get_action(action) for action in [*dict(self.admin_site.actions), *self.actions]
        )
        return {action.name: action for action in found if action}

    def response_action(self, request, queryset, action_location=ActionLocation.CHANGE_LIST):
        """Run a list action on the selected rows that still exist, saying if some have gone."""
        post = request.POST
        selected = post.getlist(ACTION_CHECKBOX_NAME)
        if (
            action_location != ActionLocation.CHANGE_LIST
            or forms.BooleanField().to_python(post.get("select_across"))
            or not selected
            or _posted_action(request) not in self.get_actions(request)
        ):
            return super().response_action(request, queryset, action_location=action_location)
        pk = self.opts.pk
        ids = {pk.to_python(value) for value in selected if _can_look_up(pk, value)}
        found = set(queryset.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
        wanted = len(set(selected))
        if not found:
            self.message_user(
                request,
                ngettext(
                    "The selected %(items)s no longer exists (someone may have deleted it), "
                    "so nothing was changed.",
                    "None of the %(count)d selected %(items)s exist any more (someone may have "
                    "deleted them), so nothing was changed.",
                    wanted,
                )
                % {"count": wanted, "items": model_ngettext(self.opts, wanted)},
                messages.ERROR,
            )
            return None
        if len(found) < wanted:
            missing = wanted - len(found)
            self.message_user(
                request,
                ngettext(
                    "%(missing)d of the %(count)d selected %(items)s no longer exists; "
                    "the action went ahead without it.",
                    "%(missing)d of the %(count)d selected %(items)s no longer exist; "
                    "the action went ahead without them.",
                    missing,
                )
                % {"missing": missing, "count": wanted, "items": model_ngettext(self.opts, wanted)},
                messages.WARNING,
            )
        # Only ids the database can look up reach the action's query.
        request.POST = post.copy()
        request.POST.setlist(ACTION_CHECKBOX_NAME, [str(value) for value in found])
        return super().response_action(request, queryset, action_location=action_location)
