"""`{% content_generation %}`: the id of the current content generation, to key fragment caches.

`{% cache %}` keyed on it keeps a fragment until the next change of content
(see journal.page_cache): `{% content_generation as generation %}{% cache 3600
name generation ... %}`.
"""

from django import template

from journal.page_cache import current_generation

register = template.Library()


@register.simple_tag
def content_generation():
    return current_generation()["id"]
