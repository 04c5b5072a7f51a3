"""Seed the six thematic areas of the 2016 Activity Matrix and the SDG targets."""

from django.db import migrations

from partnership.reference_data import THEMATIC_AREAS, seed_reference_data


def seed(apps, schema_editor):
    seed_reference_data(
        apps.get_model("partnership", "ThematicArea"), apps.get_model("partnership", "SDGTarget")
    )


def unseed(apps, schema_editor):
    apps.get_model("partnership", "ThematicArea").objects.filter(
        code__in=[code for code, _, _ in THEMATIC_AREAS]
    ).delete()
    apps.get_model("partnership", "SDGTarget").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("partnership", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
