"""Translations of an article: a draft in another language, paired with its original."""

from django.db import transaction
from django.utils.translation import gettext as _

from journal.models import Article, Byline


class TranslationRefused(Exception):
    """The translation cannot be started; the message says why."""


@transaction.atomic
def article_translation_start(*, article: Article, language: str, user) -> Article:
    """A draft translation of `article` into `language`, to be translated in the admin.

    It starts as a copy in the original's words, with the same tags and
    bylines, under the same slug (slugs are unique per language), and its
    headline marked as needing confirmation: it cannot be published until a
    translator has written it. An article has one translation per language;
    translating a translation translates its original.
    """
    original = article.translation_of or article
    if language == original.language:
        raise TranslationRefused(_("The original is already in that language."))
    if original.translations.filter(language=language).exists():
        raise TranslationRefused(_("This article already has a translation in that language."))
    draft = Article.objects.create(
        title=original.title,
        title_is_provisional=True,
        slug=original.slug,
        language=language,
        translation_of=original,
        standfirst=original.standfirst,
        body=original.body,
        editors_note=original.editors_note,
        credit_line=original.credit_line,
        section=original.section,
        hero_image=original.hero_image,
        hero_alt=original.hero_alt,
        hero_caption=original.hero_caption,
        hero_credit=original.hero_credit,
        created_by=user,
    )
    draft.countries.set(original.countries.all())
    draft.frameworks.set(original.frameworks.all())
    draft.summits.set(original.summits.all())
    for byline in original.bylines.all():
        Byline.objects.create(
            article=draft,
            contributor_id=byline.contributor_id,
            role=byline.role,
            order=byline.order,
        )
    return draft
