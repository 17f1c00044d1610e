"""Korean and Russian words in the index and in queries, and excerpts that mark them.

Russian words take case endings ("Казахстан", "Казахстана", "Казахстаном"):
both databases compare them by their Snowball stems. PostgreSQL's `russian`
configuration stems Cyrillic words with Snowball's Russian stemmer and ASCII
words with its English one, so one configuration reads both languages.
SQLite's FTS5 tokenizer stems English only; its index keeps, beside each
field, the field's Russian words as stems computed here with
`snowballstemmer` (the same Snowball algorithm, so both databases find the
same articles).

Korean writes particles onto words and joins compounds without spaces
("카자흐스탄의", "한-중앙아시아정상회의에서"). On both databases each run of
Hangul is also indexed as its overlapping pairs of syllables (bigrams, as
Lucene's CJK analyzer does), and a Korean word is searched as the phrase of its
pairs: "정상회의" is found inside any longer word, "카자흐스탄" with any particle.
PostgreSQL computes the pairs with `journal_hangul_bigrams()` (migration 0021),
written to give exactly what `hangul_bigrams()` gives here.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

HANGUL = re.compile("[\uac00-\ud7a3]+")  # precomposed syllables
CYRILLIC = re.compile("[\u0400-\u04ff]")
_FOREIGN = re.compile("[\uac00-\ud7a3\u0400-\u04ff]")
_WORD = re.compile(r"\w+")
_KOREAN_WORD = re.compile("\\w*[\uac00-\ud7a3]\\w*")
_RUN = re.compile("[\uac00-\ud7a3]+|[^\uac00-\ud7a3]+")

# A Russian word typed alone finds every word whose stem begins like its
# own: Snowball stems "саммит" as "самм" but "саммиты" as "саммит", and
# "Казахстана" as "казахста" but "Казахстаном" as "казахстан". A stem of
# MIN_PREFIX_STEM letters begins the others; a longer one less a letter, one
# of LONG_STEM or more less two.
MIN_PREFIX_STEM = 4
LONG_STEM = 6

_russian = snowballstemmer.stemmer("russian")
_english = snowballstemmer.stemmer("english")


def script_of(word: str) -> str | None:
    """ "hangul" or "cyrillic" for a word written in either, else None."""
    if CYRILLIC.search(word):
        return "cyrillic"
    if HANGUL.search(word):
        return "hangul"
    return None


@lru_cache(maxsize=50_000)
def russian_stem(word: str) -> str:
    return _russian.stemWord(word.casefold())


@lru_cache(maxsize=10_000)
def english_stem(word: str) -> str:
    return _english.stemWord(word.casefold())


def russian_prefix(word: str) -> str | None:
    """What begins the stems a Russian word typed alone matches (None: its stem only)."""
    stem = russian_stem(word)
    if len(stem) >= LONG_STEM:
        return stem[:-2]
    if len(stem) > MIN_PREFIX_STEM:
        return stem[:-1]
    return stem if len(stem) == MIN_PREFIX_STEM else None


def hangul_bigrams(text: str) -> list[str]:
    """The words with Hangul in a text, each run of Hangul as its overlapping syllable pairs.

    A lone syllable stays itself; letters and digits written onto Korean
    ("APEC에서", "제1차") are kept apart, lower-cased, so that "APEC" finds them.
    """
    grams = []
    for word in _KOREAN_WORD.findall(text):
        for run in _RUN.findall(word):
            if not HANGUL.match(run):
                grams.append(run.lower())
            elif len(run) == 1:
                grams.append(run)
            else:
                grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def index_forms(text: str) -> str:
    """What SQLite's index keeps beside a field: Russian stems and Hangul pairs, in order."""
    if not text or not _FOREIGN.search(text):
        return ""
    forms = []
    for word in _WORD.findall(text):
        script = script_of(word)
        if script == "cyrillic":
            forms.append(russian_stem(word))
        elif script == "hangul":
            forms.extend(hangul_bigrams(word))
    return " ".join(forms)


def query_forms(words: tuple[str, ...]) -> tuple[str, ...]:
    """Korean or Russian words as the index keeps them (see `index_forms`)."""
    forms = []
    for word in words:
        if script_of(word) == "cyrillic":
            forms.append(russian_stem(word))
        else:
            forms.extend(hangul_bigrams(word))
    return tuple(forms)


# Excerpts ---------------------------------------------------------------------


class Marker:
    """Finds the words of a text that a query's terms match, the way the index does."""

    def __init__(self, words):
        self.stems = set()  # Russian stems and English ones, for words of either
        self.prefixes = []  # Russian stems that begin the stems they match
        korean = []  # Korean words as typed: found inside longer words
        for word in words:
            if script_of(word) == "hangul":
                korean.append(word)
            elif script_of(word) == "cyrillic":
                self.stems.add(russian_stem(word))
                if prefix := russian_prefix(word):
                    self.prefixes.append(prefix)
            else:
                self.stems.add(english_stem(word))
        self.korean = (
            re.compile(
                "|".join(map(_korean_pattern, sorted(set(korean), key=len, reverse=True))),
                re.IGNORECASE,
            )
            if korean
            else None
        )

    def mark(self, chunk: str, start: str, stop: str) -> str | None:
        """The chunk (a run of text without spaces) with its matches marked, or None."""
        marked, found = [], False
        position = 0
        for word in _WORD.finditer(chunk):
            text = word.group()
            script = script_of(text)
            if script == "hangul":
                if self.korean:
                    inner = self.korean.sub(lambda m: f"{start}{m.group()}{stop}", text)
                    if inner != text:
                        marked.extend([chunk[position : word.start()], inner])
                        position, found = word.end(), True
                continue
            stem = russian_stem(text) if script == "cyrillic" else english_stem(text)
            if stem in self.stems or (
                script == "cyrillic" and any(stem.startswith(p) for p in self.prefixes)
            ):
                marked.extend([chunk[position : word.start()], start, text, stop])
                position, found = word.end(), True
        if not found:
            return None
        marked.append(chunk[position:])
        return "".join(marked)


def _korean_pattern(word: str) -> str:
    """A Korean word as the index matches it: anywhere; a lone syllable where it begins a pair."""
    if len(word) == 1:
        return f"{word}(?=[\uac00-\ud7a3])|(?<![\uac00-\ud7a3]){word}(?![\uac00-\ud7a3])"
    return re.escape(word)


def excerpt(text: str, marker: Marker, *, words: int, start: str, stop: str) -> str | None:
    """About `words` words of the text around its densest matches, marked; None if none match."""
    chunks = text.split()
    marked = {}
    for index, chunk in enumerate(chunks):
        if (result := marker.mark(chunk, start, stop)) is not None:
            marked[index] = result
    if not marked:
        return None
    # The window of `words` chunks holding the most matches, found in one pass.
    hits = sorted(marked)
    best, most, first = hits[0], 0, 0
    for end, hit in enumerate(hits):
        while hits[first] <= hit - words:
            first += 1
        if end - first + 1 > most:
            best, most = hits[first], end - first + 1
    begin = max(0, min(best - 3, len(chunks) - words))
    words = min(words, len(chunks) - begin)
    window = [marked.get(index, chunks[index]) for index in range(begin, begin + words)]
    before = "… " if begin > 0 else ""
    after = " …" if begin + words < len(chunks) else ""
    return before + " ".join(window) + after
