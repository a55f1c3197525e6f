"""Search and filters on the expert's scoring list and HR's list of rounds."""

from reviews import services
from tests import factories
from tests.reviews import factories as rf


def test_the_scoring_list_searches_by_station_and_filters_by_state(client, hr_user, expert, rubric):
    round_ = rf.open_round(hr_user)
    evaluations = [rf.evaluation_in_round(round_, unit=factories.UnitFactory(name=name))
                   for name in ("沁水县甲机械有限公司", "沁水县乙能源有限公司")]
    for evaluation in evaluations:
        rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))
        services.assign_expert(actor=hr_user, evaluation_id=evaluation.pk, expert_id=expert.pk)
    client.force_login(expert)
    html = client.get("/reviews/assignments/", {"q": "乙能源"}).content.decode()
    assert "沁水县乙能源有限公司" in html and "沁水县甲机械有限公司" not in html
    response = client.get("/reviews/assignments/", {"state": "submitted"})
    assert response.status_code == 200
    assert "沁水县乙能源有限公司" not in response.content.decode() and "沁水县甲机械有限公司" not in response.content.decode()
    html = client.get("/reviews/assignments/", {"state": "assigned"}).content.decode()
    assert "沁水县乙能源有限公司" in html and "沁水县甲机械有限公司" in html


def test_rounds_are_found_by_year(client, hr_user, rubric):
    rf.open_round(hr_user, year=2041)
    rf.open_round(hr_user, year=2042)
    client.force_login(hr_user)
    html = client.get("/reviews/rounds/", {"q": "2042"}).content.decode()
    assert "2042年度" in html and "2041年度" not in html
