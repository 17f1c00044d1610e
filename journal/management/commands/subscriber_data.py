"""What the journal keeps about one newsletter address: shown as JSON, or deleted on request."""

import json

from django.core.management.base import BaseCommand, CommandError

from journal.services.newsletters import subscriber_erase, subscriber_export


class Command(BaseCommand):
    help = (
        "Export (as JSON) or delete everything kept about one newsletter subscriber's address: "
        "the subscription and the e-mails queued or sent to it."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "delete"])
        parser.add_argument("email", help="The subscriber's e-mail address.")

    def handle(self, *args, action, email, **options):
        data = subscriber_export(email=email)
        if data is None:
            raise CommandError("Nothing is kept about this address.")
        if action == "export":
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        deleted = subscriber_erase(email=email)
        self.stdout.write(f"Deleted {deleted} rows kept about this address.")
