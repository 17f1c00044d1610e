"""Did-you-mean: the closest known word for a misspelled one, by trigram similarity."""

from __future__ import annotations

import re

from django.db import connection

from journal.search.query import ParsedQuery
from summits.models import Country, Framework, Summit

# Spelling --------------------------------------------------------------------

SIMILARITY_THRESHOLD = 0.4  # pg_trgm's default is 0.3; names need a closer match


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of a text: each word lower-cased and padded "  word "."""
    grams = set()
    for word in re.findall(r"[^\W_]+", text.casefold()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity(a, b)`: shared trigrams over all trigrams of both."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def vocabulary() -> list[str]:
    """The words of the reference names a misspelled query is compared with."""
    names = set()
    for name, official, capital in Country.objects.values_list("name", "official_name", "capital"):
        names.update([name, official, capital])
    for name, short_name, aliases in Framework.objects.values_list("name", "short_name", "aliases"):
        names.update([name, short_name, *aliases.splitlines()])
    names.update(Summit.objects.values_list("city", flat=True).distinct())
    words = {word for name in names if name for word in re.findall(r"[^\W\d_]{4,}", name)}
    return sorted(words)


def _closest(word: str, words: list[str]) -> tuple[str, float]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT candidate, similarity(candidate, %s) AS score "
                "FROM unnest(%s::text[]) AS candidate ORDER BY score DESC, candidate LIMIT 1",
                (word, words),
            )
            row = cursor.fetchone()
            return (row[0], row[1]) if row else ("", 0.0)
    scored = sorted(((trigram_similarity(word, w), w) for w in words), key=lambda s: (-s[0], s[1]))
    return (scored[0][1], scored[0][0]) if scored else ("", 0.0)


def spelling_suggestion(query: ParsedQuery) -> str | None:
    """The query with misspelled names corrected ("Kazahstan" -> "Kazakhstan"), if any."""
    if not query:
        return None
    words = vocabulary()
    known = {word.casefold() for word in words}
    corrected = query.text
    changed = False
    for word in dict.fromkeys(re.findall(r"[^\W\d_]{4,}", query.text)):
        if word.casefold() in known:
            continue
        candidate, score = _closest(word, words)
        if score >= SIMILARITY_THRESHOLD and candidate.casefold() != word.casefold():
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", candidate, corrected)
            changed = True
    return corrected if changed else None
