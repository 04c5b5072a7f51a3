from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partnership.models import ThematicArea
from tests.factories import MatrixFactory


def test_models_and_migrations_agree(db):
    """Every model change ships with its migration."""
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_stale_reporting_flag_is_filled_in_for_rows_stored_before_it(transactional_db):
    """activities/0010 and monitoring/0010 add the flag beside the reasons; rows already stored
    get it from their reasons, so the dashboard's stale list is the same before and after."""
    before = [
        ("activities", "0009_priority_year_validators"),
        ("monitoring", "0009_text_length_limits"),
    ]
    after = [
        ("activities", "0010_reporting_stale_flag"),
        ("monitoring", "0010_reporting_stale_flag"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    stale = [{"code": "stale_reporting", "severity": "warning", "message": "m"}]
    fresh = [{"code": "milestone_overdue", "severity": "warning", "message": "stale_reporting"}]
    matrix_id = MatrixFactory().pk
    # A transactional test may have flushed the seeded areas: one of its own.
    area_id = ThematicArea.objects.get_or_create(
        code="test-area", defaults={"name": "Test area", "order": 99}
    )[0].pk
    Activity = old.get_model("activities", "Activity")
    Assessment = old.get_model("monitoring", "Assessment")
    ids = {}
    for name, reasons in (("stale", stale), ("fresh", fresh)):
        activity = Activity.objects.create(
            matrix_id=matrix_id,
            code=name,
            title=name,
            thematic_area_id=area_id,
            status_reasons=reasons,
        )
        Assessment.objects.create(
            activity=activity, as_of="2016-09-30", status="at_risk", reasons=reasons
        )
        ids[name] = activity.pk

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    flags = dict(
        new.get_model("activities", "Activity").objects.values_list("pk", "status_reporting_stale")
    )
    assessed = dict(
        new.get_model("monitoring", "Assessment").objects.values_list(
            "activity_id", "reporting_stale"
        )
    )
    assert flags == {ids["stale"]: True, ids["fresh"]: False}
    assert assessed == {ids["stale"]: True, ids["fresh"]: False}
    executor.loader.build_graph()
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
