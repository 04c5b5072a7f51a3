"""The statement-level triggers plan their queries over the statement's rows at each call.

PL/pgSQL prepares each query of a function once per database session and keeps that plan. The
trigger functions of 0003–0005 query the statement's transition tables (`old_rows`,
`new_rows`), whose size the planner takes from the call it plans for: a session whose first
call updated one row keeps a nested loop joining `old_rows` to `new_rows`, and runs it for every
later statement — comparing every old row with every new one. Web workers and Celery workers
keep their sessions (persistent connections), so one small edit early on made any later bulk
update quadratic: 106 ms for 1,000 activities after a one-row update, and an update of 100,000
activities ran for minutes (seen in `bench_monitoring`). 0005's guard for activities that
changed matrix did the same on its own (an `EXISTS` makes the planner expect an early match).

Here every such query runs through `EXECUTE`, which plans it for the rows at hand, each time
(a fraction of a millisecond): hashed joins for large statements, nested loops for small ones.
The queries themselves are those of 0003–0005, rewritten by `planned_per_call`; 0005's guard
counts its rows into a variable.
"""

import importlib
import re

from django.db import migrations

base = importlib.import_module("monitoring.migrations.0003_plan_data_triggers")
matrix_snapshots = importlib.import_module("monitoring.migrations.0004_matrix_snapshots")
lock_order = importlib.import_module("monitoring.migrations.0005_lock_order")

# A query statement of a function body: SELECT … or WITH … up to the ";" that ends a line.
STATEMENT = re.compile(r"^(?P<indent>[ ]*)(?P<sql>(?:SELECT|WITH)\b.*?);\n", re.M | re.S)
INTO = re.compile(r"\s+INTO\s+(?P<targets>\w+(?:,\s*\w+)*)(?=\s|$)")


def planned_per_call(function: str, *, statements: int) -> str:
    """`function` with each query over the transition tables run as `EXECUTE $q$…$q$ INTO …`;
    `statements` is how many it must find (the texts of 0003–0005 are frozen)."""
    found = 0

    def dynamic(match: re.Match) -> str:
        nonlocal found
        sql = match["sql"]
        if "old_rows" not in sql and "new_rows" not in sql:
            return match[0]
        into = INTO.search(sql)
        assert into is not None and "$q$" not in sql, sql
        found += 1
        query = sql[: into.start()] + sql[into.end() :]
        return f"{match['indent']}EXECUTE $q${query}$q$ INTO {into['targets']};\n"

    rewritten = STATEMENT.sub(dynamic, function)
    assert found == statements, (found, function)
    return rewritten


def _between(text: str, start: str, end: str | None = None) -> str:
    tail = text[text.index(start) :]
    return tail if end is None else tail[: tail.index(end)]


ASSESSMENT_FUNCTION = _between(
    base.PG_FUNCTIONS,
    "CREATE OR REPLACE FUNCTION monitoring_assessment_changed()",
    "CREATE OR REPLACE FUNCTION monitoring_activity_changed()",
)
CHILD_FUNCTIONS = [
    base.pg_child_function(table, columns)
    for table, columns in [
        *base.CHILD_COLUMNS.items(),
        (matrix_snapshots.TOPICS_TABLE, matrix_snapshots.TOPICS_COLUMNS),
    ]
]

EXISTS_GUARD = (
    "        IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id\n"
    "                    WHERE o.matrix_id IS DISTINCT FROM n.matrix_id) THEN\n"
)
COUNTED_GUARD = (
    "        EXECUTE $q$SELECT count(*) FROM old_rows o JOIN new_rows n ON n.id = o.id\n"
    "                    WHERE o.matrix_id IS DISTINCT FROM n.matrix_id$q$ INTO moved_rows;\n"
    "        IF moved_rows > 0 THEN\n"
)
assert lock_order.ACTIVITY_FUNCTION.count(EXISTS_GUARD) == 1
ACTIVITY_FUNCTION = lock_order.ACTIVITY_FUNCTION.replace(EXISTS_GUARD, COUNTED_GUARD).replace(
    "    deltas jsonb;\n", "    deltas jsonb;\n    moved_rows bigint;\n", 1
)

BEFORE = [
    ASSESSMENT_FUNCTION,
    lock_order.ACTIVITY_FUNCTION,
    *CHILD_FUNCTIONS,
    matrix_snapshots.PG_TOPIC_FUNCTION,
]
AFTER = [
    planned_per_call(ASSESSMENT_FUNCTION, statements=3),
    planned_per_call(ACTIVITY_FUNCTION, statements=4),
    *(planned_per_call(function, statements=3) for function in CHILD_FUNCTIONS),
    planned_per_call(matrix_snapshots.PG_TOPIC_FUNCTION, statements=1),
]


def plan_per_call(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for function in AFTER:
            schema_editor.execute(function)


def plan_once_per_session(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for function in BEFORE:
            schema_editor.execute(function)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_lock_order")]

    operations = [migrations.RunPython(plan_per_call, plan_once_per_session)]
