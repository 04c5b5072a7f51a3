"""The statement-level triggers (monitoring migrations 0003–0006) plan their queries over the
statement's rows at each call, so a session that once updated one row does not keep a plan
that compares every old row with every new one (monitoring migration 0006).

The plans are read from PostgreSQL itself: auto_explain sends the plan of every statement the
triggers run, as JSON, to this connection. A nested loop whose two sides both read the
statement's transition tables is the quadratic plan.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection

from activities.models import Activity, Milestone
from tests.factories import ActivityFactory, MatrixFactory, MilestoneFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROWS = 300


@pytest.fixture
def plans_of_trigger_queries():
    """A list that fills with the plans (JSON) of the trigger queries over transition tables."""
    connection.ensure_connection()
    raw = connection.connection
    notices, raw.notices = raw.notices, []
    with connection.cursor() as cursor:
        cursor.execute("LOAD 'auto_explain'")
        for setting in (
            "auto_explain.log_min_duration = 0",
            "auto_explain.log_nested_statements = on",
            "auto_explain.log_format = json",
            "auto_explain.log_level = notice",
        ):
            cursor.execute(f"SET {setting}")
    plans: list[dict] = []

    class Sink(list):
        def append(self, message: str) -> None:
            if "_rows" in message:  # old_rows / new_rows: a trigger's query
                plans.append(json.loads(message[message.index("{") :]))

    raw.notices = Sink()
    yield plans
    raw.notices = notices
    with connection.cursor() as cursor:
        cursor.execute("SET auto_explain.log_min_duration = -1")


def _scans(node: dict) -> set[str]:
    found = {node["Node Type"]}
    for child in node.get("Plans", []):
        found |= _scans(child)
    return found


def _quadratic_joins(node: dict) -> int:
    """Nested loops both of whose sides read a transition table."""
    children = node.get("Plans", [])
    here = int(
        node["Node Type"] == "Nested Loop"
        and len(children) == 2
        and all("Named Tuplestore Scan" in _scans(child) for child in children)
    )
    return here + sum(_quadratic_joins(child) for child in children)


@pytest.mark.parametrize(
    ("rows", "update"),
    [
        (
            lambda matrix: [ActivityFactory(matrix=matrix) for _ in range(ROWS)],
            lambda ids: Activity.objects.filter(pk__in=ids).update(horizon="aspirational"),
        ),
        (
            lambda matrix: [
                MilestoneFactory(activity=ActivityFactory(matrix=matrix)) for _ in range(ROWS)
            ],
            lambda ids: Milestone.objects.filter(pk__in=ids).update(completed_on="2016-05-01"),
        ),
    ],
    ids=["activities", "milestones"],
)
def test_a_large_update_after_a_one_row_update_in_the_same_session_is_not_quadratic(
    plans_of_trigger_queries, rows, update
):
    ids = [row.pk for row in rows(MatrixFactory())]
    update(ids[:1])  # the session's first call of the trigger: one row
    plans_of_trigger_queries.clear()
    update(ids)
    plans = [entry["Plan"] for entry in plans_of_trigger_queries]
    assert plans, "auto_explain reported no trigger query: the test proves nothing"
    assert [_quadratic_joins(plan) for plan in plans] == [0] * len(plans)
