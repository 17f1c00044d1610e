"""The reference dataset (`load_reference_data`): loaded once, complete, true to its sources."""

import datetime
import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from summits.models import (
    Country,
    DatePrecision,
    Framework,
    Participant,
    Summit,
    validate_url_lines,
)
from summits.services import REFERENCE_DATA_DIR, ReferenceDataError, reference_data_load

NEW_YORK_2023 = "c5-plus-1-2023-09-19-new-york"


def load(*args) -> str:
    out = StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "states": Country.objects.states().count(),
        "blocs": Country.objects.blocs().count(),
        "frameworks": Framework.objects.count(),
        "summits": Summit.objects.count(),
        "participants": Participant.objects.count(),
    }


@pytest.fixture
def loaded(db):
    return load()


def test_load_creates_the_reference_record(loaded):
    assert Country.objects.count() == 25
    assert Country.objects.states().count() == 22
    assert Country.objects.blocs().count() == 3
    assert Framework.objects.count() == 12
    assert Summit.objects.count() == 45
    assert "summits: 45 created" in loaded


def test_second_load_changes_nothing(loaded):
    before = counts()

    output = load()

    assert counts() == before
    lines = [line for line in output.splitlines() if "created" in line]
    assert len(lines) == 4
    assert all(" 0 created, 0 updated" in line for line in lines), output


def test_c5_plus_1_framework(loaded):
    c5 = Framework.objects.get(slug="c5-plus-1")

    assert c5.short_name == "C5+1"
    assert c5.partner.code == "US"
    assert c5.partner.name == "United States"
    assert set(c5.members.values_list("code", flat=True)) == {"KZ", "KG", "TJ", "TM", "UZ", "US"}


def test_first_c5_plus_1_leaders_summit(loaded):
    summit = Summit.objects.get(slug=NEW_YORK_2023)

    assert summit.framework.slug == "c5-plus-1"
    assert summit.level == Summit.Level.HEADS_OF_STATE
    assert summit.edition == 1
    assert summit.start_date == datetime.date(2023, 9, 19)
    assert summit.host_country.code == "US"
    assert summit.status == Summit.Status.HELD


def test_cancelled_japan_summit_known_only_by_month(loaded):
    summit = Summit.objects.get(slug="central-asia-japan-2024-08-astana")

    assert summit.status == Summit.Status.CANCELLED
    assert summit.start_date is None
    assert summit.approximate_month == datetime.date(2024, 8, 1)
    assert summit.date_display == "August 2024"
    assert summit in Summit.objects.past(today=datetime.date(2024, 1, 1))


def test_italy_framework_established_to_the_month(loaded):
    italy = Framework.objects.get(slug="italy-central-asia")

    assert italy.established_precision == DatePrecision.MONTH
    assert italy.established == datetime.date(2019, 12, 1)
    assert italy.established_display == "December 2019"


def test_eu_framework_established_to_the_year(loaded):
    eu = Framework.objects.get(slug="eu-central-asia")

    assert eu.established_precision == DatePrecision.YEAR
    assert eu.established_display == "2007"


@pytest.mark.parametrize(("code", "size"), [("GCC", 6), ("C5", 5)])
def test_bloc_members(loaded, code, size):
    assert Country.objects.get(code=code).members.count() == size


def test_eu_bloc_links_recorded_members_and_reports_the_rest(db, capsys):
    call_command("load_reference_data")
    output = capsys.readouterr().out

    eu = Country.objects.get(code="EU")
    assert sorted(eu.members.values_list("code", flat=True)) == ["DE", "FR", "IT"]
    assert "EU: 24 members are not recorded as countries" in output
    assert "AT, BE, BG" in output


def test_eu_counts_two_leaders_series(loaded):
    firsts = Summit.objects.filter(
        framework__slug="eu-central-asia", level=Summit.Level.HEADS_OF_STATE, edition=1
    )

    assert sorted(firsts.values_list("series", flat=True)) == ["", "Regional high-level meeting"]


def test_every_listed_host_takes_part(loaded):
    summits = Summit.objects.filter(participations__isnull=False).distinct()
    assert summits.count() == 45

    for summit in summits.select_related("host_country").prefetch_related("participants"):
        assert summit.host_country in summit.participants.all(), summit.slug


def test_every_record_cites_valid_sources(loaded):
    for model in (Country, Framework, Summit):
        for obj in model.objects.all():
            assert obj.source_urls, obj
            validate_url_lines(obj.sources)


def test_keep_existing_leaves_desk_edits(loaded):
    participant = Participant.objects.get(summit__slug=NEW_YORK_2023, country__code="US")
    participant.representative_name = "Joe Biden"
    participant.save()
    Summit.objects.filter(slug=NEW_YORK_2023).update(
        notes="Held on the margins of UNGA 78.", title="Desk title"
    )

    load("--keep-existing")

    participant.refresh_from_db()
    summit = Summit.objects.get(slug=NEW_YORK_2023)
    assert participant.representative_name == "Joe Biden"
    assert summit.notes == "Held on the margins of UNGA 78."
    assert summit.title == "Desk title"


def test_plain_reload_keeps_representatives_but_restores_data(loaded):
    participant = Participant.objects.get(summit__slug=NEW_YORK_2023, country__code="US")
    participant.representative_name = "Joe Biden"
    participant.representative_title = "President"
    participant.save()
    original_title = Summit.objects.get(slug=NEW_YORK_2023).title
    Summit.objects.filter(slug=NEW_YORK_2023).update(title="Desk title")

    output = load()

    participant.refresh_from_db()
    assert participant.representative_name == "Joe Biden"
    assert participant.representative_title == "President"
    assert Summit.objects.get(slug=NEW_YORK_2023).title == original_title
    assert "summits: 0 created, 1 updated, 44 unchanged" in output


def test_plain_reload_restores_removed_participant(loaded):
    Participant.objects.filter(summit__slug=NEW_YORK_2023, country__code="TM").delete()

    load()

    summit = Summit.objects.get(slug=NEW_YORK_2023)
    assert summit.participants.filter(code="TM").exists()


@pytest.mark.django_db
def test_keep_existing_on_empty_database_gives_blocs_their_members():
    load("--keep-existing")

    assert Country.objects.get(code="GCC").members.count() == 6


@pytest.mark.django_db
def test_keep_existing_on_empty_database_loads_everything_else():
    load("--keep-existing")

    assert counts()["summits"] == 45
    assert Framework.objects.get(slug="c5-plus-1").members.count() == 6


@pytest.mark.django_db
def test_broken_data_writes_nothing(tmp_path):
    for name in ("countries.json", "frameworks.json", "summits.json"):
        shutil.copy(REFERENCE_DATA_DIR / name, tmp_path / name)
    summits_file = tmp_path / "summits.json"
    data = json.loads(summits_file.read_text())
    # The last summit, so that everything before it would already have been written.
    data["summits"][-1]["framework"] = "no-such-framework"
    summits_file.write_text(json.dumps(data))

    with pytest.raises(ReferenceDataError, match="names framework 'no-such-framework'"):
        reference_data_load(directory=tmp_path)

    assert counts() == {"states": 0, "blocs": 0, "frameworks": 0, "summits": 0, "participants": 0}


@pytest.mark.django_db
def test_command_reports_broken_data_without_traceback(tmp_path):
    for name in ("countries.json", "frameworks.json"):
        shutil.copy(REFERENCE_DATA_DIR / name, tmp_path / name)
    (tmp_path / "summits.json").write_text("{not json")

    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_reference_data", directory=tmp_path)
    assert not Country.objects.exists()


@pytest.mark.django_db
def test_if_empty_keeps_deletions_by_the_desk():
    load()
    Summit.objects.get(slug=NEW_YORK_2023).delete()
    output = load("--if-empty")
    assert "already loaded" in output
    assert not Summit.objects.filter(slug=NEW_YORK_2023).exists()
