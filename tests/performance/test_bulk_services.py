"""The bulk variants the round's finalization uses have the per-station services' effects: the same rows,
audit entries and notifications, the same refusals, the deferred tranche trigger satisfied; and finalizing
a round with failures and final acceptances takes the same number of queries for 2 or 8 stations."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding import services as funding
from funding.models import Tranche
from funding.workflow import CancelEvent
from qinshui_station import services as core
from qinshui_station.models import AuditEntry, Notification, Revocation, RevocationGround
from qinshui_station.workflow import TransitionRefused
from reviews import services as reviews
from reviews.models import Evaluation
from tests import factories
from tests.funding.factories import accepted, disbursed_station, funded_station
from tests.reviews import factories as rf

D = Decimal
FAILED = RevocationGround.FAILED_EVALUATION


def _audit(ws_or_tranche_ids, object_type):
    return list(AuditEntry.objects.filter(object_type=object_type, object_id__in=[str(i) for i in ws_or_tranche_ids])
                .order_by("object_id").values_list("object_label", "action", "from_state", "to_state", "reason",
                                                   "data", "actor_label"))


@pytest.fixture
def rubric(db):
    return rf.rubric_2023()


@pytest.fixture
def immediate(db):
    """The deferred tranche trigger fires at the statement, inside the test's transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_bulk_revocation_writes_what_the_per_station_service_writes(db, hr_user):
    one, two, three = (factories.WorkstationFactory() for _ in range(3))
    core.revoke_workstation(workstation_id=one.pk, actor=hr_user, ground=FAILED, facts="总分50.00分")
    assert len(core.revoke_workstations(actor=hr_user, ground=FAILED, facts={two.pk: "总分50.00分",
                                                                             three.pk: "总分40.00分"})) == 2
    rows = {r.workstation_id: (r.ground, r.facts, r.effective_on, r.decided_by_id)
            for r in Revocation.objects.all()}
    assert rows[two.pk] == rows[one.pk][:1] + ("总分50.00分",) + rows[one.pk][2:]
    assert rows[three.pk][1] == "总分40.00分"
    for station in (two, three):
        station.refresh_from_db()
        assert (station.state, station.revoked_on) == ("revoked", rows[one.pk][2])
    label = "年度评估不合格（第九条）"
    assert [e[1:] for e in _audit([one.pk, two.pk], "qinshui_station.workstation")] == [
        ("revoke", "construction", "revoked", f"{label}：总分50.00分", {}, str(hr_user) + f"（{hr_user.organization}）")
    ] * 2
    assert _audit([two.pk], "qinshui_station.workstation")[0][0] == two.name


def test_bulk_revocation_refuses_a_revoked_station_and_other_roles(db, hr_user, unit_user):
    done, fresh = factories.WorkstationFactory(), factories.WorkstationFactory()
    core.revoke_workstation(workstation_id=done.pk, actor=hr_user, ground=FAILED, facts="不合格")
    with pytest.raises(ValidationError):
        core.revoke_workstations(actor=hr_user, ground=FAILED, facts={done.pk: "x", fresh.pk: "y"})
    with pytest.raises(PermissionDenied):
        core.revoke_workstations(actor=unit_user, ground=FAILED, facts={fresh.pk: "y"})
    fresh.refresh_from_db()
    assert fresh.state == "construction"


def test_bulk_acceptance_moves_construction_stations_and_refuses_others(db, hr_user):
    (one, _g1), (two, _g2), (revoked, _g3) = (funded_station(hr=hr_user) for _ in range(3))
    core.revoke_workstation(workstation_id=revoked.pk, actor=hr_user, ground=FAILED, facts="不合格")
    assert core.accept_workstations(actor=hr_user, workstation_ids=[one.pk, two.pk], reason="2027年度建设期满验收合格") == 2
    one.refresh_from_db()
    assert one.state == "accepted"
    assert [e[1:5] for e in _audit([one.pk, two.pk], "qinshui_station.workstation")] == [
        ("final_acceptance", "construction", "accepted", "2027年度建设期满验收合格")] * 2
    with pytest.raises(TransitionRefused):
        core.accept_workstations(actor=hr_user, workstation_ids=[revoked.pk], reason="验收")


def test_bulk_cancellation_cancels_audits_and_tells_the_unit_and_bureaus(db, immediate, hr_user, finance_user):
    ws_a, grant_a = disbursed_station(hr=hr_user, finance=finance_user)
    accepted(ws_a)
    funding.schedule_second_tranche(workstation=ws_a, actor=hr_user)
    ws_b, grant_b = funded_station(hr=hr_user, amount=D("33333.33"))
    unit_user = factories.UnitUserFactory(organization=ws_b.unit)
    Notification.objects.all().delete()
    count = funding.cancel_open_tranches(reasons={ws_a.pk: "甲不合格", ws_b.pk: "乙不合格"}, actor=hr_user,
                                         event=CancelEvent.FAILED_EVALUATION)
    assert count == 2
    assert sorted(Tranche.objects.values_list("grant_id", "kind", "state", "cancel_reason", "cancel_event")) == sorted([
        (grant_a.pk, "first", "disbursed", "", ""), (grant_a.pk, "second", "cancelled", "甲不合格", "failed_evaluation"),
        (grant_b.pk, "first", "cancelled", "乙不合格", "failed_evaluation")])
    first_b = Tranche.objects.get(grant=grant_b)
    assert _audit([first_b.pk], "funding.tranche")[-1][:6] == (
        str(first_b), "tranche_cancelled", "scheduled", "cancelled", "乙不合格", {"event": "failed_evaluation"})
    message = f"{ws_b.name}的1笔未拨付补助资金已取消（年度评估不合格）：乙不合格"
    assert sorted(Notification.objects.filter(message=message).values_list("recipient_id", "url")) == sorted(
        (u.pk, f"/funding/stations/{ws_b.pk}/") for u in (unit_user, hr_user, finance_user))


def test_bulk_second_tranches_split_the_grant_and_satisfy_the_trigger(db, immediate, hr_user):
    ws_a, grant_a = funded_station(hr=hr_user)
    ws_b, grant_b = funded_station(hr=hr_user, amount=D("33333.33"))
    Notification.objects.all().delete()
    accepted(ws_a, ws_b)
    assert len(funding.schedule_second_tranches(workstation_ids=[ws_a.pk, ws_b.pk], actor=hr_user)) == 2
    second = {t.grant_id: t for t in Tranche.objects.filter(kind="second")}
    assert (second[grant_a.pk].amount, second[grant_b.pk].amount) == (D("60000.00"), D("20000.00"))
    assert second[grant_b.pk].state == "scheduled"
    assert _audit([second[grant_b.pk].pk], "funding.tranche")[0][:4] == (
        str(second[grant_b.pk]), "tranche_scheduled", "", "scheduled")
    assert list(Notification.objects.filter(recipient=hr_user, url=f"/funding/tranches/{second[grant_b.pk].pk}/")
                .values_list("message", flat=True)) == [f"{ws_b.name}第二批（60%，建设期满验收合格后）¥20,000.00已安排，请审批。"]
    with pytest.raises(ValidationError):
        funding.schedule_second_tranches(workstation_ids=[ws_a.pk], actor=hr_user)


def test_bulk_second_tranche_names_a_station_without_a_grant(db, hr_user):
    ws = factories.WorkstationFactory()
    with pytest.raises(ValidationError) as refused:
        funding.schedule_second_tranches(workstation_ids=[ws.pk], actor=hr_user)
    assert refused.value.messages == [f"{ws.name}没有建设补助记录，无法安排第二批资金。"]


def test_finalizing_with_failures_and_acceptances_takes_the_same_queries_for_2_or_8_stations(rubric, hr_user, expert):
    counts = []
    for size, year in ((2, 2061), (8, 2071)):
        round_ = rf.open_round(hr_user, year=year)
        for i in range(size):
            if i % 2:
                evaluation = rf.scored_evaluation(round_, hr_user, [expert], system="15", support="15",
                                                  mentoring="20", exchange="9.5")  # 59.5: revoked
            else:
                evaluation = rf.scored_evaluation(round_, hr_user, [expert], final=True, **rf.FULL_JUDGED)
            rf.grant(evaluation.workstation, hr_user)
            factories.UnitUserFactory(organization=evaluation.workstation.unit)
        with CaptureQueriesContext(connection) as queries:
            reviews.finalize_round(actor=hr_user, round_id=round_.pk)
        counts.append(len(queries))
        stations = Evaluation.objects.filter(round=round_).values_list("grade", "workstation__state")
        assert sorted(set(stations)) == [("qualified", "accepted"), ("unqualified", "revoked")]
        assert Tranche.objects.filter(grant__workstation__evaluations__round=round_, kind="second").count() == size // 2
    assert counts[0] == counts[1]
