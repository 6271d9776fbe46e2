"""A liaison officer's 问题台账 shows the problems of the enterprises assigned to them: an assignment
begun, ended or moved is a change of what their kept list shows (cases.ListChange; cases migration 0018
installs the function). Contacts only touch `last_contact_at` and `due_on`, which no list shows, so
the update trigger looks at the three columns that say who looks after which enterprise."""

from django.db import migrations

INSTALL = """
CREATE TRIGGER liaison_assignment_list_change AFTER INSERT OR DELETE ON enterprises_liaisonassignment
    FOR EACH STATEMENT EXECUTE FUNCTION cases_list_changed_all();
CREATE TRIGGER liaison_assignment_list_move AFTER UPDATE OF officer_id, enterprise_id, ended_on
    ON enterprises_liaisonassignment FOR EACH ROW
    WHEN (OLD.officer_id IS DISTINCT FROM NEW.officer_id OR OLD.enterprise_id IS DISTINCT FROM NEW.enterprise_id
          OR OLD.ended_on IS DISTINCT FROM NEW.ended_on)
    EXECUTE FUNCTION cases_list_changed_all();
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS liaison_assignment_list_change ON enterprises_liaisonassignment;
DROP TRIGGER IF EXISTS liaison_assignment_list_move ON enterprises_liaisonassignment;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("liaison", "0003_assignment_follow_up_kept"),
        ("cases", "0018_list_changes"),
    ]

    operations = [migrations.RunSQL(INSTALL, UNINSTALL)]
