"""The transition engine: one row or a set, the same checks, one audit INSERT; system moves; events."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qinshui_station import engine, events
from qinshui_station.models import AuditEntry, Workstation
from qinshui_station.workflow import TransitionRefused
from tests import factories


def test_a_system_move_is_refused_when_asked_for_directly(db, hr_user):
    station = factories.WorkstationFactory()
    with pytest.raises(TransitionRefused) as info:
        engine.move(station, to="accepted", actor=hr_user, reason="验收")
    assert str(info.value) == "建设期满验收在年度评估定级时统一办理。"
    engine.move(station, to="accepted", actor=hr_user, reason="验收", system=True)
    assert Workstation.objects.get(pk=station.pk).state == "accepted"


def test_a_set_is_refused_whole_when_one_row_cannot_move(db, hr_user):
    fresh, done = factories.WorkstationFactory(), factories.WorkstationFactory()
    Workstation.objects.filter(pk=done.pk).update(state="accepted")
    with pytest.raises(TransitionRefused) as info:
        engine.move_many(Workstation.objects.filter(pk__in=[fresh.pk, done.pk]), to="accepted", actor=hr_user,
                         system=True)
    assert str(info.value) == "已是“验收合格”，无需再办理（可能已在其他页面或由他人办理）。"
    assert Workstation.objects.get(pk=fresh.pk).state == "construction"
    assert not AuditEntry.objects.exists()


def test_a_set_checks_the_role(db, unit_user):
    station = factories.WorkstationFactory()
    with pytest.raises(PermissionDenied):
        engine.move_many(Workstation.objects.filter(pk=station.pk), to="revoked", actor=unit_user, reason="x")


def test_a_set_needs_each_rows_reason(db, hr_user):
    one, two = factories.WorkstationFactory(), factories.WorkstationFactory()
    reasons = {one.pk: "材料造假", two.pk: "  "}
    with pytest.raises(TransitionRefused) as info:
        engine.move_many(Workstation.objects.filter(pk__in=[one.pk, two.pk]), to="revoked", actor=hr_user,
                         reason=lambda s: reasons[s.pk])
    assert str(info.value) == "请填写理由。"


@pytest.mark.parametrize("size", [2, 9])
def test_a_set_takes_the_same_statements_whatever_its_size(db, hr_user, size):
    stations = [factories.WorkstationFactory() for _ in range(size)]
    with CaptureQueriesContext(connection) as queries:
        moved = engine.move_many(Workstation.objects.filter(pk__in=[s.pk for s in stations]), to="accepted",
                                 actor=hr_user, reason="验收合格", action="final_acceptance", system=True)
    assert len(moved) == size
    assert len(queries) == 3  # lock and read, UPDATE, the audit INSERT
    assert sorted(AuditEntry.objects.values_list("object_label", "action", "from_state", "to_state", "reason",
                                                 "actor_label")) == sorted(
        (s.name, "final_acceptance", "construction", "accepted", "验收合格", f"{hr_user}（{hr_user.organization}）")
        for s in stations)


def test_actions_give_the_open_moves_and_why_others_are_not_open(db, hr_user, unit_user):
    station = factories.WorkstationFactory()
    assert [(a.to, a.is_open) for a in engine.actions(station, hr_user)] == [("revoked", True)]
    assert engine.actions(station, unit_user) == []
    assert engine.can(station, "revoked", actor=hr_user) is True
    assert engine.can(station, "accepted", actor=hr_user) is False


def test_an_unknown_event_is_a_programming_error():
    with pytest.raises(ValueError):
        events.announce(events.StationEvent("renamed", actor=None, reasons={1: "x"}))
    with pytest.raises(ValueError):
        events.subscribe("renamed", print)


def test_every_subscriber_is_registered_once():
    assert [h.__module__ + "." + h.__name__ for h in events.subscribers(events.REVOKED)] == [
        "funding.services.on_station_revoked", "reviews.services.on_station_revoked"]
    assert [h.__module__ + "." + h.__name__ for h in events.subscribers(events.ACCEPTED)] == [
        "funding.services.on_station_accepted"]
    assert [h.__module__ + "." + h.__name__ for h in events.subscribers(events.RECOGNIZED)] == [
        "funding.services.on_station_recognized"]


def test_a_set_writes_its_notifications_once_each_in_one_statement_and_its_many_rows_by_copy(db, hr_user, settings):
    from qinshui_station import bulk
    from qinshui_station.models import Delivery, Notification

    unit = factories.UnitUserFactory()
    stations = [factories.WorkstationFactory(unit=unit.organization, occupation=f"钳工{i}") for i in range(bulk.COPY_FROM)]
    with CaptureQueriesContext(connection) as queries:
        engine.move_many(Workstation.objects.filter(pk__in=[s.pk for s in stations]), to="accepted", actor=hr_user,
                         reason="验收合格", system=True,
                         notify=lambda s: [([unit, unit.pk], "验收合格，请查看。", "/workstations/")])
    # lock and read; the ids copied, UPDATE; the entries copied, INSERT; the notifications, outbox and job
    assert [q["sql"].split()[0] for q in queries][1:] == ["CREATE", "COPY", "UPDATE", "CREATE", "COPY", "INSERT",
                                                          "WITH"]
    assert AuditEntry.objects.filter(action="transition", reason="验收合格").count() == bulk.COPY_FROM
    # one unit, its 500 stations, the same notice: one notification and one e-mail
    assert list(Notification.objects.values_list("recipient_id", "message", "url")) == [
        (unit.pk, "验收合格，请查看。", "/workstations/")]
    assert list(Delivery.objects.values_list("to_address", "subject")) == [(unit.email, "【沁水县技师工作站】验收合格，请查看。")]


def test_a_rolled_back_move_notifies_nobody(db, hr_user, unit_user):
    from django.db import transaction

    from qinshui_station.models import Delivery, Notification

    station = factories.WorkstationFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        engine.move(station, to="accepted", actor=hr_user, reason="验收", system=True,
                    notify=lambda s: [([unit_user], f"{s.name}验收合格", "/home/")])
        assert Notification.objects.filter(recipient=unit_user).count() == 1
        raise RuntimeError
    assert (Notification.objects.count(), Delivery.objects.count()) == (0, 0)


def test_a_sets_rows_hold_their_related_rows_and_load_what_only_left_out_on_use(db, hr_user):
    from funding.models import Tranche
    from funding.workflow import CancelEvent
    from tests.funding.factories import funded_station

    station, grant = funded_station(hr=hr_user)
    tranche = Tranche.objects.get(grant=grant)
    [row] = engine.move_many(Tranche.objects.filter(pk=tranche.pk), to="cancelled", actor=hr_user, reason="撤销",
                             cancelled_at=tranche.scheduled_at, cancel_reason="撤销",
                             cancel_event=CancelEvent.MANUAL)
    with CaptureQueriesContext(connection) as queries:  # the table's related rows came with it
        seen = (str(row), row.grant.workstation.unit.name, row.amount, row._state.adding)
    assert (seen, len(queries)) == ((str(tranche), station.unit.name, tranche.amount, False), 0)
    [row] = engine.move_many(Workstation.objects.filter(pk=station.pk), to="accepted", actor=hr_user, reason="验收",
                             system=True, only=("name",))
    with CaptureQueriesContext(connection) as queries:  # left out by only: loaded on first use
        seen = (row.name, row.unit_id)
    assert (seen, len(queries)) == ((station.name, station.unit_id), 1)
    assert row == Workstation.objects.get(state="accepted")
