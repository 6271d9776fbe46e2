"""Each enterprise's open-problem count (enterprises.ProblemCount), kept by statement triggers on the
problems and the enterprises they name. A problem counts once for each enterprise it is about or
names while it is not closed. Differences are applied in key order so that concurrent transactions
lock count rows in the same order."""

from django.db import migrations

INSTALL = """
CREATE FUNCTION cases_problem_counts_add(deltas jsonb) RETURNS void LANGUAGE sql AS $$
    INSERT INTO enterprises_problemcount (enterprise_id, open)
    SELECT (d->>0)::bigint, (d->>1)::int FROM jsonb_array_elements(deltas) AS d ORDER BY 1
    ON CONFLICT (enterprise_id) DO UPDATE SET open = enterprises_problemcount.open + EXCLUDED.open;
$$;

CREATE FUNCTION cases_problem_counts_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE deltas jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_array(enterprise_id, n)) INTO deltas FROM (
            SELECT enterprise_id, count(*) AS n FROM new_rows WHERE state <> 'closed' GROUP BY 1) AS s;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(jsonb_build_array(enterprise_id, n)) INTO deltas FROM (
            SELECT enterprise_id, -count(*) AS n FROM old_rows WHERE state <> 'closed' GROUP BY 1) AS s;
    ELSE
        WITH moved AS (
            SELECT o.id, o.enterprise_id AS old_enterprise, n.enterprise_id AS new_enterprise,
                   o.state <> 'closed' AS was_open, n.state <> 'closed' AS is_open
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.state <> 'closed') <> (n.state <> 'closed') OR o.enterprise_id <> n.enterprise_id
        ), d AS (
            SELECT old_enterprise AS e, -1 AS d FROM moved WHERE was_open
            UNION ALL
            SELECT new_enterprise, 1 FROM moved WHERE is_open
            UNION ALL
            SELECT nm.enterprise_id, -1 FROM moved JOIN cases_case_named_enterprises nm ON nm.case_id = moved.id
            WHERE was_open AND nm.enterprise_id <> old_enterprise
            UNION ALL
            SELECT nm.enterprise_id, 1 FROM moved JOIN cases_case_named_enterprises nm ON nm.case_id = moved.id
            WHERE is_open AND nm.enterprise_id <> new_enterprise
        )
        SELECT jsonb_agg(jsonb_build_array(e, n)) INTO deltas FROM (
            SELECT e, sum(d) AS n FROM d GROUP BY e HAVING sum(d) <> 0) AS s;
    END IF;
    IF deltas IS NOT NULL THEN
        PERFORM cases_problem_counts_add(deltas);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION cases_problem_counts_named() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE deltas jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_array(enterprise_id, n)) INTO deltas FROM (
            SELECT r.enterprise_id, count(*) AS n FROM new_rows r JOIN cases_case c ON c.id = r.case_id
            WHERE c.state <> 'closed' AND r.enterprise_id <> c.enterprise_id GROUP BY 1) AS s;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(jsonb_build_array(enterprise_id, n)) INTO deltas FROM (
            SELECT r.enterprise_id, -count(*) AS n FROM old_rows r JOIN cases_case c ON c.id = r.case_id
            WHERE c.state <> 'closed' AND r.enterprise_id <> c.enterprise_id GROUP BY 1) AS s;
    END IF;
    IF deltas IS NOT NULL THEN
        PERFORM cases_problem_counts_add(deltas);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER cases_problem_counts_insert AFTER INSERT ON cases_case
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_problem_counts_case();
CREATE TRIGGER cases_problem_counts_update AFTER UPDATE ON cases_case
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_problem_counts_case();
CREATE TRIGGER cases_problem_counts_delete AFTER DELETE ON cases_case
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_problem_counts_case();
CREATE TRIGGER cases_problem_counts_named_insert AFTER INSERT ON cases_case_named_enterprises
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_problem_counts_named();
CREATE TRIGGER cases_problem_counts_named_delete AFTER DELETE ON cases_case_named_enterprises
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_problem_counts_named();
"""

FILL = """
INSERT INTO enterprises_problemcount (enterprise_id, open)
SELECT enterprise_id, count(*) FROM (
    SELECT id AS case_id, enterprise_id FROM cases_case WHERE state <> 'closed'
    UNION
    SELECT nm.case_id, nm.enterprise_id FROM cases_case_named_enterprises nm
    JOIN cases_case c ON c.id = nm.case_id WHERE c.state <> 'closed'
) AS memberships GROUP BY enterprise_id;
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS cases_problem_counts_insert ON cases_case;
DROP TRIGGER IF EXISTS cases_problem_counts_update ON cases_case;
DROP TRIGGER IF EXISTS cases_problem_counts_delete ON cases_case;
DROP TRIGGER IF EXISTS cases_problem_counts_named_insert ON cases_case_named_enterprises;
DROP TRIGGER IF EXISTS cases_problem_counts_named_delete ON cases_case_named_enterprises;
DROP FUNCTION IF EXISTS cases_problem_counts_case();
DROP FUNCTION IF EXISTS cases_problem_counts_named();
DROP FUNCTION IF EXISTS cases_problem_counts_add(jsonb);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_case_tally'),
        ('enterprises', '0009_problem_count'),
    ]

    operations = [
        migrations.RunSQL(INSTALL + FILL, reverse_sql=UNINSTALL),
    ]
