"""Every date an API client sends lies within 1900-01-01..2100-12-31 (partnership.limits): a date
such as 9999-12-31 was stored, then overflowed `as_of + 1 day` (500) and froze the activities'
current status there. Each is a 400 with the message on the field, and nothing is written."""

import pytest

from activities.models import Indicator, Measurement, Milestone, ProgressUpdate
from monitoring.models import MonitoringRun, StatusOverride
from tests.api.conftest import API
from tests.factories import IndicatorFactory, MilestoneFactory

BOUNDS = ["Choose a date from 1900-01-01 to 2100-12-31."]
OUT_OF_BOUNDS = ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"]


def _writes(world, day: str) -> list[tuple[str, str, dict, str]]:
    """(method, path, body, the field at fault) for every write that takes a date."""
    act = world.activity.pk
    indicator = IndicatorFactory(activity=world.activity)
    milestone = MilestoneFactory(activity=world.activity)
    indicator_body = {
        "name": "Officers trained",
        "unit": "people",
        "baseline": "0",
        "target": "100",
        "baseline_date": "2016-01-01",
        "target_date": "2016-12-31",
        "direction": "increase",
    }
    return [
        ("post", f"/activities/{act}/milestones/", {"title": "x", "due_date": day}, "due_date"),
        (
            "post",
            f"/activities/{act}/milestones/",
            {"title": "x", "due_date": "2016-05-01", "completed_on": day},
            "completed_on",
        ),
        (
            "patch",
            f"/milestones/{milestone.pk}/",
            {"completed_on": day, "version": 1},
            "completed_on",
        ),
        ("patch", f"/milestones/{milestone.pk}/", {"due_date": day, "version": 1}, "due_date"),
        (
            "post",
            f"/activities/{act}/indicators/",
            {**indicator_body, "target_date": day},
            "target_date",
        ),
        (
            "post",
            f"/activities/{act}/indicators/",
            {**indicator_body, "baseline_date": day},
            "baseline_date",
        ),
        (
            "post",
            f"/indicators/{indicator.pk}/measurements/",
            {"measured_on": day, "value": "3"},
            "measured_on",
        ),
        (
            "post",
            f"/activities/{act}/updates/",
            {"period_end": day, "percent_complete": 5, "narrative": "n", "submit": True},
            "period_end",
        ),
        ("patch", f"/activities/{act}/", {"start_date": day, "version": 1}, "start_date"),
        ("patch", f"/activities/{act}/", {"end_date": day, "version": 1}, "end_date"),
        ("post", "/monitoring-runs/", {"plan": world.plan.pk, "as_of": day}, "as_of"),
        ("post", "/monitoring-runs/", {"as_of": day}, "as_of"),
        (
            "post",
            f"/activities/{act}/status-overrides/",
            {"status": "at_risk", "reason": "r", "set_on": day},
            "set_on",
        ),
        (
            "post",
            f"/activities/{act}/status-overrides/",
            {"status": "at_risk", "reason": "r", "expires_on": day},
            "expires_on",
        ),
    ]


@pytest.mark.parametrize("day", OUT_OF_BOUNDS)
def test_a_date_out_of_bounds_is_a_400_on_its_field(world, as_manager, day):
    for method, path, body, field in _writes(world, day):
        response = getattr(as_manager, method)(f"{API}{path}", body, format="json")
        assert response.status_code == 400, (path, body, response.content)
        assert response.json()[field] == BOUNDS, (path, response.json())
    assert Milestone.objects.count() == 1  # the fixture's own, unchanged
    assert not Milestone.objects.filter(completed_on__isnull=False).exists()
    assert Indicator.objects.count() == 1  # the fixture's own
    assert not Measurement.objects.exists()
    assert not ProgressUpdate.objects.exists()
    assert not MonitoringRun.objects.exists()
    assert not StatusOverride.objects.exists()
    world.activity.refresh_from_db()
    assert world.activity.version == 1


def test_the_bounds_themselves_are_accepted(world, as_manager):
    for day in ("1900-01-01", "2100-12-31"):
        response = as_manager.post(
            f"{API}/activities/{world.activity.pk}/milestones/",
            # Far outside the activity's 2016 period: the officer confirms it.
            {"title": f"On {day}", "due_date": day, "outside_period_confirmed": True},
            format="json",
        )
        assert response.status_code == 201, response.content


def test_every_bad_field_is_reported_at_once(world, as_manager):
    response = as_manager.patch(
        f"{API}/activities/{world.activity.pk}/",
        {"start_date": "0001-01-01", "end_date": "9999-12-31", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"start_date": BOUNDS, "end_date": BOUNDS}


def test_models_refuse_out_of_bounds_dates_on_every_write_path(world):
    """The model validators (full_clean: services, admin, import) agree with the API."""
    import datetime as dt

    from django.core.exceptions import ValidationError

    milestone = Milestone(activity=world.activity, title="x", due_date=dt.date(9999, 12, 31))
    with pytest.raises(ValidationError) as caught:
        milestone.full_clean()
    assert caught.value.message_dict["due_date"] == BOUNDS
    world.plan.period_end = dt.date(2101, 1, 1)
    with pytest.raises(ValidationError) as caught:
        world.plan.full_clean()
    assert caught.value.message_dict["period_end"] == BOUNDS
