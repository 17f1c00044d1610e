"""The editorial calendar: scheduled and published articles, the summits the desk plans
coverage around and the open assignments falling due, by month or by week, in the journal's
time zone.

Each article the reader of the page may reschedule carries a plain form (a
date and time field) that takes the same step as the *Reschedule* button of
its page, through `article_take_step`; static/journal/admin/calendar.js adds
dragging an article to another day, which fills in that form and sends it.
"""

import dataclasses
import datetime
import re
from calendar import Calendar
from urllib.parse import urlencode

import reversion
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from journal.forms.filters import listed
from journal.forms.widgets import QuickSelect
from journal.models import Article, Assignment
from journal.services.workflow import Step, article_take_step, can_publish, step_error
from summits.models import Country, Framework, Participant, Summit

MONTH, WEEK = "month", "week"
# The years the calendar goes to, as the reader site's year filters.
FIRST_YEAR, LAST_YEAR = 1990, 2100
# How the form's date and time field (<input type="datetime-local">) writes a time.
FIELD_TIME_FORMAT = "%Y-%m-%dT%H:%M"
# Tags named on an article's entry; the others are counted.
TAGS_SHOWN = 4


def _next_month(first: datetime.date) -> datetime.date:
    return (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _thursday(day: datetime.date) -> datetime.date:
    """The Thursday of `day`'s week: the day that decides which month an ISO week belongs to."""
    return day + datetime.timedelta(days=3 - day.weekday())


@dataclasses.dataclass(frozen=True)
class Period:
    """A month, or a week from Monday to Sunday, that the calendar shows."""

    kind: str
    first: datetime.date

    @classmethod
    def month_of(cls, day: datetime.date) -> "Period":
        return cls(MONTH, day.replace(day=1))

    @classmethod
    def week_of(cls, day: datetime.date) -> "Period":
        return cls(WEEK, day - datetime.timedelta(days=day.weekday()))

    @property
    def last(self) -> datetime.date:
        if self.kind == WEEK:
            return self.first + datetime.timedelta(days=6)
        return _next_month(self.first) - datetime.timedelta(days=1)

    @property
    def param(self) -> dict[str, str]:
        """The period in the page's address: ?month=2026-05 or ?week=2026-W19."""
        if self.kind == WEEK:
            year, week, _weekday = self.first.isocalendar()
            return {WEEK: f"{year:04d}-W{week:02d}"}
        return {MONTH: f"{self.first:%Y-%m}"}

    @property
    def weeks(self) -> list[list[datetime.date]]:
        """Rows of seven days, Monday first; a month's first and last rows reach past it."""
        if self.kind == WEEK:
            return [[self.first + datetime.timedelta(days=n) for n in range(7)]]
        return Calendar(firstweekday=0).monthdatescalendar(self.first.year, self.first.month)

    @property
    def title(self) -> str:
        if self.kind == WEEK:
            return _("Week %(number)s: %(first)s – %(last)s") % {
                "number": self.first.isocalendar().week,
                "first": date_format(self.first, "DATE_FORMAT"),
                "last": date_format(self.last, "DATE_FORMAT"),
            }
        return capfirst(date_format(self.first, "YEAR_MONTH_FORMAT"))

    def __contains__(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last

    def shifted(self, steps: int) -> "Period | None":
        """The period `steps` months or weeks away, or None past the years the calendar covers."""
        if self.kind == WEEK:
            found = Period(WEEK, self.first + datetime.timedelta(weeks=steps))
            year = found.first.isocalendar().year
        else:
            year, month = divmod(self.first.year * 12 + self.first.month - 1 + steps, 12)
            found = Period(MONTH, datetime.date(year, month + 1, 1))
        return found if FIRST_YEAR <= year <= LAST_YEAR else None

    def as_kind(self, kind: str, today: datetime.date) -> "Period":
        """The month or week to switch to: the one with today if this period has it."""
        if kind == self.kind:
            return self
        if today in self:
            return Period.month_of(today) if kind == MONTH else Period.week_of(today)
        if kind == MONTH:
            return Period.month_of(_thursday(self.first))
        # The month's first week that is mostly in it.
        return Period.week_of(self.first + datetime.timedelta(days=(3 - self.first.weekday()) % 7))


def _with_everything(name: str, queryset, everything):
    found = listed(name, queryset)
    return lambda: [("", everything), *found()]


class CalendarForm(forms.Form):
    """The calendar's address: which month or week (this month by default), and its filters."""

    month = forms.CharField(label=gettext_lazy("Month"), required=False, max_length=20)
    week = forms.CharField(label=gettext_lazy("Week"), required=False, max_length=20)
    country = forms.ChoiceField(
        label=gettext_lazy("Country"),
        required=False,
        choices=_with_everything("countries", Country.objects.all(), gettext_lazy("All countries")),
        widget=QuickSelect,
    )
    framework = forms.ChoiceField(
        label=gettext_lazy("Framework"),
        required=False,
        choices=_with_everything(
            "frameworks", Framework.objects.all(), gettext_lazy("All frameworks")
        ),
        widget=QuickSelect,
    )

    def clean_month(self) -> datetime.date | None:
        value = self.cleaned_data["month"]
        if not value:
            return None
        found = re.fullmatch(r"([0-9]{4})-([0-9]{2})", value)
        if not found or not 1 <= int(found[2]) <= 12 or not self._in_range(int(found[1])):
            raise ValidationError(
                _("Give a month as year and month, e.g. %(example)s, from %(first)s to %(last)s.")
                % {"example": "2026-05", "first": FIRST_YEAR, "last": LAST_YEAR},
                code="invalid",
            )
        return datetime.date(int(found[1]), int(found[2]), 1)

    def clean_week(self) -> datetime.date | None:
        value = self.cleaned_data["week"]
        if not value:
            return None
        found = re.fullmatch(r"([0-9]{4})-W([0-9]{2})", value)
        monday = None
        if found and self._in_range(int(found[1])):
            try:
                monday = datetime.date.fromisocalendar(int(found[1]), int(found[2]), 1)
            except ValueError:
                pass
        if monday is None:
            raise ValidationError(
                _(
                    "Give a week as year and week number, e.g. %(example)s, "
                    "from %(first)s to %(last)s."
                )
                % {"example": "2026-W19", "first": FIRST_YEAR, "last": LAST_YEAR},
                code="invalid",
            )
        return monday

    @staticmethod
    def _in_range(year: int) -> bool:
        return FIRST_YEAR <= year <= LAST_YEAR

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("month") and cleaned.get("week"):
            raise ValidationError(_("Choose a month or a week, not both."), code="both")
        return cleaned

    def period(self, today: datetime.date) -> Period:
        """The period asked for (the form must be valid), by default the month of `today`."""
        if self.cleaned_data["week"]:
            return Period(WEEK, self.cleaned_data["week"])
        return Period.month_of(self.cleaned_data["month"] or today)

    def filters(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in ("country", "framework")
            if self.cleaned_data[name]
        }


class RescheduleForm(forms.Form):
    """What an article's form on the calendar posts: the article and its new publish time."""

    article = forms.IntegerField(label=gettext_lazy("Article"), min_value=1, max_value=2**63 - 1)
    at = forms.DateTimeField(
        label=gettext_lazy("New publish time"),
        input_formats=[FIELD_TIME_FORMAT, "%Y-%m-%dT%H:%M:%S"],
    )


@dataclasses.dataclass
class ArticleEntry:
    article: Article
    at: datetime.datetime  # the publish time in the journal's time zone
    scheduled: bool
    # Why this reader may not reschedule the article from here; empty when they may.
    refusal: str

    @property
    def status(self) -> str:
        return _("Scheduled") if self.scheduled else _("Published")

    @property
    def field_value(self) -> str:
        return self.at.strftime(FIELD_TIME_FORMAT)

    @property
    def tags(self) -> str:
        """Its countries, then its frameworks; past a few, how many more."""
        names = [country.name for country in self.article.countries.all()]
        names += [framework.short_name for framework in self.article.frameworks.all()]
        if len(names) <= TAGS_SHOWN + 1:
            return ", ".join(names)
        more = len(names) - TAGS_SHOWN
        return ngettext("%(names)s and %(count)d more", "%(names)s and %(count)d more", more) % {
            "names": ", ".join(names[:TAGS_SHOWN]),
            "count": more,
        }


@dataclasses.dataclass
class Day:
    date: datetime.date
    shown: bool  # in the period; the days a month's first and last rows borrow are left empty
    today: bool
    articles: list[ArticleEntry] = dataclasses.field(default_factory=list)
    summits: list[Summit] = dataclasses.field(default_factory=list)
    assignments: list[Assignment] = dataclasses.field(default_factory=list)


class EditorialCalendarView(View):
    """The calendar page (GET), and rescheduling an article from it (POST, back to the page)."""

    admin_site = None
    template_name = "admin/journal/calendar/calendar.html"
    http_method_names = ["get", "head", "post"]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.article_admin = self.admin_site.get_model_admin(Article)
        self.sees_articles = self.article_admin.has_view_permission(request)
        self.sees_summits = self.admin_site.get_model_admin(Summit).has_view_permission(request)
        self.assignment_admin = self.admin_site.get_model_admin(Assignment)
        self.sees_assignments = self.assignment_admin.has_view_permission(request)
        self.time_zone = timezone.get_default_timezone()

    def dispatch(self, request, *args, **kwargs):
        if not (self.sees_articles or self.sees_summits):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    # Reading the calendar

    def get(self, request):
        form = CalendarForm(request.GET)
        today = timezone.localdate(timezone=self.time_zone)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Editorial calendar"),
            "subtitle": None,
            "form": form,
            "time_zone": self.time_zone,
            "sees_articles": self.sees_articles,
            "links_summits": self.sees_summits,
            "may_reschedule": self.sees_articles and can_publish(request.user),
        }
        if form.is_valid():
            period = form.period(today)
            context.update(self._calendar(request, period, form.filters(), today))
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.template_name, context)

    def _calendar(self, request, period: Period, filters: dict, today: datetime.date) -> dict:
        days = {
            day: Day(date=day, shown=day in period, today=day == today)
            for week in period.weeks
            for day in week
        }
        for entry in self._articles(request, period, filters):
            days[entry.at.date()].articles.append(entry)
        undated = []
        for summit in self._summits(period, filters):
            if summit.start_date is None:
                undated.append(summit)
                continue
            day = max(summit.start_date, period.first)
            while day <= min(summit.end_date or summit.start_date, period.last):
                days[day].summits.append(summit)
                day += datetime.timedelta(days=1)
        for assignment in self._assignments(request, period, filters):
            days[timezone.localtime(assignment.due_at, self.time_zone).date()].assignments.append(
                assignment
            )

        def address(shown: Period | None) -> str:
            return "?" + urlencode({**filters, **shown.param}) if shown else ""

        return {
            "period": period,
            "weeks": [[days[day] for day in week] for week in period.weeks],
            "undated_summits": undated,
            "empty": not undated
            and not any(d.articles or d.summits or d.assignments for d in days.values()),
            "filtered": bool(filters),
            "unfiltered_address": "?" + urlencode(period.param),
            "navigation": {
                "previous": address(period.shifted(-1)),
                "next": address(period.shifted(1)),
                "today": address(
                    Period.month_of(today) if period.kind == MONTH else Period.week_of(today)
                ),
                "month": address(period.as_kind(MONTH, today)),
                "week": address(period.as_kind(WEEK, today)),
            },
            "weekdays": [date_format(day, "l") for day in period.weeks[0]],
        }

    def _articles(self, request, period: Period, filters: dict) -> list[ArticleEntry]:
        """Published and scheduled articles going out in the period: one query, and one for
        each of their countries and frameworks."""
        if not self.sees_articles:
            return []
        start, end = self._bounds(period)
        articles = (
            Article.objects.filter(
                status=Article.Status.PUBLISHED, publish_at__gte=start, publish_at__lt=end
            )
            .only("pk", "title", "status", "publish_at", "created_by_id")
            .prefetch_related("countries", "frameworks")
            .order_by("publish_at", "pk")
        )
        if "country" in filters:
            articles = articles.filter(countries__slug=filters["country"])
        if "framework" in filters:
            articles = articles.filter(frameworks__slug=filters["framework"])
        return [
            ArticleEntry(
                article=article,
                at=timezone.localtime(article.publish_at, self.time_zone),
                scheduled=article.is_scheduled,
                refusal=self.refusal(request, article),
            )
            for article in articles
        ]

    def _assignments(self, request, period: Period, filters: dict):
        """Open assignments falling due in the period, those this reader may see (a writer,
        their own): one query."""
        if not self.sees_assignments:
            return []
        start, end = self._bounds(period)
        assignments = (
            self.assignment_admin.get_queryset(request)
            .open()
            .filter(due_at__gte=start, due_at__lt=end)
            .select_related("assigned_to", "summit")
            .order_by("due_at", "pk")
        )
        if "country" in filters:
            slug = filters["country"]
            assignments = assignments.filter(
                Q(
                    pk__in=Assignment.countries.through.objects.filter(country__slug=slug).values(
                        "assignment_id"
                    )
                )
                | Q(summit__host_country__slug=slug)
                | Q(summit__in=Participant.objects.filter(country__slug=slug).values("summit_id"))
            )
        if "framework" in filters:
            slug = filters["framework"]
            assignments = assignments.filter(
                Q(
                    pk__in=Assignment.frameworks.through.objects.filter(
                        framework__slug=slug
                    ).values("assignment_id")
                )
                | Q(summit__framework__slug=slug)
            )
        return assignments

    def _bounds(self, period: Period) -> tuple[datetime.datetime, datetime.datetime]:
        """The period's first and the next day's midnight, in the journal's time zone."""
        start = timezone.make_aware(
            datetime.datetime.combine(period.first, datetime.time()), self.time_zone
        )
        end = timezone.make_aware(
            datetime.datetime.combine(period.last + datetime.timedelta(days=1), datetime.time()),
            self.time_zone,
        )
        return start, end

    def _summits(self, period: Period, filters: dict):
        """Meetings on the period's days, or dated by a month it overlaps: one query."""
        summits = (
            Summit.objects.between(period.first, period.last)
            .select_related("framework", "host_country")
            .order_by("sort_date", "title", "pk")
        )
        if "country" in filters:
            slug = filters["country"]
            summits = summits.filter(
                Q(host_country__slug=slug)
                | Q(pk__in=Participant.objects.filter(country__slug=slug).values("summit_id"))
            )
        if "framework" in filters:
            summits = summits.filter(framework__slug=filters["framework"])
        return summits

    def refusal(self, request, article: Article) -> str:
        """Why this reader may not reschedule `article` from the calendar; empty when they may.

        The workflow's rule first (only editors reschedule, and only a
        scheduled article), then the article page's own: who may change it.
        """
        problem = step_error(article=article, step=Step.RESCHEDULE, user=request.user)
        if problem:
            return problem
        if not self.article_admin.has_change_permission(request, article):
            return _("You may not change this article.")
        return ""

    # Rescheduling

    def post(self, request):
        """Reschedule one article as its page's *Reschedule* button does; back to the calendar."""
        back = HttpResponseRedirect(request.get_full_path())
        if not self.sees_articles:
            raise PermissionDenied
        form = RescheduleForm(request.POST)
        if not form.is_valid():
            problems = [
                f"{form.fields[name].label or name}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            ]
            messages.error(
                request,
                _("Nothing was rescheduled: %(problems)s") % {"problems": "; ".join(problems)},
            )
            return back
        article = Article.objects.filter(pk=form.cleaned_data["article"]).first()
        if article is None:
            messages.error(request, _("Nothing was rescheduled: the article no longer exists."))
            return back
        at = form.cleaned_data["at"]
        problem = self.refusal(request, article)
        if not problem and at <= timezone.now():
            # The article page would publish it at once, dated then: not something to do
            # by dropping it on the wrong day.
            problem = _(
                "choose a time still to come. To publish it now, use Publish now on its page."
            )
        if not problem:
            try:
                self._reschedule(request, article, at)
            except (PermissionDenied, ValidationError) as error:
                problem = "; ".join(getattr(error, "messages", [str(error)]))
        if problem:
            messages.error(
                request,
                _("“%(article)s” was not rescheduled: %(problem)s")
                % {"article": article, "problem": problem},
            )
            return back
        messages.success(
            request,
            _("“%(article)s” is scheduled to go live on %(time)s.")
            % {
                "article": article,
                "time": date_format(
                    timezone.localtime(article.publish_at, self.time_zone), "DATETIME_FORMAT"
                ),
            },
        )
        return back

    def _reschedule(self, request, article: Article, at: datetime.datetime) -> None:
        """The step, with the revision and the log entry the article page's button keeps."""
        with reversion.create_revision():
            reversion.set_user(request.user)
            article_take_step(article=article, step=Step.RESCHEDULE, user=request.user, at=at)
            changed = capfirst(Article._meta.get_field("publish_at").verbose_name)
            entry = self.article_admin.log_change(
                request, article, [{"changed": {"fields": [str(changed)]}}]
            )
            reversion.set_comment(
                _("%(step)s. %(changes)s")
                % {"step": Step.RESCHEDULE.label, "changes": entry.get_change_message()}
            )
