"""The record's models: constraints and their messages, dates, display values, order, URLs."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from summits.models import Country, DatePrecision, Framework, Summit, validate_url_lines

from .factories import BlocFactory, CountryFactory, FrameworkFactory, SummitFactory

HOS = Summit.Level.HEADS_OF_STATE
FM = Summit.Level.FOREIGN_MINISTERS


def assert_refused_by_database(obj):
    # The savepoint keeps the test transaction usable after the error (PostgreSQL).
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def clean_errors(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    return excinfo.value.message_dict


@pytest.fixture
def framework(db):
    return FrameworkFactory()


@pytest.fixture
def host(db):
    return CountryFactory(code="KZ")


def new_summit(framework, host, **fields) -> Summit:
    return SummitFactory.build(framework=framework, host_country=host, **fields)


# Summit dates


@pytest.mark.django_db
def test_valid_summit_passes_full_clean_and_saves(framework, host):
    summit = new_summit(
        framework, host, start_date=datetime.date(2024, 9, 17), end_date=datetime.date(2024, 9, 18)
    )

    summit.full_clean()
    summit.save()

    assert Summit.objects.filter(pk=summit.pk).exists()


SUMMIT_DATE_ERRORS = [
    pytest.param(
        {"start_date": datetime.date(2024, 9, 17), "end_date": datetime.date(2024, 9, 16)},
        {"end_date": ["The end date cannot be before the start date."]},
        id="end-before-start",
    ),
    pytest.param(
        {"start_date": None, "end_date": datetime.date(2024, 9, 16)},
        {"start_date": ["Give a start date before an end date."]},
        id="end-without-start",
    ),
    pytest.param(
        {"start_date": datetime.date(2024, 9, 17), "approximate_month": datetime.date(2024, 9, 1)},
        {"approximate_month": ["Leave this empty when the exact dates are known."]},
        id="exact-and-approximate",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("dates", "expected"), SUMMIT_DATE_ERRORS)
def test_inconsistent_summit_dates_refused_by_database(framework, host, dates, expected):
    assert_refused_by_database(new_summit(framework, host, **dates))

    assert not Summit.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("dates", "expected"), SUMMIT_DATE_ERRORS)
def test_inconsistent_summit_dates_explained_on_the_field(framework, host, dates, expected):
    assert clean_errors(new_summit(framework, host, **dates)) == expected


@pytest.mark.django_db
def test_one_day_summit_may_repeat_start_as_end(framework, host):
    day = datetime.date(2023, 9, 19)
    summit = new_summit(framework, host, start_date=day, end_date=day)

    summit.full_clean()
    summit.save()


# Edition numbering


@pytest.mark.django_db
def test_duplicate_edition_refused_by_database(framework, host):
    SummitFactory(framework=framework, host_country=host, level=HOS, series="", edition=1)

    assert_refused_by_database(new_summit(framework, host, level=HOS, series="", edition=1))
    assert Summit.objects.count() == 1


@pytest.mark.django_db
def test_duplicate_edition_explained(framework, host):
    SummitFactory(framework=framework, host_country=host, level=HOS, series="", edition=1)

    errors = clean_errors(new_summit(framework, host, level=HOS, series="", edition=1))

    assert errors == {
        NON_FIELD_ERRORS: ["This framework already has a meeting with this number at this level."]
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param({"level": HOS, "edition": 1}, {"level": FM, "edition": 1}, id="other-level"),
        pytest.param(
            {"level": HOS, "edition": 1, "series": ""},
            {"level": HOS, "edition": 1, "series": "Regional high-level meeting"},
            id="other-series",
        ),
        pytest.param(
            {"level": HOS, "edition": None}, {"level": HOS, "edition": None}, id="unnumbered"
        ),
    ],
)
def test_same_edition_allowed_outside_its_series(framework, host, first, second):
    SummitFactory(framework=framework, host_country=host, **first)
    summit = new_summit(framework, host, **second)

    summit.full_clean()
    summit.save()

    assert Summit.objects.filter(framework=framework).count() == 2


@pytest.mark.django_db
def test_same_edition_allowed_in_another_framework(framework, host):
    SummitFactory(framework=framework, host_country=host, level=HOS, edition=1)
    summit = new_summit(FrameworkFactory(), host, level=HOS, edition=1)

    summit.full_clean()
    summit.save()


# Slugs


def existing_and_duplicate_slug(model):
    if model is Country:
        existing = CountryFactory()
        return existing, CountryFactory.build(slug=existing.slug)
    if model is Framework:
        existing = FrameworkFactory()
        return existing, FrameworkFactory.build(slug=existing.slug, partner=existing.partner)
    existing = SummitFactory()
    return existing, SummitFactory.build(
        slug=existing.slug, framework=existing.framework, host_country=existing.host_country
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Country, Framework, Summit], ids=lambda m: m.__name__)
def test_duplicate_slug_refused_by_database(model):
    _, duplicate = existing_and_duplicate_slug(model)

    assert_refused_by_database(duplicate)
    assert model.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "message"),
    [
        (Country, "Country with this Slug already exists."),
        (Framework, "Framework with this Slug already exists."),
        (Summit, "Summit with this Slug already exists."),
    ],
    ids=["Country", "Framework", "Summit"],
)
def test_duplicate_slug_explained_on_slug(model, message):
    _, duplicate = existing_and_duplicate_slug(model)

    assert clean_errors(duplicate) == {"slug": [message]}


# Countries and blocs


@pytest.mark.django_db
def test_duplicate_alpha3_refused_by_database():
    CountryFactory(alpha3="KAZ")

    assert_refused_by_database(CountryFactory.build(alpha3="KAZ"))
    assert Country.objects.filter(alpha3="KAZ").count() == 1


@pytest.mark.django_db
def test_duplicate_alpha3_refused_by_full_clean():
    CountryFactory(alpha3="KAZ")

    assert clean_errors(CountryFactory.build(alpha3="KAZ"))


@pytest.mark.django_db
def test_duplicate_alpha3_explained_on_alpha3():
    CountryFactory(alpha3="KAZ")

    errors = clean_errors(CountryFactory.build(alpha3="KAZ"))

    assert errors.get("alpha3")
    assert "summits_country_alpha3_unique" not in str(errors)


@pytest.mark.django_db
def test_two_blocs_without_alpha3_allowed():
    BlocFactory(code="EU")
    bloc = BlocFactory.build(code="GCC")

    bloc.full_clean()
    bloc.save()

    assert Country.objects.blocs().filter(alpha3="").count() == 2


@pytest.mark.django_db
def test_state_without_alpha3_refused_by_database():
    assert_refused_by_database(CountryFactory.build(alpha3=""))
    assert not Country.objects.exists()


@pytest.mark.django_db
def test_state_without_alpha3_explained():
    errors = clean_errors(CountryFactory.build(alpha3=""))

    assert errors == {"alpha3": ["A country needs its three-letter ISO code."]}


# Frameworks


@pytest.mark.django_db
def test_leaders_meeting_before_establishment_refused_by_database():
    framework = FrameworkFactory.build(
        partner=CountryFactory(),
        established=datetime.date(2015, 11, 1),
        leaders_level_since=datetime.date(2015, 10, 31),
    )

    assert_refused_by_database(framework)
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_leaders_meeting_before_establishment_explained():
    framework = FrameworkFactory.build(
        partner=CountryFactory(),
        established=datetime.date(2015, 11, 1),
        leaders_level_since=datetime.date(2015, 10, 31),
    )

    assert clean_errors(framework) == {
        "leaders_level_since": [
            "The first leaders' meeting cannot be before the format was established."
        ]
    }


@pytest.mark.django_db
def test_leaders_meeting_on_establishment_day_allowed():
    framework = FrameworkFactory.build(
        partner=CountryFactory(),
        established=datetime.date(2023, 9, 29),
        leaders_level_since=datetime.date(2023, 9, 29),
    )

    framework.full_clean()
    framework.save()


@pytest.mark.parametrize(
    ("established", "precision", "expected"),
    [
        (datetime.date(2015, 11, 1), DatePrecision.DAY, "1 November 2015"),
        (datetime.date(2019, 12, 1), DatePrecision.MONTH, "December 2019"),
        (datetime.date(2007, 1, 1), DatePrecision.YEAR, "2007"),
        (None, DatePrecision.DAY, ""),
    ],
)
def test_established_display(established, precision, expected):
    framework = Framework(established=established, established_precision=precision)

    assert framework.established_display == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("precision", "stored"),
    [
        (DatePrecision.DAY, datetime.date(2019, 12, 15)),
        (DatePrecision.MONTH, datetime.date(2019, 12, 1)),
        (DatePrecision.YEAR, datetime.date(2019, 1, 1)),
    ],
)
def test_framework_save_drops_unknown_part_of_established(precision, stored):
    framework = FrameworkFactory(
        established=datetime.date(2019, 12, 15), established_precision=precision
    )

    framework.refresh_from_db()
    assert framework.established == stored


# Sources


def test_url_lines_accept_web_addresses_and_blank_lines():
    validate_url_lines("https://www.state.gov/c5-plus-1\n\n   \n  http://example.org/a?b=1  \n")


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "not a url", "ftp://example.org/file"])
def test_url_lines_reject_a_line_and_name_it(bad):
    with pytest.raises(ValidationError) as excinfo:
        validate_url_lines(f"https://www.state.gov/c5-plus-1\n{bad}\n")

    [message] = excinfo.value.messages
    assert message.endswith(f"Not valid: {bad}")
    assert "state.gov" not in message


@pytest.mark.django_db
def test_bad_source_explained_on_sources(framework, host):
    summit = new_summit(framework, host, sources="https://ok.example.org\njavascript:alert(1)")

    errors = clean_errors(summit)

    assert list(errors) == ["sources"]
    assert "javascript:alert(1)" in errors["sources"][0]


# Derived dates


@pytest.mark.django_db
def test_sort_date_follows_start_date(framework, host):
    summit = SummitFactory(
        framework=framework, host_country=host, start_date=datetime.date(2023, 9, 19)
    )
    summit.refresh_from_db()
    assert summit.sort_date == datetime.date(2023, 9, 19)

    summit.start_date = datetime.date(2023, 9, 20)
    summit.save()
    summit.refresh_from_db()
    assert summit.sort_date == datetime.date(2023, 9, 20)


@pytest.mark.django_db
def test_approximate_month_normalised_to_first_and_used_for_sorting(framework, host):
    summit = SummitFactory(
        framework=framework,
        host_country=host,
        start_date=None,
        approximate_month=datetime.date(2024, 8, 17),
    )

    summit.refresh_from_db()
    assert summit.approximate_month == datetime.date(2024, 8, 1)
    assert summit.sort_date == datetime.date(2024, 8, 1)


@pytest.mark.django_db
def test_summit_without_date_has_no_sort_date(framework, host):
    summit = SummitFactory(framework=framework, host_country=host, start_date=None)

    summit.refresh_from_db()
    assert summit.sort_date is None


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (
            {"start_date": datetime.date(2023, 5, 18), "end_date": datetime.date(2023, 5, 19)},
            "18 May 2023 – 19 May 2023",
        ),
        ({"start_date": datetime.date(2023, 9, 19)}, "19 September 2023"),
        (
            {"start_date": datetime.date(2023, 9, 19), "end_date": datetime.date(2023, 9, 19)},
            "19 September 2023",
        ),
        ({"approximate_month": datetime.date(2024, 8, 1)}, "August 2024"),
        ({}, "Date not announced"),
    ],
    ids=["range", "single-day", "same-day-range", "approximate-month", "no-date"],
)
def test_date_display(dates, expected):
    assert str(Summit(**dates).date_display) == expected


@pytest.mark.parametrize(
    ("city", "host_name", "expected"),
    [
        ("Astana", "Kazakhstan", "Astana, Kazakhstan"),
        ("", "China", "Online (chaired by China)"),
        ("", None, "Online"),
        ("Tashkent", None, "Tashkent"),
    ],
    ids=["in-person", "online-chaired", "online-no-chair", "city-only"],
)
def test_location_display(city, host_name, expected):
    host = Country(name=host_name) if host_name else None

    assert str(Summit(city=city, host_country=host).location_display) == expected


# Upcoming and past


TODAY = datetime.date(2025, 6, 1)


@pytest.fixture
def calendar_of_summits(framework, host):
    def make(slug, status, **dates):
        return SummitFactory(
            framework=framework,
            host_country=host,
            slug=slug,
            status=status,
            **{"start_date": None, **dates},
        )

    planned, held = Summit.Status.PLANNED, Summit.Status.HELD
    make("planned-later", planned, start_date=datetime.date(2025, 11, 6))
    make("planned-soon", planned, start_date=datetime.date(2025, 6, 17))
    make("planned-today", planned, start_date=TODAY)
    make("postponed-later", Summit.Status.POSTPONED, start_date=datetime.date(2025, 9, 1))
    make("planned-month", planned, approximate_month=datetime.date(2025, 7, 1))
    make("planned-undated", planned)
    make("held-long-ago", held, start_date=datetime.date(2015, 11, 1))
    make("held-yesterday", held, start_date=datetime.date(2025, 5, 31))
    make("cancelled-future", Summit.Status.CANCELLED, approximate_month=datetime.date(2025, 8, 1))
    make("planned-overdue", planned, start_date=datetime.date(2025, 1, 10))


@pytest.mark.django_db
@pytest.mark.usefixtures("calendar_of_summits")
def test_upcoming_lists_planned_meetings_soonest_first_undated_last():
    slugs = list(Summit.objects.upcoming(today=TODAY).values_list("slug", flat=True))

    assert slugs == [
        "planned-today",
        "planned-soon",
        "planned-month",
        "postponed-later",
        "planned-later",
        "planned-undated",
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("calendar_of_summits")
def test_past_lists_held_cancelled_and_overdue_newest_first():
    slugs = list(Summit.objects.past(today=TODAY).values_list("slug", flat=True))

    assert slugs == ["cancelled-future", "held-yesterday", "planned-overdue", "held-long-ago"]


@pytest.mark.django_db
@pytest.mark.usefixtures("calendar_of_summits")
def test_upcoming_and_past_split_every_summit_once():
    upcoming = set(Summit.objects.upcoming(today=TODAY).values_list("pk", flat=True))
    past = set(Summit.objects.past(today=TODAY).values_list("pk", flat=True))

    assert not upcoming & past
    assert upcoming | past == set(Summit.objects.values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.usefixtures("calendar_of_summits")
def test_overdue_lists_planned_meetings_past_their_dates():
    assert list(Summit.objects.overdue(today=TODAY).values_list("slug", flat=True)) == [
        "planned-overdue"
    ]


MID_JUNE = datetime.date(2025, 6, 15)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dates", "upcoming"),
    [
        # Under way: started before today, ends today or later.
        ({"start_date": datetime.date(2025, 6, 14), "end_date": MID_JUNE}, True),
        ({"start_date": datetime.date(2025, 6, 13), "end_date": datetime.date(2025, 6, 14)}, False),
        ({"start_date": MID_JUNE}, True),
        ({"start_date": datetime.date(2025, 6, 14)}, False),
        # Known by its month: until the month is over.
        ({"approximate_month": datetime.date(2025, 6, 1)}, True),
        ({"approximate_month": datetime.date(2025, 5, 1)}, False),
        ({}, True),
    ],
)
def test_a_planned_meeting_is_upcoming_until_its_last_day_has_passed(
    framework, host, travel, dates, upcoming
):
    summit = SummitFactory(
        framework=framework,
        host_country=host,
        status=Summit.Status.PLANNED,
        **{"start_date": None, **dates},
    )
    upcoming_rows = Summit.objects.upcoming(today=MID_JUNE)
    overdue_rows = Summit.objects.overdue(today=MID_JUNE)

    assert (summit in upcoming_rows) is upcoming
    assert (summit in overdue_rows) is not upcoming
    assert (summit in Summit.objects.past(today=MID_JUNE)) is not upcoming
    # The rows' twins agree, on that day.
    travel(
        timezone.make_aware(datetime.datetime.combine(MID_JUNE, datetime.time(12))) - timezone.now()
    )
    assert summit.is_upcoming is upcoming
    assert summit.is_overdue is not upcoming
    expected = "Planned" if upcoming else "Outcome not yet recorded"
    assert summit.status_display == expected


@pytest.mark.parametrize(
    ("dates", "last_day"),
    [
        ({"start_date": datetime.date(2025, 6, 14)}, datetime.date(2025, 6, 14)),
        (
            {"start_date": datetime.date(2025, 6, 14), "end_date": datetime.date(2025, 6, 16)},
            datetime.date(2025, 6, 16),
        ),
        ({"approximate_month": datetime.date(2024, 2, 1)}, datetime.date(2024, 2, 29)),
        ({"approximate_month": datetime.date(2025, 12, 1)}, datetime.date(2025, 12, 31)),
        ({}, None),
    ],
)
def test_last_day(dates, last_day):
    assert Summit(**dates).last_day == last_day


@pytest.mark.django_db
def test_only_a_planned_meeting_is_overdue(framework, host):
    long_ago = {
        "framework": framework,
        "host_country": host,
        "start_date": datetime.date(2020, 1, 1),
    }
    for status in [Summit.Status.HELD, Summit.Status.POSTPONED, Summit.Status.CANCELLED]:
        summit = SummitFactory(status=status, slug=f"long-ago-{status}", **long_ago)
        assert not summit.is_overdue
        assert summit.status_display == summit.get_status_display()
    assert not Summit.objects.overdue().exists()


# Host and participants


@pytest.mark.django_db
def test_host_participation_error(framework, host):
    summit = SummitFactory(framework=framework, host_country=host)
    guest = CountryFactory(name="Japan")

    assert summit.host_participation_error([host, guest]) == ""
    assert summit.host_participation_error([]) == ""
    assert summit.host_participation_error([guest]) == (
        "The host country, Kazakhstan, must be among the participants."
    )


@pytest.mark.django_db
def test_host_participation_error_without_host(framework):
    summit = SummitFactory(framework=framework, host_country=None)

    assert summit.host_participation_error([CountryFactory()]) == ""


@pytest.mark.django_db
def test_month_precision_compares_leaders_date_with_the_month():
    framework = FrameworkFactory.build(
        established=datetime.date(2019, 12, 15),
        established_precision="month",
        leaders_level_since=datetime.date(2019, 12, 10),
        partner=CountryFactory(),
    )
    framework.full_clean()  # same month: allowed once the date is cut to December 2019
    assert framework.established == datetime.date(2019, 12, 1)
