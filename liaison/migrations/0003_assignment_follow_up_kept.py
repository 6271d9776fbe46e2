"""Each assignment's last contact and next follow-up (`last_contact_at`, `due_on`) kept on the row by
triggers, instead of two correlated subqueries per assignment in every read (the coverage report, the
reminder sweep, the officer's list).

An assignment row recomputes both before every insert and update, from the officer's latest contact
record for the enterprise (by contact time, then id): its time and the next follow-up it set, or, with
no contact yet, the start plus the cadence. A contact record written, moved or deleted touches the
assignments of its (enterprise, officer) so that they recompute. The backfill is that touch on every row."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

INSTALL = """
CREATE FUNCTION liaison_assignment_follow_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_contact_at := NULL;
    NEW.due_on := NULL;
    SELECT r.contacted_at, r.next_follow_up INTO NEW.last_contact_at, NEW.due_on
    FROM enterprises_contactrecord r
    WHERE r.enterprise_id = NEW.enterprise_id AND r.officer_id = NEW.officer_id
    ORDER BY r.contacted_at DESC, r.id DESC LIMIT 1;
    NEW.due_on := COALESCE(NEW.due_on, NEW.started_on + NEW.cadence_days);
    RETURN NEW;
END
$$;

CREATE FUNCTION liaison_contact_follow_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE enterprises_liaisonassignment SET due_on = NULL
        WHERE enterprise_id = OLD.enterprise_id AND officer_id = OLD.officer_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.enterprise_id, NEW.officer_id)
                                              IS DISTINCT FROM (OLD.enterprise_id, OLD.officer_id)) THEN
        UPDATE enterprises_liaisonassignment SET due_on = NULL
        WHERE enterprise_id = NEW.enterprise_id AND officer_id = NEW.officer_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER liaison_assignment_follow_up BEFORE INSERT OR UPDATE ON enterprises_liaisonassignment
    FOR EACH ROW EXECUTE FUNCTION liaison_assignment_follow_up();
CREATE TRIGGER liaison_contact_follow_up
    AFTER INSERT OR DELETE OR UPDATE OF enterprise_id, officer_id, contacted_at, next_follow_up
    ON enterprises_contactrecord FOR EACH ROW EXECUTE FUNCTION liaison_contact_follow_up();

UPDATE enterprises_liaisonassignment SET due_on = NULL;
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS liaison_contact_follow_up ON enterprises_contactrecord;
DROP TRIGGER IF EXISTS liaison_assignment_follow_up ON enterprises_liaisonassignment;
DROP FUNCTION IF EXISTS liaison_contact_follow_up();
DROP FUNCTION IF EXISTS liaison_assignment_follow_up();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0009_problem_count'),
        ('liaison', '0002_contact_status_report'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The history trigger goes first, so that the backfill writes no history rows; its successor
        # leaves the kept columns out.
        pgtrigger.migrations.RemoveTrigger(
            model_name='liaisonassignment',
            name='update_update',
        ),
        migrations.AddField(
            model_name='liaisonassignment',
            name='last_contact_at',
            field=models.DateTimeField(editable=False, null=True, verbose_name='最近联系时间'),
        ),
        migrations.AddField(
            model_name='liaisonassignment',
            name='due_on',
            field=models.DateField(editable=False, null=True, verbose_name='下次联系日期'),
        ),
        migrations.RunSQL(INSTALL, reverse_sql=UNINSTALL),
        migrations.AlterField(
            model_name='liaisonassignment',
            name='due_on',
            field=models.DateField(editable=False, verbose_name='下次联系日期'),
        ),
        migrations.AddIndex(
            model_name='liaisonassignment',
            index=models.Index(condition=models.Q(('ended_on__isnull', True)), fields=['due_on'], name='liaison_current_due_idx'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='liaisonassignment',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."assigned_by_id" IS DISTINCT FROM (NEW."assigned_by_id") OR OLD."cadence_days" IS DISTINCT FROM (NEW."cadence_days") OR OLD."ended_on" IS DISTINCT FROM (NEW."ended_on") OR OLD."enterprise_id" IS DISTINCT FROM (NEW."enterprise_id") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."officer_id" IS DISTINCT FROM (NEW."officer_id") OR OLD."started_on" IS DISTINCT FROM (NEW."started_on"))', func='INSERT INTO "enterprises_liaisonassignmentevent" ("assigned_by_id", "cadence_days", "ended_on", "enterprise_id", "id", "officer_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "started_on") VALUES (NEW."assigned_by_id", NEW."cadence_days", NEW."ended_on", NEW."enterprise_id", NEW."id", NEW."officer_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."started_on"); RETURN NULL;', hash='0733f03e6160b9be3c0ef65f5b195fb557bf1dda', operation='UPDATE', pgid='pgtrigger_update_update_abbda', table='enterprises_liaisonassignment', when='AFTER')),
        ),
    ]
