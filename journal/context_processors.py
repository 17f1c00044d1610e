from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from journal import content_generation


def site(request):
    """The journal's name, tagline, default language, and the generation fragments are kept for."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "DEFAULT_LANGUAGE": settings.LANGUAGE_CODE,
        # Among the vary-on values of every {% cache %}: a change readers can
        # see makes every kept fragment unreachable (journal/content_generation.py).
        # Fragments are worded, so the language is part of it. Read only by
        # pages that keep fragments.
        "content_generation": SimpleLazyObject(
            lambda: f"{content_generation.current().id}.{get_language()}"
        ),
    }
