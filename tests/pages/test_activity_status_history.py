"""The status history of an activity (served by monitoring, linked from the activity page)."""

import datetime as dt
import itertools

import pytest

from monitoring.models import Assessment
from monitoring.views_history import month_ticks, place_on_strip, status_periods
from tests.factories import ActivityFactory, make_user, partner_viewer

pytestmark = pytest.mark.django_db


def assess(activity, as_of: dt.date, status: str, message: str = "", **kwargs) -> Assessment:
    reasons = [{"code": "x", "severity": "warning", "message": message}] if message else []
    return Assessment.objects.create(
        activity=activity, as_of=as_of, status=status, reasons=reasons, **kwargs
    )


@pytest.fixture
def activity():
    return ActivityFactory(code="H-01")


@pytest.fixture
def year_2016(activity):
    assess(activity, dt.date(2016, 1, 31), "not_started")
    assess(activity, dt.date(2016, 2, 29), "on_track")
    assess(activity, dt.date(2016, 3, 31), "on_track")
    assess(activity, dt.date(2016, 4, 30), "at_risk", "Milestone 'Workshop' is 10 days overdue")
    assess(activity, dt.date(2016, 5, 31), "at_risk", "Milestone 'Workshop' is 41 days overdue")
    assess(activity, dt.date(2016, 6, 30), "on_track")
    assess(activity, dt.date(2015, 12, 31), "not_started")


def url(activity) -> str:
    return f"/monitoring/activities/{activity.pk}/status-history/"


def test_consecutive_assessments_with_one_status_make_one_period(activity, year_2016):
    periods = status_periods(list(Assessment.objects.filter(as_of__year=2016).order_by("as_of")))
    assert [(p.status, p.start, p.end, p.assessments) for p in periods] == [
        # A period lasts until the day before the next one starts: the status in effect on a
        # day is the latest assessment on or before it.
        ("not_started", dt.date(2016, 1, 31), dt.date(2016, 2, 28), 1),
        ("on_track", dt.date(2016, 2, 29), dt.date(2016, 4, 29), 2),
        ("at_risk", dt.date(2016, 4, 30), dt.date(2016, 6, 29), 2),
        ("on_track", dt.date(2016, 6, 30), dt.date(2016, 6, 30), 1),
    ]
    # A period shows the reasons of its latest assessment.
    assert periods[2].reasons[0]["message"] == "Milestone 'Workshop' is 41 days overdue"


def test_periods_are_placed_on_the_strip_until_the_next_one_starts(activity, year_2016):
    periods = status_periods(list(Assessment.objects.filter(as_of__year=2016).order_by("as_of")))
    place_on_strip(periods, first=dt.date(2016, 1, 1), last=dt.date(2016, 12, 31))
    for before, after in itertools.pairwise(periods):
        assert before.x + before.width == pytest.approx(after.x, abs=0.2)
    assert periods[-1].width > 0  # the last one is at least a day wide
    assert all(0 <= p.x <= 600 for p in periods)


def test_each_band_of_the_strip_starts_and_ends_on_the_dates_of_its_row(activity, year_2016):
    periods = status_periods(list(Assessment.objects.filter(as_of__year=2016).order_by("as_of")))
    place_on_strip(periods, first=dt.date(2016, 1, 1), last=dt.date(2016, 12, 31))
    day = 600 / 366  # 2016 is a leap year
    for period in periods:
        first_day = (period.start - dt.date(2016, 1, 1)).days
        days = (period.end - period.start).days + 1  # through the end of its last day
        assert period.x == pytest.approx(first_day * day, abs=0.1)
        assert period.x + period.width == pytest.approx((first_day + days) * day, abs=0.2)


def test_a_status_held_to_the_last_day_of_the_year_reaches_the_strips_end():
    from monitoring.views_history import Period

    periods = [
        Period("on_track", dt.date(2016, 1, 1), dt.date(2016, 6, 29)),
        Period("off_track", dt.date(2016, 6, 30), dt.date(2016, 12, 31)),
    ]
    place_on_strip(periods, first=dt.date(2016, 1, 1), last=dt.date(2016, 12, 31))
    assert (periods[0].x, periods[-1].x + periods[-1].width) == (0.0, 600.0)


def test_month_ticks_start_at_january():
    ticks = month_ticks(2016)
    assert ticks[0] == {"x": 0.0, "label": "Jan"}
    assert [t["label"] for t in ticks][-1] == "Dec"
    assert ticks == sorted(ticks, key=lambda t: t["x"])


def test_the_page_shows_the_latest_year_with_its_periods(client, activity, year_2016):
    # Staff of a partner read the reasons (they name milestones, shared with the partners).
    client.force_login(partner_viewer(activity))
    body = client.get(url(activity)).content.decode()
    assert "Status of H-01 through 2016" in body
    assert "6 assessments in 2016, grouped into 4 periods" in body
    assert '<span class="badge badge-at_risk">At risk</span>' in body
    assert "is 41 days overdue" in body
    assert f'href="{url(activity)}?year=2015"' in body  # the other year with assessments
    assert f'href="/activities/{activity.pk}/"' in body


def test_another_year_can_be_chosen(client, activity, year_2016):
    client.force_login(make_user())
    body = client.get(url(activity), {"year": "2015"}).content.decode()
    assert "1 assessment in 2015" in body
    # A year without assessments (or nonsense) falls back to the latest year.
    assert "through 2016" in client.get(url(activity), {"year": "nope"}).content.decode()


def test_the_fragment_is_the_content_without_the_page(client, activity, year_2016):
    client.force_login(make_user())
    response = client.get(f"{url(activity)}fragment/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'class="status-history"' in body
    assert "grouped into 4 periods" in body


def test_an_activity_never_assessed_says_so(client, activity):
    client.force_login(make_user())
    assert "has not been through a monitoring run" in client.get(url(activity)).content.decode()


def test_a_viewer_of_no_partner_organization_reads_no_reasons(client, activity, year_2016):
    client.force_login(make_user())
    body = client.get(url(activity)).content.decode()
    assert "grouped into 4 periods" in body
    assert "is 41 days overdue" not in body
    assert "Withheld: the reasons name milestones" in body


def test_an_unknown_activity_is_not_found(client):
    client.force_login(make_user())
    assert client.get("/monitoring/activities/999999/status-history/").status_code == 404


def test_the_history_needs_a_signed_in_user(client, activity):
    assert client.get(url(activity)).status_code == 302


def test_the_query_count_does_not_grow_with_the_assessments(
    client, activity, django_assert_num_queries
):
    """session, user; the reader's profile (what they may see); the activity with its tiers and
    the reader's partnership, its participations; its assessments
    (monitoring.selectors.status_history); the profile (header): 7, for 3 or 300 assessments."""
    client.force_login(partner_viewer(activity))
    for day in range(3):
        assess(activity, dt.date(2016, 1, 1) + dt.timedelta(days=day), "on_track")
    with django_assert_num_queries(7):
        client.get(url(activity))
    Assessment.objects.bulk_create(
        Assessment(activity=activity, as_of=dt.date(2016, 2, 1) + dt.timedelta(days=d), status=s)
        for d, s in zip(range(297), ["on_track", "at_risk", "off_track"] * 99, strict=True)
    )
    with django_assert_num_queries(7):
        client.get(url(activity))
