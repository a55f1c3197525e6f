"""The county's 2023 rubric (附件2) and the yearly outputs of 第七条, as data."""

from django.db import migrations


def load(apps, schema_editor):
    from reviews.rubric_data import RUBRIC_2023, load_ledger_targets, load_rubric

    load_rubric(RUBRIC_2023, apps)
    load_ledger_targets(apps)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
