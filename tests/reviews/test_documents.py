"""The annual evaluation's documents: the 年度评估申请表 (附件2, stored at submission and again once
graded), the grade table PDF and the results workbook. Real WeasyPrint; text via pdftotext."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from qinshui_station.documents import latest_rendering, store_rendering
from qinshui_station.models import RenderedDocument
from reviews import services
from reviews.models import Evaluation
from tests import factories as core
from tests.qinshui_station.test_documents import flat, pdftotext
from tests.reviews import factories as rf

STATION = "沁水县喆昇机修钳工技师工作站"
UNIT = "山西沁水喆昇机电设备有限公司"
# Expert A: 70 + 6 + 3 + 5 = 84, bonus 3 → 87; expert B: one county award more → 88. Means: 84.50, 3.00, 87.50.
SHEET_A = dict(rf.FULL_JUDGED, inventions=2, awards=(0, 0, 1, 0), promoted=1, bonus=(1, 0, 0))
SHEET_B = dict(SHEET_A, awards=(1, 0, 1, 0))
SELF = dict(rf.FULL_JUDGED, inventions=3, awards=(0, 0, 1, 1), promoted=3, bonus=(1, 1, 0))  # 100 + 5


@pytest.fixture
def round_(rubric, hr_user):
    return rf.open_round(hr_user)


def _filed(round_, rubric):
    evaluation = rf.evaluation_in_round(round_, name=STATION)
    unit = evaluation.workstation.unit
    unit.name = UNIT
    unit.save()
    unit_user = rf.unit_user_of(evaluation.workstation)
    judged, counts = rf.sheet(rubric, **SELF)
    rf.file_evaluation(evaluation, unit_user, judged=judged, counts=counts, submit=False)
    Evaluation.objects.filter(pk=evaluation.pk).update(contact_person="王堃")
    services.evaluation_transition(evaluation_id=evaluation.pk, actor=unit_user, to="submitted")
    evaluation.refresh_from_db()
    return evaluation, unit_user


def _scored(round_, rubric, hr_user):
    evaluation, unit_user = _filed(round_, rubric)
    for expert, sheet in ((core.ExpertFactory(), SHEET_A), (core.ExpertFactory(), SHEET_B)):
        judged, counts = rf.sheet(rubric, **sheet)
        rf.score(evaluation, expert, hr_user, judged=judged, counts=counts)
    evaluation.refresh_from_db()
    return evaluation, unit_user


def _pdf(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def _url(evaluation) -> str:
    return reverse("reviews:evaluation_pdf", args=[evaluation.pk])


def test_graded_form_prints_every_item_the_scores_subtotals_notes_and_signatures(client, round_, rubric, hr_user):
    evaluation, unit_user = _scored(round_, rubric, hr_user)
    before = store_rendering(evaluation, "evaluation_form", b"%PDF-1.7 copy taken at submission", unit_user)
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    client.force_login(unit_user)
    text = flat(pdftotext(_pdf(client.get(_url(evaluation)))))
    for item in rubric.items:
        assert f"{item.text}（{item.max_points.normalize():f}分）" in text, item.text
    for expected in (STATION, UNIT, "王堃", "技术科科长", "制度建设（15分）", "技术攻关和研发（30分）",
                     "105.00", "100.00", "5.00",  # self: total, base, bonus
                     "87.50", "84.50", "3.00", "3.50", "14.50",  # assessed: total, base, bonus, awards item, research
                     "合格", "90分以上为优秀，60分-89分为合格，60分以下为不合格", "总加分分值不超过10分",
                     "该表填报内容作为技师工作站年度评估和建设期满验收的主要依据",
                     "技师工作站负责人签名", "3名以上主要技术带头人签名", "所在单位意见", "县人力资源和社会保障局评估意见",
                     "（签字盖章）年月日"):
        assert expected in text, expected
    # The copy taken at submission had no assessed scores: finalization makes a new stored copy.
    copies = RenderedDocument.objects.filter(object_id=evaluation.pk, kind="evaluation_form")
    assert copies.count() == 2 and latest_rendering(evaluation, "evaluation_form").pk != before.pk


def test_submitted_form_is_stored_with_the_assessed_column_blank_and_served_unchanged(client, round_, rubric, hr_user):
    evaluation, unit_user = _scored(round_, rubric, hr_user)  # scored, but the round is not finalized
    client.force_login(hr_user)
    first = _pdf(client.get(_url(evaluation)))
    text = flat(pdftotext(first))
    assert "105.00" in text and STATION in text
    assert "87.50" not in text and "84.50" not in text
    Evaluation.objects.filter(pk=evaluation.pk).update(contact_person="赵六", work_summary="改过的情况。")
    client.force_login(unit_user)
    assert _pdf(client.get(_url(evaluation))) == first
    assert RenderedDocument.objects.filter(object_id=evaluation.pk, kind="evaluation_form").count() == 1


@pytest.mark.parametrize("who", ["other_unit_user", "other_department_user", "expert"])
def test_only_people_who_may_see_the_evaluation_get_its_form(client, round_, rubric, who, request):
    evaluation, _unit_user = _filed(round_, rubric)
    client.force_login(request.getfixturevalue(who))  # the expert is not assigned to it
    assert client.get(_url(evaluation)).status_code == 404
    assert latest_rendering(evaluation, "evaluation_form") is None


def test_the_grade_table_pdf_lists_rank_station_unit_scores_and_grade(client, round_, rubric, hr_user, org_dept_user):
    evaluation, _unit_user = _scored(round_, rubric, hr_user)
    url = reverse("reviews:round_grades_pdf", args=[round_.pk])
    client.force_login(org_dept_user)
    assert client.get(url).status_code == 404  # not finalized yet
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    text = flat(pdftotext(_pdf(client.get(url))))
    assert f"1{STATION}{UNIT}84.503.0087.50合格" in text
    assert f"{round_.year}年度沁水县技师工作站评估等级表" in text


def test_the_grade_table_is_not_for_units(client, round_, unit_user):
    client.force_login(unit_user)
    assert client.get(reverse("reviews:round_grades_pdf", args=[round_.pk])).status_code == 403


def test_the_results_workbook_has_the_grade_pages_figures(client, round_, rubric, hr_user):
    evaluation, _unit_user = _scored(round_, rubric, hr_user)
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    client.force_login(hr_user)
    response = client.get(reverse("reviews:round_results_xlsx", args=[round_.pk]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
                .iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2
    assert (row["名次"], row["工作站"], row["所在单位"], row["等级"]) == (1, STATION, UNIT, "合格")
    assert [Decimal(str(row[k])) for k in ("自评总分", "基础分", "加分", "总分")] == [
        Decimal("105"), Decimal("84.5"), Decimal("3"), Decimal("87.5")]
    page = client.get(reverse("reviews:round_grades", args=[round_.pk])).content.decode()
    for figure in ("84.50", "3.00", "87.50", STATION):
        assert figure in page


def test_a_station_name_that_is_a_formula_is_text_in_the_results_workbook(client, round_, rubric, hr_user):
    evaluation, _unit_user = _scored(round_, rubric, hr_user)
    evaluation.workstation.name = "=1+2*3"
    evaluation.workstation.save(update_fields=["name"])
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    client.force_login(hr_user)
    response = client.get(reverse("reviews:round_results_xlsx", args=[round_.pk]))
    cell = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active["C2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+2*3", "s", True)
