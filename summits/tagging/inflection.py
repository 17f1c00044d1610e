"""Russian case endings: how a declined name is matched and found again.

Russian declines names: "Россия", "России", "Россией"; "Центральная Азия",
"Центральной Азии"; "Токаев", "Токаева". A Cyrillic word of the vocabulary
is kept as its stem (its nominative ending taken off) and matched with any
case ending after it, and a word found in a text is looked up by the stems it
may have. Words in capitals ("США", "ЕС") are abbreviations and do not
decline; a stem the lexicon gives as a stem ("казахстанск") is matched as a
beginning, whatever follows it.

Text reaches here folded (`names.fold`): lower case, "й" written "и", "ё" "е".
"""

import itertools
import re

_CYRILLIC_WORD = re.compile(r"[а-яё]+", re.IGNORECASE)
# The endings a nominative form loses to give its stem ("-ая" of "Центральная",
# "-я" of "Россия", "-й" of "Китай", written "и" once folded).
_NOMINATIVE = (
    "ыи", "ии", "ои", "ая", "яя", "ое", "ее", "ые", "ие", "а", "я", "о", "е", "ь", "и", "ы",
)  # fmt: skip
# Every ending a stem may take, three letters at most.
ENDINGS = (
    "ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими",
    "ои", "еи", "ою", "ею", "ом", "ем", "ам", "ям", "ах", "ях", "ов", "ев",
    "ии", "ыи", "ие", "ые", "ая", "яя", "ое", "ее", "ую", "юю", "их", "ых", "им", "ым",
    "ью", "а", "я", "у", "ю", "е", "и", "ы", "о", "ь",
)  # fmt: skip
# Matched after a stem: an ending of up to three letters, and then the word
# ends. Which ending it was is settled when the match is looked up.
ENDING_UNIT = r"[а-яё]{0,3}(?![а-яё])"
# A shorter stem would match too much with any ending after it: "Рим" stays whole.
_SHORTEST_STEM = 3


def _declines(word: str) -> bool:
    return bool(_CYRILLIC_WORD.fullmatch(word)) and not word.isupper() and len(word) > 2


def _stem(word: str) -> str:
    """The nominative form without its ending: "россия" gives "росси", "ташкент" itself."""
    for ending in _NOMINATIVE:
        if word.endswith(ending) and len(word) - len(ending) >= _SHORTEST_STEM:
            return word[: -len(ending)]
    return word


def units(text: str, *, as_stem: bool = False) -> tuple[list[str], str]:
    """A phrase (as written) as the units of the vocabulary's expression, and its lookup key.

    Units are characters, except that a declinable Cyrillic word is its stem
    followed by `ENDING_UNIT`. With `as_stem`, the phrase is a stem already
    and matches as a beginning.
    """
    out: list[str] = []
    key: list[str] = []
    tokens = re.split(r"([а-яёА-ЯЁ]+)", text)
    for n, token in enumerate(tokens):
        if as_stem or not _declines(token):
            out += list(token.lower())
            key.append(token.lower())
            continue
        stem = _stem(token.lower())
        last = not "".join(tokens[n + 1 :]).strip()
        # A last word without an ending to lose ("Казахстан") goes on as it
        # always could ("Казахстана", "Казахстанцы").
        out += [*stem] if last and stem == token.lower() else [*stem, ENDING_UNIT]
        key.append(stem)
    return out, "".join(key)


def lookup_keys(matched: str) -> list[str]:
    """The keys a folded match may be filed under, the longest stems first.

    A Cyrillic word may end in an ending or be a stem itself: "китая" is tried
    as "китая", "кита" and "кит".
    """
    choices: list[list[str]] = []
    for token in re.split(r"([а-яё]+)", matched):
        if not _CYRILLIC_WORD.fullmatch(token):
            choices.append([token])
            continue
        options = [token]
        for ending in ENDINGS:
            if token.endswith(ending) and len(token) - len(ending) >= _SHORTEST_STEM:
                options.append(token[: -len(ending)])
        choices.append(sorted(set(options), key=len, reverse=True))
    if len(choices) == 1:
        return choices[0]
    return ["".join(parts) for parts in itertools.product(*choices)]
