from django.db import migrations


def load(apps, schema_editor):
    from policies.catalogue import load_policies

    load_policies(apps)


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial"), ("chainwork", "0003_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
