"""Assignments: when one is overdue, in the journal's time zone, and what the database refuses."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from journal.models import Assignment
from journal.tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def at(day: int, hour: int, minute: int = 0, zone=ALMATY) -> datetime.datetime:
    return datetime.datetime(2027, 3, day, hour, minute, tzinfo=zone)


def test_overdue_is_open_and_due_before_now_in_the_journals_time_zone(settings):
    assert settings.TIME_ZONE == "Asia/Almaty"
    # "By 18:00" in Almaty is 13:00 in UTC: at 14:00 UTC the copy is late,
    # although it is not yet 18:00 by the clock of a server kept in UTC.
    due = AssignmentFactory(title="Water talks", due_at=at(4, 18))
    AssignmentFactory(title="Filed on time", due_at=at(4, 9), status=Assignment.Status.DONE)
    AssignmentFactory(title="Dropped", due_at=at(4, 9), status=Assignment.Status.CANCELLED)

    def overdue(now):
        return [assignment.title for assignment in Assignment.objects.overdue(now)]

    assert overdue(at(4, 17, 59)) == []
    assert overdue(at(4, 18)) == []  # due at 18:00 is not late at 18:00
    assert overdue(at(4, 18, 1)) == ["Water talks"]
    assert overdue(datetime.datetime(2027, 3, 4, 14, tzinfo=datetime.UTC)) == ["Water talks"]
    assert overdue(datetime.datetime(2027, 3, 4, 12, 59, tzinfo=datetime.UTC)) == []
    assert [a.title for a in Assignment.objects.open()] == ["Water talks"]
    assert due.due_at == datetime.datetime(2027, 3, 4, 13, tzinfo=datetime.UTC)


def test_an_assignment_says_it_is_overdue_once_its_time_has_passed(travel):
    assignment = AssignmentFactory(
        due_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2)
    )
    assert not assignment.is_overdue
    travel(datetime.timedelta(hours=3))
    assert assignment.is_overdue
    assignment.status = Assignment.Status.DONE
    assert not assignment.is_overdue


def test_open_assignments_are_listed_soonest_first():
    later = AssignmentFactory(title="Later", due_at=at(9, 18))
    sooner = AssignmentFactory(title="Sooner", due_at=at(5, 12))
    assert list(Assignment.objects.open().soonest_first()) == [sooner, later]
    assert str(sooner) == "Sooner"


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("status", "lost", "journal_assignment_status_valid"),
        ("title", "", "journal_assignment_title_not_empty"),
    ],
)
def test_the_database_refuses_what_an_assignment_cannot_be(field, value, constraint):
    assignment = AssignmentFactory()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(**{field: value})


def test_only_active_staff_who_write_can_be_given_an_assignment(make_user):
    assignment = AssignmentFactory.build(assigned_to=make_user("writer", "Writers"))
    for name, groups, fields in [
        ("another-writer", ["Writers"], {}),
        ("editor", ["Editors"], {}),
        ("chief", [], {"is_superuser": True}),
    ]:
        assignment.assigned_to = make_user(name, *groups, **fields)
        assignment.full_clean()
    for name, groups, fields in [
        ("desk", ["Summit desk"], {}),
        ("gone", ["Writers"], {"is_active": False}),
        ("reader", ["Writers"], {"is_staff": False}),
    ]:
        assignment.assigned_to = make_user(name, *groups, **fields)
        with pytest.raises(ValidationError) as refused:
            assignment.full_clean()
        assert set(refused.value.message_dict) == {"assigned_to"}, name


def test_a_due_time_the_database_cannot_store_is_a_field_error(make_user):
    assignment = AssignmentFactory.build(
        assigned_to=make_user("writer", "Writers"),
        due_at=datetime.datetime(1, 1, 1, 0, 0, tzinfo=ALMATY),
    )
    with pytest.raises(ValidationError) as refused:
        assignment.full_clean()
    assert set(refused.value.message_dict) == {"due_at"}
