"""Measuring tag suggestions against articles tagged by hand.

`articles.json` holds short articles written for this purpose, each with the
countries (by code), frameworks (by slug) and summits (framework slug @ start
date, or @ month for a summit known only by its month) an editor would tag.
`evaluate()` compares them with the strong suggestions; the reference data
must be loaded.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from summits.models import Summit
from summits.tagging import Suggestions, suggest_tags

ARTICLES_FILE = Path(__file__).with_name("articles.json")
KINDS = ("countries", "frameworks", "summits")


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    standfirst: str
    body: str
    expected: dict[str, frozenset[str]]


@dataclass
class KindResult:
    kind: str
    true_positives: int = 0
    false_positives: list[tuple[str, str]] = field(default_factory=list)
    misses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + len(self.misses)
        return self.true_positives / expected if expected else 1.0


@dataclass
class Evaluation:
    cases: int
    results: dict[str, KindResult]


def load_cases(path: Path = ARTICLES_FILE) -> list[Case]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Case(
            id=item["id"],
            title=item["title"],
            standfirst=item.get("standfirst", ""),
            body=item.get("body", ""),
            expected={
                kind: frozenset(_normalised_key(kind, key) for key in item.get(kind, ()))
                for kind in KINDS
            },
        )
        for item in data["articles"]
    ]


def summit_key(summit: Summit) -> str:
    """An id-free name for a summit: its framework's slug and its date."""
    when = summit.sort_date.isoformat() if summit.sort_date else "undated"
    return f"{summit.framework.slug}@{when}"


def _normalised_key(kind: str, key: str) -> str:
    # "framework@2024-08" names a summit known only by its month, stored as the 1st.
    if kind == "summits" and len(key.partition("@")[2]) == 7:
        return f"{key}-01"
    return key


def suggestion_keys(suggestions: Suggestions) -> dict[str, set[str]]:
    """The strong suggestions, named the way the articles file names tags."""
    strong = suggestions.strong()
    return {
        "countries": {s.obj.code for s in strong.countries},
        "frameworks": {s.obj.slug for s in strong.frameworks},
        "summits": {summit_key(s.obj) for s in strong.summits},
    }


def evaluate(*, cases: list[Case] | None = None) -> Evaluation:
    """Precision and recall of the strong suggestions, per kind, over all cases."""
    cases = load_cases() if cases is None else cases
    results = {kind: KindResult(kind) for kind in KINDS}
    for case in cases:
        found = suggestion_keys(
            suggest_tags(title=case.title, standfirst=case.standfirst, body=case.body)
        )
        for kind in KINDS:
            result, expected = results[kind], case.expected[kind]
            result.true_positives += len(found[kind] & expected)
            result.false_positives += [(case.id, key) for key in sorted(found[kind] - expected)]
            result.misses += [(case.id, key) for key in sorted(expected - found[kind])]
    return Evaluation(cases=len(cases), results=results)
