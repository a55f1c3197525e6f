"""List pages run the same number of queries whatever the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from tests import factories as core
from tests.reviews import factories as rf


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_unit_evaluation_list_expert_assignments_and_grade_table_do_not_grow_with_rows(client, rubric, hr_user):
    unit_org = core.UnitFactory()
    unit = core.UnitUserFactory(organization=unit_org)
    expert = core.ExpertFactory()
    counts = {"unit": [], "expert": [], "grades": [], "ledger": []}
    for size, year in ((2, 2061), (7, 2071)):
        round_ = rf.open_round(hr_user, year=year)
        first = None
        for _ in range(size):
            evaluation = rf.evaluation_in_round(round_, unit=unit_org)
            rf.file_evaluation(evaluation, unit)
            judged, sheet_counts = rf.sheet(rubric, **rf.FULL_JUDGED)
            rf.score(evaluation, expert, hr_user, judged=judged, counts=sheet_counts)
            first = first or evaluation.workstation
            services.add_ledger_entry(actor=unit, workstation_id=first.pk, kind="project",
                                      occurred_on=first.recognized_on, title="攻关项目")
        services.finalize_round(actor=hr_user, round_id=round_.pk)
        client.force_login(unit)
        counts["unit"].append(_queries(client, reverse("reviews:evaluation_list")))
        counts["ledger"].append(_queries(client, reverse("reviews:ledger", args=[first.pk])
                                         + f"?year={first.recognized_on.year}"))
        client.force_login(expert)
        counts["expert"].append(_queries(client, reverse("reviews:assignment_list")))
        client.force_login(hr_user)
        counts["grades"].append(_queries(client, reverse("reviews:round_grades", args=[round_.pk])))
    assert {k: v[0] == v[1] for k, v in counts.items()} == {k: True for k in counts}
    assert max(max(v) for v in counts.values()) <= 15
