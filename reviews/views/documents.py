"""PDF documents and the results workbook of the annual evaluation (docs/documents.md), each reached
through the app's selectors: whoever may not see the record gets a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from qinshui_station.access import role_required
from qinshui_station.documents import document_or_message, pdf_response, render_pdf, xlsx_response
from qinshui_station.roles import Role
from reviews import documents, selectors
from reviews.selectors import STAFF


@role_required(Role.UNIT, Role.DEPARTMENT, Role.EXPERT, *STAFF)
@require_GET
def evaluation_form_pdf(request, pk: int):
    evaluation = get_object_or_404(selectors.evaluations_for(request.user).distinct(), pk=pk)
    return document_or_message(
        request,
        lambda: pdf_response(documents.evaluation_form(evaluation, request.user),
                             filename=_("年度评估申请表-%(year)d-%(station)s.pdf")
                             % {"year": evaluation.round.year, "station": evaluation.workstation.name}),
        back=evaluation, what=_("年度评估申请表PDF"))


def _finalized_round(request, pk: int):
    round_ = get_object_or_404(selectors.rounds_for(request.user), pk=pk)
    if not round_.is_finalized:
        raise Http404(_("本轮评估尚未定级。"))
    return round_


@role_required(*STAFF)
@require_GET
def round_grades_pdf(request, pk: int):
    round_ = _finalized_round(request, pk)
    context = {"round": round_, "rows": documents.grade_rows(round_, selectors.grade_table(round_)),
               "summary": [(label, n) for _value, label, n in selectors.grade_counts(round_)]}
    return document_or_message(
        request,
        lambda: pdf_response(render_pdf(documents.GRADE_TABLE, context),
                             filename=_("%(year)d年度技师工作站评估等级表.pdf") % {"year": round_.year}),
        back=round_, what=_("评估等级表PDF"))


@role_required(Role.HR)
@require_GET
def round_results_xlsx(request, pk: int):
    round_ = _finalized_round(request, pk)
    spool = documents.results_workbook(round_, selectors.grade_table(round_))
    return xlsx_response(spool, filename=_("%(year)d年度技师工作站评估结果.xlsx") % {"year": round_.year})
