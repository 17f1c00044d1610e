import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse


class Command(BaseCommand):
    help = (
        "Create the first administrator account if it does not exist, and say how to log in. "
        "Reads DJANGO_ADMIN_USERNAME, DJANGO_ADMIN_EMAIL and DJANGO_ADMIN_PASSWORD; without a "
        "password, one is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site",
            default="http://127.0.0.1:8000",
            help="The site's address, to print the admin's.",
        )

    def handle(self, *args, site, **options):
        url = site.rstrip("/") + reverse("admin:index")
        User = get_user_model()
        username = os.environ.get("DJANGO_ADMIN_USERNAME", "").strip() or "admin"
        email = os.environ.get("DJANGO_ADMIN_EMAIL", "").strip()
        password = os.environ.get("DJANGO_ADMIN_PASSWORD", "")

        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin: {url}  user '{username}' (password as first printed or set; "
                f"reset it with `manage.py changepassword {username}`)."
            )
            return

        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        else:
            try:
                validate_password(password, User(username=username, email=email))
            except ValidationError as error:
                raise CommandError(
                    "DJANGO_ADMIN_PASSWORD is too weak: " + " ".join(error.messages)
                ) from error
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS(f"Created the administrator '{username}'."))
        if generated:
            self.stdout.write(
                f"Admin: {url}  user '{username}'  password '{password}'\n"
                "This password is shown only once: keep it, or change it with "
                f"`manage.py changepassword {username}`."
            )
        else:
            self.stdout.write(f"Admin: {url}  user '{username}' with DJANGO_ADMIN_PASSWORD.")
