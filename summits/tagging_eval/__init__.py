"""Measuring tag suggestions against articles tagged by hand, in two sets.

* The synthetic set, `articles.json`: short articles written for this
  purpose, each with the tags an editor would give it.
* The real set, `real.json`: articles other outlets published, each with
  its address, outlet, publication date, the tags a careful editor gave it
  and what it only mentions in passing, but not its text: its publisher's
  terms keep that out of this repository. The texts are kept locally, one
  file per article in `var/tagging-eval/texts/<id>.txt` (the headline, a
  blank line, the paragraphs), fetched with `manage.py
  evaluate_tag_suggestions --fetch` or saved by hand. A third of each
  language's articles (`"split": "held-out"`: the third whose ids have the
  lowest SHA-256) is left out of tuning and reported on its own.

Each real article says which language it is written in (`"language"`: `en`,
`ko` or `ru`; English when it says nothing): the command reports each
language apart, since a miss in Korean copy says nothing of English copy.

Tags: countries by code, frameworks by slug, summits as framework slug @
start date (@ month for a summit known only by its month, stored as the 1st).
`evaluate()` compares them with the suggestions; the reference data must be
loaded.
"""

import datetime
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from summits.models import Summit
from summits.tagging import Suggestion, Suggestions, suggest_tags

ARTICLES_FILE = Path(__file__).with_name("articles.json")
REAL_FILE = Path(__file__).with_name("real.json")
KINDS = ("countries", "frameworks", "summits")
# The languages the real set's articles are written in, in the order they are reported.
LANGUAGES = {"en": "English", "ko": "Korean", "ru": "Russian"}


def texts_dir() -> Path:
    """Where the real set's texts are kept on this machine."""
    return Path(settings.VAR_DIR) / "tagging-eval" / "texts"


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    standfirst: str
    body: str
    expected: dict[str, frozenset[str]]
    # Named only in passing: right in the list of weak suggestions, not needed.
    mentioned: dict[str, frozenset[str]] = field(default_factory=dict)
    split: str = "synthetic"
    published: datetime.date | None = None
    language: str = "en"
    # Articles gathered later form a batch of their own, with its own held-out third.
    batch: int = 1

    def mentions(self, kind: str) -> frozenset[str]:
        return self.expected[kind] | self.mentioned.get(kind, frozenset())


@dataclass
class KindResult:
    """The strong suggestions of one kind against the tags, over a set of articles."""

    kind: str
    true_positives: int = 0
    # (article, tag, the evidence the engine gave)
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)
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
class ShownResult:
    """Everything shown (strong and weak) against the tags and the passing mentions."""

    kind: str
    weak_right: int = 0
    # Weak suggestions that are neither a tag nor a mention.
    weak_wrong: list[tuple[str, str, str]] = field(default_factory=list)
    found: int = 0  # tags and mentions shown in either list
    wanted: int = 0  # tags and mentions

    @property
    def weak_precision(self) -> float:
        shown = self.weak_right + len(self.weak_wrong)
        return self.weak_right / shown if shown else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.wanted if self.wanted else 1.0


@dataclass
class Evaluation:
    cases: int
    results: dict[str, KindResult]
    shown: dict[str, ShownResult] = field(default_factory=dict)
    # Whether the articles label what they mention in passing: without that,
    # the weak list cannot be judged (the synthetic set).
    mentions_labelled: bool = True


def load_cases(path: Path = ARTICLES_FILE) -> list[Case]:
    """The synthetic set."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Case(
            id=item["id"],
            title=item["title"],
            standfirst=item.get("standfirst", ""),
            body=item.get("body", ""),
            expected=_tags(item),
        )
        for item in data["articles"]
    ]


def load_real_entries(path: Path | None = None) -> list[dict]:
    """The real set's entries as stored: addresses, outlets, dates and tags."""
    return json.loads((path or REAL_FILE).read_text(encoding="utf-8"))["articles"]


def load_real_cases(
    path: Path | None = None, directory: Path | None = None
) -> tuple[list[Case], list[str]]:
    """The real set's articles whose text is kept here, and the ids of those whose is not."""
    directory = directory or texts_dir()
    cases, missing = [], []
    for item in load_real_entries(path):
        text_file = directory / f"{item['id']}.txt"
        if not text_file.exists():
            missing.append(item["id"])
            continue
        title, body = read_text(text_file.read_text(encoding="utf-8"))
        cases.append(
            Case(
                id=item["id"],
                title=title or item["title"],
                standfirst="",
                body=body,
                expected=_tags(item),
                mentioned=_tags(item.get("mentioned", {})),
                split=item["split"],
                published=_published(item.get("published", "")),
                language=item.get("language", "en"),
                batch=item.get("batch", 1),
            )
        )
    return cases, missing


def read_text(text: str) -> tuple[str, str]:
    """(headline, body as paragraphs) of a kept text: the first line, then the rest."""
    lines = [line.strip() for line in text.splitlines()]
    title = next((line for line in lines if line), "")
    rest = lines[lines.index(title) + 1 :] if title else []
    paragraphs = [line for line in rest if line]
    return title, "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def summit_key(summit: Summit) -> str:
    """An id-free name for a summit: its framework's slug and its date."""
    when = summit.sort_date.isoformat() if summit.sort_date else "undated"
    return f"{summit.framework.slug}@{when}"


def _tags(item: dict) -> dict[str, frozenset[str]]:
    return {
        kind: frozenset(_normalised_key(kind, key) for key in item.get(kind, ())) for kind in KINDS
    }


def _published(text: str) -> datetime.date | None:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$", text or "")
    if not match:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    return datetime.date(year, month, day)


def _normalised_key(kind: str, key: str) -> str:
    # "framework@2024-08" names a summit known only by its month, stored as the 1st.
    if kind == "summits" and len(key.partition("@")[2]) == 7:
        return f"{key}-01"
    return key


def _key(kind: str, suggestion: Suggestion) -> str:
    if kind == "countries":
        return suggestion.obj.code
    if kind == "frameworks":
        return suggestion.obj.slug
    return summit_key(suggestion.obj)


def suggestion_keys(suggestions: Suggestions) -> dict[str, set[str]]:
    """The strong suggestions, named the way the articles files name tags."""
    strong = suggestions.strong()
    return {kind: {_key(kind, s) for s in getattr(strong, kind)} for kind in KINDS}


def evaluate(*, cases: list[Case] | None = None) -> Evaluation:
    """Precision and recall of the strong suggestions, and how the whole list does, per kind."""
    cases = load_cases() if cases is None else cases
    results = {kind: KindResult(kind) for kind in KINDS}
    shown = {kind: ShownResult(kind) for kind in KINDS}
    for case in cases:
        suggestions = suggest_tags(
            title=case.title, standfirst=case.standfirst, body=case.body, published=case.published
        )
        for kind in KINDS:
            listed = {_key(kind, s): s for s in getattr(suggestions, kind)}
            strong = {key for key, s in listed.items() if s.strong}
            result, expected = results[kind], case.expected[kind]
            result.true_positives += len(strong & expected)
            result.false_positives += [
                (case.id, key, _evidence(listed[key])) for key in sorted(strong - expected)
            ]
            result.misses += [(case.id, key) for key in sorted(expected - strong)]
            everything, wanted = shown[kind], case.mentions(kind)
            weak = set(listed) - strong
            everything.weak_right += len(weak & wanted)
            everything.weak_wrong += [
                (case.id, key, _evidence(listed[key])) for key in sorted(weak - wanted)
            ]
            everything.found += len(set(listed) & wanted)
            everything.wanted += len(wanted)
    return Evaluation(
        cases=len(cases),
        results=results,
        shown=shown,
        mentions_labelled=any(case.split != "synthetic" for case in cases),
    )


def _evidence(suggestion: Suggestion) -> str:
    return f"{suggestion.score:.2f}: " + "; ".join(suggestion.evidence[:3])
