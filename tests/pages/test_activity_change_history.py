"""The change history read for the activity page (activities.history.change_history)."""

import datetime as dt
from decimal import Decimal

import pytest

from activities import services
from activities.history import change_history
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    MilestoneFactory,
    OrganizationFactory,
    liaison_for,
    thematic_area,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    return ActivityFactory(code="C-01", title="Cybercrime capacity")


@pytest.fixture
def liaison(activity):
    return liaison_for(activity, username="amina")


def test_an_edit_lists_each_changed_field_from_old_to_new_with_its_author(activity, liaison):
    services.update_activity(
        actor=liaison,
        activity=activity,
        version=1,
        changes={
            "title": "Cybercrime capacity building",
            "thematic_area": thematic_area("cybercrime"),
        },
    )
    latest = change_history(activity_id=activity.pk, viewer=None)[0]
    assert (latest.who, latest.action, latest.kind) == ("amina", "changed", "activity")
    assert latest.subject == "C-01 Cybercrime capacity building"
    changes = {c.field: (c.old, c.new) for c in latest.changes}
    assert changes == {
        "title": ("Cybercrime capacity", "Cybercrime capacity building"),
        "thematic area": ("Terrorism", "Cybercrime"),
    }


def test_records_hanging_off_the_activity_are_included_even_once_deleted(activity, liaison):
    milestone = services.add_milestone(
        actor=liaison, activity=activity, title="Workshop", due_date=dt.date(2016, 5, 1)
    )
    services.complete_milestone(
        actor=liaison, milestone=milestone, version=1, completed_on=dt.date(2016, 5, 2)
    )
    indicator = IndicatorFactory(activity=activity, name="Cases referred")
    services.record_measurement(
        actor=liaison, indicator=indicator, measured_on=dt.date(2016, 6, 1), value=Decimal("7")
    )
    milestone.delete()
    entries = change_history(activity_id=activity.pk, viewer=None)
    described = [(e.kind, e.subject, e.action) for e in entries]
    assert ("milestone", "Workshop", "deleted") in described
    assert ("milestone", "Workshop", "created") in described
    assert ("measurement", "Cases referred: 7.00 on 2016-06-01", "created") in described
    completed = next(e for e in entries if e.kind == "milestone" and e.action == "changed")
    assert [(c.field, c.old, c.new) for c in completed.changes] == [
        ("completed on", "—", "2016-05-02")
    ]


def test_saves_that_change_nothing_audited_are_left_out(activity):
    activity.save()  # a new history row, same values
    entries = change_history(activity_id=activity.pk, viewer=None)
    assert [e.action for e in entries if e.kind == "activity"] == ["created"]


def test_newest_first_and_limited(activity):
    for n in range(5):
        MilestoneFactory(activity=activity, title=f"M{n}")
    entries = change_history(activity_id=activity.pk, viewer=None, limit=3)
    assert [e.subject for e in entries] == ["M4", "M3", "M2"]


def test_another_activitys_changes_are_not_shown(activity):
    other = ActivityFactory()
    MilestoneFactory(activity=other, title="Elsewhere")
    OrganizationFactory()
    entries = change_history(activity_id=activity.pk, viewer=None)
    assert all(e.subject != "Elsewhere" for e in entries)


def test_changes_made_without_a_person_say_system(activity):
    services.update_activity(actor=None, activity=activity, version=1, changes={"title": "T"})
    assert change_history(activity_id=activity.pk, viewer=None)[0].who == "system"
