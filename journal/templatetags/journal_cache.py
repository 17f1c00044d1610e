"""`{% kept "name" value ... %}...{% endkept %}`: a fragment rendered once per content generation.

For parts of a page derived from the content alone (a list of summits, a
filter form with its choices): the fragment is kept in the cache until the
next change of content (see journal.caching), under its name and the
values given, which must say everything else it depends on (a query string,
today's date).
"""

from django import template

from journal.caching import per_generation

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context):
        name = self.name.resolve(context)
        values = [str(value.resolve(context)) for value in self.values]
        return per_generation(
            "fragment:" + "\x1f".join([name, *values]), lambda: self.nodelist.render(context)
        )


@register.tag
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% kept %} needs a name: {% kept "name" ... %}')
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
