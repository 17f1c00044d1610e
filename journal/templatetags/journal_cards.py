"""`{% article_cards articles %}`: article cards, kept until their article or a list changes."""

import datetime
import functools

from django import template
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.urls import get_script_prefix
from django.utils import dateformat
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, get_language_info, override
from django.utils.translation import gettext as _

from journal import content_generation
from journal.models import Byline
from journal.models.articles import SECTION_LABELS, author_line
from journal.templatetags.journal_images import ORIGINAL_ONLY_SECONDS, offers_renditions, picture

register = template.Library()


@register.simple_tag
def article_cards(articles) -> str:
    """The cards of `articles`, from the fragment cache where they were rendered already.

    As `{% cache %}` around each card would (the keys are the same), but in
    one cache read for the whole list, and with bylines loaded only for the
    cards rendered: a fragment per card would read the cache, and then the
    database, once a card. What is kept is the card around its text: a
    search result shows its excerpt (`search_snippet`) there, a list the
    standfirst, so one rendering serves every list and search the article
    appears in.

    A card shows only its article's own columns and its authors' names. It
    is kept for the listing generation, which every change but a save of an
    article's text leaves running (bylines, contributors, tags and the
    record end it), and under the article's `updated_at`, which its own save
    moves: an editor saving one article renders that card again, not every
    card of the archive.
    """
    articles = list(articles)
    if not articles:
        return ""
    listing = content_generation.current().listing
    language = get_language()
    keys = {article.pk: _key(listing, article, language) for article in articles}
    cache = caches[content_generation.KEPT]
    frames = cache.get_many(keys.values())
    missing = [article for article in articles if keys[article.pk] not in frames]
    if missing:
        rendered = dict(zip((keys[a.pk] for a in missing), _frames(missing), strict=True))
        # A card showing its image's original file, the renditions not made
        # yet (an image replaced a moment ago, a restore still making them),
        # is kept a minute only: the listing generation may run for days.
        interim = {
            keys[article.pk]
            for article in missing
            if article.hero_image
            and not offers_renditions(
                article.hero_image, width=article.hero_width, height=article.hero_height
            )
        }
        cache.set_many(
            {key: frame for key, frame in rendered.items() if key not in interim},
            timeout=content_generation.KEPT_SECONDS,
        )
        if interim:
            cache.set_many({key: rendered[key] for key in interim}, timeout=ORIGINAL_ONLY_SECONDS)
        frames.update(rendered)
    cards = []
    for article in articles:
        before, after = frames[keys[article.pk]]
        cards.append(before + card_text(article, _snippet(article), language) + after)
    return mark_safe("\n".join(cards))  # noqa: S308 - built by card_frame and card_text


def _frames(articles: list) -> list[tuple[str, str]]:
    """Each article's card around its text; authors' names read first where they are not yet."""
    names = _author_names(
        [a for a in articles if "bylines" not in getattr(a, "_prefetched_objects_cache", {})]
    )
    language = get_language()
    return [
        card_frame(
            article,
            names=names[article.pk] if article.pk in names else article.author_names,
            interface_language=language,
        )
        for article in articles
    ]


def _author_names(articles: list) -> dict[int, str]:
    """What `Article.author_names` says of each article, in one query for all of them."""
    if not articles:
        return {}
    credited = {article.pk: [] for article in articles}
    rows = (
        Byline.objects.filter(article__in=credited)
        .exclude(role=Byline.Role.TRANSLATOR)
        .order_by("article", "order", "pk")
        .values_list("article", "contributor__name")
    )
    for article, name in rows:
        credited[article].append(name)
    return {pk: author_line(names) for pk, names in credited.items()}


def card_text(article, snippet, interface_language: str) -> str:
    """What a card says of the article: the search excerpt if there is one, else the standfirst."""
    lang = (
        format_html(' lang="{}"', article.language)
        if article.language != interface_language
        else ""
    )
    if snippet:
        return format_html('<p class="card-snippet"{}>{}</p>', lang, snippet)
    if article.standfirst:
        return format_html('<p class="card-standfirst"{}>{}</p>', lang, article.standfirst)
    return ""


def card_frame(article, *, names: str, interface_language: str) -> tuple[str, str]:
    """An article's card before and after its text (`card_text`).

    Built here rather than from a template: list and search pages render
    thousands of cards between two changes, most of them once, and a template
    costs several times as much per card.
    """
    foreign = article.language != interface_language
    lang = format_html(' lang="{}"', article.language) if foreign else ""
    language_tag = (
        format_html(
            '<span class="language-tag" lang="{}">{}</span>',
            article.language,
            get_language_info(article.language)["name_local"],
        )
        if foreign
        else ""
    )
    published = localtime(article.publish_at)
    # As {% blocktranslate %} would: the names escaped, not the translation.
    by = ""
    if names:
        by = mark_safe(_("By %(names)s") % {"names": conditional_escape(names)} + " · ")  # noqa: S308
    image = (
        picture(
            article.hero_image,
            alt="",
            width=article.hero_width,
            height=article.hero_height,
            sizes="(min-width: 48rem) 12rem, 100vw",
            loading="lazy",
            **{"class": "card-img"},
        )
        if article.hero_image
        else ""
    )
    before = format_html(
        '<article class="card{}">\n'
        '  <div class="card-text">\n'
        '    <p class="card-section">{}{}</p>\n'
        '    <h3 class="card-title"{}><a href="{}"{}>{}</a></h3>\n'
        "    ",
        " has-image" if article.hero_image else "",
        language_tag,
        _section(article.section, interface_language),
        lang,
        article.get_absolute_url(),
        format_html(' hreflang="{}"', article.language) if foreign else "",
        article.title,
    )
    after = format_html(
        "\n"
        '    <p class="card-meta">\n'
        '      {}<time datetime="{}">{}</time>\n'
        "    </p>\n"
        "  </div>\n"
        "  {}\n"
        "</article>",
        by,
        dateformat.format(published, "Y-m-d\\TH:i:sO"),
        _day(published.date(), interface_language),
        image,
    )
    return str(before), str(after)


@functools.lru_cache(maxsize=4096)
def _day(day: datetime.date, language: str) -> str:
    """A day as cards write it (DATE_FORMAT) in `language`."""
    with override(language):
        return date_format(day, "DATE_FORMAT")


@functools.lru_cache(maxsize=64)
def _section(section: str, language: str) -> str:
    """A section's name in `language`."""
    with override(language):
        return str(SECTION_LABELS.get(section, section))


def _snippet(article):
    return getattr(article, "search_snippet", None)


def _key(listing: str, article, language: str) -> str:
    # A new name whenever a card's markup, or what is kept or how it is keyed,
    # changes: a shared cache (Redis) keeps the release before's frames across
    # a deploy, for as long as the listing generation runs ("article-card":
    # whole cards, as strings; "article-card-frame": frames per content
    # generation).
    changed = article.updated_at.isoformat() if article.updated_at else ""
    # What a card's markup takes from the settings rather than the article: a
    # deploy changing them must not serve a day's worth of kept cards.
    setting = (settings.TIME_ZONE, settings.MEDIA_URL, get_script_prefix())
    return make_template_fragment_key(
        "article-card-v3", [article.pk, changed, listing, language, *setting]
    )
