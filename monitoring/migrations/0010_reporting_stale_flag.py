"""A flag beside the reasons saying whether they hold a stale-reporting finding, filled in for the
rows stored before it: both databases keep a reason as JSON text containing this pair."""

from django.db import migrations, models
from django.db.models import TextField
from django.db.models.functions import Cast

STALE_PAIR = '"code": "stale_reporting"'


def flag_stale(apps, schema_editor):
    rows = apps.get_model("monitoring", "Assessment").objects.annotate(
        text=Cast("reasons", TextField())
    )
    rows.filter(text__contains=STALE_PAIR).update(reporting_stale=True)


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0009_text_length_limits'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='reporting_stale',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(flag_stale, migrations.RunPython.noop),
    ]
