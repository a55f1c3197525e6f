"""``bulk.insert``: new rows from their values in one INSERT, every other field its default, as few rows (arrays) or
many (COPY)."""

from decimal import Decimal

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from funding.models import Tranche
from qinshui_station import bulk
from tests.funding.factories import funded_station

FIELDS = ("grant_id", "kind", "amount", "state", "approved_by_id", "approved_at", "disbursed_by_id", "disbursed_on",
          "voucher_number", "paid_account_name", "paid_bank", "paid_account_number", "cancelled_at", "cancel_reason",
          "cancel_event")


@pytest.mark.parametrize("copy_from", [500, 2])  # the rows as arrays, then copied
def test_insert_writes_the_values_the_constants_and_the_defaults_and_returns_the_ids_in_order(
        db, hr_user, monkeypatch, copy_from):
    monkeypatch.setattr(bulk, "COPY_FROM", copy_from)
    (_one, first), (_two, second) = funded_station(hr=hr_user), funded_station(hr=hr_user, amount=Decimal("33333.33"))
    before = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        ids = bulk.insert(Tranche, ("grant_id", "amount"), [(second.pk, Decimal("20000.00")),
                                                            (first.pk, Decimal("60000.00"))], kind="second")
    assert [q["sql"].split()[0] for q in queries] == (["INSERT"] if copy_from == 500 else ["CREATE", "COPY", "INSERT"])
    rows = {t.pk: t for t in Tranche.objects.filter(pk__in=ids)}
    assert [tuple(getattr(rows[pk], name) for name in FIELDS) for pk in ids] == [
        (second.pk, "second", Decimal("20000.00"), "scheduled", None, None, None, None, "", "", "", "", None, "", ""),
        (first.pk, "second", Decimal("60000.00"), "scheduled", None, None, None, None, "", "", "", "", None, "", "")]
    assert all(before <= rows[pk].scheduled_at <= timezone.now() for pk in ids)  # auto_now_add: the moment written


def test_insert_refuses_a_field_it_does_not_write(db):
    with pytest.raises(FieldDoesNotExist):
        bulk.insert(Tranche, ("grant_id",), [(1,)], colour="red")
    with pytest.raises(TypeError, match=r"funding.Tranche: not a field insert writes: \['id'\]"):
        bulk.insert(Tranche, ("grant_id",), [(1,)], id=7)


def test_the_collector_is_paused_for_the_block_and_then_as_it_was():
    import gc

    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk.collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk.collector_paused():
            pass
        assert not gc.isenabled()  # it was off: left off
    finally:
        gc.enable()
