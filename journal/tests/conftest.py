"""What the journal's tests share: the world, the newsroom's accounts, admin rows, a mail server."""

import contextlib
import email
import email.policy
import importlib.util
import logging
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from journal.models import (
    ArticleEvent,
    ArticleSlugHistory,
    Contributor,
    Correction,
    LibraryImage,
    OutgoingEmail,
)
from journal.tests.factories import (
    PASSWORD,
    AssignmentFactory,
    BylineFactory,
    ContributorFactory,
    SubscriberFactory,
    UserFactory,
)
from summits.tests.factories import (
    CountryFactory,
    FrameworkFactory,
    ParticipantFactory,
    central_asia,
)


@pytest.fixture
def world(db):
    """Central Asia as the journal covers it, before any article is written.

    summits' `central_asia()` (`kz` … `uz`, `countries`, `us`, `c5`, `summit`),
    the Central Asia plus Japan Dialogue (`japan`, no members yet), and two
    writers: `aigerim`, Aigerim Sadykova of the staff, and `park`, Min-jun
    Park, a guest.
    """
    world = central_asia()
    world.japan = FrameworkFactory(
        name="Central Asia plus Japan Dialogue",
        short_name="CA+JAD",
        slug="central-asia-japan",
        partner=CountryFactory(code="JP"),
    )
    world.aigerim = ContributorFactory(name="Aigerim Sadykova", slug="aigerim-sadykova")
    world.park = ContributorFactory(
        name="Min-jun Park", slug="min-jun-park", kind=Contributor.Kind.GUEST
    )
    return world


@pytest.fixture
def make_user(db):
    """A staff account in the given groups: `make_user("aigerim", "Editors")`."""

    def make(name=None, *groups, **fields):
        if name is not None:
            fields["username"] = name
        return UserFactory(groups=groups, **fields)

    return make


@pytest.fixture
def editor(make_user):
    return make_user("editor", "Editors")


@pytest.fixture
def writer(make_user):
    return make_user("writer", "Writers")


@pytest.fixture
def desk(db):
    """A superuser who logs in through the login page, as `desk` with `PASSWORD`."""
    return UserFactory(username="desk", password=PASSWORD, is_superuser=True)


@pytest.fixture
def staff(make_user):
    """A browser of its own, logged in as a new staff account in the given groups.

    `staff("Editors")`, `staff("Writers", perms=["view_article"])`, or `staff()`
    for an account in no group; the account is `client.user`.
    """

    def log_in(*groups, **fields) -> Client:
        client = Client()
        client.user = make_user(None, *groups, **fields)
        client.force_login(client.user)
        return client

    return log_in


@pytest.fixture
def one_of_each(admin_user):
    """A saved row for every model in the admin."""
    country = CountryFactory()
    participant = ParticipantFactory(country=country, summit__host_country=country)
    byline = BylineFactory(article__countries=[country])
    login = {"user_agent": "Firefox", "http_accept": "text/html", "path_info": "/admin/login/"}
    return {
        "country": country,
        "framework": participant.summit.framework,
        "summit": participant.summit,
        "participant": participant,
        "article": byline.article,
        "contributor": byline.contributor,
        "byline": byline,
        "correction": Correction.objects.create(article=byline.article, text="Fixed a date."),
        "articleslughistory": ArticleSlugHistory.objects.create(
            article=byline.article, old_slug="an-old-address"
        ),
        "articleevent": ArticleEvent.objects.create(
            article=byline.article, action=ArticleEvent.Action.SUBMITTED, user=admin_user
        ),
        "libraryimage": LibraryImage.objects.create(
            image="images/2026/01/ministers.png", width=40, height=30, alt_text="Ministers"
        ),
        "user": admin_user,
        "group": Group.objects.first(),
        # Login throttling's records (django-axes).
        "accessattempt": AccessAttempt.objects.create(
            username="desk", ip_address="192.0.2.7", failures_since_start=2, **login
        ),
        "accesslog": AccessLog.objects.create(username="desk", ip_address="192.0.2.7", **login),
        "accessfailurelog": AccessFailureLog.objects.create(
            username="desk", ip_address="192.0.2.7", **login
        ),
        # Two-factor devices (django-otp).
        "totpdevice": TOTPDevice.objects.create(user=admin_user, name="Phone", confirmed=False),
        "outgoingemail": OutgoingEmail.objects.create(
            kind=OutgoingEmail.Kind.SUBMITTED,
            to=["editor@example.org"],
            subject="For review: Ministers meet",
            body="Please review it.",
            attempts=1,
            last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        ),
        "subscriber": SubscriberFactory(countries=[country]),
        "assignment": AssignmentFactory(
            summit=participant.summit, article=byline.article, countries=[country]
        ),
    }


def free_port() -> int:
    """A local TCP port nothing listens on (until something binds it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """One message as the mail server took it: the envelope, and the message parsed."""

    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def text(self) -> str:
        # What a mail reader shows: lines as written, not as carried (CRLF).
        return self.message.get_body(("plain",)).get_content().replace("\r\n", "\n")

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content().replace("\r\n", "\n")


@dataclass
class MailServer:
    port: int
    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            Received(
                sender=envelope.mail_from,
                recipients=list(envelope.rcpt_tos),
                message=email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [received for received in self.messages if address in received.recipients]

    def send_here(self, settings, *, port: int | None = None) -> None:
        """Point the site's mail at this server (or, given a `port`, at that one)."""
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port or self.port, "timeout": 5},
            }
        }


@pytest.fixture
def mail_server(settings):
    """A real SMTP server (aiosmtpd) on a free local port, which the site sends to.

    `mail_server.messages` holds what it received, parsed (`.subject`, `.text`,
    `.html`, `.recipients`); `mail_server.to(address)` what one person got.
    `mail_server.send_here(settings, port=free_port())` sends to a port where
    nothing listens: the mail server is down.
    """
    with running_mail_server(settings) as server:
        yield server


@contextlib.contextmanager
def running_mail_server(settings):
    """An aiosmtpd server on a free port, the site's mail sent to it, for the block."""
    # The server logs every SMTP command it hears; the tests read what it received.
    server_log = logging.getLogger("mail.log")
    level = server_log.level
    server_log.setLevel(logging.WARNING)
    server = MailServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    server.send_here(settings)
    try:
        yield server
    finally:
        controller.stop()
        server_log.setLevel(level)


# Media and backups on object storage: a real S3 API (moto's server, a process
# of its own per test session) and buckets of each test's own.


@pytest.fixture(scope="session")
def s3_server():
    if importlib.util.find_spec("moto") is None:
        pytest.skip("moto[server] is not installed (requirements-dev.txt): no S3 server to test on")
    from journal.tests.object_storage import S3Server

    server = S3Server.start()
    yield server
    server.stop()


@pytest.fixture
def object_storage(settings, s3_server):
    """Uploads and backups in two buckets, set up as DJANGO_MEDIA_STORAGE and _BACKUP_STORAGE do.

    The media bucket is readable by anyone under its prefix (the README's
    policy), the backup bucket by no one without credentials.
    """
    from journal.ops import storage as journal_storage
    from journal.tests.object_storage import CREDENTIALS, Buckets

    buckets = Buckets.make(s3_server)
    media, settings.MEDIA_URL = journal_storage.media_storage(buckets.media_url)
    backups = journal_storage.backup_storage(buckets.backups_url)
    for entry in (media, backups):
        entry["OPTIONS"].update(CREDENTIALS)
    settings.STORAGES = {**settings.STORAGES, "default": media, "backups": backups}
    return buckets
