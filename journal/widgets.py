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

    Django renders a template for every <option>: a filter form with a few
    hundred contributors to choose from spent more time on its options than
    the rest of the page on its articles.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{escape(option["value"])}"{_attributes(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))
