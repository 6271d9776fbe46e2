"""经办人: the province official who holds a problem; existing problems take the official of their own
region who registered them."""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_extension'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='case',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='case',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='case',
            name='delete_delete',
        ),
        migrations.AddField(
            model_name='case',
            name='handler',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='handled_cases', to=settings.AUTH_USER_MODEL, verbose_name='经办人'),
        ),
        migrations.AddField(
            model_name='casehistory',
            name='handler',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='case',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "cases_casehistory" ("accepted_at", "category_id", "closed_at", "closure_type", "confirm_method", "confirmed_by", "confirmed_on", "created_at", "description", "due_at", "duplicate_of_id", "enterprise_id", "escalated_at", "handler_id", "id", "level", "local_person", "local_phone", "local_unit", "next_review", "number", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_state", "region_id", "reopen_count", "reporter_id", "request", "responded_at", "response", "satisfaction", "sequence", "signed_by_id", "source", "state", "supervision", "supply_link_id", "title", "updated_at", "urgency", "version", "year") VALUES (NEW."accepted_at", NEW."category_id", NEW."closed_at", NEW."closure_type", NEW."confirm_method", NEW."confirmed_by", NEW."confirmed_on", NEW."created_at", NEW."description", NEW."due_at", NEW."duplicate_of_id", NEW."enterprise_id", NEW."escalated_at", NEW."handler_id", NEW."id", NEW."level", NEW."local_person", NEW."local_phone", NEW."local_unit", NEW."next_review", NEW."number", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."previous_state", NEW."region_id", NEW."reopen_count", NEW."reporter_id", NEW."request", NEW."responded_at", NEW."response", NEW."satisfaction", NEW."sequence", NEW."signed_by_id", NEW."source", NEW."state", NEW."supervision", NEW."supply_link_id", NEW."title", NEW."updated_at", NEW."urgency", NEW."version", NEW."year"); RETURN NULL;', hash='f1730bdf8a8cc447c81dbd3a38e67264815a45c0', operation='INSERT', pgid='pgtrigger_insert_insert_0b483', table='cases_case', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='case',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "cases_casehistory" ("accepted_at", "category_id", "closed_at", "closure_type", "confirm_method", "confirmed_by", "confirmed_on", "created_at", "description", "due_at", "duplicate_of_id", "enterprise_id", "escalated_at", "handler_id", "id", "level", "local_person", "local_phone", "local_unit", "next_review", "number", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_state", "region_id", "reopen_count", "reporter_id", "request", "responded_at", "response", "satisfaction", "sequence", "signed_by_id", "source", "state", "supervision", "supply_link_id", "title", "updated_at", "urgency", "version", "year") VALUES (NEW."accepted_at", NEW."category_id", NEW."closed_at", NEW."closure_type", NEW."confirm_method", NEW."confirmed_by", NEW."confirmed_on", NEW."created_at", NEW."description", NEW."due_at", NEW."duplicate_of_id", NEW."enterprise_id", NEW."escalated_at", NEW."handler_id", NEW."id", NEW."level", NEW."local_person", NEW."local_phone", NEW."local_unit", NEW."next_review", NEW."number", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."previous_state", NEW."region_id", NEW."reopen_count", NEW."reporter_id", NEW."request", NEW."responded_at", NEW."response", NEW."satisfaction", NEW."sequence", NEW."signed_by_id", NEW."source", NEW."state", NEW."supervision", NEW."supply_link_id", NEW."title", NEW."updated_at", NEW."urgency", NEW."version", NEW."year"); RETURN NULL;', hash='3864b33d49c47b8db6a0accf14ae2911fe8ca007', operation='UPDATE', pgid='pgtrigger_update_update_f5146', table='cases_case', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='case',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "cases_casehistory" ("accepted_at", "category_id", "closed_at", "closure_type", "confirm_method", "confirmed_by", "confirmed_on", "created_at", "description", "due_at", "duplicate_of_id", "enterprise_id", "escalated_at", "handler_id", "id", "level", "local_person", "local_phone", "local_unit", "next_review", "number", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_state", "region_id", "reopen_count", "reporter_id", "request", "responded_at", "response", "satisfaction", "sequence", "signed_by_id", "source", "state", "supervision", "supply_link_id", "title", "updated_at", "urgency", "version", "year") VALUES (OLD."accepted_at", OLD."category_id", OLD."closed_at", OLD."closure_type", OLD."confirm_method", OLD."confirmed_by", OLD."confirmed_on", OLD."created_at", OLD."description", OLD."due_at", OLD."duplicate_of_id", OLD."enterprise_id", OLD."escalated_at", OLD."handler_id", OLD."id", OLD."level", OLD."local_person", OLD."local_phone", OLD."local_unit", OLD."next_review", OLD."number", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."previous_state", OLD."region_id", OLD."reopen_count", OLD."reporter_id", OLD."request", OLD."responded_at", OLD."response", OLD."satisfaction", OLD."sequence", OLD."signed_by_id", OLD."source", OLD."state", OLD."supervision", OLD."supply_link_id", OLD."title", OLD."updated_at", OLD."urgency", OLD."version", OLD."year"); RETURN NULL;', hash='186a0886b54f0d4280563555ef0379acab927aa2', operation='DELETE', pgid='pgtrigger_delete_delete_8d49e', table='cases_case', when='AFTER')),
        ),
        migrations.RunSQL(
            "UPDATE cases_case c SET handler_id = c.reporter_id FROM chainwork_user u "
            "WHERE u.id = c.reporter_id AND u.role IN ('province', 'province_lead') AND u.region_id = c.region_id",
            migrations.RunSQL.noop),
    ]
