"""A finalized round locks its scores in the database too: any INSERT, UPDATE or DELETE of a sheet, a
count, an assignment or evidence of a finalized round, and any change to a graded evaluation, is refused
(the services refuse first, with a message; this guards everything else)."""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION reviews_locked_by_assignment() RETURNS trigger AS $$
DECLARE aid bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN aid := OLD.assignment_id; ELSE aid := NEW.assignment_id; END IF;
  IF EXISTS (SELECT 1 FROM reviews_assignment a JOIN reviews_evaluation e ON e.id = a.evaluation_id
             JOIN reviews_evaluationround r ON r.id = e.round_id WHERE a.id = aid AND r.state = 'finalized') THEN
    RAISE EXCEPTION 'reviews: the evaluation round is finalized, its scores are locked';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION reviews_locked_by_evaluation() RETURNS trigger AS $$
DECLARE eid bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN eid := OLD.evaluation_id; ELSE eid := NEW.evaluation_id; END IF;
  IF EXISTS (SELECT 1 FROM reviews_evaluation e JOIN reviews_evaluationround r ON r.id = e.round_id
             WHERE e.id = eid AND r.state = 'finalized') THEN
    RAISE EXCEPTION 'reviews: the evaluation round is finalized, its scores are locked';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION reviews_graded_is_final() RETURNS trigger AS $$
BEGIN
  IF OLD.state = 'graded' THEN
    RAISE EXCEPTION 'reviews: a graded evaluation cannot be changed';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

TABLES_BY_ASSIGNMENT = ("reviews_expertscore", "reviews_acceptedcount")
TABLES_BY_EVALUATION = ("reviews_selfscore", "reviews_claimedcount", "reviews_evaluationattachment",
                        "reviews_assignment")

TRIGGERS = "\n".join(
    [f"CREATE TRIGGER {t}_locked BEFORE INSERT OR UPDATE OR DELETE ON {t} "
     f"FOR EACH ROW EXECUTE FUNCTION reviews_locked_by_assignment();" for t in TABLES_BY_ASSIGNMENT]
    + [f"CREATE TRIGGER {t}_locked BEFORE INSERT OR UPDATE OR DELETE ON {t} "
       f"FOR EACH ROW EXECUTE FUNCTION reviews_locked_by_evaluation();" for t in TABLES_BY_EVALUATION]
    + ["CREATE TRIGGER reviews_evaluation_graded BEFORE UPDATE OR DELETE ON reviews_evaluation "
       "FOR EACH ROW EXECUTE FUNCTION reviews_graded_is_final();"]
)

DROP = "\n".join(
    [f"DROP TRIGGER IF EXISTS {t}_locked ON {t};" for t in TABLES_BY_ASSIGNMENT + TABLES_BY_EVALUATION]
    + ["DROP TRIGGER IF EXISTS reviews_evaluation_graded ON reviews_evaluation;",
       "DROP FUNCTION IF EXISTS reviews_locked_by_assignment();",
       "DROP FUNCTION IF EXISTS reviews_locked_by_evaluation();",
       "DROP FUNCTION IF EXISTS reviews_graded_is_final();"]
)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_rubric_2023")]

    operations = [migrations.RunSQL(FUNCTIONS + TRIGGERS, DROP)]
