"""Send what the outbox holds: messages the mail server could not take before, and go-live notices.

Run it every few minutes from cron (see the README's "E-mail" under
"Deploying"). Each run queues a notice for every scheduled article that has
gone live since (once each), sends every message whose next try has come,
and deletes sent and given-up messages older than 30 days. Several servers
may run it at once: no message is sent twice.
"""

from django.core.management.base import BaseCommand

from journal.services.notifications import notify_went_live
from journal.services.outbox import outbox_clean, outbox_retry, outbox_send_all


class Command(BaseCommand):
    help = (
        "Send the queued e-mail that is due (retrying what the mail server could not take) "
        "and the notices of scheduled articles that went live."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-given-up",
            action="store_true",
            help="Queue again the messages given up after their last try, e.g. once the mail "
            "settings are fixed.",
        )

    def handle(self, *args, retry_given_up=False, **options):
        requeued = outbox_retry() if retry_given_up else 0
        noticed = notify_went_live()
        outcome = outbox_send_all()
        deleted = outbox_clean()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Sent {len(outcome.sent)}, not sent {len(outcome.failed)} (tried again later); "
                f"{noticed} go-live notices queued, {requeued} given-up messages queued again, "
                f"{deleted} old messages deleted."
            )
