"""The reviews app's documents (docs/documents.md): the 年度评估申请表 (附件2) of an evaluation, a round's
grade table as PDF, and a round's results workbook."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from qinshui_station.documents import stored_or_render
from qinshui_station.documents.workbooks import row
from qinshui_station.numbers import plain
from reviews import selectors
from reviews.models import Evaluation, EvaluationRound
from reviews.scoring import round_half_up
from reviews.sheets import Rubric
from reviews.workflow import EvaluationState

EVALUATION_FORM = "documents/evaluation_form.html"
GRADE_TABLE = "documents/grade_table.html"
KIND = "evaluation_form"
ZERO = Decimal("0")

# 附件2's notes, printed under the form (注1–3). The bonus line (注2) follows the round's rubric.
NOTE_GRADES = "90分以上为优秀，60分-89分为合格，60分以下为不合格；"
NOTE_BONUS = ("加分项目：在市级以上会议上作介绍经验加3分；获县（市、区）级表彰奖励加2分，获市级以上表彰奖励加3分。"
              "总加分分值不超过{cap}分；")
NOTE_EVIDENCE = "该表填报内容作为技师工作站年度评估和建设期满验收的主要依据，请如实填写详细情况并提交相关佐证材料。"


def cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_up(value)


def _points(value: Decimal) -> str:
    return plain(value)


def shows_assessed(evaluation: Evaluation) -> bool:
    """The 考核得分 column is filled once the round is finalized (the evaluation graded); before that it is
    blank for everyone, so the stored copy taken at submission is the same whoever downloads it."""
    return evaluation.state == EvaluationState.GRADED


def evaluation_context(evaluation: Evaluation) -> dict:
    rubric = Rubric.load(evaluation.round.rubric_id)
    self_scores = dict(evaluation.self_scores.values_list("item_id", "points"))
    claimed = dict(evaluation.claimed_counts.values_list("rule_id", "count"))
    with_assessed = shows_assessed(evaluation)
    with_means = with_assessed and bool(evaluation.experts_submitted)
    item_means, rule_means = selectors.assessed_means(evaluation) if with_means else ({}, {})
    categories = []
    by_category = defaultdict(list)
    for item in rubric.items:
        by_category[item.category_id].append(item)
    for category in rubric.categories:
        rows, self_sum, assessed_sum = [], ZERO, ZERO
        for item in by_category[category.pk]:
            mine = self_scores.get(item.pk)
            exact = item_means.get(item.pk, ZERO) if with_means else None
            self_sum += mine or ZERO
            assessed_sum += exact or ZERO
            rows.append({"item": item, "max": _points(item.max_points), "self": cents(mine), "assessed": cents(exact),
                         "rules": [(r.label, claimed.get(r.pk, 0)) for r in rubric.rules_by_item.get(item.pk, [])]})
        categories.append({"category": category, "max": _points(category.max_points), "rows": rows,
                           "self": cents(self_sum), "assessed": cents(assessed_sum) if with_assessed else None})
    bonus = []
    for rule in rubric.bonus_rules:
        count = claimed.get(rule.pk, 0)
        accepted = rule_means.get(rule.pk, ZERO) if with_means else None
        bonus.append({"rule": rule, "each": _points(rule.points_each), "claimed": count,
                      "self": cents(rule.points_each * count),
                      "assessed": cents(accepted * rule.points_each) if accepted is not None else None})
    cap = _points(rubric.version.bonus_cap)
    return {
        "evaluation": evaluation, "station": evaluation.workstation, "unit_name": evaluation.workstation.unit.name,
        "categories": categories, "bonus": bonus, "bonus_cap": cap, "with_assessed": with_assessed,
        "total_max": _points(sum((c.max_points for c in rubric.categories), ZERO)),
        "opinion_blocks": [_("所在单位意见："), _("县人力资源和社会保障局评估意见：")],
        "notes": [NOTE_GRADES, NOTE_BONUS.format(cap=cap), NOTE_EVIDENCE],
    }


def final_moment(evaluation: Evaluation):
    """When the evaluation's printed content last became final: the round's finalization for a graded
    evaluation (the assessed scores appear), else its latest submission; ``None`` while it is editable."""
    if evaluation.is_editable or evaluation.submitted_at is None:
        return None
    if evaluation.state == EvaluationState.GRADED and evaluation.round.finalized_at is not None:
        return evaluation.round.finalized_at
    return evaluation.submitted_at


def evaluation_form(evaluation: Evaluation, user):
    """Submitted: the stored copy of the latest submission (rendered on the first download after it);
    graded: a new stored copy with the assessed scores, taken on the first download after finalization;
    draft or returned: rendered now with the 草稿 watermark."""
    since = final_moment(evaluation)
    return stored_or_render(evaluation, KIND, template_name=EVALUATION_FORM,
                            context=lambda: evaluation_context(evaluation), final=since is not None,
                            user=user, since=since)


def grade_rows(round_: EvaluationRound, evaluations) -> list[dict]:
    grades = dict(round_.evaluations.model._meta.get_field("grade").choices)
    return [{"rank": e.rank, "station": e.workstation.name, "plaque": e.workstation.plaque_number,
             "unit": e.workstation.unit.name, "base": e.assessed_base, "bonus": e.assessed_bonus,
             "total": e.assessed_total, "grade": str(grades.get(e.grade, "")), "final": e.is_final_acceptance}
            for e in evaluations]


def results_headers() -> list[str]:
    return [_("名次"), _("牌匾编号"), _("工作站"), _("所在单位"), _("期满验收"), _("自评总分"), _("基础分"), _("加分"),
            _("总分"), _("等级")]


def results_workbook(round_: EvaluationRound, evaluations):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("%(year)d年度评估结果") % {"year": round_.year})
    sheet.append(row(sheet, results_headers()))
    grades = dict(Evaluation._meta.get_field("grade").choices)
    for e in evaluations:
        sheet.append(row(sheet, [e.rank, e.workstation.plaque_number, e.workstation.name, e.workstation.unit.name,
                                 _("是") if e.is_final_acceptance else _("否"), e.self_total, e.assessed_base,
                                 e.assessed_bonus, e.assessed_total, str(grades.get(e.grade, ""))]))
    spool = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(spool)
    spool.seek(0)
    return spool
