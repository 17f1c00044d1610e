from collections import Counter

from django.core.management.base import BaseCommand

from journal import content_generation
from journal.images.renditions import IMAGE_FIELDS, Outcome, ensure_renditions


class Command(BaseCommand):
    help = (
        "Make the responsive renditions of article and contributor images that lack them "
        "(images saved before renditions existed, or changed with a bulk update). Safe to "
        "run again: complete sets are left untouched unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Remake every rendition, e.g. after changing the quality settings.",
        )

    def handle(self, *args, force=False, **options):
        totals = Counter()
        for model, field_name in IMAGE_FIELDS:
            field = model._meta.get_field(field_name)
            names = (
                model._default_manager.exclude(**{field_name: ""})
                .exclude(**{f"{field_name}__isnull": True})
                .order_by(field_name)
                .values_list(field_name, flat=True)
                .distinct()
            )
            label = f"{model._meta.verbose_name_plural} ({field.verbose_name})"
            counts = Counter()
            total = names.count()
            for done, name in enumerate(names.iterator(), start=1):
                outcome = ensure_renditions(name, storage=field.storage, force=force)
                counts[outcome] += 1
                if outcome is Outcome.SKIPPED:
                    self.stderr.write(f"  skipped {name} (see the warning above)")
                if done % 50 == 0 and done < total:
                    self.stdout.write(f"  {label}: {done}/{total}…")
            self.stdout.write(f"{label}: {self._summary(counts)}")
            totals += counts
        if totals[Outcome.CREATED]:
            # Pages and cards kept until now show those images' originals;
            # what is rendered from here on offers the renditions.
            content_generation.end()
        self.stdout.write(self.style.SUCCESS(f"Done: {self._summary(totals)}."))

    @staticmethod
    def _summary(counts: Counter) -> str:
        return (
            f"{counts[Outcome.CREATED]} generated, {counts[Outcome.PRESENT]} already there, "
            f"{counts[Outcome.SKIPPED]} skipped"
        )
