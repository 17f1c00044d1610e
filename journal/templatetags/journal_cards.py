"""`{% article_cards articles %}`: article cards, each rendered once per content generation."""

import hashlib

from django import template
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from journal import content_generation
from journal.caching import CARD_PREFIX, content_cache
from journal.models import card_bylines

register = template.Library()

CARD_TEMPLATE = "includes/_article_card.html"
CARD_SECONDS = 24 * 60 * 60


@register.simple_tag
def article_cards(articles) -> str:
    """The cards of `articles`, from the cache where this generation already rendered them.

    A card shows only what its article and its bylines hold, and any change to
    either starts a new generation, so a card rendered once can be shown until
    then: a list page renders the cards it has not shown before and fetches the
    others in one cache read. Bylines are loaded only for the cards rendered.
    A search result's card shows its excerpt (`search_snippet`), part of the key.
    """
    articles = list(articles)
    if not articles:
        return ""
    if not settings.JOURNAL_KEEP_PER_GENERATION:
        return _render(articles)
    generation = content_generation.current().id
    keys = {article.pk: _key(generation, article) for article in articles}
    cache = content_cache()
    cards = cache.get_many(keys.values())
    missing = [article for article in articles if keys[article.pk] not in cards]
    if missing:
        rendered = dict(zip((keys[a.pk] for a in missing), _cards(missing), strict=True))
        cache.set_many(rendered, timeout=CARD_SECONDS)
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


def _render(articles: list) -> str:
    return mark_safe("\n".join(_cards(articles)))


def _snippet(article):
    return getattr(article, "search_snippet", None)


def _key(generation: str, article) -> str:
    key = f"{CARD_PREFIX}:{generation}:{article.pk}"
    if snippet := _snippet(article):
        key += ":" + hashlib.md5(snippet.encode(), usedforsecurity=False).hexdigest()
    return key
