"""How well search finds Korean and Russian words in real articles: recall and precision.

Loads the Korean and Russian articles of the real tagging evaluation set
(`var/tagging-eval/texts/`, fetched with `manage.py evaluate_tag_suggestions
--fetch`) into a fresh test database, searches each word below, and compares
the articles found with those whose text holds the word in one of its forms
(Russian: the case endings written out below; Korean: the word inside any
longer word). Runs on the database `DATABASE_URL` names (a test database is
made and dropped), SQLite by default:

    .venv/bin/python bench/search_languages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/search_languages.py
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOUN = "(а|у|ом|е|ы|ов|ам|ами|ах|и|ей|ю|я|ям|ями|ях|о)?"
# (query, what counts as the word in a text)
RUSSIAN = [
    ("Казахстан", rf"казахстан{NOUN}"),
    ("Казахстане", rf"казахстан{NOUN}"),
    ("Узбекистан", rf"узбекистан{NOUN}"),
    ("Узбекистаном", rf"узбекистан{NOUN}"),
    ("Кыргызстан", rf"кыргызстан{NOUN}"),
    ("Таджикистан", rf"таджикистан{NOUN}"),
    ("саммит", rf"саммит{NOUN}"),
    ("саммиты", rf"саммит{NOUN}"),
    ("президент", rf"президент{NOUN}"),
    ("встреча", rf"встреч{NOUN}"),
    ("сотрудничество", rf"сотрудничеств{NOUN}"),
    ("Китай", r"кита(й|я|ю|ем|е)"),
    ("Япония", r"япони(я|и|ю|ей)"),
    ("декларация", rf"деклараци{NOUN}"),
    ("министров", rf"министр{NOUN}"),
]
# Held out: written after the rule for Russian words typed alone was settled
# on the lists above, and never used to change it.
RUSSIAN_HELD_OUT = [
    ("Туркменистаном", rf"туркменистан{NOUN}"),
    ("Россия", r"росси(я|и|ю|ей)"),
    ("Астане", r"астан(а|ы|е|у|ой)"),
    ("Ташкент", rf"ташкент{NOUN}"),
    ("переговоры", rf"переговор{NOUN}"),
    ("лидеров", rf"лидер{NOUN}"),
    ("визит", rf"визит{NOUN}"),
    ("соглашения", r"соглашени(е|я|ю|ем|и|й|ям|ями|ях)"),
    ("экономический", r"экономическ(ий|ого|ому|им|ом|ая|ой|ую|ое|ие|их|ими)"),
    ("глав государств", r"глав(а|ы|е|у|ой|ам|ами|ах)?\s+государств(о|а|у|ом|е|ам|ами|ах)?"),
]
KOREAN = [
    "정상회의",
    "카자흐스탄",
    "우즈베키스탄",
    "투르크메니스탄",
    "중앙아시아",
    "협력",
    "대통령",
    "외교",
    "선언",
    "정상",
    # Found inside compounds: 정상회의, 중앙아시아, 외교장관, 경제협력
    "회의",
    "아시아",
    "장관",
    "경제",
]
KOREAN_HELD_OUT = [
    "한국",
    "회담",
    "러시아",
    "일본",
    "카자흐",
    "정상회담",
    "타슈켄트",
    "아스타나",
    "협의",
    "개최",
]


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def texts() -> list[tuple[str, str, str, str]]:
    """(id, language, headline, body) of the Korean and Russian articles kept locally."""
    records = json.loads((ROOT / "summits/tagging_eval/real.json").read_text())["articles"]
    found = []
    for record in records:
        language = record.get("language", "en")
        path = ROOT / "var/tagging-eval/texts" / f"{record['id']}.txt"
        if language in ("ko", "ru") and path.exists():
            headline, _, body = path.read_text().partition("\n\n")
            found.append((record["id"], language, headline.strip(), body))
    return found


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journal.settings")
    os.environ.setdefault("DJANGO_VAR_DIR", tempfile.mkdtemp(prefix="search-languages-"))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone
    from django.utils.html import escape

    from journal.models import Article
    from journal.search.query import parse_query
    from journal.search.results import SearchResults

    articles = texts()
    if not articles:
        sys.exit("No Korean or Russian texts: run manage.py evaluate_tag_suggestions --fetch.")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        words = {}
        for number, (key, language, headline, body) in enumerate(articles):
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
            article = Article.objects.create(
                title=headline[:255],
                slug=f"a{number}",
                language=language,
                body=paragraphs,
                status=Article.Status.PUBLISHED,
                publish_at=timezone.now(),
            )
            words[article.pk] = (key, language, f"{headline}\n{body}".casefold())
        say(f"{connection.vendor}: {len(articles)} articles")
        for language, part, queries in (
            ("ru", "tuned", [(q, re.compile(rf"(?<!\w){p}(?!\w)")) for q, p in RUSSIAN]),
            (
                "ru",
                "held-out",
                [(q, re.compile(rf"(?<!\w){p}(?!\w)")) for q, p in RUSSIAN_HELD_OUT],
            ),
            ("ko", "tuned", [(q, re.compile(re.escape(q))) for q in KOREAN]),
            ("ko", "held-out", [(q, re.compile(re.escape(q))) for q in KOREAN_HELD_OUT]),
        ):
            total = {"expected": 0, "found": 0, "right": 0}
            say(f"\n{language}, {part}: query, expected, found, right")
            for query, pattern in queries:
                expected = {
                    pk
                    for pk, (_key, lang, text) in words.items()
                    if lang == language and pattern.search(text)
                }
                results = SearchResults(
                    Article.objects.published().filter(language=language),
                    parse_query(query),
                    cards=Article.objects.all(),
                )
                found = {article.pk for article in results[0:1000]}
                right = expected & found
                total["expected"] += len(expected)
                total["found"] += len(found)
                total["right"] += len(right)
                say(f"  {query:16} {len(expected):3} {len(found):3} {len(right):3}")
            recall = total["right"] / total["expected"] if total["expected"] else 0
            precision = total["right"] / total["found"] if total["found"] else 0
            say(f"  {language} {part}: recall {recall:.2f}, precision {precision:.2f} {total}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
