from django.core.management.base import BaseCommand, CommandError

from summits.models import Country, Framework
from summits.tagging import SUMMIT_THRESHOLD, THRESHOLD, suggest_tags
from summits.tagging_eval import KINDS, evaluate, load_cases


class Command(BaseCommand):
    help = (
        "Measure tag suggestions on the hand-tagged articles in summits/tagging_eval/: "
        "precision and recall per kind, then what was missed or wrongly suggested. "
        "Needs the reference data (manage.py load_reference_data)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--details",
            action="store_true",
            help="Also list every article's suggestions with their scores and evidence.",
        )

    def handle(self, *args, details, **options):
        if not Country.objects.exists() or not Framework.objects.exists():
            raise CommandError("No reference data: run manage.py load_reference_data first.")
        evaluation = evaluate()
        self.stdout.write(
            f"Tag suggestions on {evaluation.cases} articles "
            f"(threshold {THRESHOLD}, summits {SUMMIT_THRESHOLD})\n"
        )
        self.stdout.write(
            f"{'':12}{'precision':>10}{'recall':>8}{'right':>7}{'wrong':>7}{'missed':>8}"
        )
        for kind in KINDS:
            result = evaluation.results[kind]
            self.stdout.write(
                f"{kind:12}{result.precision:>10.2f}{result.recall:>8.2f}"
                f"{result.true_positives:>7}{len(result.false_positives):>7}"
                f"{len(result.misses):>8}"
            )
        for label, attribute in (("Missed", "misses"), ("Suggested wrongly", "false_positives")):
            lines = [
                f"  {kind}: {case_id}: {key}"
                for kind in KINDS
                for case_id, key in getattr(evaluation.results[kind], attribute)
            ]
            self.stdout.write(f"\n{label}:" + ("" if lines else " none"))
            for line in lines:
                self.stdout.write(line)
        if details:
            self._details()

    def _details(self):
        for case in load_cases():
            suggestions = suggest_tags(title=case.title, standfirst=case.standfirst, body=case.body)
            self.stdout.write(f"\n{case.id}")
            for kind in KINDS:
                for suggestion in getattr(suggestions, kind):
                    mark = "+" if suggestion.strong else " "
                    self.stdout.write(
                        f"  {mark} {suggestion.score:6.2f}  {suggestion.obj}  "
                        f"[{'; '.join(suggestion.evidence)}]"
                    )
