"""API tokens move from DRF's authtoken (the key stored in plain text) to django-rest-knox (a
digest only). A plain key cannot be turned into a knox token (knox's tokens have their own
length and lookup prefix), so the old tokens are dropped, not converted: every user re-issues
theirs on the profile page (or an operator with `manage.py create_api_token <user>`).

The table is dropped, not just emptied, so no plain key lingers in the database or in the next
backup; authtoken's migration records go too, so that re-installing the app would recreate it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0004_account_unlock"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                "DROP TABLE IF EXISTS authtoken_token",
                "DELETE FROM django_migrations WHERE app = 'authtoken'",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
