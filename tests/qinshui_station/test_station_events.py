"""What happens to a workstation (revoked, accepted) reaches every app that holds something of it: one way
to revoke whatever the cause, with every effect — open tranches cancelled, evaluations in open rounds
withdrawn with the reason — and the round can still be finalized."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding import services as funding_services
from funding.models import Recovery, Tranche
from qinshui_station import services as core_services
from qinshui_station.models import AuditEntry, Revocation
from reviews import services as review_services
from reviews.models import Evaluation
from tests.funding.factories import spend
from tests.reviews import factories as rf

D = Decimal
MISUSE = "违规使用县级专项补助资金"


@pytest.fixture
def rubric(db):
    return rf.rubric_2023()


def _funded_and_spent(station, hr, finance, unit_user):
    """The station's first tranche paid, ¥8,000 spent and questioned. (Its second tranche comes only with the final
    acceptance, which this round would have decided: SPEC.md.)"""
    grant = funding_services.create_grant(workstation=station, amount=D("100000.00"), actor=hr)
    first = grant.tranches.get(kind="first")
    funding_services.approve_tranche(tranche_id=first.pk, actor=hr)
    funding_services.disburse_tranche(tranche_id=first.pk, actor=finance, disbursed_on=timezone.localdate(),
                                      voucher_number="记-2026-0001")
    expenditure = spend(station, unit_user, D("8000.00"), code="talent-training", description="外出考察")
    funding_services.question_expenditure(expenditure_id=expenditure.pk, actor=hr, reason="票据抬头不符")
    return expenditure, first


def _entries(obj):
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
                .order_by("pk").values_list("action", "from_state", "to_state", "reason"))


@pytest.mark.parametrize("stage", ["draft", "scored"])
def test_misuse_revocation_during_open_round(rubric, hr_user, finance_user, expert, stage):
    round_ = rf.open_round(hr_user, year=timezone.localdate().year + 1)  # the station spent before today
    other = rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)
    evaluation = rf.evaluation_in_round(round_, final=True)
    station = evaluation.workstation
    unit_user = rf.unit_user_of(station)
    if stage == "scored":
        judged, counts = rf.sheet(rf.rubric_2023(), **rf.FULL_JUDGED)
        rf.file_evaluation(evaluation, unit_user, judged=judged, counts=counts)
        rf.score(evaluation, expert, hr_user, judged=judged, counts=counts)
    before = Evaluation.objects.get(pk=evaluation.pk).state
    expenditure, first = _funded_and_spent(station, hr_user, finance_user, unit_user)

    funding_services.uphold_misuse(expenditure_id=expenditure.pk, actor=hr_user, reason="以培训名义旅游",
                                   recovery_amount=D("8000.00"))

    reason = f"{MISUSE}：以培训名义旅游"
    evaluation.refresh_from_db()
    assert evaluation.state == "withdrawn"
    assert _entries(evaluation)[-1] == ("withdrawn", before, "withdrawn", reason)
    first.refresh_from_db()
    assert first.state == "disbursed"  # paid money is not cancelled: the misused part is recovered
    assert list(Recovery.objects.filter(grant__workstation=station).values_list("amount", "state")) == [
        (D("8000.00"), "pending")]
    assert Revocation.objects.filter(workstation=station).count() == 1
    assert [e[:3] for e in _entries(station)] == [("revoke", "construction", "revoked")]

    review_services.finalize_round(actor=hr_user, round_id=round_.pk)
    round_.refresh_from_db()
    evaluation.refresh_from_db()
    other.refresh_from_db()
    assert (round_.state, round_.evaluated_count) == ("finalized", 1)
    assert (evaluation.state, evaluation.grade) == ("withdrawn", "")
    assert (other.state, other.grade) == ("graded", "qualified")
    station.refresh_from_db()
    assert station.state == "revoked"
    assert Revocation.objects.filter(workstation=station).count() == 1
    # a final evaluation withdrawn is no acceptance: no second tranche for the revoked station
    assert list(Tranche.objects.filter(grant__workstation=station).values_list("kind", "state")) == [
        ("first", "disbursed")]


# --- Every event × every state the other apps can be in ------------------------------------------------

@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_revocation_withdraws_an_open_evaluation_in_each_open_state(rubric, hr_user, state):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    unit_user = rf.unit_user_of(evaluation.workstation)
    if state != "draft":
        rf.file_evaluation(evaluation, unit_user)
    if state == "returned":
        review_services.evaluation_transition(evaluation_id=evaluation.pk, actor=hr_user, to="returned",
                                              reason="请补充材料")
    core_services.revoke_workstation(workstation_id=evaluation.workstation_id, actor=hr_user, ground="fraud",
                                     facts="材料造假")
    evaluation.refresh_from_db()
    assert evaluation.state == "withdrawn"
    assert _entries(evaluation)[-1] == (
        "withdrawn", state, "withdrawn", "采取弄虚作假、谎报等不正当手段骗取设立工作站资格：材料造假")


def test_revocation_leaves_a_graded_evaluation_of_a_finalized_round(rubric, hr_user, expert):
    round_ = rf.open_round(hr_user)
    evaluation = rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)
    review_services.finalize_round(actor=hr_user, round_id=round_.pk)
    core_services.revoke_workstation(workstation_id=evaluation.workstation_id, actor=hr_user, ground="fraud",
                                     facts="材料造假")
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.grade) == ("graded", "qualified")


@pytest.mark.parametrize("state,after", [("scheduled", "cancelled"), ("approved", "cancelled"),
                                         ("disbursed", "disbursed"), ("cancelled", "cancelled")])
def test_revocation_and_each_tranche_state(db, hr_user, finance_user, state, after):
    station = rf.first_year_station(timezone.localdate().year + 1)
    grant = funding_services.create_grant(workstation=station, amount=D("100000.00"), actor=hr_user)
    tranche = grant.tranches.get(kind="first")
    if state in ("approved", "disbursed"):
        funding_services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    if state == "disbursed":
        funding_services.disburse_tranche(tranche_id=tranche.pk, actor=finance_user,
                                          disbursed_on=timezone.localdate(), voucher_number="记-1")
    if state == "cancelled":
        funding_services.cancel_tranche(tranche_id=tranche.pk, actor=hr_user, reason="单位申请暂缓")
    core_services.revoke_workstation(workstation_id=station.pk, actor=hr_user, ground="inactive",
                                     facts="一年未开展活动")
    tranche.refresh_from_db()
    assert tranche.state == after
    if state in ("scheduled", "approved"):
        assert (tranche.cancel_event, tranche.cancel_reason) == (
            "revocation", "不开展技术交流、技术革新、技术攻关，传技带徒：一年未开展活动")


def test_revocation_of_a_station_without_grant_or_evaluation(db, hr_user):
    station = rf.first_year_station(timezone.localdate().year + 1)
    core_services.revoke_workstation(workstation_id=station.pk, actor=hr_user, ground="deregistered",
                                     facts="单位已注销")
    station.refresh_from_db()
    assert station.state == "revoked"
    assert Tranche.objects.count() == 0


def test_failed_evaluation_revokes_through_the_same_path(rubric, hr_user, expert):
    round_ = rf.open_round(hr_user)
    failed = rf.scored_evaluation(round_, hr_user, [expert], system="15", support="15", mentoring="20")  # 50
    grant = rf.grant(failed.workstation, hr_user)
    review_services.finalize_round(actor=hr_user, round_id=round_.pk, on=timezone.localdate())
    station = failed.workstation
    station.refresh_from_db()
    first = grant.tranches.get(kind="first")
    reason = f"年度评估不合格（第九条）：{round_.year}年度评估考核总分50.00分，评定为不合格。"
    assert station.state == "revoked"
    assert Revocation.objects.get(workstation=station).ground == "failed_evaluation"
    assert (first.state, first.cancel_event, first.cancel_reason) == ("cancelled", "failed_evaluation", reason)
    assert [e[:3] for e in _entries(station)] == [("revoke", "construction", "revoked")]


def test_acceptance_schedules_the_second_tranche(rubric, hr_user, expert):
    round_ = rf.open_round(hr_user)
    passed = rf.scored_evaluation(round_, hr_user, [expert], final=True, **rf.FULL_JUDGED)
    rf.grant(passed.workstation, hr_user)
    review_services.finalize_round(actor=hr_user, round_id=round_.pk)
    station = passed.workstation
    station.refresh_from_db()
    assert station.state == "accepted"
    assert list(Tranche.objects.filter(grant__workstation=station).order_by("kind")
                .values_list("kind", "state", "amount")) == [
        ("first", "scheduled", D("40000.00")), ("second", "scheduled", D("60000.00"))]


def test_revocation_withdraws_before_the_filing_window_opens(rubric, hr_user):
    """Withdrawal concerns every open round, whatever its filing window."""
    round_ = rf.open_round(hr_user, opens_on=timezone.localdate() + timedelta(days=30),
                           closes_on=timezone.localdate() + timedelta(days=60))
    evaluation = rf.evaluation_in_round(round_)
    core_services.revoke_workstation(workstation_id=evaluation.workstation_id, actor=hr_user, ground="fraud",
                                     facts="材料造假")
    evaluation.refresh_from_db()
    assert evaluation.state == "withdrawn"
