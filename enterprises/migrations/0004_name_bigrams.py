"""Enterprise names searched by their character pairs: an SQL function and a GIN index over it.

Chinese searches are mostly two or three characters; the trigram index cannot narrow a two-character
LIKE, so every such search read the whole list (120,000 names at national scale)."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION enterprise_name_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}')
    FROM generate_series(1, char_length(t) - 1) AS i
$$
"""


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0003_contacts'),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, reverse_sql="DROP FUNCTION IF EXISTS enterprise_name_bigrams(text)"),
        migrations.AddIndex(
            model_name='enterprise',
            index=django.contrib.postgres.indexes.GinIndex(
                models.Func(models.F('name'), function='enterprise_name_bigrams',
                            output_field=django.contrib.postgres.fields.ArrayField(base_field=models.TextField(),
                                                                                   size=None)),
                name='enterprise_name_bigrams'),
        ),
    ]
