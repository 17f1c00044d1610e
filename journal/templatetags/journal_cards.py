"""`{% article_cards articles %}`: article cards, each rendered once per content generation."""

import hashlib

from django import template
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from journal import content_generation
from journal.models import card_bylines

register = template.Library()

CARD_TEMPLATE = "includes/_article_card.html"


@register.simple_tag
def article_cards(articles) -> str:
    """The cards of `articles`, from the fragment cache where this generation already rendered them.

    As `{% cache %}` around each card would (the keys are the same), but in
    one cache read for the whole list, and with bylines loaded only for the
    cards rendered: a fragment per card would read the cache, and then the
    database, once a card. A card shows only what its article and its
    bylines hold, and a change to either ends the generation. A search
    result's card shows its excerpt (`search_snippet`), part of the key.
    """
    articles = list(articles)
    if not articles:
        return ""
    generation = content_generation.current().id
    keys = {article.pk: _key(generation, article) for article in articles}
    cache = caches[content_generation.KEPT]
    cards = cache.get_many(keys.values())
    missing = [article for article in articles if keys[article.pk] not in cards]
    if missing:
        rendered = dict(zip((keys[a.pk] for a in missing), _cards(missing), strict=True))
        cache.set_many(rendered, timeout=content_generation.KEPT_SECONDS)
        cards.update(rendered)
    return mark_safe("\n".join(cards[keys[article.pk]] for article in articles))


def _cards(articles: list) -> list[str]:
    """Each article's card, its bylines loaded first where they are not yet."""
    prefetch_related_objects(
        [a for a in articles if "bylines" not in getattr(a, "_prefetched_objects_cache", {})],
        card_bylines(),
    )
    card = get_template(CARD_TEMPLATE)
    return [card.render({"article": article, "snippet": _snippet(article)}) for article in articles]


def _snippet(article):
    return getattr(article, "search_snippet", None)


def _key(generation: str, article) -> str:
    vary_on = [article.pk, generation, get_language()]
    if snippet := _snippet(article):
        vary_on.append(hashlib.md5(snippet.encode(), usedforsecurity=False).hexdigest())
    return make_template_fragment_key("article-card", vary_on)
