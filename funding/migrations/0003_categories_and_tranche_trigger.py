"""第十二条's expenditure categories as data, and the deferred constraint trigger that keeps a grant's
tranches equal to split(grant.amount): first = round(A × 40%, 2) (half up; amounts are positive, so
PostgreSQL's half-away-from-zero round() is the same), second = A − first; together never more than A, and
exactly A once both exist."""

from django.db import migrations

ARTICLE_12 = ("《沁水县技师工作站管理考核办法》第十二条：补助资金主要用于技师工作站所需仪器设备购置改造与维护、"
              "原材料消耗、技能攻关、人才培养、技能交流等支出，不得用于差旅费、劳务费等与技师工作站建设无关的其他开支。")

CATEGORIES = [
    # code, name, allowed, order
    ("equipment", "仪器设备购置改造与维护", True, 10),
    ("materials", "原材料消耗", True, 20),
    ("technical-projects", "技能攻关", True, 30),
    ("talent-training", "人才培养", True, 40),
    ("skills-exchange", "技能交流", True, 50),
    ("travel", "差旅费", False, 110),
    ("labour-fees", "劳务费", False, 120),
    ("unrelated", "与工作站建设无关的其他开支", False, 130),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("funding", "ExpenditureCategory")
    for code, name, allowed, order in CATEGORIES:
        Category.objects.update_or_create(
            code=code, defaults={"name": name, "allowed": allowed, "order": order, "active": True,
                                 "refusal": "" if allowed else ARTICLE_12},
        )


def remove_categories(apps, schema_editor):
    apps.get_model("funding", "ExpenditureCategory").objects.filter(
        code__in=[c[0] for c in CATEGORIES], expenditures__isnull=True).delete()


TRIGGER = r"""
CREATE OR REPLACE FUNCTION funding_check_grant_tranches() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    grant_ids bigint[];
    gid bigint;
    grant_amount numeric;
    first_due numeric;
    total numeric;
    tranche_count integer;
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
        SELECT amount INTO grant_amount FROM funding_grant WHERE id = gid;
        CONTINUE WHEN NOT FOUND;
        first_due := round(grant_amount * 0.40, 2);
        SELECT coalesce(sum(amount), 0), count(*) INTO total, tranche_count
          FROM funding_tranche WHERE grant_id = gid;
        IF total > grant_amount OR (tranche_count = 2 AND total <> grant_amount) THEN
            RAISE EXCEPTION 'grant %: tranches sum to %, the grant is %', gid, total, grant_amount
                USING ERRCODE = 'check_violation', CONSTRAINT = 'tranches_sum_to_grant';
        END IF;
        IF EXISTS (SELECT 1 FROM funding_tranche
                    WHERE grant_id = gid
                      AND ((kind = 'first' AND amount <> first_due)
                           OR (kind = 'second' AND amount <> grant_amount - first_due))) THEN
            RAISE EXCEPTION 'grant %: tranche amounts differ from the 40%%/60%% split of %', gid, grant_amount
                USING ERRCODE = 'check_violation', CONSTRAINT = 'tranches_follow_split';
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER funding_tranche_sums_to_grant
    AFTER INSERT OR UPDATE OR DELETE ON funding_tranche
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION funding_check_grant_tranches();

CREATE CONSTRAINT TRIGGER funding_grant_amount_matches_tranches
    AFTER UPDATE OF amount ON funding_grant
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION funding_check_grant_tranches();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS funding_grant_amount_matches_tranches ON funding_grant;
DROP TRIGGER IF EXISTS funding_tranche_sums_to_grant ON funding_tranche;
DROP FUNCTION IF EXISTS funding_check_grant_tranches();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0002_ledger_models"),
    ]

    operations = [
        migrations.RunPython(add_categories, remove_categories),
        migrations.RunSQL(TRIGGER, DROP_TRIGGER),
    ]
