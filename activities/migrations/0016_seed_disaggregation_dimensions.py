"""The dimensions most indicators are broken down by, with their categories: sex and the
partnership's agencies. Others (countries, say) are added by managers as needed."""

from django.db import migrations

DIMENSIONS = {
    ("sex", "Sex"): [("female", "Female"), ("male", "Male")],
    ("agency", "Agency"): [("interpol", "INTERPOL"), ("unodc", "UNODC")],
}


def seed(apps, schema_editor):
    Dimension = apps.get_model("activities", "Dimension")
    Category = apps.get_model("activities", "Category")
    for (code, name), categories in DIMENSIONS.items():
        dimension, _ = Dimension.objects.get_or_create(code=code, defaults={"name": name})
        for order, (category_code, category_name) in enumerate(categories):
            Category.objects.get_or_create(
                dimension=dimension,
                code=category_code,
                defaults={"name": category_name, "order": order},
            )


class Migration(migrations.Migration):
    dependencies = [("activities", "0015_indicator_disaggregation")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
