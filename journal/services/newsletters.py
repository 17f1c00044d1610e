"""Newsletter subscriptions: ask, confirm, change, leave; an address's data on request.

* Double opt-in. `subscription_request()` records what an address asks to
  follow and e-mails it a confirmation link, signed and valid for
  CONFIRM_WINDOW; nothing is sent to it until the link is followed
  (`subscriber_confirm()`). Requests never confirmed are purged after the
  window (`subscribers_purge_unconfirmed()`, run by `send_newsletters`).
* No enumeration. Whatever the address, the request is answered the same
  way; an address already confirmed is not changed but sent a link to its
  preferences instead, so the page tells nobody who reads the journal.
* Links without an account. Every e-mail carries links signed from the
  subscriber's random token (`link_token()`): the preferences page and the
  one-click unsubscribe. They do not expire (an old digest's unsubscribe
  link must work); unsubscribing deletes the row, and with it every link.
* Throttling (`subscription_allowed()`): a client address and an e-mail
  address may each ask only so often, counted in the shared cache under
  keyed hashes, never the addresses themselves.

Messages go through the outbox (journal/services/outbox.py), which sends them
after the commit, tries again when the mail server is away, and forgets
their text once sent.
"""

import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from journal.models import OutgoingEmail, Subscriber
from journal.services.outbox import absolute_url, email_queue, render_email
from summits.models import Country, Framework

# How long a confirmation link works; unconfirmed requests are purged after it.
CONFIRM_WINDOW = datetime.timedelta(days=3)
CONFIRM_SALT = "journal.newsletters.confirm"
LINK_SALT = "journal.newsletters.link"
# At most so many requests per client address, and e-mails per address, per window.
PER_CLIENT = (10, datetime.timedelta(hours=1))
PER_ADDRESS = (3, datetime.timedelta(days=1))
THROTTLE_SALT = "journal.newsletters.throttle"


class InvalidLink(Exception):
    """A link this site did not sign, or one changed or cut short since."""


class ExpiredLink(InvalidLink):
    """A genuine link that no longer works: past its time, or its subscription is gone."""


# Links ---------------------------------------------------------------------------


def confirmation_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscriber.token)


def link_token(subscriber: Subscriber) -> str:
    """The token of a subscriber's lasting links (preferences, unsubscribe)."""
    return signing.Signer(salt=LINK_SALT).sign(subscriber.token)


def _url(name: str, token: str, language: str) -> str:
    with translation.override(language):
        return absolute_url(reverse(f"journal:{name}", kwargs={"token": token}))


def confirmation_url(subscriber: Subscriber) -> str:
    return _url("newsletter_confirm", confirmation_token(subscriber), subscriber.language)


def preferences_url(subscriber: Subscriber) -> str:
    return _url("newsletter_preferences", link_token(subscriber), subscriber.language)


def unsubscribe_url(subscriber: Subscriber) -> str:
    return _url("newsletter_unsubscribe", link_token(subscriber), subscriber.language)


def subscriber_for_confirmation(token: str) -> Subscriber:
    """The subscriber a confirmation link names; InvalidLink or ExpiredLink otherwise."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_WINDOW)
    except signing.SignatureExpired as error:
        raise ExpiredLink from error
    except signing.BadSignature as error:
        raise InvalidLink from error
    subscriber = Subscriber.objects.filter(token=value).first()
    if subscriber is None:
        # Unsubscribed, or purged: the link was genuine once.
        raise ExpiredLink
    return subscriber


def subscriber_for_link(token: str) -> Subscriber | None:
    """The subscriber a preferences or unsubscribe link names, None if they left.

    InvalidLink for a token this site did not sign.
    """
    try:
        value = signing.Signer(salt=LINK_SALT).unsign(token)
    except signing.BadSignature as error:
        raise InvalidLink from error
    return Subscriber.objects.filter(token=value).first()


# What a subscriber follows -----------------------------------------------------------


@dataclass(frozen=True)
class Follows:
    """What a form asks to follow: everything, or these countries and frameworks."""

    everything: bool
    countries: tuple[Country, ...] = ()
    frameworks: tuple[Framework, ...] = ()

    @classmethod
    def from_slugs(
        cls, *, everything: bool, countries: Iterable[str], frameworks: Iterable[str]
    ) -> "Follows":
        return cls(
            everything=everything,
            countries=tuple(Country.objects.filter(slug__in=list(countries))),
            frameworks=tuple(Framework.objects.filter(slug__in=list(frameworks))),
        )


def _follow(subscriber: Subscriber, follows: Follows) -> None:
    subscriber.countries.set(follows.countries)
    subscriber.frameworks.set(follows.frameworks)


def followed_names(subscriber: Subscriber) -> list[str]:
    """What the subscriber follows, named in the active language."""
    if subscriber.everything:
        return [_("Everything the journal publishes")]
    return [str(country) for country in subscriber.countries.all()] + [
        str(framework) for framework in subscriber.frameworks.all()
    ]


# Asking, confirming, changing, leaving ---------------------------------------------


def normalised(email: str) -> str:
    return email.strip().lower()


def _queue(*, subscriber: Subscriber, template: str, context: dict) -> None:
    with translation.override(subscriber.language):
        context = {
            "site_name": settings.SITE_NAME,
            "follows": followed_names(subscriber),
            "frequency": subscriber.get_frequency_display(),
            **context,
        }
        subject, text, html = render_email(template, context)
    email_queue(
        kind=OutgoingEmail.Kind.NEWSLETTER,
        to=[subscriber.email],
        subject=subject,
        body=text,
        html=html,
    )


def _send_confirmation(subscriber: Subscriber) -> None:
    _queue(
        subscriber=subscriber,
        template="newsletter_confirm",
        context={
            "confirm_url": confirmation_url(subscriber),
            "valid_days": CONFIRM_WINDOW.days,
        },
    )


def _send_preferences_link(subscriber: Subscriber) -> None:
    _queue(
        subscriber=subscriber,
        template="newsletter_manage",
        context={
            "preferences_url": preferences_url(subscriber),
            "unsubscribe_url": unsubscribe_url(subscriber),
        },
    )


@transaction.atomic
def subscription_request(*, email: str, language: str, frequency: str, follows: Follows) -> None:
    """Someone asks for `email` to follow `follows`: one e-mail goes to that address.

    A new or still unconfirmed address gets a confirmation link (and an
    unconfirmed one takes the new choices, its window starting again); a
    confirmed one keeps its choices and gets a link to its preferences. The
    caller answers the same in every case.
    """
    email = normalised(email)
    now = timezone.now()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is not None and subscriber.is_confirmed:
        _send_preferences_link(subscriber)
        return
    if subscriber is None:
        subscriber = Subscriber(email=email)
    subscriber.language = language
    subscriber.frequency = frequency
    subscriber.everything = follows.everything
    subscriber.created_at = now
    subscriber.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # A savepoint: two requests for a new address at once make one row.
        with transaction.atomic():
            subscriber.save()
    except IntegrityError:
        subscriber = Subscriber.objects.select_for_update().get(email=email)
        if subscriber.is_confirmed:
            _send_preferences_link(subscriber)
            return
    _follow(subscriber, follows)
    _send_confirmation(subscriber)


def subscriber_confirm(*, subscriber: Subscriber) -> bool:
    """Confirm the address; digests cover what is published from now on. False if it was already."""
    now = timezone.now()
    confirmed = Subscriber.objects.filter(pk=subscriber.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, sent_up_to=now
    )
    subscriber.refresh_from_db()
    return bool(confirmed)


@transaction.atomic
def subscriber_update(
    *, subscriber: Subscriber, language: str, frequency: str, follows: Follows
) -> Subscriber:
    """Change what a subscriber follows, how often and in which language."""
    subscriber.language = language
    subscriber.frequency = frequency
    subscriber.everything = follows.everything
    subscriber.full_clean(validate_unique=False, validate_constraints=False)
    subscriber.save(update_fields=["language", "frequency", "everything"])
    _follow(subscriber, follows)
    return subscriber


@transaction.atomic
def subscriber_erase(*, email: str) -> int:
    """Delete everything kept about an address: its subscription and the e-mails to it.

    How many rows went. Unsubscribing does the same: nothing is kept of
    someone who left.
    """
    email = normalised(email)
    deleted, _by_model = Subscriber.objects.filter(email=email).delete()
    messages = _messages_to(email)
    if messages:
        deleted += OutgoingEmail.objects.filter(pk__in=[m.pk for m in messages]).delete()[0]
    return deleted


def _messages_to(email: str) -> list[OutgoingEmail]:
    # The recipients are a JSON list, which SQLite cannot search inside;
    # newsletter messages are few (one per request, kept 30 days).
    candidates = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.NEWSLETTER).only(
        "pk", "to", "subject", "status", "created_at", "sent_at"
    )
    return [message for message in candidates if email in {a.lower() for a in message.to}]


def subscriber_export(*, email: str) -> dict | None:
    """Everything kept about an address, as JSON-ready data; None if nothing is."""
    email = normalised(email)
    subscriber = (
        Subscriber.objects.filter(email=email).prefetch_related("countries", "frameworks").first()
    )
    messages = _messages_to(email)
    if subscriber is None and not messages:
        return None

    def when(value):
        return value.isoformat() if value else None

    data: dict = {"email": email, "subscription": None}
    if subscriber is not None:
        data["subscription"] = {
            "language": subscriber.language,
            "frequency": subscriber.frequency,
            "whole_journal": subscriber.everything,
            "countries": sorted(country.slug for country in subscriber.countries.all()),
            "frameworks": sorted(framework.slug for framework in subscriber.frameworks.all()),
            "asked_at": when(subscriber.created_at),
            "confirmed_at": when(subscriber.confirmed_at),
            "digests_sent_up_to": when(subscriber.sent_up_to),
        }
    data["messages"] = [
        {
            "subject": message.subject,
            "status": message.status,
            "queued_at": when(message.created_at),
            "sent_at": when(message.sent_at),
        }
        for message in sorted(messages, key=lambda m: (m.created_at, m.pk))
    ]
    return data


def subscribers_purge_unconfirmed(*, now: datetime.datetime | None = None) -> int:
    """Delete requests never confirmed within CONFIRM_WINDOW; how many."""
    now = now or timezone.now()
    stale = Subscriber.objects.unconfirmed().filter(created_at__lt=now - CONFIRM_WINDOW)
    return stale.delete()[1].get(Subscriber._meta.label, 0)


# Throttling ------------------------------------------------------------------------


def _within(kind: str, value: str, limit: int, window: datetime.timedelta) -> bool:
    """Count one more request for `value`; whether it stays within `limit` per `window`.

    The count lives in the shared cache (every worker and server sees it),
    under a keyed hash, in a fixed window. A cache that is away counts
    nothing: requests then go through.
    """
    cache = caches["default"]
    seconds = int(window.total_seconds())
    digest = salted_hmac(THROTTLE_SALT, f"{kind}:{value}", algorithm="sha256").hexdigest()[:32]
    key = f"newsletter-throttle:{kind}:{digest}:{int(time.time()) // seconds}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count <= limit


def subscription_allowed(*, client: str, email: str) -> bool:
    """Whether this client address, and this e-mail address, may ask for one more e-mail."""
    if not _within("client", client, *PER_CLIENT):
        return False
    return _within("address", normalised(email), *PER_ADDRESS)


# Counts for editors ----------------------------------------------------------------


@dataclass
class ListCounts:
    """Confirmed subscribers per list: the whole journal, each country, each framework."""

    total: int
    whole_journal: int
    countries: list[tuple[Country, int]]
    frameworks: list[tuple[Framework, int]]


def subscriber_counts() -> ListCounts:
    confirmed = Subscriber.objects.confirmed()
    following = Count(
        "newsletter_subscribers",
        filter=Q(newsletter_subscribers__confirmed_at__isnull=False),
    )
    countries = Country.objects.annotate(n=following).filter(n__gt=0).order_by("-n", "name")
    frameworks = (
        Framework.objects.annotate(n=following).filter(n__gt=0).order_by("-n", "short_name")
    )
    return ListCounts(
        total=confirmed.count(),
        whole_journal=confirmed.filter(everything=True).count(),
        countries=[(country, country.n) for country in countries],
        frameworks=[(framework, framework.n) for framework in frameworks],
    )
