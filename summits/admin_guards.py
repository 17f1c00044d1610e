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
"""

from django import forms
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models.constants import LOOKUP_SEP

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
