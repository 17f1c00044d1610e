"""`{{ form|field_values }}`: the values a bound form's fields hold, for a fragment cache key."""

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.filter
def field_values(form) -> str:
    """The form's own fields' values, in field order: what its rendering depends on.

    A filter form on the search page is bound to the whole query string; the
    search words and the page number are not its fields, and a new search
    should not render the form again.
    """
    if not form.is_bound:
        return ""
    return urlencode([(name, value) for name in form.fields for value in form.data.getlist(name)])
