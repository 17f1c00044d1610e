"""Newsletter digests: each confirmed subscriber's new articles, sent when due, never twice.

* When. `manage.py send_newsletters` runs from cron, hourly. A subscriber is
  due once their digests have got to (`sent_up_to`) a day or a week before
  the run's cutoff, less LEEWAY, so an hourly job does not slip an hour later
  every day.
* What. Articles readers may see (`Article.objects.published()` at the
  cutoff), published after `sent_up_to` and up to the cutoff, tagged with a
  country or framework the subscriber follows (any article, for the whole
  journal). Drafts, pieces in review, archived and unpublished ones are not
  published; a scheduled piece is left out until its time, then falls in the
  next digest's window. The cutoff is SETTLE before the run, so a piece
  whose publication is still being saved as the run reads the archive falls
  in the next digest, not between two. Pieces in the reader's language come
  first; a piece and its translations show once, in the reader's language
  when there is one.
* Once only. A subscriber's digest is sent on its own, and only once the
  mail server has accepted it does `sent_up_to` move to the cutoff: a run
  cut short by a mail outage leaves the others due, and the next run sends
  theirs and nobody's twice. A digest with nothing in it is not sent; the
  subscriber's digests move on all the same, as they do when the server
  refuses the address for good (a 5xx answer: no such mailbox).
* Two runs at once (an overlapping cron job, a second server) each claim a
  subscriber before sending (`claimed_until`), so only one sends. A run that
  dies between the server's acceptance and the record leaves that digest to
  go again once the claim lapses: at least once, as mail goes.

Digests are sent straight to the mail server rather than through the outbox:
the outbox would keep every digest's text, and its retries, for a day; here
the next run is the retry, and nothing of a digest is kept.
"""

import datetime
import email.policy
import logging
import re
import smtplib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language_info

from journal.models import Article, Byline, Subscriber
from journal.services.newsletters import (
    followed_names,
    link_token,
    preferences_url,
    subscribers_purge_unconfirmed,
    unsubscribe_url,
)
from journal.services.outbox import absolute_url, render_email
from summits.models import Country, Framework

logger = logging.getLogger(__name__)

Frequency = Subscriber.Frequency
PERIOD = {Frequency.DAILY: datetime.timedelta(days=1), Frequency.WEEKLY: datetime.timedelta(days=7)}
# A digest is due this much before a full period has passed: the hourly job
# that sent yesterday's at 08:00:03 sends today's at 08:00:01 too.
LEEWAY = datetime.timedelta(hours=1)
# Articles published this recently wait for the next digest (see the module).
SETTLE = datetime.timedelta(minutes=5)
# How long a sender holds a subscriber it is sending to.
LEASE = datetime.timedelta(minutes=15)
# Subscribers read, and their candidate articles worked out, at a time.
CHUNK = 200
# Articles listed in one digest; the rest are counted, with a link to the site.
MOST_ARTICLES = 30
# The run stops after this many digests in a row the mail server would not take.
STOP_AFTER_FAILURES = 3


@dataclass
class Report:
    """What a run did, for `send_newsletters` to print."""

    sent: int = 0
    empty: int = 0
    failed: int = 0
    refused: int = 0
    skipped: int = 0
    purged: int = 0
    lists: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    stopped: str = ""


@dataclass
class _Candidates:
    """The articles published in a chunk's window, and the tags of each."""

    articles: list[Article]
    countries: dict[int, set[int]]
    frameworks: dict[int, set[int]]


def due(*, cutoff: datetime.datetime, now: datetime.datetime):
    """Confirmed subscribers whose next digest is due at `cutoff`, not held by another sender."""
    periods = Q()
    for frequency, period in PERIOD.items():
        periods |= Q(frequency=frequency, sent_up_to__lte=cutoff - period + LEEWAY)
    return (
        Subscriber.objects.confirmed()
        .filter(periods)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("sent_up_to", "pk")
    )


def _candidates(since: datetime.datetime, cutoff: datetime.datetime) -> _Candidates:
    articles = list(
        Article.objects.published(now=cutoff)
        .filter(publish_at__gt=since)
        .only("title", "slug", "language", "standfirst", "section", "publish_at", "translation_of")
        .order_by("-publish_at", "-pk")
    )
    ids = [article.pk for article in articles]
    countries: dict[int, set[int]] = defaultdict(set)
    frameworks: dict[int, set[int]] = defaultdict(set)
    through = Article.countries.through.objects.filter(article_id__in=ids)
    for article_id, country_id in through.values_list("article_id", "country_id"):
        countries[article_id].add(country_id)
    through = Article.frameworks.through.objects.filter(article_id__in=ids)
    for article_id, framework_id in through.values_list("article_id", "framework_id"):
        frameworks[article_id].add(framework_id)
    # Writers, not translators, as on the article's page.
    authors: dict[int, list[str]] = defaultdict(list)
    bylines = (
        Byline.objects.filter(article_id__in=ids)
        .exclude(role=Byline.Role.TRANSLATOR)
        .order_by("order", "pk")
        .values_list("article_id", "contributor__name")
    )
    for article_id, name in bylines:
        authors[article_id].append(name)
    for article in articles:
        article.digest_authors = authors[article.pk]
    return _Candidates(articles=articles, countries=countries, frameworks=frameworks)


def digest_articles(
    subscriber: Subscriber,
    candidates: _Candidates,
    *,
    countries: set[int],
    frameworks: set[int],
) -> list[Article]:
    """What a subscriber's digest lists: new, followed, once per translation group, theirs first."""
    language = subscriber.language
    chosen: dict[int, Article] = {}
    for article in candidates.articles:
        if article.publish_at <= subscriber.sent_up_to:
            continue
        if not subscriber.everything and not (
            candidates.countries[article.pk] & countries
            or candidates.frameworks[article.pk] & frameworks
        ):
            continue
        group = article.translation_of_id or article.pk
        held = chosen.get(group)
        if held is None or (article.language == language and held.language != language):
            chosen[group] = article
    picked = sorted(chosen.values(), key=lambda a: (a.publish_at, a.pk), reverse=True)
    # Stable: newest first within each part.
    return sorted(picked, key=lambda article: article.language != language)


def unsubscribe_mailto(subscriber: Subscriber) -> str:
    address = settings.NEWSLETTER_UNSUBSCRIBE_EMAIL
    return f"mailto:{address}?subject={quote('unsubscribe ' + link_token(subscriber))}"


def digest_message(
    subscriber: Subscriber, articles: list[Article], *, cutoff: datetime.datetime
) -> EmailMultiAlternatives:
    """The digest e-mail, in the subscriber's language, with its unsubscribe headers."""
    language = subscriber.language
    with translation.override(language):
        shown = articles[:MOST_ARTICLES]
        entries = [
            {
                "title": article.title,
                "url": absolute_url(article.address_in(language)),
                "standfirst": article.standfirst,
                "section": article.get_section_display(),
                "publish_at": article.publish_at,
                "authors": ", ".join(article.digest_authors),
                "language": article.language,
                "language_name": (
                    get_language_info(article.language)["name_local"]
                    if article.language != language
                    else ""
                ),
            }
            for article in shown
        ]
        context = {
            "site_name": settings.SITE_NAME,
            "site_url": absolute_url(reverse("journal:home")),
            "more_url": absolute_url(reverse("journal:article_list")),
            "frequency": subscriber.frequency,
            "start": timezone.localtime(subscriber.sent_up_to),
            "end": timezone.localtime(cutoff),
            "own": [entry for entry in entries if not entry["language_name"]],
            "others": [entry for entry in entries if entry["language_name"]],
            "more": len(articles) - len(shown),
            "follows": followed_names(subscriber),
            "preferences_url": preferences_url(subscriber),
            "unsubscribe_url": unsubscribe_url(subscriber),
        }
        subject, text, html = render_email("newsletter_digest", context)
        # Entries are separated by one blank line, however the template spaced them.
        text = re.sub(r"\n{3,}", "\n\n", text)
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    message = DigestMessage(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs offer an unsubscribe button
            # that POSTs to the first address, without the reader visiting the site.
            "List-Unsubscribe": (
                f"<{context['unsubscribe_url']}>, <{unsubscribe_mailto(subscriber)}>"
            ),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{settings.SITE_NAME.replace('<', '').replace('>', '')} <digest.{host}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


class DigestMessage(EmailMultiAlternatives):
    """A digest, its List-Unsubscribe header kept as the plain URLs mail programs read.

    Python folds headers at 78 characters, and writes a header holding a
    longer word (the signed unsubscribe URL) as RFC 2047 encoded words, which
    mail programs do not decode in List-Unsubscribe. RFC 5322 allows lines of
    998 characters: the header then stays on one line, as written.
    """

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


class _Sender:
    """One connection to the mail server for the run, opened again after a failure."""

    def __init__(self):
        self.connection = None

    def open(self) -> None:
        self.connection = mailers.default
        self.connection.open()

    def send(self, message: EmailMultiAlternatives) -> None:
        if self.connection is None:
            self.open()
        try:
            self.connection.send_messages([message])
        except Exception:
            # The server may have dropped the connection: start the next
            # message on a new one.
            self.close()
            raise

    def close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.close()
        except Exception:
            logger.warning("Closing the mail server connection failed", exc_info=True)
        self.connection = None


def _claim(subscriber: Subscriber, now: datetime.datetime) -> bool:
    return bool(
        Subscriber.objects.filter(pk=subscriber.pk, sent_up_to=subscriber.sent_up_to)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + LEASE)
    )


def _release(subscriber: Subscriber, *, sent_up_to: datetime.datetime | None = None) -> None:
    fields = {"claimed_until": None}
    if sent_up_to is not None:
        fields["sent_up_to"] = sent_up_to
    Subscriber.objects.filter(pk=subscriber.pk).update(**fields)


def _follows(chunk: list[Subscriber]) -> None:
    """Each subscriber's followed country and framework ids, in two queries for the chunk."""
    ids = [subscriber.pk for subscriber in chunk]
    countries, frameworks = defaultdict(set), defaultdict(set)
    rows = Subscriber.countries.through.objects.filter(subscriber_id__in=ids)
    for subscriber_id, country_id in rows.values_list("subscriber_id", "country_id"):
        countries[subscriber_id].add(country_id)
    rows = Subscriber.frameworks.through.objects.filter(subscriber_id__in=ids)
    for subscriber_id, framework_id in rows.values_list("subscriber_id", "framework_id"):
        frameworks[subscriber_id].add(framework_id)
    for subscriber in chunk:
        subscriber.followed_countries = countries[subscriber.pk]
        subscriber.followed_frameworks = frameworks[subscriber.pk]


def _count_lists(report: Report, subscriber: Subscriber, names: dict) -> None:
    if subscriber.everything:
        report.lists["whole journal"] += 1
        return
    for pk in subscriber.followed_countries:
        report.lists[names["countries"].get(pk, f"country {pk}")] += 1
    for pk in subscriber.followed_frameworks:
        report.lists[names["frameworks"].get(pk, f"framework {pk}")] += 1


def _refused_for_good(error: Exception) -> bool:
    """Whether the server refused the address itself, for good (5xx), not for now (4xx)."""
    return (
        isinstance(error, smtplib.SMTPRecipientsRefused)
        and bool(error.recipients)
        and all(500 <= code < 600 for code, _message in error.recipients.values())
    )


def digests_send(*, now: datetime.datetime | None = None) -> Report:
    """Purge stale requests, then send every due digest (see the module); what was done."""
    now = now or timezone.now()
    cutoff = now - SETTLE
    report = Report(purged=subscribers_purge_unconfirmed(now=now))
    ids = list(due(cutoff=cutoff, now=now).values_list("pk", flat=True))
    # Lists named in English in the report, as the record has them.
    with translation.override("en"):
        names = {
            "countries": {c.pk: c.name for c in Country.objects.only("name")},
            "frameworks": {f.pk: f.short_name for f in Framework.objects.only("short_name")},
        }
    sender = _Sender()
    failures_in_a_row = 0
    try:
        for start in range(0, len(ids), CHUNK):
            chunk = list(
                Subscriber.objects.filter(pk__in=ids[start : start + CHUNK]).order_by(
                    "sent_up_to", "pk"
                )
            )
            if not chunk:
                continue
            _follows(chunk)
            # Read again for each chunk: a piece unpublished meanwhile is left out.
            candidates = _candidates(min(s.sent_up_to for s in chunk), cutoff)
            for subscriber in chunk:
                if subscriber.sent_up_to >= cutoff or not _claim(subscriber, now):
                    report.skipped += 1
                    continue
                articles = digest_articles(
                    subscriber,
                    candidates,
                    countries=subscriber.followed_countries,
                    frameworks=subscriber.followed_frameworks,
                )
                if not articles:
                    _release(subscriber, sent_up_to=cutoff)
                    report.empty += 1
                    continue
                try:
                    sender.send(digest_message(subscriber, articles, cutoff=cutoff))
                except Exception as error:
                    if _refused_for_good(error):
                        # The server will never take mail for this address (no
                        # such mailbox): trying every hour would change nothing.
                        _release(subscriber, sent_up_to=cutoff)
                        report.refused += 1
                        logger.warning("Digest for subscriber %s refused: %s", subscriber.pk, error)
                        continue
                    _release(subscriber)
                    report.failed += 1
                    failures_in_a_row += 1
                    report.errors.append(f"{type(error).__name__}: {error}"[:300])
                    logger.warning(
                        "Digest for subscriber %s not sent: %s: %s",
                        subscriber.pk,
                        type(error).__name__,
                        error,
                    )
                    if failures_in_a_row >= STOP_AFTER_FAILURES:
                        report.stopped = report.errors[-1]
                        return report
                    continue
                failures_in_a_row = 0
                _release(subscriber, sent_up_to=cutoff)
                report.sent += 1
                _count_lists(report, subscriber, names)
    finally:
        sender.close()
    return report
