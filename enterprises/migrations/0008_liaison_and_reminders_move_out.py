"""The liaison models move to the liaison app (tables kept), and reminder claims to the core's
generic chainwork.Reminder (rows copied)."""

from django.db import migrations

COPY_REMINDERS = """
INSERT INTO chainwork_reminder (kind, subject_id, state, due_on, notified, created_at)
SELECT kind, COALESCE(assignment_id, case_id, referral_id, event_id, user_id), COALESCE(state, ''), due_on,
       notified, created_at
FROM enterprises_reminder ORDER BY id
ON CONFLICT DO NOTHING
"""

# The history triggers of the moved tables are named after their app: drop these, and liaison 0001
# installs them under the new names.
DROP_TRIGGERS = """
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT tg.tgname, c.relname FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
           WHERE NOT tg.tgisinternal AND tg.tgname LIKE 'pgtrigger_%'
             AND c.relname IN ('enterprises_liaisonassignment', 'enterprises_liaisonassignmentevent',
                               'enterprises_contactrecord', 'enterprises_contactrecordevent')
  LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', t.tgname, t.relname);
    EXECUTE format('DROP FUNCTION IF EXISTS %I()', t.tgname);
  END LOOP;
END $$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0007_finer_statistics_for_search'),
        ('chainwork', '0012_reminder_claims'),
    ]

    operations = [
        migrations.RunSQL(COPY_REMINDERS, reverse_sql=migrations.RunSQL.noop),
        migrations.RemoveField(
            model_name='reminder',
            name='assignment',
        ),
        migrations.RemoveField(
            model_name='reminder',
            name='case',
        ),
        migrations.RemoveField(
            model_name='reminder',
            name='event',
        ),
        migrations.RemoveField(
            model_name='reminder',
            name='referral',
        ),
        migrations.RemoveField(
            model_name='reminder',
            name='user',
        ),
        migrations.DeleteModel(
            name='Reminder',
        ),
        migrations.RunSQL(DROP_TRIGGERS, reverse_sql=migrations.RunSQL.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='contactrecord',
                    name='assignment',
                ),
                migrations.RemoveField(
                    model_name='contactrecord',
                    name='enterprise',
                ),
                migrations.RemoveField(
                    model_name='contactrecord',
                    name='officer',
                ),
                migrations.RemoveField(
                    model_name='contactrecord',
                    name='problems',
                ),
                migrations.RemoveField(
                    model_name='contactrecordevent',
                    name='pgh_obj',
                ),
                migrations.RemoveField(
                    model_name='contactrecordevent',
                    name='assignment',
                ),
                migrations.RemoveField(
                    model_name='contactrecordevent',
                    name='enterprise',
                ),
                migrations.RemoveField(
                    model_name='contactrecordevent',
                    name='officer',
                ),
                migrations.RemoveField(
                    model_name='contactrecordevent',
                    name='pgh_context',
                ),
                migrations.RemoveField(
                    model_name='liaisonassignment',
                    name='assigned_by',
                ),
                migrations.RemoveField(
                    model_name='liaisonassignment',
                    name='enterprise',
                ),
                migrations.RemoveField(
                    model_name='liaisonassignment',
                    name='officer',
                ),
                migrations.RemoveField(
                    model_name='liaisonassignmentevent',
                    name='pgh_obj',
                ),
                migrations.RemoveField(
                    model_name='liaisonassignmentevent',
                    name='assigned_by',
                ),
                migrations.RemoveField(
                    model_name='liaisonassignmentevent',
                    name='enterprise',
                ),
                migrations.RemoveField(
                    model_name='liaisonassignmentevent',
                    name='officer',
                ),
                migrations.RemoveField(
                    model_name='liaisonassignmentevent',
                    name='pgh_context',
                ),
                migrations.DeleteModel(
                    name='ContactPhoto',
                ),
                migrations.DeleteModel(
                    name='ContactRecord',
                ),
                migrations.DeleteModel(
                    name='ContactRecordEvent',
                ),
                migrations.DeleteModel(
                    name='LiaisonAssignment',
                ),
                migrations.DeleteModel(
                    name='LiaisonAssignmentEvent',
                ),
            ],
            database_operations=[],
        ),
    ]
