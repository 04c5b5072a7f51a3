"""Stored matrix counts (`MatrixSnapshot`), and the plan data version moved by every write they
depend on that migration 0003's triggers do not watch.

The matrix counts (`activities.matrix.selectors.matrix_counts`) read of each activity its
matrix, thematic area, code (covered), cooperation type, horizon and status (added here: status
also moves with the assessments, but the admin or a loader may write it alone), its
participations (covered), its topics (the activity–topic table: added, insert, delete and update)
and the topics' codes and names (added: an update of activities_topic bumps the plans of the
activities on that topic; a topic's deletion removes its activity–topic rows first, which bump).

PostgreSQL: the activity trigger function is replaced by one comparing the extra columns, and
the new tables get statement-level triggers like 0003's. SQLite: the activity update trigger is
dropped and created again with the extra columns, and row-level triggers are added. Reversible:
backwards restores 0003's function and trigger and drops the new ones.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

base = importlib.import_module("monitoring.migrations.0003_plan_data_triggers")

ACTIVITY_COLUMNS_BEFORE = "matrix_id thematic_area_id code"
ACTIVITY_COLUMNS = "matrix_id thematic_area_id code cooperation_type horizon status"
TOPICS_TABLE = "activities_activity_topics"
TOPICS_COLUMNS = "activity_id topic_id"


def _tuple(alias: str, columns: str) -> str:
    return "(" + ", ".join(f"{alias}.{c}" for c in columns.split()) + ")"


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old  # 0003's text is frozen: this holds or the migration fails
    return text.replace(old, new)


# --- PostgreSQL -----------------------------------------------------------------------------------

PG_ACTIVITY_FUNCTION_BEFORE = base.PG_FUNCTIONS[
    base.PG_FUNCTIONS.index("CREATE OR REPLACE FUNCTION monitoring_activity_changed()") :
]
PG_ACTIVITY_FUNCTION = _replace_once(
    _replace_once(
        PG_ACTIVITY_FUNCTION_BEFORE,
        _tuple("o", ACTIVITY_COLUMNS_BEFORE),
        _tuple("o", ACTIVITY_COLUMNS),
    ),
    _tuple("n", ACTIVITY_COLUMNS_BEFORE),
    _tuple("n", ACTIVITY_COLUMNS),
)

PG_TOPIC_FUNCTION = f"""
CREATE OR REPLACE FUNCTION activities_topic_changed_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    plans bigint[];
BEGIN
    SELECT array_agg(DISTINCT m.plan_id) INTO plans
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      JOIN {TOPICS_TABLE} t ON t.topic_id = o.id
      JOIN activities_activity a ON a.id = t.activity_id {base.PLAN_OF_MATRIX}
     WHERE (o.code, o.name) IS DISTINCT FROM (n.code, n.name);
    IF plans IS NOT NULL THEN
        PERFORM monitoring_bump_plans(plans);
    END IF;
    RETURN NULL;
END;
$$;
"""

PG_EVENTS = (
    ("INSERT", "NEW TABLE AS new_rows"),
    ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("DELETE", "OLD TABLE AS old_rows"),
)


def _pg_trigger(table: str, event: str, referencing: str, function: str) -> str:
    return (
        f"CREATE TRIGGER {table}_plan_version_{event.lower()} AFTER {event} ON {table} "
        f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
    )


PG_CREATE = "\n".join(
    [
        PG_ACTIVITY_FUNCTION,
        base.pg_child_function(TOPICS_TABLE, TOPICS_COLUMNS),
        PG_TOPIC_FUNCTION,
        *(_pg_trigger(TOPICS_TABLE, e, r, f"{TOPICS_TABLE}_changed_bump") for e, r in PG_EVENTS),
        _pg_trigger("activities_topic", *PG_EVENTS[1], "activities_topic_changed_bump"),
    ]
)

PG_DROP = "\n".join(
    [
        *(
            f"DROP TRIGGER IF EXISTS {TOPICS_TABLE}_plan_version_{e.lower()} ON {TOPICS_TABLE};"
            for e, _ in PG_EVENTS
        ),
        "DROP TRIGGER IF EXISTS activities_topic_plan_version_update ON activities_topic;",
        f"DROP FUNCTION IF EXISTS {TOPICS_TABLE}_changed_bump();",
        "DROP FUNCTION IF EXISTS activities_topic_changed_bump();",
        PG_ACTIVITY_FUNCTION_BEFORE,
    ]
)


# --- SQLite ---------------------------------------------------------------------------------------

SQLITE_ACTIVITY_UPDATE = "activities_activity_plan_version_update"
SQLITE_ACTIVITY_TRIGGER_BEFORE = next(
    t for t in base.sqlite_triggers() if t.startswith(f"CREATE TRIGGER {SQLITE_ACTIVITY_UPDATE} ")
)
SQLITE_ACTIVITY_TRIGGER = _replace_once(
    _replace_once(
        SQLITE_ACTIVITY_TRIGGER_BEFORE,
        "UPDATE OF " + ", ".join(ACTIVITY_COLUMNS_BEFORE.split()),
        "UPDATE OF " + ", ".join(ACTIVITY_COLUMNS.split()),
    ),
    f"WHEN {base._changed(ACTIVITY_COLUMNS_BEFORE)} BEGIN",
    f"WHEN {base._changed(ACTIVITY_COLUMNS)} BEGIN",
)

SQLITE_NEW_TRIGGERS = [
    base._sqlite_trigger(
        f"{TOPICS_TABLE}_plan_version_insert",
        "INSERT",
        TOPICS_TABLE,
        [base._sqlite_bump(base._plan_of("NEW.activity_id"))],
    ),
    base._sqlite_trigger(
        f"{TOPICS_TABLE}_plan_version_delete",
        "DELETE",
        TOPICS_TABLE,
        [base._sqlite_bump(base._plan_of("OLD.activity_id"))],
    ),
    base._sqlite_trigger(
        f"{TOPICS_TABLE}_plan_version_update",
        "UPDATE OF activity_id, topic_id",
        TOPICS_TABLE,
        [
            base._sqlite_bump(base._plan_of("OLD.activity_id")),
            base._sqlite_bump(base._plan_of("NEW.activity_id")),
        ],
        when=base._changed(TOPICS_COLUMNS),
    ),
    base._sqlite_trigger(
        "activities_topic_plan_version_update",
        "UPDATE OF code, name",
        "activities_topic",
        [
            base._sqlite_bump(
                f"SELECT DISTINCT m.plan_id FROM {TOPICS_TABLE} t "
                f"JOIN activities_activity a ON a.id = t.activity_id {base.PLAN_OF_MATRIX} "
                "WHERE t.topic_id = NEW.id"
            ).replace("SELECT DISTINCT m.plan_id", "SELECT DISTINCT m.plan_id, 1", 1)
        ],
        when=base._changed("code name"),
    ),
]
SQLITE_NEW_TRIGGER_NAMES = [
    f"{TOPICS_TABLE}_plan_version_insert",
    f"{TOPICS_TABLE}_plan_version_delete",
    f"{TOPICS_TABLE}_plan_version_update",
    "activities_topic_plan_version_update",
]


def forwards(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_CREATE)
        elif connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {SQLITE_ACTIVITY_UPDATE};")
            for trigger in [SQLITE_ACTIVITY_TRIGGER, *SQLITE_NEW_TRIGGERS]:
                cursor.execute(trigger)
        else:  # pragma: no cover - the project supports these two backends
            raise NotImplementedError(f"No plan data triggers for {connection.vendor}.")


def backwards(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_DROP)
        else:
            for name in [*SQLITE_NEW_TRIGGER_NAMES, SQLITE_ACTIVITY_UPDATE]:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name};")
            cursor.execute(SQLITE_ACTIVITY_TRIGGER_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_plan_data_triggers"),
        ("partnership", "0002_seed_thematic_areas_and_sdg_targets"),
    ]

    operations = [
        migrations.CreateModel(
            name="MatrixSnapshot",
            fields=[
                (
                    "matrix",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="partnership.activitymatrix",
                    ),
                ),
                ("version", models.BigIntegerField()),
                ("partner_ids", models.JSONField()),
                ("counts", models.JSONField()),
                ("topics", models.JSONField()),
                ("computed_at", models.DateTimeField(auto_now=True)),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="partnership.jointactionplan",
                    ),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
