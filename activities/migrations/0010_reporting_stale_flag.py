"""A flag beside the reasons saying whether they hold a stale-reporting finding, filled in for the
rows stored before it: both databases keep a reason as JSON text containing this pair."""

from django.db import migrations, models
from django.db.models import TextField
from django.db.models.functions import Cast

STALE_PAIR = '"code": "stale_reporting"'


def flag_stale(apps, schema_editor):
    rows = apps.get_model("activities", "Activity").objects.annotate(
        text=Cast("status_reasons", TextField())
    )
    rows.filter(text__contains=STALE_PAIR).update(status_reporting_stale=True)


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0009_priority_year_validators'),
    ]

    operations = [
        migrations.AddField(
            model_name='activity',
            name='status_reporting_stale',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(flag_stale, migrations.RunPython.noop),
    ]
