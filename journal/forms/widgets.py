"""Form widgets for the reader pages."""

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


def _attributes(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html writes them.
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A <select> written out in Python, with the same markup as Django's.

    Django renders a template for every <option>, and builds a dictionary of
    attributes for each first: a filter form with a few hundred contributors
    to choose from spent more time on its options than the rest of the page
    on its articles.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{_attributes(attrs)}>']
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'\n  <optgroup label="{conditional_escape(option_value)}">')
                for member_value, member_label in label:
                    parts.append(self._option(member_value, member_label, chosen))
                parts.append("\n  </optgroup>")
            else:
                parts.append(self._option(option_value, label, chosen))
        parts.append("\n</select>")
        return mark_safe("".join(parts))

    def _option(self, value, label, chosen: set[str]) -> str:
        value = str(value)
        # Only the first match, as Django does for a single select.
        selected = value in chosen
        if selected:
            chosen.clear()
        return (
            f'\n  <option value="{escape(value)}"{" selected" if selected else ""}>'
            f"{conditional_escape(label)}</option>"
        )
