"""The diplomatic record: countries and blocs, frameworks, summits, participants.

These records exist without the journal; the journal tags its articles to them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


def validate_url_lines(value: str) -> None:
    """Each non-empty line must be an http(s) URL."""
    check = URLValidator(schemes=["http", "https"])
    bad = []
    for line in value.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            check(line)
        except ValidationError:
            bad.append(line)
    if bad:
        raise ValidationError(
            _(
                "Put one web address (starting with http:// or https://) per line. "
                "Not valid: %(bad)s"
            ),
            params={"bad": ", ".join(bad[:3])},
            code="invalid_url_lines",
        )


def split_lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """A date shown as precisely as it is known, in the reader's language."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return date_format(value, "Y")
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


class Region(models.TextChoices):
    # Order matters: the country index lists regions in this order.
    CENTRAL_ASIA = "central-asia", _("Central Asia")
    EAST_ASIA = "east-asia", _("East Asia")
    SOUTH_ASIA = "south-asia", _("South Asia")
    EUROPE = "europe", _("Europe")
    NORTH_AMERICA = "north-america", _("North America")
    MIDDLE_EAST = "middle-east", _("Middle East")
    SOUTH_CAUCASUS = "south-caucasus", _("South Caucasus")
    INTERNATIONAL = "international", _("Blocs and organisations")


class CountryQuerySet(models.QuerySet):
    def states(self):
        return self.filter(kind=Country.Kind.STATE)

    def blocs(self):
        return self.filter(kind=Country.Kind.BLOC)

    def central_asia(self):
        """The five Central Asian states the journal covers first."""
        return self.filter(region=Region.CENTRAL_ASIA, kind=Country.Kind.STATE)


class Country(models.Model):
    """A state, or a bloc (EU, GCC) that takes part in a framework as one party."""

    class Kind(models.TextChoices):
        STATE = "state", _("Country")
        BLOC = "bloc", _("Bloc or organisation")

    code = models.CharField(
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]{1,2}$", _("Use capital letters, e.g. KZ."))],
        help_text=_("ISO 3166-1 alpha-2 code for a country (KZ); a short code for a bloc (EU)."),
    )
    alpha3 = models.CharField(
        _("ISO alpha-3 code"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Three capital letters, e.g. KAZ."))],
        help_text=_("Three-letter ISO code (KAZ). Leave empty for blocs."),
    )
    name = models.CharField(max_length=100, unique=True, help_text=_("Short name readers know."))
    official_name = models.CharField(max_length=200, blank=True)
    slug = models.SlugField(max_length=100, unique=True, help_text=_("Used in the page address."))
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.STATE)
    region = models.CharField(
        max_length=20,
        choices=Region.choices,
        help_text=_("Editorial grouping used on the country index."),
    )
    capital = models.CharField(max_length=100, blank=True)
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="blocs",
        help_text=_("For a bloc: its member countries."),
    )
    description = models.TextField(blank=True, help_text=_("A short introduction for readers."))
    notes = models.TextField(
        blank=True, help_text=_("Spelling and naming caveats, for the desk; not shown to readers.")
    )
    sources = models.TextField(
        blank=True, validators=[validate_url_lines], help_text=_("One web address per line.")
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.UniqueConstraint(
                fields=["alpha3"],
                condition=~Q(alpha3=""),
                name="summits_country_alpha3_unique",
                violation_error_message=_("Another country already has this alpha-3 code."),
            ),
            models.CheckConstraint(
                condition=Q(kind="bloc") | ~Q(alpha3=""),
                name="summits_country_state_has_alpha3",
                violation_error_message=_("A country needs its three-letter ISO code."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        # The constraints below hold in the database too; checking here puts
        # the message next to the field the editor has to change.
        if self.kind == self.Kind.STATE and not self.alpha3:
            raise ValidationError({"alpha3": _("A country needs its three-letter ISO code.")})
        if self.alpha3 and Country.objects.filter(alpha3=self.alpha3).exclude(pk=self.pk).exists():
            raise ValidationError({"alpha3": _("Another country already has this alpha-3 code.")})

    @property
    def is_bloc(self) -> bool:
        return self.kind == self.Kind.BLOC

    @property
    def source_urls(self) -> list[str]:
        return split_lines(self.sources)


class FrameworkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Framework.Status.ACTIVE)


class Framework(models.Model):
    """A "Central Asia + partner" format, such as C5+1 with the United States."""

    class Level(models.TextChoices):
        LEADERS = "leaders", _("Leaders")
        MINISTERIAL = "ministerial", _("Ministerial")
        VICE_MINISTERIAL = "vice_ministerial", _("Vice-ministerial")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        IRREGULAR = "irregular", _("Irregular")
        DORMANT = "dormant", _("Dormant")

    name = models.CharField(max_length=200, unique=True, help_text=_("Full descriptive name."))
    short_name = models.CharField(
        max_length=40, help_text=_('The label used in headlines and tags, e.g. "C5+1".')
    )
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text=_(
            'Set by hand so it reads well: "c5-plus-1", not "c51". Changing it changes the '
            "page address."
        ),
    )
    aliases = models.TextField(
        blank=True,
        help_text=_("Other names used in coverage, one per line. Search and tagging use them."),
    )
    partner = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_frameworks",
        help_text=_("The outside partner. Empty for a format of the Central Asian states alone."),
    )
    members = models.ManyToManyField(
        Country,
        related_name="frameworks",
        help_text=_("All regular parties: the five Central Asian states and the partner."),
    )
    established = models.DateField(
        null=True,
        blank=True,
        help_text=_("First meeting at any level. Leave empty when not verified."),
    )
    established_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("How much of the date above is known."),
    )
    established_note = models.TextField(blank=True)
    level_first_established = models.CharField(
        max_length=20, choices=Level.choices, default=Level.MINISTERIAL
    )
    leaders_level_since = models.DateField(
        null=True, blank=True, help_text=_("Date of the first leaders' meeting, if any.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    description = models.TextField(blank=True, help_text=_("One or two sentences for readers."))
    sources = models.TextField(
        blank=True, validators=[validate_url_lines], help_text=_("One web address per line.")
    )

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(leaders_level_since__isnull=True)
                | Q(established__isnull=True)
                | Q(leaders_level_since__gte=F("established")),
                name="summits_framework_leaders_after_established",
                violation_error_message=_(
                    "The first leaders' meeting cannot be before the format was established."
                ),
            ),
        ]

    def __str__(self):
        return self.short_name

    def save(self, *args, **kwargs):
        self.established = _truncate(self.established, self.established_precision)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.established = _truncate(self.established, self.established_precision)
        if (
            self.established
            and self.leaders_level_since
            and self.leaders_level_since < self.established
        ):
            raise ValidationError(
                {
                    "leaders_level_since": _(
                        "The first leaders' meeting cannot be before the format was established."
                    )
                }
            )

    @property
    def alias_list(self) -> list[str]:
        return split_lines(self.aliases)

    @property
    def source_urls(self) -> list[str]:
        return split_lines(self.sources)

    @property
    def established_display(self) -> str:
        return format_partial_date(self.established, self.established_precision)


def _truncate(value: datetime.date | None, precision: str) -> datetime.date | None:
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def _dates_passed(today: datetime.date) -> Q:
    """Meetings whose last known day is before `today`.

    The last day is the end date, else the start date, else the last day of
    the approximate month; a meeting without any date has not passed. A
    meeting under way, or planned for "November" on 2 November, has not.
    """
    return (
        Q(end_date__lt=today)
        | Q(end_date__isnull=True, start_date__lt=today)
        | Q(start_date__isnull=True, approximate_month__lt=today.replace(day=1))
    )


class SummitQuerySet(models.QuerySet):
    def upcoming(self, today: datetime.date | None = None):
        """Planned or postponed meetings whose dates have not passed (or are unknown)."""
        today = today or timezone.localdate()
        return (
            self.filter(status__in=[Summit.Status.PLANNED, Summit.Status.POSTPONED])
            .exclude(_dates_passed(today))
            .order_by(F("sort_date").asc(nulls_last=True))
        )

    def overdue(self, today: datetime.date | None = None):
        """Meetings whose dates have passed but that the record still calls planned.

        Readers see them among past meetings with their outcome not yet
        recorded; the summit desk's dashboard lists them to be brought up to date.
        """
        today = today or timezone.localdate()
        return self.filter(_dates_passed(today), status=Summit.Status.PLANNED).order_by(
            "sort_date", "pk"
        )

    def involving(self, country: "Country"):
        """Meetings the country hosted or took part in."""
        return self.filter(Q(host_country=country) | Q(participations__country=country)).distinct()

    def between(self, first: datetime.date, last: datetime.date):
        """Meetings on any day from `first` to `last`, and those dated only by a month that
        overlaps them (the approximate month may be any day of it)."""
        following = last.replace(day=28) + datetime.timedelta(days=4)
        return self.filter(
            Q(start_date__lte=last, end_date__gte=first)
            | Q(start_date__lte=last, start_date__gte=first, end_date__isnull=True)
            | Q(
                start_date__isnull=True,
                approximate_month__gte=first.replace(day=1),
                approximate_month__lt=following.replace(day=1),
            )
        )

    def past(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.exclude(pk__in=self.upcoming(today).values("pk")).order_by(
            F("sort_date").desc(nulls_last=True)
        )


class Summit(models.Model):
    """One meeting held (or planned) under a framework, at a given level."""

    class Level(models.TextChoices):
        HEADS_OF_STATE = "heads_of_state", _("Heads of state")
        FOREIGN_MINISTERS = "foreign_ministers", _("Foreign ministers")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="summits")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    level = models.CharField(max_length=20, choices=Level.choices)
    series = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "Only when a framework counts two series at the same level (e.g. EU "
            '"regional high-level meetings" besides its summits): the series this one counts in.'
        ),
    )
    edition = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Its number in the series (2 for the 2nd summit). Empty when unnumbered."),
    )
    edition_label = models.CharField(
        max_length=200, blank=True, help_text=_('How the edition is described, e.g. "2nd summit".')
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(
        null=True, blank=True, help_text=_("Leave empty for a one-day meeting.")
    )
    approximate_month = models.DateField(
        null=True,
        blank=True,
        help_text=_("When only the month is known, any day of it; readers see month and year."),
    )
    sort_date = models.DateField(null=True, editable=False, db_index=True)
    city = models.CharField(max_length=100, blank=True, help_text=_("Empty for online meetings."))
    host_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_summits",
        help_text=_("For an online meeting, the chair."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    participants = models.ManyToManyField(
        Country, through="Participant", related_name="summits_attended", blank=True
    )
    outcomes = models.TextField(
        blank=True, help_text=_("Declarations, agreements and results, in our own words.")
    )
    notes = models.TextField(blank=True, help_text=_("Context and date caveats."))
    sources = models.TextField(
        blank=True, validators=[validate_url_lines], help_text=_("One web address per line.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SummitQuerySet.as_manager()

    class Meta:
        ordering = [F("sort_date").desc(nulls_last=True), "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False),
                name="summits_summit_end_needs_start",
                violation_error_message=_("Give a start date before an end date."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="summits_summit_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(approximate_month__isnull=True),
                name="summits_summit_exact_or_approximate",
                violation_error_message=_(
                    "Give either exact dates or an approximate month, not both."
                ),
            ),
            models.UniqueConstraint(
                fields=["framework", "level", "series", "edition"],
                condition=Q(edition__isnull=False),
                name="summits_summit_unique_edition",
                violation_error_message=_(
                    "This framework already has a meeting with this number at this level."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["framework", "sort_date"]),
            models.Index(fields=["host_country", "sort_date"]),
            models.Index(fields=["status", "sort_date"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.approximate_month:
            self.approximate_month = self.approximate_month.replace(day=1)
        self.sort_date = self.start_date or self.approximate_month
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.end_date and not self.start_date:
            raise ValidationError({"start_date": _("Give a start date before an end date.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.start_date and self.approximate_month:
            raise ValidationError(
                {"approximate_month": _("Leave this empty when the exact dates are known.")}
            )

    @property
    def last_day(self) -> datetime.date | None:
        """The meeting's last known day: the end date, the start date, or its month's end."""
        if self.start_date:
            return self.end_date or self.start_date
        if self.approximate_month:
            following = self.approximate_month.replace(day=28) + datetime.timedelta(days=4)
            return following.replace(day=1) - datetime.timedelta(days=1)
        return None

    @property
    def dates_passed(self) -> bool:
        """The row-level twin of `_dates_passed`: the last known day is before today."""
        last_day = self.last_day
        return last_day is not None and last_day < timezone.localdate()

    @property
    def is_upcoming(self) -> bool:
        """The row-level twin of `Summit.objects.upcoming()`."""
        return self.status in (self.Status.PLANNED, self.Status.POSTPONED) and not (
            self.dates_passed
        )

    @property
    def is_overdue(self) -> bool:
        """The row-level twin of `Summit.objects.overdue()`: past its dates, still planned."""
        return self.status == self.Status.PLANNED and self.dates_passed

    @property
    def status_display(self) -> str:
        """The status as readers see it: a planned meeting whose dates passed is not upcoming."""
        if self.is_overdue:
            return str(_("Outcome not yet recorded"))
        return self.get_status_display()

    def host_participation_error(self, countries) -> str:
        """The message to show when participants are listed without the host."""
        if self.host_country_id and countries and self.host_country not in countries:
            return _("The host country, %(host)s, must be among the participants.") % {
                "host": self.host_country
            }
        return ""

    @property
    def date_display(self) -> str:
        if self.start_date:
            if self.end_date and self.end_date != self.start_date:
                return f"{format_partial_date(self.start_date, DatePrecision.DAY)} – " + (
                    format_partial_date(self.end_date, DatePrecision.DAY)
                )
            return format_partial_date(self.start_date, DatePrecision.DAY)
        if self.approximate_month:
            return format_partial_date(self.approximate_month, DatePrecision.MONTH)
        return _("Date not announced")

    @property
    def location_display(self) -> str:
        if not self.city:
            if self.host_country:
                return _("Online (chaired by %(host)s)") % {"host": self.host_country}
            return str(_("Online"))
        return f"{self.city}, {self.host_country}" if self.host_country else self.city

    @property
    def source_urls(self) -> list[str]:
        return split_lines(self.sources)


class Participant(models.Model):
    """A country or bloc at a summit, with who represented it."""

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="participations")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="participations")
    representative_name = models.CharField(
        max_length=200, blank=True, help_text=_("Who attended, e.g. Kassym-Jomart Tokayev.")
    )
    representative_title = models.CharField(
        max_length=200, blank=True, help_text=_("Their title at the time, e.g. President.")
    )
    order = models.PositiveSmallIntegerField(default=0, help_text=_("Order on the summit page."))

    class Meta:
        ordering = ["order", "country__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["summit", "country"],
                name="summits_participant_unique_country",
                violation_error_message=_("This country is already listed for this summit."),
            )
        ]

    def __str__(self):
        if self.representative_name:
            return f"{self.country}: {self.representative_name}"
        return str(self.country)
