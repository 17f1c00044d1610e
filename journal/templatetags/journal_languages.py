"""`{% language_versions as versions %}`: the page in each of the journal's languages.

For the language switcher and the `hreflang` alternates in the page head. A
page is the same page in every language unless its view says otherwise: an
article page names its translations (`language_versions` in its context),
and an article is its own language's page only.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language, get_language_info

register = template.Library()


@dataclass(frozen=True)
class Version:
    language: str
    name: str  # in its own language: 한국어, English, Русский
    url: str
    current: bool
    equivalent: bool  # the same content in that language: an `hreflang` alternate


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[Version]:
    request = context.get("request")
    if request is None:
        return []
    given = context.get("language_versions")  # {language: (url, equivalent)}
    query = request.META.get("QUERY_STRING", "")
    if "request_path" in context:  # Django's page_not_found: no such page in any language
        given = {language: (_home(language), False) for language, _name in settings.LANGUAGES}
    elif (filterset := context.get("filter")) is not None and filterset.is_bound:
        if not filterset.is_valid():
            # What the reader typed is not repeated in links: the page as it stands.
            query = ""
    current = get_language()
    versions = []
    for language, _name in settings.LANGUAGES:
        if given is not None and language in given:
            url, equivalent = given[language]
        else:
            url, equivalent = _same_page(request, language, query), given is None
        versions.append(
            Version(
                language=language,
                name=_local_name(language),
                url=url,
                current=language == current,
                equivalent=equivalent,
            )
        )
    return versions


def _same_page(request, language: str, query: str) -> str:
    """This page's address under `language`'s prefix, from the URL pattern it matched.

    Reversed from the request's match rather than resolved from its path
    again (as `translate_url` does), once per language on every page.
    """
    match = request.resolver_match
    if match is None or not match.url_name:
        return translate_url(request.get_full_path(), language)
    with translation.override(language):
        path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    return f"{path}?{iri_to_uri(query)}" if query else path


def _home(language: str) -> str:
    with translation.override(language):
        return reverse("journal:home")


def _local_name(language: str) -> str:
    try:
        return get_language_info(language)["name_local"]
    except KeyError:  # a language Django does not know: its code
        return language
