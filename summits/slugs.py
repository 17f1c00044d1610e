"""How a name or a headline becomes an address, the way the record's own addresses read.

The reference data writes "C5+1" as `c5-plus-1`, "Washington, D.C." as
`washington-d-c` and "Xi'an" as `xi-an`; Django's `slugify` would write `c51`,
`washington-dc` and `xian`. Every slug the desk is offered (a headline's, a
contributor's, a summit's) comes from `slugify` here, and the admin's script
(static/journal/admin/slugs.js) spells the same rule for the browser.
"""

import datetime
import re
import unicodedata

# "C5+1" → "c5 plus 1": how the record names its formats, in any language.
_PLUS = re.compile(r"[+\uff0b]")
# An apostrophe that shortens a word ("Kazakhstan's", "don't") is dropped; any
# other ("Xi'an", "O'Brien") separates two words, as the reference data does.
_CONTRACTION = re.compile(r"(?<=[^\W_])['\u2019\u02bc](?=[st](?![^\W_]))")
_WORD = re.compile(r"[^\W_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Latin letters that no accent stripping turns into ASCII (Kazakh Latin writes "ı").
_LATIN_LETTERS = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ł": "l",
    "ı": "i",
    "þ": "th",
}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")

# Cyrillic as Django's urlify.js spells Russian, with the letters of Kazakh,
# Kyrgyz, Tajik and Uzbek Cyrillic.
_CYRILLIC_LATIN = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфхцыэ", "abvgdezijklmnoprstufhcye", strict=True)),
        **{"ё": "yo", "ж": "zh", "ч": "ch", "ш": "sh", "щ": "sh", "ю": "yu", "я": "ya"},
        **{"ъ": "", "ь": ""},
        **dict(zip("әғқңөұүһіўҳҷ", "agqnouuhiohj", strict=True)),
    }
)
# Hangul in the Revised Romanization, letter by letter: "김대식" → "gimdaesik".
_INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_VOWELS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINALS = "- k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()


def romanized(text: str) -> str:
    """`text` in lower case, with Cyrillic and Hangul spelled in Latin letters."""
    text = text.lower()
    if not (_HANGUL.search(text) or _CYRILLIC.search(text)):
        return text
    letters = []
    for character in text.translate(_CYRILLIC_LATIN):
        if "가" <= character <= "힣":
            index = ord(character) - 0xAC00
            initial, vowel, final = index // 588, index % 588 // 28, index % 28
            letters.append(
                _INITIALS[initial].strip("-") + _VOWELS[vowel] + _FINALS[final].strip("-")
            )
        else:
            letters.append(character)
    return "".join(letters)


def _without_marks(text: str) -> str:
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))


def _ascii_or_gap(match: re.Match) -> str:
    # A letter without an ASCII spelling is left out ("ʻ" in Uzbek "oʻ"); a
    # typographic quote, dash or space still separates words.
    character = match.group()
    if character in _LATIN_LETTERS:
        return _LATIN_LETTERS[character]
    return "" if character.isalnum() else " "


def slugify(value: str, *, allow_unicode: bool = False, max_length: int | None = None) -> str:
    """The journal's slug for `value`: words in lower case joined by hyphens.

    "+" is the word "plus"; every other run of spaces and punctuation is one
    hyphen. With `allow_unicode` (article addresses) Hangul and Cyrillic stay;
    without it they are spelled in Latin letters and accents are dropped. A
    slug longer than `max_length` is cut after its last whole word that fits.
    """
    text = unicodedata.normalize("NFKC", str(value)).lower()
    text = _CONTRACTION.sub("", _PLUS.sub(" plus ", text))
    if not allow_unicode:
        text = _without_marks(unicodedata.normalize("NFKD", romanized(text)))
        text = _NON_ASCII.sub(_ascii_or_gap, text)
    slug = "-".join(_WORD.findall(_without_marks(text)))
    if max_length is not None and len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
    return slug


def summit_slug(
    *,
    framework: str,
    start_date: datetime.date | None = None,
    approximate_month: datetime.date | None = None,
    city: str = "",
    max_length: int = 100,
) -> str:
    """A meeting's address as the record writes it: framework, date, place.

    `c5-plus-1-2023-02-28-astana`: the framework's slug, the first day (or
    only the month, `2024-08`, when that is all that is known) and the city
    in English, or `virtual` for a meeting online (no city).
    """
    if start_date:
        when = start_date.isoformat()
    elif approximate_month:
        when = approximate_month.strftime("%Y-%m")
    else:
        when = ""
    place = slugify(city) or "virtual"
    words = " ".join(part for part in (framework, when, place) if part)
    return slugify(words, max_length=max_length)


def first_free(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… the first that is not `taken`."""
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug
