"""Finer planner statistics for the pinyin columns that enterprise search matches by prefix.

Names share their first syllables (湖北…, 武汉…), so the default 100-bucket histogram guessed 1,188
enterprises for initials starting "hbxh" where 105 exist; PostgreSQL then walked the whole pinyin index
in order to fill a page (27 ms at national scale) instead of fetching the matches and sorting them
(1.6 ms). A thousand buckets bring the estimate to within a few percent."""

from django.db import migrations

COLUMNS = ("name_initials", "name_pinyin")


class Migration(migrations.Migration):

    dependencies = [
        ("enterprises", "0006_name_indexes_without_pending_list"),
    ]

    operations = [
        migrations.RunSQL(
            [f"ALTER TABLE enterprises_enterprise ALTER COLUMN {c} SET STATISTICS 1000" for c in COLUMNS],
            [f"ALTER TABLE enterprises_enterprise ALTER COLUMN {c} SET STATISTICS -1" for c in COLUMNS],
        ),
    ]
