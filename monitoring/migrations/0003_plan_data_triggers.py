"""Triggers that keep `PlanDataVersion` and `PlanAssessedDate` true, whoever writes.

In the database rather than in services, signals or save(): bulk loaders, the admin, imports and
the shell write these tables too, and a snapshot served after a write that forgot to invalidate
it would show wrong figures with nothing to tell. What bumps a plan's version:

- monitoring_assessment: insert, delete, and an update that changes the activity, the date, the
  status or the reasons (the engine re-running a date with the same results bumps nothing);
- activities_activity: insert, delete, an update of matrix_id, thematic_area_id or code (the
  old and the new plan; the dashboard's stored lists are in code order);
- activities_activityparticipation: insert, delete, an update of activity_id, organization_id or
  role;
- activities_milestone: insert, delete, an update of activity_id, due_date or completed_on.

PostgreSQL: statement-level triggers with transition tables, so a bulk statement bumps each plan
once (the engine upserts 500 assessments a statement). PostgreSQL allows no column list on a
trigger with transition tables, so updates compare old and new rows themselves. Versions are
upserted in plan order, so two statements bumping the same plans lock their rows in one order.
SQLite: row-level triggers with the same effect (one writer at a time, so no race to guard).
"""

from django.db import migrations

PLAN_OF_MATRIX = "JOIN partnership_activitymatrix m ON m.id = a.matrix_id"

PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION monitoring_bump_plans(plan_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO monitoring_plandataversion (plan_id, version)
    SELECT DISTINCT p, 1 FROM unnest(plan_ids) AS p WHERE p IS NOT NULL ORDER BY 1
    ON CONFLICT (plan_id) DO UPDATE SET version = monitoring_plandataversion.version + 1;
$$;

CREATE OR REPLACE FUNCTION monitoring_count_assessed_dates(deltas jsonb) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO monitoring_planassesseddate (plan_id, as_of, assessments)
    SELECT (d->>'plan_id')::bigint, (d->>'as_of')::date, sum((d->>'n')::bigint)
    FROM jsonb_array_elements(deltas) AS d
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (plan_id, as_of)
    DO UPDATE SET assessments = monitoring_planassesseddate.assessments + EXCLUDED.assessments;
$$;

CREATE OR REPLACE FUNCTION monitoring_assessment_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    deltas jsonb;
    plans bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object('plan_id', m.plan_id, 'as_of', r.as_of, 'n', 1)),
               array_agg(DISTINCT m.plan_id)
          INTO deltas, plans
          FROM new_rows r JOIN activities_activity a ON a.id = r.activity_id {PLAN_OF_MATRIX};
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(jsonb_build_object('plan_id', m.plan_id, 'as_of', r.as_of, 'n', -1)),
               array_agg(DISTINCT m.plan_id)
          INTO deltas, plans
          FROM old_rows r JOIN activities_activity a ON a.id = r.activity_id {PLAN_OF_MATRIX};
    ELSE
        WITH changed AS (
            SELECT o.activity_id AS old_activity, o.as_of AS old_as_of,
                   n.activity_id AS new_activity, n.as_of AS new_as_of
              FROM old_rows o JOIN new_rows n ON n.id = o.id
             WHERE (o.activity_id, o.as_of, o.status, o.reasons)
                   IS DISTINCT FROM (n.activity_id, n.as_of, n.status, n.reasons)
        ), moves AS (
            SELECT old_activity AS activity_id, old_as_of AS as_of, -1 AS n FROM changed
             WHERE (old_activity, old_as_of) IS DISTINCT FROM (new_activity, new_as_of)
            UNION ALL
            SELECT new_activity, new_as_of, 1 FROM changed
             WHERE (old_activity, old_as_of) IS DISTINCT FROM (new_activity, new_as_of)
        )
        SELECT (SELECT jsonb_agg(jsonb_build_object('plan_id', m.plan_id, 'as_of', v.as_of,
                                                    'n', v.n))
                  FROM moves v JOIN activities_activity a ON a.id = v.activity_id
                  {PLAN_OF_MATRIX}),
               (SELECT array_agg(DISTINCT m.plan_id)
                  FROM (SELECT old_activity AS id FROM changed
                        UNION SELECT new_activity FROM changed) c
                  JOIN activities_activity a ON a.id = c.id {PLAN_OF_MATRIX})
          INTO deltas, plans;
    END IF;
    IF deltas IS NOT NULL THEN
        PERFORM monitoring_count_assessed_dates(deltas);
    END IF;
    IF plans IS NOT NULL THEN
        PERFORM monitoring_bump_plans(plans);
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION monitoring_activity_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    plans bigint[];
    deltas jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT m.plan_id) INTO plans
          FROM new_rows a {PLAN_OF_MATRIX};
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT m.plan_id) INTO plans
          FROM old_rows a {PLAN_OF_MATRIX};
    ELSE
        SELECT array_agg(DISTINCT v.plan_id) INTO plans FROM (
            SELECT om.plan_id AS old_plan, nm.plan_id AS new_plan
              FROM old_rows o JOIN new_rows n ON n.id = o.id
              JOIN partnership_activitymatrix om ON om.id = o.matrix_id
              JOIN partnership_activitymatrix nm ON nm.id = n.matrix_id
             WHERE (o.matrix_id, o.thematic_area_id, o.code)
                   IS DISTINCT FROM (n.matrix_id, n.thematic_area_id, n.code)
        ) c CROSS JOIN LATERAL (VALUES (c.old_plan), (c.new_plan)) AS v(plan_id);
        -- An activity moved to another plan takes its assessments' dates with it.
        SELECT jsonb_agg(d) INTO deltas FROM (
            SELECT jsonb_build_object('plan_id', om.plan_id, 'as_of', s.as_of, 'n', -1) AS d
              FROM old_rows o JOIN new_rows n ON n.id = o.id
              JOIN partnership_activitymatrix om ON om.id = o.matrix_id
              JOIN partnership_activitymatrix nm ON nm.id = n.matrix_id
              JOIN monitoring_assessment s ON s.activity_id = o.id
             WHERE om.plan_id <> nm.plan_id
            UNION ALL
            SELECT jsonb_build_object('plan_id', nm.plan_id, 'as_of', s.as_of, 'n', 1)
              FROM old_rows o JOIN new_rows n ON n.id = o.id
              JOIN partnership_activitymatrix om ON om.id = o.matrix_id
              JOIN partnership_activitymatrix nm ON nm.id = n.matrix_id
              JOIN monitoring_assessment s ON s.activity_id = o.id
             WHERE om.plan_id <> nm.plan_id
        ) moved;
        IF deltas IS NOT NULL THEN
            PERFORM monitoring_count_assessed_dates(deltas);
        END IF;
    END IF;
    IF plans IS NOT NULL THEN
        PERFORM monitoring_bump_plans(plans);
    END IF;
    RETURN NULL;
END;
$$;
"""


def pg_child_function(table: str, columns: str) -> str:
    """A table hanging off the activity: its plan's version moves on insert, delete, and an
    update of `columns` (which include activity_id)."""
    return f"""
CREATE OR REPLACE FUNCTION {table}_changed_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    plans bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT m.plan_id) INTO plans
          FROM new_rows r JOIN activities_activity a ON a.id = r.activity_id {PLAN_OF_MATRIX};
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT m.plan_id) INTO plans
          FROM old_rows r JOIN activities_activity a ON a.id = r.activity_id {PLAN_OF_MATRIX};
    ELSE
        SELECT array_agg(DISTINCT m.plan_id) INTO plans
          FROM (SELECT o.activity_id AS x, n.activity_id AS y
                  FROM old_rows o JOIN new_rows n ON n.id = o.id
                 WHERE ({", ".join("o." + c for c in columns.split())})
                       IS DISTINCT FROM ({", ".join("n." + c for c in columns.split())})) c
          CROSS JOIN LATERAL (VALUES (c.x), (c.y)) AS v(id)
          JOIN activities_activity a ON a.id = v.id {PLAN_OF_MATRIX};
    END IF;
    IF plans IS NOT NULL THEN
        PERFORM monitoring_bump_plans(plans);
    END IF;
    RETURN NULL;
END;
$$;
"""


# (table, trigger function)
PG_TABLES = [
    ("monitoring_assessment", "monitoring_assessment_changed"),
    ("activities_activity", "monitoring_activity_changed"),
    ("activities_activityparticipation", "activities_activityparticipation_changed_bump"),
    ("activities_milestone", "activities_milestone_changed_bump"),
]
CHILD_COLUMNS = {
    "activities_activityparticipation": "activity_id organization_id role",
    "activities_milestone": "activity_id due_date completed_on",
}


def pg_triggers() -> str:
    statements = []
    for table, function in PG_TABLES:
        for event, referencing in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            statements.append(
                f"CREATE TRIGGER {table}_plan_version_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
            )
    return "\n".join(statements)


def pg_drop() -> str:
    statements = [
        f"DROP TRIGGER IF EXISTS {table}_plan_version_{event} ON {table};"
        for table, _ in PG_TABLES
        for event in ("insert", "update", "delete")
    ]
    statements += [f"DROP FUNCTION IF EXISTS {function}();" for _, function in PG_TABLES]
    statements += [
        "DROP FUNCTION IF EXISTS monitoring_bump_plans(bigint[]);",
        "DROP FUNCTION IF EXISTS monitoring_count_assessed_dates(jsonb);",
    ]
    return "\n".join(statements)


# --- SQLite: row-level triggers -------------------------------------------------------------------


def _plan_of(activity: str) -> str:
    return f"SELECT m.plan_id FROM activities_activity a {PLAN_OF_MATRIX} WHERE a.id = {activity}"


def _sqlite_bump(plan_select: str) -> str:
    # `plan_select` ends in a WHERE clause, which SQLite needs before the ON CONFLICT of an
    # INSERT … SELECT (else it reads ON as a join constraint).
    select = plan_select.replace("SELECT m.plan_id", "SELECT m.plan_id, 1", 1)
    return (
        f"INSERT INTO monitoring_plandataversion (plan_id, version) {select} "
        "ON CONFLICT (plan_id) DO UPDATE SET version = version + 1;"
    )


def _sqlite_dates(activity: str, as_of: str, n: int) -> str:
    plan_select = _plan_of(activity).replace(
        "SELECT m.plan_id", f"SELECT m.plan_id, {as_of}, {n}", 1
    )
    return (
        f"INSERT INTO monitoring_planassesseddate (plan_id, as_of, assessments) {plan_select} "
        "ON CONFLICT (plan_id, as_of) "
        "DO UPDATE SET assessments = assessments + excluded.assessments;"
    )


def _sqlite_trigger(name: str, event: str, table: str, body: list[str], when: str = "") -> str:
    when_clause = f" WHEN {when}" if when else ""
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when_clause} BEGIN "
        + " ".join(body)
        + " END;"
    )


def _changed(columns: str) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns.split())


def sqlite_triggers() -> list[str]:
    triggers = [
        _sqlite_trigger(
            "monitoring_assessment_plan_version_insert",
            "INSERT",
            "monitoring_assessment",
            [
                _sqlite_dates("NEW.activity_id", "NEW.as_of", 1),
                _sqlite_bump(_plan_of("NEW.activity_id")),
            ],
        ),
        _sqlite_trigger(
            "monitoring_assessment_plan_version_delete",
            "DELETE",
            "monitoring_assessment",
            [
                _sqlite_dates("OLD.activity_id", "OLD.as_of", -1),
                _sqlite_bump(_plan_of("OLD.activity_id")),
            ],
        ),
        _sqlite_trigger(
            "monitoring_assessment_plan_version_update",
            "UPDATE OF activity_id, as_of, status, reasons",
            "monitoring_assessment",
            [_sqlite_bump(_plan_of("OLD.activity_id")), _sqlite_bump(_plan_of("NEW.activity_id"))],
            when=_changed("activity_id as_of status reasons"),
        ),
        _sqlite_trigger(
            "monitoring_assessment_plan_dates_update",
            "UPDATE OF activity_id, as_of",
            "monitoring_assessment",
            [
                _sqlite_dates("OLD.activity_id", "OLD.as_of", -1),
                _sqlite_dates("NEW.activity_id", "NEW.as_of", 1),
            ],
            when=_changed("activity_id as_of"),
        ),
        _sqlite_trigger(
            "activities_activity_plan_version_insert",
            "INSERT",
            "activities_activity",
            [_sqlite_bump(_plan_of("NEW.id"))],
        ),
        _sqlite_trigger(
            "activities_activity_plan_version_delete",
            "DELETE",
            "activities_activity",
            [
                _sqlite_bump(
                    "SELECT m.plan_id FROM partnership_activitymatrix m WHERE m.id = OLD.matrix_id"
                )
            ],
        ),
        _sqlite_trigger(
            "activities_activity_plan_version_update",
            "UPDATE OF matrix_id, thematic_area_id, code",
            "activities_activity",
            [
                _sqlite_bump(
                    "SELECT m.plan_id FROM partnership_activitymatrix m WHERE m.id = OLD.matrix_id"
                ),
                _sqlite_bump(
                    "SELECT m.plan_id FROM partnership_activitymatrix m WHERE m.id = NEW.matrix_id"
                ),
                # An activity moved to another plan takes its assessments' dates with it.
                "INSERT INTO monitoring_planassesseddate (plan_id, as_of, assessments) "
                "SELECT om.plan_id, s.as_of, -count(*) FROM monitoring_assessment s, "
                "partnership_activitymatrix om, partnership_activitymatrix nm "
                "WHERE s.activity_id = OLD.id AND om.id = OLD.matrix_id AND nm.id = NEW.matrix_id "
                "AND om.plan_id <> nm.plan_id GROUP BY om.plan_id, s.as_of "
                "ON CONFLICT (plan_id, as_of) "
                "DO UPDATE SET assessments = assessments + excluded.assessments;",
                "INSERT INTO monitoring_planassesseddate (plan_id, as_of, assessments) "
                "SELECT nm.plan_id, s.as_of, count(*) FROM monitoring_assessment s, "
                "partnership_activitymatrix om, partnership_activitymatrix nm "
                "WHERE s.activity_id = OLD.id AND om.id = OLD.matrix_id AND nm.id = NEW.matrix_id "
                "AND om.plan_id <> nm.plan_id GROUP BY nm.plan_id, s.as_of "
                "ON CONFLICT (plan_id, as_of) "
                "DO UPDATE SET assessments = assessments + excluded.assessments;",
            ],
            when=_changed("matrix_id thematic_area_id code"),
        ),
    ]
    for table, columns in CHILD_COLUMNS.items():
        triggers += [
            _sqlite_trigger(
                f"{table}_plan_version_insert",
                "INSERT",
                table,
                [_sqlite_bump(_plan_of("NEW.activity_id"))],
            ),
            _sqlite_trigger(
                f"{table}_plan_version_delete",
                "DELETE",
                table,
                [_sqlite_bump(_plan_of("OLD.activity_id"))],
            ),
            _sqlite_trigger(
                f"{table}_plan_version_update",
                f"UPDATE OF {', '.join(columns.split())}",
                table,
                [
                    _sqlite_bump(_plan_of("OLD.activity_id")),
                    _sqlite_bump(_plan_of("NEW.activity_id")),
                ],
                when=_changed(columns),
            ),
        ]
    return triggers


SQLITE_TRIGGER_NAMES = [
    "monitoring_assessment_plan_version_insert",
    "monitoring_assessment_plan_version_delete",
    "monitoring_assessment_plan_version_update",
    "monitoring_assessment_plan_dates_update",
    "activities_activity_plan_version_insert",
    "activities_activity_plan_version_delete",
    "activities_activity_plan_version_update",
] + [
    f"{table}_plan_version_{event}"
    for table in CHILD_COLUMNS
    for event in ("insert", "delete", "update")
]

# The assessed dates of the assessments already there (same SQL on both backends).
BACKFILL_DATES = f"""
INSERT INTO monitoring_planassesseddate (plan_id, as_of, assessments)
SELECT m.plan_id, s.as_of, count(*)
  FROM monitoring_assessment s JOIN activities_activity a ON a.id = s.activity_id {PLAN_OF_MATRIX}
 GROUP BY m.plan_id, s.as_of
"""


def create_triggers(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTIONS)
            for table, columns in CHILD_COLUMNS.items():
                cursor.execute(pg_child_function(table, columns))
            cursor.execute(pg_triggers())
        elif connection.vendor == "sqlite":
            for trigger in sqlite_triggers():
                cursor.execute(trigger)
        else:  # pragma: no cover - the project supports these two backends
            raise NotImplementedError(f"No plan data triggers for {connection.vendor}.")
        cursor.execute(BACKFILL_DATES)


def drop_triggers(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(pg_drop())
        else:
            for name in SQLITE_TRIGGER_NAMES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name};")
        cursor.execute("DELETE FROM monitoring_planassesseddate;")


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_status_snapshots"),
        ("activities", "0003_matrix_indexes"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
