"""The matrix page's index: each cell group's activities in code order, covering the columns the
page counts (PostgreSQL reads a plan's counts from the index alone)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_list_order"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["matrix", "thematic_area", "cooperation_type", "horizon", "code"],
                include=["status", "id"],
                name="activities_activity_mx_cell",
            ),
        ),
    ]
