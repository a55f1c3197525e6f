import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.models import Tranche
from qinshui_station.models import AuditEntry, Revocation
from qinshui_station.selectors import public_workstations
from qinshui_station.workflow import TransitionRefused
from reviews import services
from reviews.models import Evaluation
from tests.reviews import factories as rf

# Sheets by total (one expert each): judged categories plus counted research points.
TOP = dict(rf.FULL_JUDGED, inventions=3, awards=(0, 0, 1, 1), promoted=3)  # 70 + 8 + 7 + 15 = 100


def grades(round_):
    return {e.pk: (e.grade, e.rank) for e in Evaluation.objects.filter(round=round_)}


@pytest.fixture
def round_(rubric, hr_user):
    return rf.open_round(hr_user)


def test_seven_excellent_candidates_share_one_excellent_place_by_rank(round_, hr_user, expert):
    evaluations = [rf.scored_evaluation(round_, hr_user, [expert], **dict(TOP, promoted=p, utility=u))
                   for p, u in [(3, 0), (2, 0), (2, 1), (2, 2), (2, 3), (1, 0), (1, 1)]]
    # research: 30, 25(+0), ... totals 100, 95, 95, 95, 95, 90, 90 — ties broken below
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    result = grades(round_)
    assert result[evaluations[0].pk] == ("excellent", 1)
    assert [result[e.pk][0] for e in evaluations[1:]] == ["qualified"] * 6
    round_.refresh_from_db()
    assert (round_.evaluated_count, round_.unqualified_count, round_.excellent_quota) == (7, 0, 1)


def test_unqualified_stations_are_removed_before_the_quota(round_, hr_user, expert):
    top = [rf.scored_evaluation(round_, hr_user, [expert], **TOP) for _ in range(1)]
    rf.scored_evaluation(round_, hr_user, [expert], **dict(rf.FULL_JUDGED, promoted=3, inventions=2))  # 70+6+15=91
    rest = [rf.scored_evaluation(round_, hr_user, [expert], system="15", support="15", mentoring="20")
            for _ in range(4)]  # 50: unqualified
    rest += [rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED) for _ in range(1)]  # 70
    # 7 evaluated, 4 unqualified → floor(15 × 3 / 100) = 0 excellent
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    round_.refresh_from_db()
    assert (round_.evaluated_count, round_.unqualified_count, round_.excellent_quota) == (7, 4, 0)
    assert Evaluation.objects.get(pk=top[0].pk).grade == "qualified"
    assert [Evaluation.objects.get(pk=e.pk).grade for e in rest] == ["unqualified"] * 4 + ["qualified"]


def _seven_with_top_two(round_, hr_user, expert, first: dict, second: dict):
    a = rf.scored_evaluation(round_, hr_user, [expert], **first)
    b = rf.scored_evaluation(round_, hr_user, [expert], **second)
    for _ in range(5):
        rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)  # 70, qualified
    return a, b


def test_equal_totals_are_ranked_by_the_base_score(round_, hr_user, expert):
    # a: base 95 + bonus 0; b: base 92 + bonus 3 — both 95
    a, b = _seven_with_top_two(round_, hr_user, expert, dict(TOP, promoted=2),
                               dict(TOP, promoted=2, inventions=1, utility=1, bonus=(1, 0, 0)))
    assert (a.assessed_total, b.assessed_total) == (Decimal("95.00"), Decimal("95.00"))
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    assert (grades(round_)[a.pk], grades(round_)[b.pk]) == (("excellent", 1), ("qualified", 2))


def test_equal_total_and_base_are_ranked_by_research_then_mentoring(round_, hr_user, expert):
    # a: research 30, mentoring 20 → base 95; b: research 25, mentoring 25 → base 95
    a = dict(rf.FULL_JUDGED, mentoring="20", inventions=3, awards=(0, 0, 1, 1), promoted=3)
    b = dict(TOP, promoted=2)
    ea, eb = _seven_with_top_two(round_, hr_user, expert, b, a)
    assert (ea.assessed_base, eb.assessed_base) == (Decimal("95.00"), Decimal("95.00"))
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    assert grades(round_)[eb.pk] == ("excellent", 1)
    assert grades(round_)[ea.pk] == ("qualified", 2)


def test_equal_down_to_research_is_ranked_by_mentoring(round_, hr_user, expert):
    # Same total, base and research; a has mentoring 25 + exchange 10, b mentoring 20 + exchange 15.
    a = dict(TOP, exchange="10", promoted=3)
    b = dict(TOP, mentoring="20", promoted=3)
    ea, eb = _seven_with_top_two(round_, hr_user, expert, b, a)
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    assert grades(round_)[eb.pk] == ("excellent", 1)
    assert grades(round_)[ea.pk] == ("qualified", 2)


def test_a_tie_straddling_the_cut_off_blocks_finalization_until_hr_decides(round_, hr_user, expert):
    a, b = _seven_with_top_two(round_, hr_user, expert, TOP, TOP)
    standing = services.round_standing(round_)
    assert (standing.quota, standing.places, standing.tied_ids) == (1, 1, sorted([a.pk, b.pk]))
    with pytest.raises(TransitionRefused) as info:
        services.finalize_round(actor=hr_user, round_id=round_.pk)
    assert "跨越优秀名额线" in str(info.value)
    assert Evaluation.objects.filter(round=round_, state="graded").count() == 0
    with pytest.raises(ValidationError):
        services.decide_tie(actor=hr_user, round_id=round_.pk, excellent_ids=[b.pk], reason="")
    with pytest.raises(ValidationError):
        services.decide_tie(actor=hr_user, round_id=round_.pk, excellent_ids=[a.pk, b.pk], reason="两站均优")
    services.decide_tie(actor=hr_user, round_id=round_.pk, excellent_ids=[b.pk], reason="实地查看b站培训记录更完整")
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    assert grades(round_)[b.pk] == ("excellent", 1)
    assert grades(round_)[a.pk] == ("qualified", 2)
    round_.refresh_from_db()
    assert round_.tie_reason == "实地查看b站培训记录更完整"
    assert AuditEntry.objects.get(action="tie_decided").reason == "实地查看b站培训记录更完整"


def test_a_tie_wholly_inside_the_quota_does_not_block(round_, hr_user, expert):
    evaluations = [rf.scored_evaluation(round_, hr_user, [expert], **TOP) for _ in range(2)]
    evaluations += [rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED) for _ in range(12)]
    # 14 evaluated → quota 2; the two tied at the top both fit
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    assert [grades(round_)[e.pk] for e in evaluations[:2]] == [("excellent", 1), ("excellent", 1)]


def test_finalization_waits_for_every_expert(round_, hr_user, expert, rubric):
    evaluation = rf.evaluation_in_round(round_)
    rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))
    judged, counts = rf.sheet(rubric, **rf.FULL_JUDGED)
    rf.score(evaluation, expert, hr_user, judged=judged, counts=counts, submit=False)
    with pytest.raises(TransitionRefused) as info:
        services.finalize_round(actor=hr_user, round_id=round_.pk)
    assert evaluation.workstation.name in str(info.value)


def test_a_finalized_round_refuses_any_score_change(round_, hr_user, expert, rubric):
    evaluation = rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    assignment = evaluation.assignments.get()
    judged, counts = rf.sheet(rubric, system="1")
    unit = evaluation.workstation.unit.users.get()
    attempts = [
        lambda: services.save_expert_scores(actor=expert, assignment_id=assignment.pk, points=judged, counts=counts),
        lambda: services.submit_expert_scores(actor=expert, assignment_id=assignment.pk),
        lambda: services.save_evaluation_form(actor=unit, evaluation_id=evaluation.pk, contact_person="x",
                                              contact_title="", contact_phone="", work_summary="x",
                                              self_points=judged, claimed=counts),
        lambda: services.evaluation_transition(evaluation_id=evaluation.pk, actor=hr_user, to="returned",
                                               reason="再看看"),
        lambda: services.assign_expert(actor=hr_user, evaluation_id=evaluation.pk, expert_id=expert.pk),
        lambda: services.decide_tie(actor=hr_user, round_id=round_.pk, excellent_ids=[], reason="x"),
        lambda: services.finalize_round(actor=hr_user, round_id=round_.pk),
    ]
    for attempt in attempts:
        with pytest.raises(TransitionRefused):
            attempt()
    evaluation.refresh_from_db()
    assert (evaluation.assessed_total, evaluation.grade) == (Decimal("70.00"), "qualified")


def test_an_unqualified_station_is_revoked_and_its_open_tranche_cancelled(round_, hr_user, expert):
    evaluation = rf.scored_evaluation(round_, hr_user, [expert], system="15", support="15", mentoring="20",
                                      exchange="9.5")  # 59.5
    rf.grant(evaluation.workstation, hr_user)
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    station = evaluation.workstation
    station.refresh_from_db()
    assert station.state == "revoked"
    revocation = Revocation.objects.get(workstation=station)
    assert revocation.ground == "failed_evaluation"
    assert revocation.facts == f"{round_.year}年度评估考核总分59.50分，评定为不合格。"
    tranche = Tranche.objects.get(grant__workstation=station)
    assert (tranche.kind, tranche.state, tranche.cancel_event) == ("first", "cancelled", "failed_evaluation")
    assert station not in public_workstations()


def test_passing_the_final_acceptance_makes_the_second_tranche_due(round_, hr_user, expert):
    evaluation = rf.scored_evaluation(round_, hr_user, [expert], final=True, **rf.FULL_JUDGED)  # 70 qualified
    not_final = rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)
    rf.grant(evaluation.workstation, hr_user)
    rf.grant(not_final.workstation, hr_user)
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    evaluation.workstation.refresh_from_db()
    assert evaluation.workstation.state == "accepted"
    second = Tranche.objects.get(grant__workstation=evaluation.workstation, kind="second")
    assert (second.amount, second.state) == (Decimal("60000.00"), "scheduled")
    not_final.workstation.refresh_from_db()
    assert not_final.workstation.state == "construction"
    assert not Tranche.objects.filter(grant__workstation=not_final.workstation, kind="second").exists()


def test_finalization_writes_an_audit_entry_per_graded_evaluation(round_, hr_user, expert):
    evaluation = rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    entry = AuditEntry.objects.get(action="graded", object_id=str(evaluation.pk))
    assert (entry.from_state, entry.to_state, entry.data) == (
        "submitted", "graded", {"grade": "qualified", "total": "70.00", "rank": 1})
    assert entry.object_label == str(evaluation)


def test_finalizing_a_round_takes_the_same_number_of_queries_for_7_or_14_stations(rubric, hr_user, expert):
    """Set-based: no query per station. (Both rounds have an excellent place, 1 and 2: a round with none reads no
    cut-off, one statement fewer.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size, year in ((7, 2061), (14, 2071)):
        round_ = rf.open_round(hr_user, year=year)
        for _ in range(size):
            rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)
        with CaptureQueriesContext(connection) as queries:
            services.finalize_round(actor=hr_user, round_id=round_.pk)
        counts.append(len(queries))
        assert Evaluation.objects.filter(round=round_, grade="qualified").count() == size
    assert counts[0] == counts[1]


def test_the_database_refuses_changing_a_finalized_rounds_scores(round_, hr_user, expert):
    from django.db import DatabaseError, transaction

    from reviews.models import ExpertScore, SelfScore

    evaluation = rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    for change in (lambda: ExpertScore.objects.filter(assignment__evaluation=evaluation).update(points=0),
                   lambda: SelfScore.objects.filter(evaluation=evaluation).delete(),
                   lambda: Evaluation.objects.filter(pk=evaluation.pk).update(grade="excellent")):
        with pytest.raises(DatabaseError, match="reviews: "), transaction.atomic():
            change()
    assert sum(ExpertScore.objects.filter(assignment__evaluation=evaluation).values_list("points", flat=True)) == 70


def test_the_units_home_says_what_the_round_decided(client, round_, hr_user, expert):
    """After the grading the unit's home keeps the outcome (it only raised the unread count): a grade under 进行中,
    a revocation among what waits, with what to do."""
    from django.urls import reverse

    from tests import factories as core

    kept = rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)  # 70, qualified
    lost = rf.scored_evaluation(round_, hr_user, [expert], system="15", support="15", mentoring="20",
                                exchange="9.5")  # 59.5
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    for evaluation, waiting, under_way in (
            (kept, [], [(f"{round_.year}年度评估结果：合格", f"{kept.workstation.name}考核总分70.00")]),
            (lost, [(f"{round_.year}年度评估结果：不合格",
                     f"{lost.workstation.name}考核总分59.50；工作站称号已撤销（第十条），请按通知交回牌匾")], [])):
        client.force_login(core.UnitUserFactory(organization=evaluation.workstation.unit))
        html = client.get(reverse("home")).content.decode()
        todo, _sep, info = html.partition('<h2 class="h5 mt-4">进行中</h2>')
        card = re.compile(r'<a class="stretched-link" href="[^"]+">([^<]+)</a></h3>\s*'
                          r'<p class="card-text small text-muted">([^<]+)</p>')
        assert [c for c in card.findall(todo) if "评估结果" in c[0]] == waiting
        assert [c for c in card.findall(info) if "评估结果" in c[0]] == under_way


def test_each_unit_is_told_its_stations_grade_and_total(round_, hr_user, expert):
    """The grading notice names the station, its grade and total, and a final acceptance passed (it said only
    “…已定级，请查看评估结果。”)."""
    from qinshui_station.models import Notification
    from tests import factories as core

    kept = rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)  # 70, qualified
    final = rf.scored_evaluation(round_, hr_user, [expert], final=True, **rf.FULL_JUDGED)
    rf.grant(final.workstation, hr_user)  # the acceptance schedules its second tranche
    readers = {e.pk: core.UnitUserFactory(organization=e.workstation.unit) for e in (kept, final)}
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    said = {pk: [m for m in Notification.objects.filter(recipient=user).values_list("message", flat=True)
                 if "评估结果" in m] for pk, user in readers.items()}
    assert said == {
        kept.pk: [f"{round_.year}年度评估结果：{kept.workstation.name}合格（考核总分70.00）。"],
        final.pk: [f"{round_.year}年度评估结果：{final.workstation.name}合格（考核总分70.00）。"
                   "建设期满验收合格，第二批补助资金将安排拨付。"]}


# The standing as the full ranking gives it (the query round_standing used before it read only up to the
# cut-off): every tied group with its rank and size; a candidate group straddling the quota is the tie.
_FULL_RANKING = """
    SELECT id, assessed_total,
           RANK() OVER (ORDER BY assessed_total DESC, assessed_base DESC, first_tiebreak DESC, second_tiebreak DESC,
                        tie_preference ASC NULLS LAST) AS rank,
           COUNT(*) OVER (PARTITION BY assessed_total, assessed_base, first_tiebreak, second_tiebreak,
                          tie_preference) AS size
    FROM reviews_evaluation WHERE round_id = %s AND state = 'submitted' AND assessed_total IS NOT NULL
"""


def _standing_by_full_ranking(round_) -> tuple:
    from django.db import connection

    from reviews import scoring

    with connection.cursor() as cursor:
        cursor.execute(_FULL_RANKING, [round_.pk])
        rows = cursor.fetchall()
    evaluated = len(rows)
    unqualified = sum(1 for _id, total, _rank, _size in rows if total < scoring.QUALIFIED_FROM)
    quota = scoring.excellent_quota(evaluated, unqualified, round_.excellent_percent)
    tied, places = [], 0
    for eval_id, total, rank, size in rows:
        if total >= scoring.EXCELLENT_FROM and rank <= quota < rank + size - 1:
            tied.append(eval_id)
            places = quota - rank + 1
    return evaluated, unqualified, quota, sorted(tied), places


def test_the_standing_read_up_to_the_cut_off_is_the_full_rankings(round_):
    """round_standing reads the index only up to the quota-th sheet and the tied group by equality; over rounds
    with many ties, missing tie-break values and HR's preferences, it finds what ranking every sheet finds."""
    import random

    evaluations = [rf.evaluation_in_round(round_) for _ in range(40)]
    chance = random.Random(16)
    seen_ties = set()
    for attempt in range(60):
        for evaluation in evaluations:
            total = chance.choice([Decimal("95.00"), Decimal("92.50"), Decimal("90.00"), Decimal("88.00"),
                                   Decimal("75.00"), Decimal("59.00")])
            scored = chance.random() < 0.9
            Evaluation.objects.filter(pk=evaluation.pk).update(
                state="submitted" if chance.random() < 0.95 else "draft",
                assessed_total=total if scored else None,
                assessed_base=chance.choice([total, total - 2, None]),
                first_tiebreak=chance.choice([Decimal("30.00"), Decimal("25.00"), None]),
                second_tiebreak=chance.choice([Decimal("20.00"), None]),
                tie_preference=chance.choice([None, None, None, 1, 2]))
        round_.excellent_percent = chance.choice([5, 15, 30, 60, 100])
        standing = services.round_standing(round_)
        expected = _standing_by_full_ranking(round_)
        assert (standing.evaluated, standing.unqualified, standing.quota, standing.tied_ids,
                standing.places) == expected, attempt
        seen_ties.add(bool(expected[3]))
    assert seen_ties == {True, False}  # the rounds drawn had ties at the cut-off and rounds without


def test_a_tied_group_wider_than_the_cut_off_is_tied_whole(round_, hr_user, expert):
    """One at 100, three at 95 and ten at 70: 14 evaluated, quota 2 — the three at 95 (rank 2) compete for one
    place, the third of them beyond the quota's next place included."""
    top = rf.scored_evaluation(round_, hr_user, [expert], **TOP)
    tied = [rf.scored_evaluation(round_, hr_user, [expert], **dict(TOP, promoted=2)) for _ in range(3)]
    for _ in range(10):
        rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)
    standing = services.round_standing(round_)
    assert (standing.evaluated, standing.quota, standing.places) == (14, 2, 1)
    assert standing.tied_ids == sorted(e.pk for e in tied) and top.pk not in standing.tied_ids
