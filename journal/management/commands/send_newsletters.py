"""Send the newsletter digests that are due, and purge subscriptions never confirmed.

Run it hourly from cron (see the README's "E-mail" under "Deploying"). Each
subscriber's digest goes once a day or once a week, with what was published
since their last one; a run cut short by the mail server leaves the rest for
the next, and never sends a digest twice.
"""

from django.core.management.base import BaseCommand

from journal.services.digests import STOP_AFTER_FAILURES, digests_send


class Command(BaseCommand):
    help = (
        "Send each confirmed subscriber's digest when it is due (daily or weekly), and delete "
        "subscriptions not confirmed in time."
    )

    def handle(self, *args, **options):
        report = digests_send()
        if report.stopped:
            # Cron mails what a job writes to stderr: the operator hears of it.
            self.stderr.write(
                f"Stopped after {STOP_AFTER_FAILURES} digests in a row were not sent "
                f"({report.stopped}); the rest are sent by the next run."
            )
        elif report.failed:
            self.stderr.write(
                f"{report.failed} digests not sent ({report.errors[-1]}); "
                "they are tried again by the next run."
            )
        if options["verbosity"] > 0:
            lists = ", ".join(f"{name}: {count}" for name, count in sorted(report.lists.items()))
            self.stdout.write(
                f"Sent {report.sent} digests{f' ({lists})' if lists else ''}; "
                f"{report.failed} failed, {report.refused} refused for good by the mail server, "
                f"{report.empty} with nothing new, "
                f"{report.skipped} taken by another run; "
                f"{report.purged} unconfirmed subscriptions deleted."
            )
