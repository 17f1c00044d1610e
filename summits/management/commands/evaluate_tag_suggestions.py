import http.client
import re
import urllib.request

from django.core.management.base import BaseCommand, CommandError

from summits.models import Country, Framework
from summits.tagging import SUMMIT_THRESHOLD, THRESHOLD, suggest_tags
from summits.tagging_eval import (
    KINDS,
    LANGUAGES,
    Evaluation,
    evaluate,
    load_cases,
    load_real_cases,
    load_real_entries,
    texts_dir,
)
from summits.tagging_eval.fetching import article_text

SETS = ("synthetic", "real", "all")
PARTS = (("tune", "tuned on"), ("held-out", "held out from tuning"))


class Command(BaseCommand):
    help = (
        "Measure tag suggestions on the hand-tagged articles in summits/tagging_eval/: the "
        "synthetic set, and the real set (its tuning part and its held-out part apart, each "
        "language apart), per kind, for the strong list and for everything shown, then a "
        "summary by language and every miss and wrong "
        "suggestion with its evidence. Needs the reference data (manage.py "
        "load_reference_data); the real set also needs its texts (--fetch)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--set", choices=SETS, default="all", help="Which articles to measure (all)."
        )
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            help="Only the articles written in this language (the synthetic set is English).",
        )
        parser.add_argument(
            "--part",
            choices=[split for split, _label in PARTS],
            help="Only this part of the real set: tune while looking at the tuning part alone, "
            "and read the held-out part once, at the end.",
        )
        parser.add_argument(
            "--fetch",
            action="store_true",
            help="First download the real set's articles not kept here yet, from their addresses.",
        )
        parser.add_argument(
            "--details",
            action="store_true",
            help="Also list every article's suggestions with their scores and evidence.",
        )

    def handle(self, *args, set, language, part, fetch, details, **options):  # noqa: A002
        if not Country.objects.exists() or not Framework.objects.exists():
            raise CommandError("No reference data: run manage.py load_reference_data first.")
        if fetch:
            self._fetch()
        self.stdout.write(f"Threshold {THRESHOLD}, summits {SUMMIT_THRESHOLD}.")
        measured = []
        if set in ("synthetic", "all") and language in (None, "en"):
            cases = load_cases()
            measured += cases
            self._report("Synthetic set (written for the purpose)", evaluate(cases=cases))
        if set in ("real", "all"):
            cases, missing = load_real_cases()
            entries = {entry["id"]: entry for entry in load_real_entries()}
            if language:
                cases = [case for case in cases if case.language == language]
                missing = [m for m in missing if entries[m].get("language", "en") == language]
            if part:
                cases = [case for case in cases if case.split == part]
                missing = [m for m in missing if entries[m]["split"] == part]
            measured += cases
            if missing:
                self.stdout.write(
                    f"\nThe real set: {len(missing)} of {len(missing) + len(cases)} texts are "
                    f"not in {texts_dir()}; run with --fetch, or save them there by hand."
                )
            summary = []
            for split, label in PARTS:
                in_part = [case for case in cases if case.split == split]
                # Each language apart: the known ones in their order, then any other code.
                codes = [
                    *LANGUAGES,
                    *sorted({case.language for case in in_part}.difference(LANGUAGES)),
                ]
                for code in codes:
                    written = [case for case in in_part if case.language == code]
                    if not written:
                        continue
                    name = LANGUAGES.get(code, code)
                    evaluation = evaluate(cases=written)
                    self._report(f"Real set, {label}, {name}", evaluation)
                    summary.append((split, name, evaluation))
                    # Batches gathered after tuning began, each apart as well.
                    batches = sorted({case.batch for case in written})
                    for batch in batches if len(batches) > 1 else ():
                        evaluation = evaluate(cases=[c for c in written if c.batch == batch])
                        self._report(f"Real set, {label}, {name}, batch {batch}", evaluation)
                        summary.append((split, f"{name} {batch}", evaluation))
            if summary:
                self._summary(summary)
        if details:
            self._details(measured)

    def _report(self, title: str, evaluation: Evaluation) -> None:
        self.stdout.write(f"\n{title}: {evaluation.cases} articles")
        self.stdout.write(
            f"{'':12}{'precision':>10}{'recall':>8}{'right':>7}{'wrong':>7}{'missed':>8}"
            f"{'weak precise':>14}{'shown recall':>14}"
        )
        for kind in KINDS:
            result, shown = evaluation.results[kind], evaluation.shown[kind]
            weak = f"{shown.weak_precision:.2f}" if evaluation.mentions_labelled else "–"
            self.stdout.write(
                f"{kind:12}{result.precision:>10.2f}{result.recall:>8.2f}"
                f"{result.true_positives:>7}{len(result.false_positives):>7}"
                f"{len(result.misses):>8}{weak:>14}{shown.recall:>14.2f}"
            )
        misses = [
            f"  {kind}: {case_id}: {key}"
            for kind in KINDS
            for case_id, key in evaluation.results[kind].misses
        ]
        wrong = [
            f"  {kind}: {case_id}: {key} [{evidence}]"
            for kind in KINDS
            for case_id, key, evidence in evaluation.results[kind].false_positives
        ]
        weak = [
            f"  {kind}: {case_id}: {key} [{evidence}]"
            for kind in KINDS
            for case_id, key, evidence in evaluation.shown[kind].weak_wrong
        ]
        sections = [("Missed", misses), ("Suggested wrongly", wrong)]
        if evaluation.mentions_labelled:
            sections.append(("Mentioned in passing, wrongly", weak))
        for label, lines in sections:
            self.stdout.write(f"{label}:" + ("" if lines else " none"))
            for line in lines:
                self.stdout.write(line)

    def _summary(self, rows: list[tuple[str, str, Evaluation]]) -> None:
        """One line per part and language: strong precision/recall, weak precision, shown recall."""
        self.stdout.write("\nBy language: strong precision/recall, weak precision, shown recall")
        self.stdout.write(
            f"{'part':10}{'language':10}{'articles':>9}  "
            + "".join(f"{kind:<22}" for kind in KINDS).rstrip()
        )
        for split, name, evaluation in rows:
            cells = []
            for kind in KINDS:
                strong, shown = evaluation.results[kind], evaluation.shown[kind]
                cells.append(
                    f"{strong.precision:.2f}/{strong.recall:.2f} "
                    f"{shown.weak_precision:.2f} {shown.recall:.2f}"
                )
            self.stdout.write(
                f"{split:10}{name:10}{evaluation.cases:>9}  "
                + "".join(f"{cell:<22}" for cell in cells).rstrip()
            )

    def _fetch(self) -> None:
        directory = texts_dir()
        directory.mkdir(parents=True, exist_ok=True)
        for entry in load_real_entries():
            if not re.fullmatch(r"[a-z0-9-]+", entry["id"]):
                self.stderr.write(f"{entry['id']!r}: not fetched (not a plain id).")
                continue
            target = directory / f"{entry['id']}.txt"
            if target.exists():
                continue
            try:
                text = article_text(_download(entry["url"]))
            except (OSError, LookupError, ValueError, http.client.HTTPException) as error:
                self.stderr.write(f"{entry['id']}: not fetched ({error}).")
                continue
            # Written whole or not at all: a text file present is a text kept.
            partial = target.with_suffix(".part")
            partial.write_text(text, encoding="utf-8")
            partial.replace(target)
            self.stdout.write(f"{entry['id']}: fetched.")

    def _details(self, cases) -> None:
        for case in cases:
            suggestions = suggest_tags(
                title=case.title,
                standfirst=case.standfirst,
                body=case.body,
                published=case.published,
            )
            self.stdout.write(f"\n{case.id}")
            for kind in KINDS:
                for suggestion in getattr(suggestions, kind):
                    mark = "+" if suggestion.strong else " "
                    self.stdout.write(
                        f"  {mark} {suggestion.score:6.2f}  {suggestion.obj}  "
                        f"[{'; '.join(suggestion.evidence)}]"
                    )


def _download(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not a web address: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "Mozilla/5.0 (evaluation)"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - checked above
        charset = response.headers.get_content_charset() or "utf-8"
        return response.read(5 * 1024 * 1024).decode(charset, errors="replace")
