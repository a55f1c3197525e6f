"""The deferred tranche check (0003, 0004) fires only when what it checks can change: a tranche inserted or
deleted, or its amount, grant or kind updated. A tranche's state (approved, disbursed, cancelled) is not part of
the sums or the 40 %/60 % split, so approving, paying or cancelling no longer queues a check per row (a round that
revokes 3,000 stations cancelled 3,000 tranches and checked each grant again at commit). docs/performance.md."""

from django.db import migrations

NARROW = """
DROP TRIGGER IF EXISTS funding_tranche_sums_to_grant ON funding_tranche;
CREATE CONSTRAINT TRIGGER funding_tranche_sums_to_grant
    AFTER INSERT OR DELETE OR UPDATE OF amount, grant_id, kind ON funding_tranche
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION funding_check_grant_tranches();
"""

WIDE = """
DROP TRIGGER IF EXISTS funding_tranche_sums_to_grant ON funding_tranche;
CREATE CONSTRAINT TRIGGER funding_tranche_sums_to_grant
    AFTER INSERT OR UPDATE OR DELETE ON funding_tranche
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION funding_check_grant_tranches();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0008_h4h13_construction_ended"),
    ]

    operations = [
        migrations.RunSQL(NARROW, WIDE),
    ]
