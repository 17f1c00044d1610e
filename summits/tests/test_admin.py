"""The summit desk's admin: every page opens; summits keep consistent participants and dates."""

import datetime
import html
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from summits.models import Participant, Summit

from .factories import CountryFactory, FrameworkFactory, ParticipantFactory, SummitFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def participant():
    return ParticipantFactory(representative_name="Kassym-Jomart Tokayev")


def objects_by_model(participant) -> dict:
    return {
        "country": participant.country,
        "framework": participant.summit.framework,
        "summit": participant.summit,
        "participant": participant,
    }


MODELS = ["country", "framework", "summit", "participant"]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_lists_records(admin_client, participant, model):
    obj = objects_by_model(participant)[model]

    response = admin_client.get(reverse(f"admin:summits_{model}_changelist"))

    assert response.status_code == 200
    assert str(obj) in response.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_add_page(admin_client, model):
    response = admin_client.get(reverse(f"admin:summits_{model}_add"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_change_page(admin_client, participant, model):
    obj = objects_by_model(participant)[model]

    response = admin_client.get(reverse(f"admin:summits_{model}_change", args=[obj.pk]))

    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize("model", ["country", "framework", "summit"])
def test_view_on_site_opens_the_record_page(admin_client, participant, model):
    obj = objects_by_model(participant)[model]
    content_type = ContentType.objects.get_for_model(obj)
    shortcut = reverse("admin:view_on_site", args=[content_type.pk, obj.pk])

    change_page = admin_client.get(reverse(f"admin:summits_{model}_change", args=[obj.pk]))
    response = admin_client.get(shortcut)

    assert f'href="{shortcut}"' in change_page.content.decode()
    assert response.status_code == 302
    assert response.url.endswith(obj.get_absolute_url())


def test_summit_search(admin_client):
    SummitFactory(title="C5+1 foreign ministers' meeting", city="Samarkand")
    SummitFactory(title="EU–Central Asia summit in Samarkand", city="Samarkand")
    SummitFactory(title="Central Asia–China summit", city="Astana")

    response = admin_client.get(reverse("admin:summits_summit_changelist"), {"q": "Samarkand"})

    assert response.status_code == 200
    assert {summit.title for summit in response.context["cl"].result_list} == {
        "C5+1 foreign ministers' meeting",
        "EU–Central Asia summit in Samarkand",
    }
    assert "Central Asia–China summit" not in response.content.decode()


@pytest.fixture
def parties():
    return {
        "framework": FrameworkFactory(short_name="Z5+1"),
        "host": CountryFactory(code="KZ"),
        "partner": CountryFactory(name="Germany"),
        "guest": CountryFactory(code="UZ"),
    }


def summit_form(parties, participants, **overrides) -> dict:
    data = {
        "framework": parties["framework"].pk,
        # The desk writes the title and city in each language; English is required.
        "title_en": "Central Asia–Germany summit in Astana",
        "title_ko": "중앙아시아-독일 정상회의, 아스타나",
        "title_ru": "Саммит «Центральная Азия — Германия» в Астане",
        "slug": "germany-central-asia-2024-09-17-astana",
        "status": Summit.Status.HELD,
        "level": Summit.Level.HEADS_OF_STATE,
        "series": "",
        "edition": "2",
        "edition_label": "2nd summit",
        "start_date": "2024-09-17",
        "end_date": "",
        "approximate_month": "",
        "city_en": "Astana",
        "city_ko": "아스타나",
        "city_ru": "Астана",
        "host_country": parties["host"].pk,
        "outcomes": "",
        "notes": "",
        "sources": "https://www.akorda.kz/en/",
        "participations-TOTAL_FORMS": str(len(participants)),
        "participations-INITIAL_FORMS": "0",
        "participations-MIN_NUM_FORMS": "0",
        "participations-MAX_NUM_FORMS": "1000",
    }
    for index, country in enumerate(participants):
        prefix = f"participations-{index}-"
        data |= {
            f"{prefix}id": "",
            f"{prefix}summit": "",
            f"{prefix}order": str(index),
            f"{prefix}country": country.pk,
            f"{prefix}representative_name": "",
            f"{prefix}representative_title": "",
        }
    return data | overrides


def test_add_summit_with_participants(admin_client, parties):
    data = summit_form(parties, [parties["host"], parties["partner"], parties["guest"]])

    response = admin_client.post(reverse("admin:summits_summit_add"), data)

    assert response.status_code == 302
    summit = Summit.objects.get(slug="germany-central-asia-2024-09-17-astana")
    assert set(summit.participants.all()) == {parties["host"], parties["partner"], parties["guest"]}
    assert summit.sort_date.isoformat() == "2024-09-17"
    for language, title, city in [
        ("en", "Central Asia–Germany summit in Astana", "Astana"),
        ("ko", "중앙아시아-독일 정상회의, 아스타나", "아스타나"),
        ("ru", "Саммит «Центральная Азия — Германия» в Астане", "Астана"),
    ]:
        with translation.override(language):
            assert (summit.title, summit.city) == (title, city)


def test_a_summit_without_its_english_title_is_refused(admin_client, parties):
    data = summit_form(parties, [parties["host"], parties["partner"]], title_en="")

    response = admin_client.post(reverse("admin:summits_summit_add"), data)

    assert response.status_code == 200
    assert "title_en" in response.context["adminform"].form.errors
    assert not Summit.objects.exists()


def test_add_summit_without_host_among_participants(admin_client, parties):
    data = summit_form(parties, [parties["partner"], parties["guest"]])

    response = admin_client.post(reverse("admin:summits_summit_add"), data)

    assert response.status_code == 200
    assert "The host country, Kazakhstan, must be among the participants." in (
        response.content.decode()
    )
    assert not Summit.objects.exists()
    assert not Participant.objects.exists()


def test_add_summit_with_end_before_start(admin_client, parties):
    data = summit_form(parties, [parties["host"]], end_date="2024-09-16")

    response = admin_client.post(reverse("admin:summits_summit_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "end_date": ["The end date cannot be before the start date."]
    }
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Summit.objects.exists()
    assert not Participant.objects.exists()


# Meetings past their dates that still say "planned"


@pytest.fixture
def desk_client(client, django_user_model):
    """Logged in as a member of the summit desk (the group the migrations create)."""
    user = django_user_model.objects.create_user(username="desk", is_staff=True)
    user.groups.add(Group.objects.get(name="Summit desk"))
    client.force_login(user)
    return client


def overdue_section(response) -> str:
    text = response.content.decode()
    if 'id="summit-desk-overdue-title"' not in text:
        return ""
    return text.split('id="summit-desk-overdue-title"', 1)[1].split("</section>", 1)[0]


def test_the_desks_front_page_flags_planned_meetings_past_their_dates(desk_client):
    today = timezone.localdate()
    overdue = SummitFactory(
        title="Dushanbe meeting", status=Summit.Status.PLANNED, start_date=today - 3 * DAY
    )
    SummitFactory(title="Held on time", status=Summit.Status.HELD, start_date=today - 3 * DAY)
    SummitFactory(title="Still to come", status=Summit.Status.PLANNED, start_date=today + DAY)
    SummitFactory(
        title="Under way",
        status=Summit.Status.PLANNED,
        start_date=today - DAY,
        end_date=today + DAY,
    )

    section = overdue_section(desk_client.get(reverse("admin:index")))

    assert "1 meeting’s dates have passed" in section.replace("'", "’")
    assert reverse("admin:summits_summit_change", args=[overdue.pk]) in section
    assert "Dushanbe meeting" in section
    for title in ["Held on time", "Still to come", "Under way"]:
        assert title not in section


def test_the_flag_links_every_meeting_when_there_are_many(desk_client):
    long_ago = timezone.localdate() - 30 * DAY
    SummitFactory.create_batch(10, status=Summit.Status.PLANNED, start_date=long_ago)

    section = overdue_section(desk_client.get(reverse("admin:index")))
    changelist = desk_client.get(reverse("admin:summits_summit_changelist") + "?dates=overdue")

    assert section.count("<li>") == 8
    assert "See all 10" in section
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 10


def test_no_flag_without_overdue_meetings_or_for_those_who_cannot_fix_them(
    desk_client, django_user_model
):
    assert overdue_section(desk_client.get(reverse("admin:index"))) == ""

    SummitFactory(status=Summit.Status.PLANNED, start_date=timezone.localdate() - DAY)
    writer = django_user_model.objects.create_user(username="writer", is_staff=True)
    writer.groups.add(Group.objects.get(name="Writers"))
    writers_client = Client()
    writers_client.force_login(writer)
    assert overdue_section(writers_client.get(reverse("admin:index"))) == ""
    assert overdue_section(desk_client.get(reverse("admin:index")))


# A new meeting's slug: its framework, day and city, as the record writes them


def test_a_summit_saved_without_a_slug_gets_the_records_own(admin_client, parties):
    data = summit_form(parties, [parties["host"], parties["partner"]], slug="")

    response = admin_client.post(reverse("admin:summits_summit_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    framework = parties["framework"].slug
    assert Summit.objects.get().slug == f"{framework}-2024-09-17-astana"


def test_a_summit_slug_already_taken_is_numbered(admin_client, parties):
    framework = parties["framework"].slug
    SummitFactory(slug=f"{framework}-2024-09-17-astana", framework=parties["framework"])
    data = summit_form(parties, [parties["host"]], slug="", edition="")

    response = admin_client.post(reverse("admin:summits_summit_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Summit.objects.filter(slug=f"{framework}-2024-09-17-astana-2").exists()


def test_the_add_page_tells_the_browser_how_the_slug_is_made(admin_client, parties):
    page = admin_client.get(reverse("admin:summits_summit_add")).text

    slug_input = re.search(r'<input[^>]*name="slug"[^>]*>', page).group()
    assert 'data-slug-rule="summit"' in slug_input
    sources = ["id_framework", "id_start_date", "id_approximate_month", "id_city_en"]
    assert html.escape(json.dumps(sources)) in slug_input
    framework = parties["framework"]
    assert html.escape(json.dumps({str(framework.pk): framework.slug})) in slug_input
    assert "made from the framework, the date and the city in English" in page
    # The title does not make it: Django's own prepopulation is off.
    assert '"dependency_list": ["title_en"]' not in page


def test_the_desk_lists_meetings_by_the_dates_it_types(admin_client):
    SummitFactory(title="Held", start_date=datetime.date(2024, 9, 17))
    SummitFactory(
        title="Two days", start_date=datetime.date(2024, 9, 17), end_date=datetime.date(2024, 9, 18)
    )
    SummitFactory(
        title="Some time in August", start_date=None, approximate_month=datetime.date(2024, 8, 1)
    )

    page = admin_client.get(reverse("admin:summits_summit_changelist")).text

    cells = re.findall(r'<td class="field-when[^"]*">([^<]*)</td>', page)
    assert sorted(cells) == ["2024-08", "2024-09-17", "2024-09-17 – 2024-09-18"]
