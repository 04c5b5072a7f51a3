"""The home page by role (issue 16): what waits for a liaison officer, what waits for a manager,
the dashboard for a viewer. The clock is years after the 2016 plan, as in the demo: the lists
count their days from the plan's latest assessed date, not from today. The plan reports
quarterly, each report due 15 days after its quarter: on the plan's day (30 June 2016) the first
quarter's report is 76 days late, the second's is due in 15 days, the third's opens on 30 Sep."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from activities import services
from activities.models import ProgressUpdate, ReportingPeriod
from monitoring.rules import STALE_REPORTING
from partnership.models import Profile
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    ProgressUpdateFactory,
    assess,
    make_user,
)

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)  # years after the plan
LATEST = dt.date(2016, 6, 30)  # the plan's latest assessed date: the day the home counts from


@pytest.fixture(autouse=True)
def _far_away_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def world():
    interpol = OrganizationFactory(acronym="INTERPOL")
    unodc = OrganizationFactory(acronym="UNODC")
    matrix = MatrixFactory()
    ours = ActivityFactory(matrix=matrix, code="H-01", title="Border management")
    theirs = ActivityFactory(matrix=matrix, code="H-02", title="Maritime crime")
    ParticipationFactory(activity=ours, organization=interpol, role="lead")
    ParticipationFactory(activity=theirs, organization=unodc, role="lead")
    assess(ours, dt.date(2016, 3, 31), "on_track")
    assess(ours, LATEST, "off_track", [{"code": "behind", "message": "Far behind plan."}])
    assess(theirs, LATEST, "on_track")
    liaison = make_user(Profile.Role.LIAISON_OFFICER, organization=interpol, username="lo")
    services.set_reporting_calendar(actor=None, plan=matrix.plan, frequency="quarterly")
    return {"ours": ours, "theirs": theirs, "interpol": interpol, "liaison": liaison}


def _period(label: str) -> ReportingPeriod:
    return ReportingPeriod.objects.get(label=label)


def _report(activity, label: str, submitted_on: dt.date, **fields) -> ProgressUpdate:
    period = _period(label)
    return ProgressUpdateFactory(
        activity=activity,
        period=period,
        period_end=period.ends_on,
        state="submitted",
        submitted_at=dt.datetime.combine(submitted_on, dt.time(12), tzinfo=dt.UTC),
        **fields,
    )


def _html(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


# --- liaison officer ------------------------------------------------------------------------------


def test_a_liaison_officer_sees_the_organizations_activities_with_their_status(client, world):
    html = _section(_html(client, world["liaison"]), "my-activities")
    assert "H-01" in html and "Border management" in html
    assert "Off track" in html and "Lead" in html
    assert "H-02" not in html  # UNODC's only


def test_a_liaison_officer_sees_own_drafts_submitted_and_returned_updates_with_the_note(
    client, world
):
    liaison, ours = world["liaison"], world["ours"]
    draft = ProgressUpdateFactory(activity=ours, author=liaison, narrative="Draft")
    sent = ProgressUpdateFactory(
        activity=ours, author=liaison, state="submitted", submitted_at=timezone.now()
    )
    returned = ProgressUpdateFactory(
        activity=ours,
        author=liaison,
        state="returned",
        submitted_at=timezone.now(),
        review_note="Add the number of officers trained.",
    )
    done = ProgressUpdateFactory(
        activity=ours,
        author=liaison,
        state=ProgressUpdate.State.APPROVED,
        submitted_at=timezone.now(),
        reviewer=make_user(Profile.Role.MANAGER),
        reviewed_at=timezone.now(),
    )
    someone_elses = ProgressUpdateFactory(activity=ours)
    html = _section(_html(client, liaison), "my-updates")
    for update in (draft, sent, returned):
        assert f'id="own-update-{update.pk}"' in html
    for update in (done, someone_elses):
        assert f'id="own-update-{update.pk}"' not in html
    assert "Add the number of officers trained." in html
    assert "Waiting for approval" in html
    # Returned first: it needs work.
    assert html.index(f"own-update-{returned.pk}") < html.index(f"own-update-{draft.pk}")
    assert f"/updates/{draft.pk}/edit/" in html


def test_milestones_due_soon_and_overdue_count_from_the_plans_day_not_the_clock(client, world):
    ours = world["ours"]
    MilestoneFactory(activity=ours, title="Overdue workshop", due_date=dt.date(2016, 6, 1))
    MilestoneFactory(activity=ours, title="Soon report", due_date=dt.date(2016, 7, 10))
    MilestoneFactory(activity=ours, title="Later conference", due_date=dt.date(2016, 9, 1))
    MilestoneFactory(
        activity=ours,
        title="Done seminar",
        due_date=dt.date(2016, 6, 1),
        completed_on=dt.date(2016, 5, 30),
    )
    MilestoneFactory(activity=world["theirs"], title="Not ours", due_date=dt.date(2016, 6, 1))
    page = _html(client, world["liaison"])
    assert '<strong id="home-day">30 Jun 2016</strong>' in page
    html = _section(page, "my-milestones")
    assert "Overdue workshop" in html and "29 days overdue" in html
    assert "Soon report" in html and "In 10 days" in html
    for absent in ("Later conference", "Done seminar", "Not ours"):
        assert absent not in html
    assert "(2)" in html


def test_a_liaison_officer_sees_reports_late_and_due_counted_from_the_plans_day(client, world):
    html = _section(_html(client, world["liaison"]), "my-reports")
    assert "Reports due and late (1 activity)" in html
    q1, q2, q3 = (_period(f"Q{n} 2016") for n in (1, 2, 3))
    ours = world["ours"].pk
    late = _item(html, f"report-late-{ours}-{q1.pk}")
    assert "due 15 Apr 2016" in late and "76 days late" in late
    current = _item(html, f"report-due-{ours}-{q2.pk}")
    assert "(current)" in current and "due 15 Jul 2016" in current and "In 15 days" in current
    after = _item(html, f"report-due-{ours}-{q3.pk}")
    assert "opens 30 Sep 2016" in after and "(current)" not in after
    assert "Q4 2016" not in html  # two reports to come per activity: the current and the next
    assert "H-02" not in html  # UNODC's only


def test_a_report_submitted_is_no_longer_due_late_or_not(client, world):
    _report(world["ours"], "Q1 2016", dt.date(2016, 4, 20))
    html = _section(_html(client, world["liaison"]), "my-reports")
    assert f'id="report-late-{world["ours"].pk}-{_period("Q1 2016").pk}"' not in html
    assert "days late" not in html
    assert f'id="report-due-{world["ours"].pk}-{_period("Q2 2016").pk}"' in html


def test_activities_with_the_most_days_late_come_first(client, world):
    caught_up = ActivityFactory(matrix=world["ours"].matrix, code="H-00")
    ParticipationFactory(activity=caught_up, organization=world["interpol"], role="lead")
    _report(caught_up, "Q1 2016", dt.date(2016, 4, 1))
    html = _section(_html(client, world["liaison"]), "my-reports")
    assert "(2 activities)" in html
    first, second = (f'id="reports-of-{a.pk}"' for a in (world["ours"], caught_up))
    assert html.index(first) < html.index(second)


def _item(html: str, item_id: str) -> str:
    start = html.index(f'id="{item_id}"')
    return html[start : html.index("</li>", start)]


def test_the_liaison_home_reads_the_same_queries_however_much_there_is(
    client, world, django_assert_num_queries
):
    """session, user, profile (role); the plans; the plan's latest assessed date; the
    organization's participations with activities and thematic areas; the officer's updates with
    activities and reviewers; the milestones due with activities; the plan's reporting periods,
    the organization's activities in it, their first submissions; the profile with organization
    (header): 12, for 1 or 30 of everything (below the lists' limit of 50)."""
    liaison = world["liaison"]
    client.force_login(liaison)

    def grow(n):
        for _ in range(n):
            activity = ActivityFactory(matrix=world["ours"].matrix)
            ParticipationFactory(activity=activity, organization=world["interpol"], role="partner")
            MilestoneFactory(activity=activity, due_date=dt.date(2016, 7, 1))
            ProgressUpdateFactory(activity=activity, author=liaison)
            _report(activity, "Q1 2016", dt.date(2016, 4, 1), author=liaison)

    grow(1)
    with django_assert_num_queries(12):
        client.get("/")
    grow(29)
    with django_assert_num_queries(12):
        html = client.get("/").content.decode()
    assert "Your progress updates (60)" in html
    assert "Reports due and late (31 activities)" in html


def test_past_the_limit_the_lists_say_how_many_there_are(
    client, world, django_assert_num_queries, monkeypatch
):
    """Past the limit the same 12 queries: each list's total comes with its rows."""
    from activities import home_selectors

    liaison = world["liaison"]
    client.force_login(liaison)
    for _ in range(3):
        activity = ActivityFactory(matrix=world["ours"].matrix)
        ParticipationFactory(activity=activity, organization=world["interpol"], role="partner")
        MilestoneFactory(activity=activity, due_date=dt.date(2016, 7, 1))
        ProgressUpdateFactory(activity=activity, author=liaison)
    monkeypatch.setattr(home_selectors, "HOME_LIMIT", 2)
    with django_assert_num_queries(12):
        html = client.get("/").content.decode()
    assert "The first 2 of 4 activities are listed" in html  # the reports
    assert "The first 2 of 3 are listed" in html  # the updates
    assert "The first 2 of 4 are listed" in html  # the activities
    assert "The 2 due first of 3 are listed" in html


# --- manager --------------------------------------------------------------------------------------


@pytest.fixture
def manager():
    return make_user(Profile.Role.MANAGER, username="boss")


def test_a_manager_sees_updates_waiting_with_their_age(client, world, manager):
    ProgressUpdateFactory(
        activity=world["ours"],
        author=world["liaison"],
        state="submitted",
        submitted_at=TODAY - dt.timedelta(days=3, hours=2),
    )
    html = _section(_html(client, manager), "waiting")
    assert "Updates waiting for approval (1)" in html
    assert "H-01" in html and "waiting 3\xa0days" in html


def test_a_manager_sees_activities_that_turned_worse_with_the_latest_assessment(
    client, world, manager
):
    steady = ActivityFactory(matrix=world["ours"].matrix, code="H-03")
    assess(steady, dt.date(2016, 3, 31), "at_risk")
    assess(steady, LATEST, "at_risk")
    better = ActivityFactory(matrix=world["ours"].matrix, code="H-04")
    assess(better, dt.date(2016, 3, 31), "off_track")
    assess(better, LATEST, "at_risk")
    new = ActivityFactory(matrix=world["ours"].matrix, code="H-05")
    assess(new, LATEST, "at_risk")
    html = _section(_html(client, manager), "turned")
    assert "Turned off track or at risk (2)" in html
    assert "H-01" in html and "was on track" in html and "Far behind plan." in html
    assert "H-05" in html and "was not assessed" in html
    assert "H-03" not in html and "H-04" not in html
    assert html.index("H-01") < html.index("H-05")  # off track first


def test_a_manager_sees_stale_reports_and_the_dashboard_one_click_away(client, world, manager):
    stale = ActivityFactory(matrix=world["ours"].matrix, code="H-06")
    reason = {"code": STALE_REPORTING, "message": "No approved update for 120 days."}
    assess(stale, LATEST, "at_risk", [reason], reporting_stale=True)
    page = _html(client, manager)
    assert "No approved update for 120 days." in _section(page, "stale")
    assert re.search(r'<a class="button small" href="/dashboard/" id="to-dashboard">', page)


def test_a_manager_sees_late_and_missing_reports_most_days_late_first(client, world, manager):
    _report(world["theirs"], "Q1 2016", dt.date(2016, 4, 20))
    html = _section(_html(client, manager), "late")
    assert "Late and missing reports (2)" in html
    assert "Missing, 76 days late" in html and "Submitted late, 5 days late" in html
    assert html.index("H-01") < html.index("H-02")
    assert "Q2 2016" not in html  # due on 15 July: not late on the plan's day


def test_the_manager_home_reads_the_same_queries_however_much_there_is(
    client, world, manager, django_assert_num_queries
):
    """session, user, profile (role); the plans; the plan's latest assessed date; the updates
    waiting with activities and authors; the activities that turned worse; the stale reports and
    their count; the plan's reporting periods, its late (activity, period) pairs; the profile
    (header): 12, for 1 or 20 of each."""
    client.force_login(manager)

    def grow(n):
        for _ in range(n):
            activity = ActivityFactory(matrix=world["ours"].matrix)
            assess(
                activity,
                LATEST,
                "off_track",
                [{"code": STALE_REPORTING, "message": "Stale"}],
                reporting_stale=True,
            )
            ProgressUpdateFactory(activity=activity, state="submitted", submitted_at=TODAY)
            _report(activity, "Q1 2016", dt.date(2016, 4, 30))

    grow(1)
    with django_assert_num_queries(12):
        client.get("/")
    grow(19)
    with django_assert_num_queries(12):
        html = client.get("/").content.decode()
    assert "Updates waiting for approval (40)" in html
    assert "Late and missing reports (22)" in html
    assert html.count('<td data-label="Period">') == 10  # the most late ten; the tab lists all
    assert 'id="all-late-reports"' in html
    assert "Turned off track or at risk (21)" in html


# --- viewer ---------------------------------------------------------------------------------------


def test_a_viewer_sees_the_dashboard_at_home(client, world):
    response = client.get("/")
    assert response.status_code == 302  # signing in first
    client.force_login(make_user(Profile.Role.VIEWER, username="reader"))
    response = client.get("/")
    assert response.templates[0].name == "monitoring/dashboard.html"
    assert "<h1>Dashboard — " in response.content.decode()
