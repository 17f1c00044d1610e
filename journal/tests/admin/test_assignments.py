"""Assignments in the admin: editors give them, writers see their own and start the article."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from journal.models import Article, Assignment, OutgoingEmail
from journal.tests.factories import ArticleFactory, AssignmentFactory

pytestmark = pytest.mark.django_db

OVERDUE = re.compile(
    r'<strong class="assignment-overdue"><img src="[^"]*icon-alert\.svg"[^>]*> Overdue'
)


def url(name: str, *args) -> str:
    return reverse(f"admin:journal_assignment_{name}", args=args)


def post_data(**overrides) -> dict:
    """What the add form posts: a piece for tomorrow evening, with no tags."""
    data = {
        "title": "What the New York summit means for water",
        "brief": "Talk to both ministries.",
        "due_at_0": "2027-03-04",
        "due_at_1": "18:00",
        "summit": "",
        "article": "",
    }
    data.update(overrides)
    return data


def in_box(page: str, heading: str) -> str:
    """The dashboard box under `heading`, up to the next box."""
    return page.split(f"<h2>{heading}</h2>")[1].split('<div class="module')[0]


@pytest.fixture
def writers(make_user):
    """Aigerim and Timur, writers, each with an e-mail address."""

    class Writers:
        aigerim = make_user("aigerim", "Writers", email="aigerim@example.org")
        timur = make_user("timur", "Writers", email="timur@example.org")

    return Writers


def test_an_editor_assigns_a_piece_with_a_summit_and_the_writer_is_emailed(
    client, editor, writers, world
):
    client.force_login(editor)
    form = client.get(url("add"))
    assert form.status_code == 200
    # Due tomorrow at 18:00 unless changed.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert f'name="due_at_0" value="{tomorrow.isoformat()}"' in form.text
    assert re.search(r'name="due_at_1" value="18:00(:00)?"', form.text)

    response = client.post(
        url("add"),
        post_data(
            assigned_to=writers.aigerim.pk,
            summit=world.summit.pk,
            countries=[world.kz.pk],
            frameworks=[world.c5.pk],
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assignment = Assignment.objects.get()
    assert assignment.assigned_to == writers.aigerim
    assert assignment.assigned_by == editor
    assert assignment.summit == world.summit
    assert list(assignment.countries.all()) == [world.kz]
    assert list(assignment.frameworks.all()) == [world.c5]
    # "18:00" is 18:00 in the journal's time zone.
    assert assignment.due_at == datetime.datetime(2027, 3, 4, 18, tzinfo=ZoneInfo("Asia/Almaty"))
    email = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.ASSIGNED)
    assert email.to == ["aigerim@example.org"]


def test_a_due_time_is_read_in_the_time_zone_the_journal_is_set_to(
    client, editor, writers, settings
):
    settings.TIME_ZONE = "Asia/Seoul"
    client.force_login(editor)
    response = client.post(url("add"), post_data(assigned_to=writers.aigerim.pk))
    assert response.status_code == 302
    assert Assignment.objects.get().due_at == datetime.datetime(2027, 3, 4, 9, tzinfo=datetime.UTC)


def test_the_writer_list_offers_only_those_who_write(client, editor, writers, make_user):
    make_user("deskhand", "Summit desk")
    make_user("gone", "Writers", is_active=False)
    client.force_login(editor)
    form = client.get(url("add")).context["adminform"].form
    offered = {user.username for user in form.fields["assigned_to"].queryset}
    assert offered == {"aigerim", "timur", "editor"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"due_at_0": "", "due_at_1": ""}, "due_at"),
        ({"due_at_0": "2027-02-30"}, "due_at"),
        ({"due_at_1": "25:00"}, "due_at"),
        ({"assigned_to": "deskhand"}, "assigned_to"),
        ({"assigned_to": ""}, "assigned_to"),
        ({"summit": "999999"}, "summit"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(
    client, editor, writers, make_user, changes, field
):
    deskhand = make_user("deskhand", "Summit desk")
    data = post_data(assigned_to=writers.aigerim.pk)
    data.update(changes)
    if data["assigned_to"] == "deskhand":
        data["assigned_to"] = deskhand.pk
    client.force_login(editor)
    response = client.post(url("add"), data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Assignment.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_writers_see_only_their_own_and_cannot_change_them(client, writers):
    mine = AssignmentFactory(title="Mine to write", assigned_to=writers.aigerim)
    theirs = AssignmentFactory(title="Timur's piece", assigned_to=writers.timur)
    client.force_login(writers.aigerim)

    listing = client.get(url("changelist"))
    assert listing.status_code == 200
    assert "Mine to write" in listing.text
    assert "Timur" not in listing.text
    # Another writer's assignment does not exist for her; none can be changed or added.
    assert client.get(url("change", theirs.pk)).status_code == 302
    assert client.get(url("add")).status_code == 403
    page = client.get(url("change", mine.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    # Posting a change: refused on her own, "does not exist" on another's.
    for assignment, status in ((mine, 403), (theirs, 302)):
        response = client.post(
            url("change", assignment.pk), post_data(assigned_to=writers.aigerim.pk, title="Hi")
        )
        assert response.status_code == status
        assignment.refresh_from_db()
        assert assignment.title != "Hi"
    assert client.post(url("delete", mine.pk), {"post": "yes"}).status_code == 403
    assert Assignment.objects.count() == 2


def test_a_writer_starts_the_article_from_the_assignment(client, writers, world):
    world.aigerim.user = writers.aigerim
    world.aigerim.save()
    assignment = AssignmentFactory(
        title="Water after New York", assigned_to=writers.aigerim, summit=world.summit
    )
    client.force_login(writers.aigerim)
    page = client.get(url("change", assignment.pk)).text
    assert f'href="{url("start", assignment.pk)}"' in page  # "Start the article"

    confirm = client.get(url("start", assignment.pk))
    assert confirm.status_code == 200
    assert "C5+1 summit in New York, C5+1, Kazakhstan, Kyrgyzstan" in confirm.text
    assert "Aigerim Sadykova" in confirm.text
    assert not Article.objects.exists()  # asking changes nothing

    response = client.post(url("start", assignment.pk), follow=True)
    draft = Article.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:journal_article_change", args=[draft.pk]
    )
    assert "was started from the assignment" in response.text
    assert draft.title == "Water after New York"
    assert list(draft.summits.all()) == [world.summit]
    assert [b.contributor for b in draft.bylines.all()] == [world.aigerim]
    assignment.refresh_from_db()
    assert assignment.article == draft
    # She may write it: her own draft's form saves.
    assert 'name="_save"' in response.text

    # The assignment now opens the article; starting again starts nothing.
    page = client.get(url("change", assignment.pk)).text
    assert f'href="{url("start", assignment.pk)}"' not in page
    assert reverse("admin:journal_article_change", args=[draft.pk]) in page
    again = client.post(url("start", assignment.pk), follow=True)
    assert "already been started" in again.text
    assert Article.objects.count() == 1


def test_a_writer_cannot_start_another_writers_article(client, writers):
    theirs = AssignmentFactory(assigned_to=writers.timur)
    client.force_login(writers.aigerim)
    assert client.get(url("start", theirs.pk)).status_code == 404
    assert client.post(url("start", theirs.pk)).status_code == 404
    assert not Article.objects.exists()


def test_the_summit_desk_has_no_assignments(client, make_user):
    assignment = AssignmentFactory()
    client.force_login(make_user("deskhand", "Summit desk"))
    assert client.get(url("changelist")).status_code == 403
    assert client.post(url("start", assignment.pk)).status_code == 403
    assert not Article.objects.exists()


def test_the_list_marks_overdue_ones_in_words_and_filters_them(client, editor, writers, travel):
    late = AssignmentFactory(
        title="Late piece", due_at=timezone.now() + datetime.timedelta(hours=1)
    )
    AssignmentFactory(title="Next week", due_at=timezone.now() + datetime.timedelta(days=6))
    AssignmentFactory(
        title="Filed long ago",
        due_at=timezone.now() - datetime.timedelta(days=9),
        status=Assignment.Status.DONE,
    )
    travel(datetime.timedelta(hours=2))
    client.force_login(editor)

    page = client.get(url("changelist")).text
    rows = {
        title: row
        for row in page.split("<tr")
        for title in re.findall(r"(?:Late piece|Next week|Filed long ago)", row)
    }
    assert OVERDUE.search(rows["Late piece"])
    assert not OVERDUE.search(rows["Next week"])
    assert not OVERDUE.search(rows["Filed long ago"])

    overdue = client.get(url("changelist"), {"due": "overdue"}).text
    assert "Late piece" in overdue
    assert "Next week" not in overdue and "Filed long ago" not in overdue
    week = client.get(url("changelist"), {"due": "week"}).text
    assert "Next week" in week and "Late piece" not in week

    # On its own page too.
    assert OVERDUE.search(client.get(url("change", late.pk)).text)


def test_the_dashboard_lists_my_assignments_with_the_overdue_marked(client, writers, travel):
    now = timezone.now()
    AssignmentFactory(
        title="Due soon", assigned_to=writers.aigerim, due_at=now + datetime.timedelta(hours=1)
    )
    AssignmentFactory(
        title="Due later", assigned_to=writers.aigerim, due_at=now + datetime.timedelta(days=3)
    )
    started = AssignmentFactory(
        title="Already writing",
        assigned_to=writers.aigerim,
        due_at=now + datetime.timedelta(days=2),
        article=ArticleFactory(title="The draft"),
    )
    AssignmentFactory(title="Timur's", assigned_to=writers.timur)
    AssignmentFactory(
        title="Dropped", assigned_to=writers.aigerim, status=Assignment.Status.CANCELLED
    )
    travel(datetime.timedelta(hours=2))
    client.force_login(writers.aigerim)

    page = client.get(reverse("admin:index")).text
    mine = in_box(page, "My assignments")
    # Open ones, soonest first, the late one marked in words, each with its next step.
    items = mine.split("<li>")[1:]
    assert [re.search(r">([^<]+)</a>", item)[1] for item in items] == [
        "Due soon",
        "Already writing",
        "Due later",
    ]
    assert OVERDUE.search(items[0])
    assert not OVERDUE.search(items[1]) and not OVERDUE.search(items[2])
    assert "Start the article" in items[0]
    assert reverse("admin:journal_article_change", args=[started.article.pk]) in items[1]
    assert "Timur" not in mine and "Dropped" not in mine
    # Writers do not see the desk's list.
    assert "Assignments due" not in page


def test_editors_see_every_open_assignment_due_soonest_first(client, editor, writers, travel):
    now = timezone.now()
    AssignmentFactory(
        title="Due Friday", assigned_to=writers.timur, due_at=now + datetime.timedelta(days=3)
    )
    AssignmentFactory(
        title="Due tonight", assigned_to=writers.aigerim, due_at=now + datetime.timedelta(hours=1)
    )
    AssignmentFactory(title="Filed", status=Assignment.Status.DONE)
    travel(datetime.timedelta(hours=2))
    client.force_login(editor)

    due = in_box(client.get(reverse("admin:index")).text, "Assignments due")
    items = due.split("<li>")[1:]
    assert [re.search(r">([^<]+)</a>", item)[1] for item in items] == ["Due tonight", "Due Friday"]
    assert OVERDUE.search(items[0]) and "aigerim" in items[0]
    assert not OVERDUE.search(items[1]) and "timur" in items[1]
    assert "Filed" not in due
    assert 'href="/admin/journal/assignment/?status__exact=open"' in due


def test_an_editor_marks_a_piece_done_once_it_has_its_article(client, editor, writers):
    assignment = AssignmentFactory(title="Rogun", assigned_to=writers.aigerim)
    client.force_login(editor)
    page = client.get(url("change", assignment.pk)).text
    assert f'href="{url("done", assignment.pk)}"' in page
    assert f'href="{url("cancel", assignment.pk)}"' in page
    assert client.get(url("done", assignment.pk)).status_code == 200

    refused = client.post(url("done", assignment.pk), follow=True)
    assert "has no article yet" in refused.text
    assert Assignment.objects.get().status == Assignment.Status.OPEN

    Assignment.objects.filter(pk=assignment.pk).update(article=ArticleFactory())
    done = client.post(url("done", assignment.pk), follow=True)
    assert "“Rogun” is done." in done.text
    assert Assignment.objects.get().status == Assignment.Status.DONE
    assert f'href="{url("reopen", assignment.pk)}"' in done.text


def test_writers_take_no_editors_steps(client, writers):
    assignment = AssignmentFactory(assigned_to=writers.aigerim, article=ArticleFactory())
    client.force_login(writers.aigerim)
    page = client.get(url("change", assignment.pk)).text
    assert f'href="{url("done", assignment.pk)}"' not in page
    for step in ("done", "cancel", "reopen"):
        assert client.get(url(step, assignment.pk)).status_code == 403
        assert client.post(url(step, assignment.pk)).status_code == 403
    assert Assignment.objects.get().status == Assignment.Status.OPEN


def test_the_list_actions_complete_and_cancel_and_say_what_they_refused(client, editor):
    with_article = AssignmentFactory(title="Filed", article=ArticleFactory())
    without = AssignmentFactory(title="Not started")
    client.force_login(editor)
    response = client.post(
        url("changelist"),
        {"action": "complete_selected", "_selected_action": [with_article.pk, without.pk]},
        follow=True,
    )
    assert "1 assignment marked done." in response.text
    assert "“Not started” has no article yet" in response.text
    with_article.refresh_from_db()
    without.refresh_from_db()
    assert (with_article.status, without.status) == ("done", "open")

    response = client.post(
        url("changelist"),
        {"action": "cancel_selected", "_selected_action": [without.pk]},
        follow=True,
    )
    assert "1 assignment cancelled." in response.text
    without.refresh_from_db()
    assert without.status == Assignment.Status.CANCELLED


def test_the_groups_get_their_permissions_from_the_migrations():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    writers = set(Group.objects.get(name="Writers").permissions.values_list("codename", flat=True))
    every = {f"{action}_assignment" for action in ("add", "change", "delete", "view")}
    assert every <= editors
    assert every & writers == {"view_assignment"}
