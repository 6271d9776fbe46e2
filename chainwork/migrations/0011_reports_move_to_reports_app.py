"""DailyReport and ZeroReport belong to the reports app; their tables stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("chainwork", "0010_event_tables_index_object_and_context")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel("DailyReport"), migrations.DeleteModel("ZeroReport")],
            database_operations=[],
        ),
    ]
