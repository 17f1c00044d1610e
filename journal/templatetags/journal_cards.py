"""`{% article_cards articles %}`: article cards, each rendered once per content generation."""

from django import template
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from journal.models import card_bylines
from journal.page_cache import CARD_PREFIX, content_cache, current_generation

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
    """
    articles = list(articles)
    if not articles:
        return ""
    generation = current_generation()["id"]
    keys = {article.pk: f"{CARD_PREFIX}:{generation}:{article.pk}" for article in articles}
    cache = content_cache()
    cards = cache.get_many(keys.values())
    missing = [article for article in articles if keys[article.pk] not in cards]
    if missing:
        prefetch_related_objects(
            [a for a in missing if "bylines" not in getattr(a, "_prefetched_objects_cache", {})],
            card_bylines(),
        )
        card = get_template(CARD_TEMPLATE)
        rendered = {keys[article.pk]: card.render({"article": article}) for article in missing}
        cache.set_many(rendered, timeout=CARD_SECONDS)
        cards.update(rendered)
    return mark_safe("\n".join(cards[keys[article.pk]] for article in articles))
