"""One lock order for the two data versions the database keeps: the activity list's revision
(activities 0004, one row) always before a plan's data version (0003, one row per plan).

Both are bumped by triggers and stay locked until the writing transaction commits. Without an
order, a transaction that wrote an assessment first (plan version) and an activity next
(revision) — a monitoring chunk — and one that wrote an activity first (revision, then plan
version: the activity's revision trigger fires before its plan-version trigger, by name) — an
edit — could each wait for the other's row: a deadlock, which PostgreSQL breaks by failing one
of them. So every plan-version bump first bumps the revision, and the count of a plan's assessed
dates (0003's third kind of row) first bumps the plan: the order is always revision, plan
version, assessed date, whoever writes. Row locks come before all three (an UPDATE locks its rows
before its AFTER triggers run; the monitoring engine locks its activities before writing
assessments), so no writer holds a version while waiting for a row. A monitoring chunk's write
phase thus waits for an edit's, as two chunks of one plan already wait for each other on the
plan's row.

The activity trigger's search for assessments that move with an activity to another plan now
runs only when some activity of the statement changed matrix: it joined every updated activity
to the assessments table, and a session that had planned it while that table looked empty
(statistics from before the first run) kept a nested loop over the whole table for each row —
seconds for a 1,000-activity update (seen in `bench_monitoring` at 100,000 activities).

PostgreSQL only: SQLite has one writer at a time, so no deadlock to avoid, and its row-level
triggers compare the row's own matrix.
"""

import importlib

from django.db import migrations

before = importlib.import_module("monitoring.migrations.0003_plan_data_triggers")
matrix_snapshots = importlib.import_module("monitoring.migrations.0004_matrix_snapshots")

MOVED = "        -- An activity moved to another plan takes its assessments' dates with it.\n"
COUNTED = (
    "        IF deltas IS NOT NULL THEN\n"
    "            PERFORM monitoring_count_assessed_dates(deltas);\n"
    "        END IF;\n"
)


def _only_when_a_matrix_changed(function: str) -> str:
    assert function.count(MOVED) == 1 and function.count(COUNTED) == 1  # 0004's text is frozen
    guard = (
        "        IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id\n"
        "                    WHERE o.matrix_id IS DISTINCT FROM n.matrix_id) THEN\n"
    )
    indented = function[function.index(MOVED) : function.index(COUNTED) + len(COUNTED)]
    body = "".join(f"    {line}" if line.strip() else line for line in indented.splitlines(True))
    return function.replace(indented, guard + body + "        END IF;\n")


ACTIVITY_FUNCTION = _only_when_a_matrix_changed(matrix_snapshots.PG_ACTIVITY_FUNCTION)

LOCK_IN_ORDER = """
CREATE OR REPLACE FUNCTION monitoring_bump_plans(plan_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO activities_datarevision (id, token, counter)
    VALUES (1, replace(gen_random_uuid()::text, '-', ''), 1)
    ON CONFLICT (id) DO UPDATE
    SET counter = activities_datarevision.counter + 1, token = EXCLUDED.token;

    INSERT INTO monitoring_plandataversion (plan_id, version)
    SELECT DISTINCT p, 1 FROM unnest(plan_ids) AS p WHERE p IS NOT NULL ORDER BY 1
    ON CONFLICT (plan_id) DO UPDATE SET version = monitoring_plandataversion.version + 1;
$$;

CREATE OR REPLACE FUNCTION monitoring_count_assessed_dates(deltas jsonb) RETURNS void
LANGUAGE sql AS $$
    SELECT monitoring_bump_plans(
        ARRAY(SELECT DISTINCT (d->>'plan_id')::bigint FROM jsonb_array_elements(deltas) AS d)
    );

    INSERT INTO monitoring_planassesseddate (plan_id, as_of, assessments)
    SELECT (d->>'plan_id')::bigint, (d->>'as_of')::date, sum((d->>'n')::bigint)
    FROM jsonb_array_elements(deltas) AS d
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (plan_id, as_of)
    DO UPDATE SET assessments = monitoring_planassesseddate.assessments + EXCLUDED.assessments;
$$;
"""


def lock_the_revision_first(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LOCK_IN_ORDER)
        schema_editor.execute(ACTIVITY_FUNCTION)


def restore_the_function(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(before.PG_FUNCTIONS)  # 0003's functions, this one included
        schema_editor.execute(matrix_snapshots.PG_ACTIVITY_FUNCTION)  # then 0004's


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0004_matrix_snapshots"),
        ("activities", "0004_list_data_revision"),
    ]

    operations = [migrations.RunPython(lock_the_revision_first, restore_the_function)]
