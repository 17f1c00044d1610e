"""The record's fields written in each language (django-modeltranslation).

Each field listed here gets a column per language (`name_ko`, `name_en`,
`name_ru`); reading `country.name` gives the active language's, or English
where that one is empty. Only what readers see as a name is translated;
notes, sources and outcomes stay in the language of their sources.
"""

from modeltranslation.translator import TranslationOptions, register

from summits.models import Country, Framework, Summit


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name", "official_name", "capital", "description")


@register(Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("name", "short_name", "description")


@register(Summit)
class SummitTranslation(TranslationOptions):
    fields = ("title", "city")
