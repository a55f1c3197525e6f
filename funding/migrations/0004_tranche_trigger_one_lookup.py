"""The deferred tranche check (0003) in one indexed statement per grant instead of three: the grant and its
tranches' sum, count and split in a single join on funding_tranche(grant_id). Same rules, same errors and
constraint names (tests/funding). docs/performance.md."""

from django.db import migrations


FUNCTION = r"""
CREATE OR REPLACE FUNCTION funding_check_grant_tranches() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    grant_ids bigint[];
    gid bigint;
    grant_amount numeric;
    total numeric;
    tranche_count integer;
    off_split boolean;
BEGIN
    IF TG_TABLE_NAME = 'funding_grant' THEN
        grant_ids := ARRAY[NEW.id];
    ELSIF TG_OP = 'DELETE' THEN
        grant_ids := ARRAY[OLD.grant_id];
    ELSIF TG_OP = 'UPDATE' AND OLD.grant_id IS DISTINCT FROM NEW.grant_id THEN
        grant_ids := ARRAY[OLD.grant_id, NEW.grant_id];
    ELSE
        grant_ids := ARRAY[NEW.grant_id];
    END IF;
    FOREACH gid IN ARRAY grant_ids LOOP
        SELECT g.amount, coalesce(sum(t.amount), 0), count(t.id),
               coalesce(bool_or((t.kind = 'first' AND t.amount <> round(g.amount * 0.40, 2))
                                OR (t.kind = 'second' AND t.amount <> g.amount - round(g.amount * 0.40, 2))), false)
          INTO grant_amount, total, tranche_count, off_split
          FROM funding_grant g LEFT JOIN funding_tranche t ON t.grant_id = g.id
         WHERE g.id = gid
         GROUP BY g.id, g.amount;
        CONTINUE WHEN NOT FOUND;
        IF total > grant_amount OR (tranche_count = 2 AND total <> grant_amount) THEN
            RAISE EXCEPTION 'grant %: tranches sum to %, the grant is %', gid, total, grant_amount
                USING ERRCODE = 'check_violation', CONSTRAINT = 'tranches_sum_to_grant';
        END IF;
        IF off_split THEN
            RAISE EXCEPTION 'grant %: tranche amounts differ from the 40%%/60%% split of %', gid, grant_amount
                USING ERRCODE = 'check_violation', CONSTRAINT = 'tranches_follow_split';
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;
"""


def previous_function() -> str:
    from importlib import import_module

    sql = import_module("funding.migrations.0003_categories_and_tranche_trigger").TRIGGER
    return sql.split("CREATE CONSTRAINT TRIGGER")[0]


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0003_categories_and_tranche_trigger"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, previous_function()),
    ]
