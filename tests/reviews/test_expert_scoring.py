from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from qinshui_station.workflow import TransitionRefused
from reviews import selectors, services
from reviews.models import Assignment, ExpertScore
from reviews.states import AssignmentState
from tests import factories as core
from tests.reviews import factories as rf


@pytest.fixture
def submitted(rubric, hr_user):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    return rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))


def test_an_expert_employed_by_the_stations_unit_is_refused(submitted, hr_user):
    insider = core.ExpertFactory(organization=submitted.workstation.unit)
    with pytest.raises(ValidationError) as info:
        services.assign_expert(actor=hr_user, evaluation_id=submitted.pk, expert_id=insider.pk)
    assert info.value.message_dict["expert"] == [
        f"专家{insider}任职于工作站所在单位{insider.organization}，存在利益冲突，不能评审该工作站的年度评估。"]
    assert not Assignment.objects.exists()


def test_judged_points_must_be_within_the_maximum_and_in_half_steps(submitted, hr_user, expert, rubric):
    assignment = services.assign_expert(actor=hr_user, evaluation_id=submitted.pk, expert_id=expert.pk)
    item = rubric.judged_items[1]  # 5 points
    for bad in (Decimal("5.5"), Decimal("2.3"), Decimal("-0.5")):
        with pytest.raises(ValidationError) as info:
            services.save_expert_scores(actor=expert, assignment_id=assignment.pk, points={item.pk: bad}, counts={})
        assert f"item_{item.pk}" in info.value.message_dict
    services.save_expert_scores(actor=expert, assignment_id=assignment.pk, points={item.pk: Decimal("4.5")},
                                counts={})
    assert ExpertScore.objects.get(assignment=assignment, item=item).points == Decimal("4.5")


def test_the_database_refuses_a_point_off_the_half_step(submitted, hr_user, expert, rubric):
    assignment = services.assign_expert(actor=hr_user, evaluation_id=submitted.pk, expert_id=expert.pk)
    item = rubric.judged_items[1]
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertScore.objects.create(assignment=assignment, item=item, points=Decimal("2.3"), max_points=item.max_points)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertScore.objects.create(assignment=assignment, item=item, points=Decimal("5.5"), max_points=item.max_points)


def test_counted_items_come_from_the_accepted_counts_not_from_typed_points(submitted, hr_user, expert, rubric):
    assignment = services.assign_expert(actor=hr_user, evaluation_id=submitted.pk, expert_id=expert.pk)
    patents = next(i for i in rubric.counted_items if i.code == "patents")
    judged, counts = rf.sheet(rubric, inventions=1, utility=1)
    judged[patents.pk] = Decimal("8")  # typed points for a counted item are ignored
    services.save_expert_scores(actor=expert, assignment_id=assignment.pk, points=judged, counts=counts)
    assert ExpertScore.objects.get(assignment=assignment, item=patents).points == Decimal("5")


def test_submitting_needs_every_item_and_count(submitted, hr_user, expert, rubric):
    assignment = services.assign_expert(actor=hr_user, evaluation_id=submitted.pk, expert_id=expert.pk)
    services.save_expert_scores(actor=expert, assignment_id=assignment.pk,
                                points={rubric.judged_items[0].pk: Decimal("2")}, counts={})
    with pytest.raises(ValidationError):
        services.submit_expert_scores(actor=expert, assignment_id=assignment.pk)


def test_a_submitted_sheet_cannot_be_changed(submitted, hr_user, expert, rubric):
    judged, counts = rf.sheet(rubric, **rf.FULL_JUDGED)
    assignment = rf.score(submitted, expert, hr_user, judged=judged, counts=counts)
    with pytest.raises(TransitionRefused):
        services.save_expert_scores(actor=expert, assignment_id=assignment.pk, points=judged, counts=counts)


def test_assessed_score_is_the_mean_over_experts_rounded_once_at_the_total(rubric, hr_user):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))
    experts = [core.ExpertFactory() for _ in range(3)]
    sheets = [
        rf.sheet(rubric, system="15", support="15", mentoring="20", exchange="10", inventions=1, bonus=(1, 0, 0)),
        rf.sheet(rubric, system="15", support="15", mentoring="20", exchange="10", inventions=1, bonus=(0, 0, 0)),
        rf.sheet(rubric, system="15", support="14.5", mentoring="20", exchange="10", inventions=0, bonus=(0, 0, 0)),
    ]
    for expert, (judged, counts) in zip(experts, sheets, strict=True):
        rf.score(evaluation, expert, hr_user, judged=judged, counts=counts)
    evaluation.refresh_from_db()
    # bases 63, 63, 59.5 → mean 61.8333…; bonus 3, 0, 0 → 1; totals 66, 63, 59.5 → 62.8333… → 62.83
    assert evaluation.assessed_base == Decimal("61.83")
    assert evaluation.assessed_bonus == Decimal("1.00")
    assert evaluation.assessed_total == Decimal("62.83")
    assert evaluation.first_tiebreak == Decimal("2.00")  # patents 3, 3, 0
    assert evaluation.second_tiebreak == Decimal("20.00")
    assert evaluation.expert_spread == Decimal("6.50")
    assert evaluation.experts_submitted == 3


def test_hr_table_flags_a_self_score_ten_or_more_above_the_assessed_score(rubric, hr_user, expert):
    round_ = rf.open_round(hr_user)
    flagged = rf.scored_evaluation(round_, hr_user, [expert], system="15", support="10", mentoring="25", exchange="10",
                                   self_sheet={**rf.FULL_JUDGED})  # self 70, assessed 60: exactly 10 apart
    near = rf.scored_evaluation(round_, hr_user, [expert], system="15", support="10.5", mentoring="25", exchange="10",
                                self_sheet={**rf.FULL_JUDGED})  # self 70, assessed 60.5: 9.5 apart
    rows = {e.pk: e for e in selectors.round_table(round_)}
    assert (rows[flagged.pk].self_total, rows[flagged.pk].assessed_total) == (Decimal("70.00"), Decimal("60.00"))
    assert rows[flagged.pk].overclaimed is True
    assert (rows[near.pk].self_total, rows[near.pk].assessed_total) == (Decimal("70.00"), Decimal("60.50"))
    assert rows[near.pk].overclaimed is False


def test_an_items_mean_is_shown_rounded_half_up(rubric, hr_user):
    """Four experts give one item 0.5, 0, 0, 0: the mean 0.125 shows as 0.13 (half up), not 0.12 (half even)."""
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))
    item = rubric.judged_items[0]
    for index in range(4):
        judged, counts = rf.sheet(rubric)
        judged[item.pk] = Decimal("0.5") if index == 0 else Decimal("0")
        rf.score(evaluation, core.ExpertFactory(), hr_user, judged=judged, counts=counts)
    means = selectors.sheet_values(evaluation, with_assessed=True).assessed
    assert means[item.pk] == Decimal("0.13")
    assert means[rubric.judged_items[1].pk] == Decimal("0.00")


def test_the_other_experts_sums_show_only_once_the_expert_has_submitted(rubric, hr_user, client):
    """The scoring form lists the other experts' submitted sheets (name, base, bonus, total) to an expert who has
    submitted, and nothing before (no other expert's sheet, no query for them)."""
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))
    first, second, third = (core.ExpertFactory(full_name=name) for name in ("甲专家", "乙专家", "丙专家"))
    judged, counts = rf.sheet(rubric, system="15", support="15", mentoring="20", exchange="10", inventions=1,
                              bonus=(1, 0, 0))
    rf.score(evaluation, first, hr_user, judged=judged, counts=counts)
    rf.score(evaluation, third, hr_user, judged=judged, counts=counts, submit=False)  # not submitted: never shown
    mine = rf.score(evaluation, second, hr_user, judged=judged, counts=counts, submit=False)
    client.force_login(second)
    page = client.get(f"/reviews/assignments/{mine.pk}/").content.decode()
    assert 'id="others-h"' not in page and "甲专家" not in page
    assert selectors.scores_visible_to(second, mine) == []
    services.submit_expert_scores(actor=second, assignment_id=mine.pk)
    page = client.get(f"/reviews/assignments/{mine.pk}/").content.decode()
    assert "<li>甲专家：基础分 63.00 · 加分 3.00 · 总分 66.00</li>" in page
    assert "丙专家" not in page and page.count("基础分 ") == 1


def test_a_pages_reads_go_together_in_one_query_with_the_values_the_tables_hold(rubric, hr_user,
                                                                              django_assert_num_queries):
    """The scoring form and the evaluation page read the rubric, the sheet's values, the evidence and ledger and
    the panel in one statement (reviews.reads.together); the values come back as the tables hold them (points
    with their scale, counts as ints, the means rounded half up, as the ORM's own mean below)."""
    from reviews.models import AcceptedCount, ClaimedCount, SelfScore
    from reviews.reads import together
    from reviews.sheets import Rubric

    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation), counts=rf.counts_by_code(
        rubric, inventions=2, utility=1))
    first, second = core.ExpertFactory(full_name="甲专家"), core.ExpertFactory(full_name="乙专家")
    judged, counts = rf.sheet(rubric, system="15", support="14.5", mentoring="20", exchange="10", inventions=1)
    rf.score(evaluation, first, hr_user, judged=judged, counts=counts)
    item = rubric.judged_items[1]  # 5 points
    firsts = judged[item.pk]
    judged = {**judged, item.pk: Decimal("2.5") if firsts != Decimal("2.5") else Decimal("3")}
    mine = rf.score(evaluation, second, hr_user, judged=judged, counts=counts, submit=False)
    evaluation = selectors.evaluations_for(hr_user).get(pk=evaluation.pk)
    with django_assert_num_queries(1):
        loaded, values, files, (assigned, options) = together(
            Rubric.read(evaluation.round.rubric), selectors.sheet_values_read(evaluation, with_assessed=True,
                                                                              assignment=mine),
            selectors.evaluation_files_read(evaluation), selectors.evaluation_experts_read(evaluation,
                                                                                           with_options=True))
    assert [i.pk for i in loaded.items] == [i.pk for i in rubric.items]
    held = {s.item_id: s.points for s in SelfScore.objects.filter(evaluation=evaluation)}
    assert values.self_scores == held and {k: str(v) for k, v in values.self_scores.items()} == {
        k: str(v) for k, v in held.items()}
    assert values.claimed == dict(ClaimedCount.objects.filter(evaluation=evaluation).values_list("rule_id", "count"))
    assert values.assessed == _assessed_means_by_orm(evaluation)
    assert values.assessed[item.pk] == Decimal(firsts).quantize(Decimal("0.01"))  # only the submitted sheet counts
    assert values.mine == {s.item_id: s.points for s in ExpertScore.objects.filter(assignment=mine)}
    assert str(values.mine[item.pk]) == str(judged[item.pk].quantize(Decimal("0.1")))
    assert values.accepted == dict(AcceptedCount.objects.filter(assignment=mine).values_list("rule_id", "count"))
    assert all(type(v) is int for v in [*values.claimed.values(), *values.accepted.values()])
    assert files == {"attachments": [], "ledger": []}
    assert [(a.state, name) for a, name, _org in assigned] == [("submitted", "甲专家"), ("assigned", "乙专家")]
    assert "甲专家" not in str(options) and all(label.endswith("）") for _pk, label in options)


def _assessed_means_by_orm(evaluation) -> dict:
    """The oracle: each item's mean over the submitted sheets, through the ORM, rounded half up (SPEC.md)."""
    from django.db.models import Avg

    from reviews.scoring import round_half_up

    items = (ExpertScore.objects.filter(assignment__evaluation=evaluation, assignment__state=AssignmentState.SUBMITTED)
             .values_list("item_id").annotate(avg=Avg("points")).order_by())
    return {item_id: round_half_up(mean) for item_id, mean in items}
