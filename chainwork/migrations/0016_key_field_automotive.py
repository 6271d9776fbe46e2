from django.db import migrations


def add(apps, schema_editor):
    KeyField = apps.get_model("chainwork", "KeyField")
    if KeyField.objects.filter(name="汽车").exists():  # an administrator entered it already
        return
    last = KeyField.objects.order_by("-order").values_list("order", flat=True).first() or 0
    KeyField.objects.get_or_create(slug="automotive", defaults={"name": "汽车", "order": last + 1})


class Migration(migrations.Migration):
    """The key field 汽车 (reference.KEY_FIELDS), which automotive industry associations cover."""

    dependencies = [("chainwork", "0015_association_role")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
