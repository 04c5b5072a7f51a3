"""Manual status overrides: set and ended through services, each re-assessing after commit."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from monitoring import services
from monitoring.models import Assessment, MonitoringRun, StatusOverride
from tests.factories import ActivityFactory, UserFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2016, 5, 10, 9, tzinfo=dt.UTC), tick=False)
def test_setting_an_override_reassesses_the_activity_after_commit(
    django_capture_on_commit_callbacks,
):
    activity = ActivityFactory()
    manager = UserFactory(username="manager", password=None)

    with django_capture_on_commit_callbacks(execute=True):
        override = services.set_status_override(
            activity_id=activity.pk,
            status="suspended",
            reason="Elections in the host country.",
            set_by=manager,
            expires_on=dt.date(2016, 7, 1),
        )
        assert not MonitoringRun.objects.exists()  # not before the commit

    assert override.set_on == dt.date(2016, 5, 10)
    assert override.history.count() == 1  # who set what, kept
    assert override.history.get().history_user == manager  # even outside a request
    run = MonitoringRun.objects.get()
    assert (run.trigger, run.note, run.state) == ("change", "status override set", "finished")
    assessment = Assessment.objects.get(activity=activity, as_of=dt.date(2016, 5, 10))
    assert (assessment.status, assessment.overridden) == ("suspended", True)
    assert "by manager until 2016-07-01: Elections" in assessment.reasons[0]["message"]
    activity.refresh_from_db()
    assert activity.status == "suspended"


def test_an_override_must_expire_after_it_is_set_and_have_a_reason():
    activity, manager = ActivityFactory(), UserFactory(password=None)
    with pytest.raises(ValidationError, match="expire after"):
        services.set_status_override(
            activity_id=activity.pk,
            status="at_risk",
            reason="x",
            set_by=manager,
            set_on=dt.date(2016, 5, 1),
            expires_on=dt.date(2016, 5, 1),
        )
    with pytest.raises(ValidationError):
        services.set_status_override(
            activity_id=activity.pk, status="at_risk", reason="  ", set_by=manager
        )
    assert not StatusOverride.objects.exists()


@time_machine.travel(dt.datetime(2016, 6, 1, 9, tzinfo=dt.UTC), tick=False)
def test_ending_an_override_reassesses_without_it(django_capture_on_commit_callbacks):
    activity, manager = ActivityFactory(), UserFactory(password=None)
    override = services.set_status_override(
        activity_id=activity.pk,
        status="on_track",
        reason="Reviewed with the donor.",
        set_by=manager,
        set_on=dt.date(2016, 5, 1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.end_status_override(override_id=override.pk)

    override.refresh_from_db()
    assert override.expires_on == dt.date(2016, 6, 1)
    assessment = Assessment.objects.get(activity=activity, as_of=dt.date(2016, 6, 1))
    assert assessment.overridden is False
    assert override.history.count() == 2
