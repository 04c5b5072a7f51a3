"""Seed the UN M49 regions and their countries (geography/data/)."""

from django.db import migrations

from geography.reference_data import seed_regions


def seed(apps, schema_editor):
    seed_regions(
        apps.get_model("geography", "Region"), apps.get_model("geography", "RegionCountry")
    )


def unseed(apps, schema_editor):
    apps.get_model("geography", "RegionCountry").objects.all().delete()
    # Children before parents: the parent key protects.
    region = apps.get_model("geography", "Region")
    for level in (3, 2, 1, 0):
        region.objects.filter(level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("geography", "0001_places")]
    operations = [migrations.RunPython(seed, unseed)]
