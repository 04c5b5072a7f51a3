"""What the database says about the plan-version triggers (monitoring migrations 0003–0006)."""

from django.db import connection


def plan_version_trigger_tables() -> set[str]:
    """The tables that carry a plan-version trigger, read from the database's own catalogue."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE %s",
                ["%plan_version%"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE %s",
                ["%plan_version%"],
            )
        return {row[0] for row in cursor.fetchall()}
