"""Stored matrix counts (`monitoring.matrix_snapshots`): what the live count says, served only
while the plan's data version is the one they were counted at, so every write the counts depend
on shows on the next page (the triggers of migrations 0003 and 0004), while the listed
activities stay live."""

import datetime as dt

import pytest
from django.core.management import call_command

from activities import services as activity_services
from activities.matrix_selectors import matrix_counts, matrix_summary
from activities.models import Activity, ActivityParticipation, Topic
from activities.services import ParticipationSpec
from monitoring import engine, matrix_snapshots, services
from monitoring.models import MatrixSnapshot, MonitoringRun, PlanDataVersion
from partnership.models import ActivityMatrix, JointActionPlan, Profile
from tests.activities.test_matrix_selectors import random_plan  # noqa: F401 - a fixture
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    OrganizationFactory,
    ParticipationFactory,
    make_user,
    thematic_area,
)
from tests.monitoring.db_triggers import plan_version_trigger_tables
from tests.monitoring.test_matrix_page import (  # noqa: F401 - fixtures
    World,
    flags_cell,
    matrix_page,
    row,
    viewer_client,
    world,
)

pytestmark = pytest.mark.django_db

LEAD, PARTNER = ActivityParticipation.Role.LEAD, ActivityParticipation.Role.PARTNER
HORIZONS = ("", "current", "aspirational")


def current_version(plan: JointActionPlan) -> int:
    return PlanDataVersion.objects.filter(plan=plan).values_list("version", flat=True).first() or 0


def assert_served_as_counted_live(plan: JointActionPlan, matrix: ActivityMatrix) -> None:
    """The page's summary from the snapshot equals the live one, for every horizon filter."""
    for horizon in HORIZONS:
        served = matrix_snapshots.matrix_page(plan=plan, matrix=matrix, horizon=horizon)
        assert served == matrix_summary(plan=plan, matrix=matrix, horizon=horizon), horizon


def test_stored_counts_are_the_live_counts_of_a_random_plan(
    random_plan,  # noqa: F811
    django_assert_num_queries,
):
    plan, matrix = random_plan
    partner_ids = list(
        plan.partnership.organizations.order_by("acronym").values_list("pk", flat=True)
    )
    live = matrix_counts(matrix, partner_ids)
    assert live.counts and live.topics  # something to store
    # The matrix with its plan's version and the snapshot (none), the live count, the upsert.
    with django_assert_num_queries(3):
        assert matrix_snapshots.stored_matrix_counts(matrix, partner_ids) == live
    stored = MatrixSnapshot.objects.get(matrix=matrix)
    assert (stored.plan_id, stored.version) == (plan.pk, current_version(plan))
    # Served: one query, the same rows.
    with django_assert_num_queries(1):
        assert matrix_snapshots.stored_matrix_counts(matrix, partner_ids) == live
    assert_served_as_counted_live(plan, matrix)


def test_stored_counts_are_the_live_counts_of_the_demo():
    call_command("load_demo", stdout=None)
    matrices = list(ActivityMatrix.objects.select_related("plan__partnership"))
    assert matrices
    for matrix in matrices:
        # Twice: counted and stored, then served from the store.
        assert_served_as_counted_live(matrix.plan, matrix)
        assert_served_as_counted_live(matrix.plan, matrix)
    assert MatrixSnapshot.objects.count() == len(matrices)


# --- Each write the counts depend on shows on the next page ---------------------------------------


def _update(activity: Activity, **changes) -> None:
    activity.refresh_from_db()
    activity_services.update_activity(
        actor=None, activity=activity, version=activity.version, changes=changes
    )


def to_aspirational(w: World) -> None:
    _update(w.activities["C-01"], horizon=Activity.Horizon.ASPIRATIONAL)


def to_complementary(w: World) -> None:
    _update(w.activities["C-01"], cooperation_type=Activity.CooperationType.COMPLEMENTARY)


def add_topic(w: World) -> None:
    wildlife, drugs = Topic.objects.get(code="wildlife"), Topic.objects.get(code="drugs")
    _update(w.activities["W-01"], topics=[wildlife, drugs])


def remove_topic(w: World) -> None:
    _update(w.activities["D-02"], topics=[])


def add_participation(w: World) -> None:
    activity = w.activities["F-01"]
    activity.refresh_from_db()
    activity_services.set_participations(
        actor=None,
        activity=activity,
        version=activity.version,
        participations=[
            ParticipationSpec(organization=w.interpol, role=LEAD),
            ParticipationSpec(organization=w.unodc, role=PARTNER),
        ],
    )


def add_activity(w: World) -> None:
    activity_services.create_activity(
        actor=None,
        matrix=w.matrix,
        code="M-02",
        title="Joint port controls",
        thematic_area=thematic_area("maritime-border-security"),
        cooperation_type=Activity.CooperationType.JOINT,
        horizon=Activity.Horizon.CURRENT,
        participations=[ParticipationSpec(organization=w.unodc, role=LEAD)],
    )


def delete_activity(w: World) -> None:
    w.activities["F-01"].delete()


def suspend_through_the_engine(w: World) -> None:
    activity = w.activities["T-01"]
    services.set_status_override(
        activity_id=activity.pk,
        status="suspended",
        reason="Paused by the partners",
        set_by=make_user(role=Profile.Role.MANAGER, username="manager"),
        set_on=dt.date(2016, 6, 1),
    )
    engine.assess_activities([activity.pk], as_of=dt.date(2016, 6, 30))


def rename_topic(w: World) -> None:
    Topic.objects.filter(code="drugs").update(name="Narcotics")


def _cell(html: str, area: str, organization: str) -> str:
    _, body = row(html, area)
    return body.split(f'<td data-organization="{organization}">', 1)[1].split("</td>", 1)[0]


WRITES = [
    pytest.param(
        to_aspirational,
        lambda html: "Joint · aspirational" in _cell(html, "cybercrime", "INTERPOL"),
        id="horizon",
    ),
    pytest.param(
        to_complementary,
        lambda html: "Complementary · current" in _cell(html, "cybercrime", "INTERPOL"),
        id="cooperation-type",
    ),
    pytest.param(
        add_topic,
        # W-01 (INTERPOL) now on drugs beside D-01 (UNODC): D-01 against D-02 and W-01.
        lambda html: (
            "Drugs: 2 pairs of separate activities"
            in flags_cell(row(html, "trafficking-organized-crime")[1])
        ),
        id="topic-added",
    ),
    pytest.param(
        remove_topic,
        lambda html: "row-overlap" not in row(html, "trafficking-organized-crime")[0],
        id="topic-removed",
    ),
    pytest.param(
        add_participation,
        lambda html: "row-single" not in row(html, "forensic-criminal-justice")[0],
        id="participation",
    ),
    pytest.param(
        add_activity,
        lambda html: "row-gap" not in row(html, "maritime-border-security")[0],
        id="activity-added",
    ),
    pytest.param(
        delete_activity,
        lambda html: "row-gap" in row(html, "forensic-criminal-justice")[0],
        id="activity-deleted",
    ),
    pytest.param(
        suspend_through_the_engine,
        lambda html: '<li data-status="suspended">' in _cell(html, "terrorism", "UNODC"),
        id="status-by-the-engine",
    ),
    pytest.param(
        rename_topic,
        lambda html: "on Narcotics." in flags_cell(row(html, "trafficking-organized-crime")[1]),
        id="topic-renamed",
    ),
]


@pytest.mark.parametrize(("write", "shows"), WRITES)
def test_a_write_the_counts_depend_on_shows_on_the_next_page(viewer_client, world, write, shows):  # noqa: F811
    before = matrix_page(viewer_client, world)  # counts and stores
    assert MatrixSnapshot.objects.get(matrix=world.matrix).version == current_version(world.plan)
    assert not shows(before)
    write(world)
    assert MatrixSnapshot.objects.get(matrix=world.matrix).version != current_version(world.plan)
    assert shows(matrix_page(viewer_client, world))
    assert_served_as_counted_live(world.plan, world.matrix)


def test_counts_for_other_partners_are_not_served(viewer_client, world):  # noqa: F811
    wco = OrganizationFactory(acronym="WCO")
    ParticipationFactory(activity=world.activities["C-01"], organization=wco, role=PARTNER)
    assert '<td data-organization="WCO">' not in matrix_page(viewer_client, world)
    version = current_version(world.plan)
    # Joining the partnership changes no activity (no version bump), but the counts must now
    # count WCO's participations: the snapshot counted for INTERPOL and UNODC is not served.
    world.plan.partnership.organizations.add(wco)
    assert current_version(world.plan) == version
    assert '<p class="cell-count" data-count="1">' in _cell(
        matrix_page(viewer_client, world), "cybercrime", "WCO"
    )
    assert MatrixSnapshot.objects.get(matrix=world.matrix).partner_ids == [
        world.interpol.pk,
        world.unodc.pk,
        wco.pk,
    ]
    assert_served_as_counted_live(world.plan, world.matrix)


def test_a_renamed_activity_shows_at_once_from_the_same_snapshot(viewer_client, world):  # noqa: F811
    matrix_page(viewer_client, world)
    version = current_version(world.plan)
    _update(world.activities["T-01"], title="Foreign fighters, renamed")
    assert current_version(world.plan) == version  # the counts stay valid …
    html = matrix_page(viewer_client, world)
    assert "Foreign fighters, renamed" in html  # … and the listing is live
    assert MatrixSnapshot.objects.get(matrix=world.matrix).version == version


def test_a_finished_run_warms_the_counts_of_the_latest_edition(
    world,  # noqa: F811
    viewer_client,  # noqa: F811
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_run(
            plan_id=world.plan.pk, as_of=dt.date(2016, 6, 30), trigger=MonitoringRun.Trigger.MANUAL
        )
    assert MonitoringRun.objects.get(pk=run.pk).state == MonitoringRun.State.FINISHED
    assert MatrixSnapshot.objects.get(matrix=world.matrix).version == current_version(world.plan)
    # Served from the snapshot at once: see test_matrix_page's count test for the 10 queries.
    with django_assert_num_queries(10):
        matrix_page(viewer_client, world)


# --- Migration 0004 -------------------------------------------------------------------------------

TABLES_0003 = {
    "monitoring_assessment",
    "activities_activity",
    "activities_activityparticipation",
    "activities_milestone",
}


@pytest.mark.django_db(transaction=True)
def test_the_migration_goes_back_to_0003_and_forward_again():
    activity = ActivityFactory(matrix=MatrixFactory(), code="R-01")
    plan = activity.matrix.plan
    try:
        call_command("migrate", "monitoring", "0003", verbosity=0)
        assert plan_version_trigger_tables() == TABLES_0003
        version = current_version(plan)
        Activity.objects.filter(pk=activity.pk).update(horizon=Activity.Horizon.ASPIRATIONAL)
        assert current_version(plan) == version  # 0003's triggers do not watch the horizon
    finally:
        call_command("migrate", "monitoring", verbosity=0)
    assert plan_version_trigger_tables() == TABLES_0003 | {
        "activities_activity_topics",
        "activities_topic",
    }
    version = current_version(plan)
    Activity.objects.filter(pk=activity.pk).update(horizon=Activity.Horizon.CURRENT)
    assert current_version(plan) > version
