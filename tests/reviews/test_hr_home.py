"""HR's home: what the reviews app says is waiting."""

from reviews import services
from reviews.hooks import dashboard
from tests import factories
from tests.reviews import factories as rf


def test_hrs_home_counts_the_submitted_evaluations_without_an_expert(db, hr_user):
    """待分配专家的年度评估: submitted evaluations of an open round with no assignment (the anti-join)."""
    round_ = rf.open_round(hr_user)
    submitted = []
    for _ in range(3):
        evaluation = rf.evaluation_in_round(round_)
        submitted.append(rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation)))
    draft = rf.evaluation_in_round(round_)
    rf.file_evaluation(draft, rf.unit_user_of(draft.workstation), submit=False)
    services.assign_expert(actor=hr_user, evaluation_id=submitted[0].pk, expert_id=factories.ExpertFactory().pk)
    [item] = [i for i in dashboard(hr_user) if i.order == 30]
    assert (item.title, item.count) == ("待分配专家的年度评估", 2)
