"""Indexes for the activity list: its page order (code, then id), its title sort, and its
count per matrix under a status filter."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["code", "id"], name="activities_activity_code"),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["title", "id"], name="activities_activity_title"),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["matrix", "status"], name="activities_activity_mx_status"),
        ),
    ]
