"""Slugs the way the record's own addresses read: "C5+1" is c5-plus-1, a meeting is its
framework, day and city."""

import datetime
import json

import pytest

from summits.services import REFERENCE_DATA_DIR
from summits.slugs import slugify, summit_slug

# (text, slug for an ASCII address, slug for an article's, which keeps its letters)
CASES = [
    ("C5+1 ministers meet", "c5-plus-1-ministers-meet", "c5-plus-1-ministers-meet"),
    ("C5+1", "c5-plus-1", "c5-plus-1"),
    ("C+C5 summit", "c-plus-c5-summit", "c-plus-c5-summit"),
    ("Ｃ５＋１", "c5-plus-1", "c5-plus-1"),
    ("Washington, D.C.", "washington-d-c", "washington-d-c"),
    ("Xi'an", "xi-an", "xi-an"),
    ("Kazakhstan’s president doesn't wait", "kazakhstans-president-doesnt-wait", None),
    ("EU–Central Asia: a new chapter", "eu-central-asia-a-new-chapter", None),
    ("Côte d’Ivoire", "cote-d-ivoire", "côte-d-ivoire"),
    ("Oʻzbekiston", "ozbekiston", "oʻzbekiston"),
    ("  --Leading and trailing__ ", "leading-and-trailing", "leading-and-trailing"),
    ("Саммит С5+1 в Ташкенте", "sammit-s5-plus-1-v-tashkente", "саммит-с5-plus-1-в-ташкенте"),
    ("Қазақстан", "qazaqstan", "қазақстан"),
    (
        "C5+1 정상회의, 타슈켄트",
        "c5-plus-1-jeongsanghoeui-tasyukenteu",
        "c5-plus-1-정상회의-타슈켄트",
    ),
    ("김대식", "gimdaesik", "김대식"),
    ("!!!", "", ""),
]


@pytest.mark.parametrize(("text", "ascii_slug", "unicode_slug"), CASES)
def test_slugs_read_as_the_records_addresses(text, ascii_slug, unicode_slug):
    assert slugify(text) == ascii_slug
    assert slugify(text, allow_unicode=True) == (unicode_slug or ascii_slug)


def test_a_long_slug_is_cut_after_a_whole_word():
    text = "Central Asian ministers agree on critical minerals at the Astana meeting"

    assert slugify(text, max_length=30) == "central-asian-ministers-agree"
    assert slugify("a" * 40, max_length=30) == "a" * 30


def reference(name: str) -> list[dict]:
    return json.loads((REFERENCE_DATA_DIR / f"{name}.json").read_text())[name]


def day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def month(value: str | None) -> datetime.date | None:
    """A month ("2024-08") as its first day, as the summit form takes it."""
    return day(f"{value}-01" if value else None)


def test_every_meeting_in_the_reference_data_has_the_slug_the_rule_makes():
    summits = reference("summits")

    made = [
        summit_slug(
            framework=summit["framework"],
            start_date=day(summit.get("start_date")),
            approximate_month=month(summit.get("approximate_month")),
            city=summit.get("city") or "",
        )
        for summit in summits
    ]

    assert made == [summit["slug"] for summit in summits]
    assert len(made) >= 45


def test_the_c5_plus_1_is_spelled_as_its_address():
    c5 = next(f for f in reference("frameworks") if f["short_name"] == "C5+1")

    assert slugify(c5["short_name"]) == c5["slug"] == "c5-plus-1"


def test_a_meeting_known_by_its_month_or_held_online():
    assert summit_slug(framework="c5-plus-1", approximate_month=datetime.date(2024, 8, 1)) == (
        "c5-plus-1-2024-08-virtual"
    )
    assert summit_slug(
        framework="central-asia-japan",
        approximate_month=datetime.date(2024, 8, 17),
        city="Astana",
    ) == ("central-asia-japan-2024-08-astana")
