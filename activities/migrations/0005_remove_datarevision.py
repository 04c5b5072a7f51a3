"""Remove the list data revision row: the API's list cache it served is gone (issue 13). After
monitoring 0007, which drops the triggers that wrote it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_list_data_revision"),
        ("monitoring", "0007_remove_triggers_and_stored_figures"),
    ]

    operations = [migrations.DeleteModel(name="DataRevision")]
