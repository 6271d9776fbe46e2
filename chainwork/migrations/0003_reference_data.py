from django.db import migrations


def load(apps, schema_editor):
    from chainwork.reference import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("chainwork", "0002_audit_trail")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
