"""The two evaluation sets of tag suggestions, and the command that measures them."""

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from summits import tagging_eval
from summits.models import Country, Framework, Summit
from summits.tagging_eval import (
    KINDS,
    LANGUAGES,
    evaluate,
    load_real_cases,
    load_real_entries,
    read_text,
    summit_key,
)
from summits.tagging_eval.fetching import article_text

# Written for these tests: a summit article and one that mentions a framework in passing.
SUMMIT_TEXT = """Central Asia and Japan meet in Tokyo

The leaders of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan met \
Japan's prime minister in Tokyo for the first Central Asia + Japan summit.

They agreed on a programme of work on energy, transport and critical minerals.
"""
PASSING_TEXT = """Kazakhstan raises its key rate

Kazakhstan's central bank raised its key rate on Friday to slow inflation.

Analysts compared the move with the region's talks with China, among others.
"""


# Written for these tests too: the same kinds of article in Korean and in Russian.
KOREAN_TEXT = """중앙아시아 5개국 정상, 도쿄에서 일본 총리와 회담

카자흐스탄, 키르기스스탄, 타지키스탄, 투르크메니스탄, 우즈베키스탄 정상이 도쿄에서 \
일본 총리와 첫 '중앙아시아+일본 대화' 정상회의를 열었다.

정상들은 에너지와 교통 협력을 논의했다.
"""
RUSSIAN_TEXT = """Саммит «Россия — Центральная Азия» прошел в Душанбе

Президенты России, Казахстана, Кыргызстана, Таджикистана, Туркменистана и Узбекистана \
провели второй саммит «Россия — Центральная Азия».

Стороны обсудили торговлю и энергетику.
"""


@pytest.fixture
def real_set(tmp_path):
    """A real set of two entries, and the texts kept for one of them."""
    entries = [
        {
            "id": "tokyo",
            "url": "https://example.org/tokyo",
            "outlet": "Example Wire",
            "published": "2025-12-20",
            "title": "Central Asia and Japan meet in Tokyo",
            "countries": ["KZ", "KG", "TJ", "TM", "UZ", "JP"],
            "frameworks": ["central-asia-japan"],
            "summits": [],
            "mentioned": {},
            "split": "tune",
        },
        {
            "id": "rates",
            "url": "https://example.org/rates",
            "outlet": "Example Daily",
            "published": "2025-03",
            "title": "Kazakhstan raises its key rate",
            "countries": ["KZ"],
            "frameworks": [],
            "summits": [],
            "mentioned": {"countries": ["CN"]},
            "split": "held-out",
        },
    ]
    path = tmp_path / "real.json"
    path.write_text(json.dumps({"articles": entries}), encoding="utf-8")
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "tokyo.txt").write_text(SUMMIT_TEXT, encoding="utf-8")
    return path, texts


def test_the_real_set_is_real_varied_labelled_with_known_tags_and_split(record):
    entries = load_real_entries()
    known = {
        "countries": set(Country.objects.values_list("code", flat=True)),
        "frameworks": set(Framework.objects.values_list("slug", flat=True)),
        "summits": {summit_key(s) for s in Summit.objects.select_related("framework")},
    }

    assert len(entries) >= 40
    assert len({entry["outlet"] for entry in entries}) >= 15
    assert len({entry["id"] for entry in entries}) == len(entries)
    assert len({entry["url"] for entry in entries}) == len(entries)
    held_out = [entry for entry in entries if entry["split"] == "held-out"]
    assert {entry["split"] for entry in entries} == {"tune", "held-out"}
    assert len(entries) // 4 <= len(held_out) <= len(entries) // 2
    for entry in entries:
        assert urlparse(entry["url"]).scheme == "https" or entry["url"].startswith("http://")
        assert entry["countries"] or entry["frameworks"], entry["id"]
        for kind in KINDS:
            # "framework@2024-08": a summit known by its month, stored as the 1st.
            month_only = kind == "summits"
            tags = {
                f"{t}-01" if month_only and len(t.partition("@")[2]) == 7 else t
                for t in entry[kind]
            }
            assert tags <= known[kind], (entry["id"], kind, tags - known[kind])
            mentioned = set(entry.get("mentioned", {}).get(kind, ()))
            assert not mentioned & set(entry[kind]), (entry["id"], kind)
    # No text of another outlet is kept in the repository: addresses and tags only.
    assert not any("body" in entry or "text" in entry for entry in entries)


def test_the_real_set_holds_korean_and_russian_articles_held_out_by_the_same_rule(record):
    """Each language, and each batch gathered, holds back its own third."""
    entries = load_real_entries()
    by_language: dict[str, list[dict]] = {}
    for entry in entries:
        by_language.setdefault(entry.get("language", "en"), []).append(entry)

    assert set(by_language) == set(LANGUAGES)
    assert len(by_language["ko"]) >= 10 and len(by_language["ru"]) >= 10
    batches: dict[tuple[str, int], list[dict]] = {}
    for language, written in by_language.items():
        for entry in written:
            batches.setdefault((language, entry.get("batch", 1)), []).append(entry)
    assert ("en", 2) in batches  # articles gathered after the first round of tuning
    for batch, gathered in batches.items():
        # In each language and batch, the third of the articles whose ids hash lowest.
        ranked = sorted(gathered, key=lambda e: hashlib.sha256(e["id"].encode()).hexdigest())
        held_out = {entry["id"] for entry in ranked[: len(gathered) // 3]}
        assert {e["id"] for e in gathered if e["split"] == "held-out"} == held_out, batch


def test_an_article_that_names_no_language_is_english(record, real_set):
    path, texts = real_set

    (case,) = load_real_cases(path, texts)[0]

    assert case.language == "en"


def test_an_article_of_the_real_set_is_measured_from_its_kept_text(record, real_set):
    path, texts = real_set

    cases, missing = load_real_cases(path, texts)

    assert missing == ["rates"]
    (case,) = cases
    assert case.title == "Central Asia and Japan meet in Tokyo"
    assert case.body.count("<p>") == 2
    assert case.split == "tune"
    evaluation = evaluate(cases=cases)
    assert evaluation.cases == 1
    assert evaluation.results["frameworks"].recall == 1.0
    assert evaluation.results["countries"].recall == 1.0


def test_the_weak_list_counts_passing_mentions_as_right(record, real_set):
    path, texts = real_set
    (texts / "rates.txt").write_text(PASSING_TEXT, encoding="utf-8")

    cases, _missing = load_real_cases(path, texts)
    rates = [case for case in cases if case.id == "rates"]
    evaluation = evaluate(cases=rates)

    countries = evaluation.shown["countries"]
    assert countries.wanted == 2  # Kazakhstan, tagged; China, mentioned
    assert countries.found == 2
    assert countries.weak_precision == 1.0
    assert evaluation.results["countries"].false_positives == []


def test_the_command_reports_each_set_and_says_which_texts_are_missing(record, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()

    call_command("evaluate_tag_suggestions", stdout=out)

    text = out.getvalue()
    assert "Synthetic set" in text
    assert "weak precise" in text and "shown recall" in text
    # Passing mentions are not labelled in the synthetic set: its weak list is not judged.
    synthetic = text.split("Synthetic set")[1].split("The real set")[0]
    assert "–" in synthetic and "Mentioned in passing" not in synthetic
    assert "texts are not in" in text and "--fetch" in text


@pytest.fixture
def three_languages(real_set, settings, monkeypatch):
    """The real set's two English articles, and one Korean and one Russian, texts kept."""
    path, texts = real_set
    entries = json.loads(path.read_text(encoding="utf-8"))["articles"]
    entries += [
        {
            "id": "ko-tokyo",
            "url": "https://example.org/ko-tokyo",
            "outlet": "Example Korean Daily",
            "published": "2025-12-20",
            "title": "중앙아시아 5개국 정상, 도쿄에서 일본 총리와 회담",
            "countries": ["KZ", "KG", "TJ", "TM", "UZ", "JP"],
            "frameworks": ["central-asia-japan"],
            "summits": ["central-asia-japan@2025-12-19"],
            "mentioned": {},
            "split": "tune",
            "language": "ko",
        },
        {
            "id": "ru-dushanbe",
            "url": "https://example.org/ru-dushanbe",
            "outlet": "Example Russian Wire",
            "published": "2025-10-09",
            "title": "Саммит «Россия — Центральная Азия» прошел в Душанбе",
            "countries": ["RU", "KZ", "KG", "TJ", "TM", "UZ"],
            "frameworks": ["russia-central-asia"],
            "summits": ["russia-central-asia@2025-10-09"],
            "mentioned": {},
            "split": "held-out",
            "language": "ru",
        },
    ]
    path.write_text(json.dumps({"articles": entries}), encoding="utf-8")
    (texts / "rates.txt").write_text(PASSING_TEXT, encoding="utf-8")
    (texts / "ko-tokyo.txt").write_text(KOREAN_TEXT, encoding="utf-8")
    (texts / "ru-dushanbe.txt").write_text(RUSSIAN_TEXT, encoding="utf-8")
    monkeypatch.setattr("summits.tagging_eval.REAL_FILE", path)
    settings.VAR_DIR = texts.parent
    target = texts.parent / "tagging-eval" / "texts"
    target.parent.mkdir()
    texts.rename(target)


def test_the_command_reports_each_language_of_each_part_apart(record, three_languages):
    out = StringIO()

    call_command("evaluate_tag_suggestions", "--set", "real", stdout=out)

    text = out.getvalue()
    for heading in (
        "Real set, tuned on, English: 1 articles",
        "Real set, tuned on, Korean: 1 articles",
        "Real set, held out from tuning, English: 1 articles",
        "Real set, held out from tuning, Russian: 1 articles",
    ):
        assert heading in text
    assert "tuned on, Russian" not in text and "held out from tuning, Korean" not in text
    korean = text.split("Real set, tuned on, Korean")[1].split("Real set, held out")[0]
    assert "ko-tokyo" not in korean.split("Missed:")[1].split("Suggested wrongly:")[0]
    summary = text.split("By language: ")[1].splitlines()
    assert summary[1].split() == ["part", "language", "articles", *KINDS]
    rows = {tuple(line.split()[:2]): line.split()[2:] for line in summary[2:] if line.strip()}
    assert set(rows) == {
        ("tune", "English"),
        ("tune", "Korean"),
        ("held-out", "English"),
        ("held-out", "Russian"),
    }
    # Per kind: strong precision/recall, weak precision, shown recall.
    articles, *figures = rows["tune", "Korean"]
    assert articles == "1" and len(figures) == 3 * len(KINDS)
    assert figures[KINDS.index("frameworks") * 3] == "1.00/1.00"


def test_the_command_measures_one_language_when_asked(record, three_languages):
    out = StringIO()

    call_command("evaluate_tag_suggestions", "--language", "ru", stdout=out)

    text = out.getvalue()
    assert "Real set, held out from tuning, Russian: 1 articles" in text
    assert "Synthetic set" not in text and "English" not in text and "Korean" not in text


def test_the_command_shows_one_part_and_each_batch_apart_when_asked(
    record, three_languages, settings
):
    path = tagging_eval.REAL_FILE
    entries = json.loads(path.read_text(encoding="utf-8"))["articles"]
    later = dict(next(e for e in entries if e["id"] == "ko-tokyo"), id="ko-later", batch=2)
    later["url"] += "-later"
    path.write_text(json.dumps({"articles": [*entries, later]}), encoding="utf-8")
    texts = settings.VAR_DIR / "tagging-eval" / "texts"
    (texts / "ko-later.txt").write_text(KOREAN_TEXT, encoding="utf-8")

    tuning, everything = StringIO(), StringIO()
    call_command("evaluate_tag_suggestions", "--set", "real", "--part", "tune", stdout=tuning)
    call_command("evaluate_tag_suggestions", "--set", "real", stdout=everything)

    assert "held out" not in tuning.getvalue() and "held-out" not in tuning.getvalue()
    assert "Real set, tuned on, Korean: 2 articles" in tuning.getvalue()
    assert "Real set, tuned on, Korean, batch 2: 1 articles" in tuning.getvalue()
    assert "Real set, held out from tuning, Russian: 1 articles" in everything.getvalue()
    assert "English, batch" not in everything.getvalue()  # one batch: no batch lines


class _Pages(BaseHTTPRequestHandler):
    page = (
        "<html><head><title>Site · Leaders meet</title></head><body>"
        "<nav><p>Home, World, Business, Opinion and all the other sections</p></nav>"
        "<h1>Central Asia and Japan meet in Tokyo</h1>"
        "<p>The leaders of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan "
        "met Japan&#39;s prime minister in Tokyo.</p><p>Share</p>"
        "<p>They agreed on a programme of work on energy and transport.</p>"
        "<footer><p>Copyright, terms of use and the privacy policy of the site</p></footer>"
        "</body></html>"
    ).encode()

    def do_GET(self):  # noqa: N802 - the handler's name
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args):
        pass


def test_fetch_downloads_the_texts_not_kept_yet(record, settings, tmp_path, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/tokyo"
        real = tmp_path / "real.json"
        real.write_text(
            json.dumps(
                {
                    "articles": [
                        {
                            "id": "tokyo",
                            "url": url,
                            "outlet": "Example",
                            "title": "t",
                            "countries": ["JP"],
                            "split": "tune",
                        }
                    ]
                }
            ),
            encoding="utf-8",
        )
        monkeypatch.setattr("summits.tagging_eval.REAL_FILE", real)
        settings.VAR_DIR = tmp_path

        call_command("evaluate_tag_suggestions", "--set", "real", "--fetch", stdout=StringIO())
    finally:
        server.shutdown()
        server.server_close()

    kept = (tmp_path / "tagging-eval" / "texts" / "tokyo.txt").read_text(encoding="utf-8")
    title, body = read_text(kept)
    assert title == "Central Asia and Japan meet in Tokyo"
    assert "Japan's prime minister" in body
    assert "Copyright" not in body and "Home, World" not in body and "Share" not in body


def test_a_page_without_paragraphs_is_refused():
    with pytest.raises(ValueError, match="no paragraphs"):
        article_text("<html><body><h1>Only a headline</h1></body></html>")
