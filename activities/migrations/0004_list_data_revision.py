"""`DataRevision` and the triggers that move it whenever anything the API activity list shows,
filters or sorts by is written (activities.list_cache serves a cached list only under the
revision it was computed at).

In the database rather than in services, signals or save(): bulk loaders, the admin, imports,
the monitoring engine's bulk updates and the shell write these tables too, and a cached list
served after a write that forgot to invalidate it would be wrong with nothing to tell.

The tables: every one `selectors.activity_listing` and `ActivityFilter` read — activities,
their participations, priority designations and funding commitments, organizations (acronyms),
matrices (plan, edition), plans (start, title) and thematic areas (code, order). Any insert,
update or delete moves the revision, whatever the columns: the list shows or searches most of
each row, and a needless miss costs one recomputation while a missed change would be stale.

PostgreSQL: one FOR EACH STATEMENT trigger per table (insert, update, delete and TRUNCATE), so a
bulk statement bumps once. The bump is an upsert of the one row, which the writing transaction
holds locked until it commits: writers of these tables commit one after another from their first
write statement on. The monitoring engine, the biggest writer, writes the activities in the last
statement of each chunk's transaction, so it holds the row for milliseconds; assessing 10,000
activities of a 30,000-activity plan in chunks of 500 took 4.05–4.18 s with the trigger and
without (one bump per chunk; a one-row UPDATE with its commit, 0.5–0.7 ms either way).
SQLite: row-level triggers (no TRUNCATE there; one writer at a time anyway).
"""

from django.db import migrations, models

TABLES = [
    "activities_activity",
    "activities_activityparticipation",
    "activities_prioritydesignation",
    "activities_fundingcommitment",
    "partnership_organization",
    "partnership_activitymatrix",
    "partnership_jointactionplan",
    "partnership_thematicarea",
]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION activities_bump_data_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activities_datarevision (id, token, counter)
    VALUES (1, replace(gen_random_uuid()::text, '-', ''), 1)
    ON CONFLICT (id) DO UPDATE
    SET counter = activities_datarevision.counter + 1, token = EXCLUDED.token;
    RETURN NULL;
END;
$$;
"""

SQLITE_BUMP = (
    "INSERT INTO activities_datarevision (id, token, counter) "
    "VALUES (1, lower(hex(randomblob(16))), 1) "
    "ON CONFLICT (id) DO UPDATE SET counter = counter + 1, token = excluded.token;"
)
SQLITE_EVENTS = ("insert", "update", "delete")


def create_triggers(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
            for table in TABLES:
                cursor.execute(
                    f"CREATE TRIGGER {table}_list_revision "
                    f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION activities_bump_data_revision();"
                )
        elif connection.vendor == "sqlite":
            for table in TABLES:
                for event in SQLITE_EVENTS:
                    cursor.execute(
                        f"CREATE TRIGGER {table}_list_revision_{event} AFTER {event.upper()} "
                        f"ON {table} FOR EACH ROW BEGIN {SQLITE_BUMP} END;"
                    )
        else:  # pragma: no cover - the project supports these two backends
            raise NotImplementedError(f"No list revision triggers for {connection.vendor}.")


def drop_triggers(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_list_revision ON {table};")
            cursor.execute("DROP FUNCTION IF EXISTS activities_bump_data_revision();")
        else:
            for table in TABLES:
                for event in SQLITE_EVENTS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_list_revision_{event};")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_matrix_indexes"),
        ("partnership", "0002_seed_thematic_areas_and_sdg_targets"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataRevision",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=32)),
                ("counter", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
