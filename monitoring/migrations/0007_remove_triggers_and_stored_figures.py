"""Remove the database layer that kept stored figures in step with writes (issue 13).

Drops every trigger and trigger function that migrations monitoring 0003–0006 and activities 0004
installed, read from the database's own catalogue so that none is left behind, then the tables
that existed only for them. Figures are now read live from indexed columns; the engine is the only
writer of assessments and services announce every other change (DESIGN.md §3).

Not reversible into the old layer: going back leaves the tables empty and no triggers.
"""

from django.db import migrations


def drop_triggers(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
            )
            for trigger, table in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}" ON "{table}"')
            cursor.execute(
                "SELECT p.oid::regprocedure::text FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE p.prorettype = 'trigger'::regtype AND n.nspname = current_schema()"
            )
            for (function,) in cursor.fetchall():
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}")
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (trigger,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0006_trigger_queries_planned_per_call"),
        ("activities", "0004_list_data_revision"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(name="PlanDataVersion"),
        migrations.DeleteModel(name="PlanAssessedDate"),
        migrations.DeleteModel(name="StatusSnapshot"),
        migrations.DeleteModel(name="MatrixSnapshot"),
    ]
