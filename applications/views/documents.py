"""PDF documents and workbooks of the applications app (docs/documents.md): each reached through the
app's selectors, so whoever may not see the record gets a 404."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from applications import documents
from applications.selectors import (
    applications_for,
    batches_for,
    public_list,
    public_publicities,
    recognized_batches_for,
    with_members,
)
from qinshui_station.access import role_required
from qinshui_station.documents import document_or_message, pdf_response, render_pdf, xlsx_response
from qinshui_station.roles import Role


@login_required
@require_GET
def application_form_pdf(request, pk: int):
    app = get_object_or_404(with_members(applications_for(request.user)), pk=pk)
    return document_or_message(
        request,
        lambda: pdf_response(documents.application_form(app, request.user),
                             filename=_("申报表-%(unit)s-%(occupation)s.pdf")
                             % {"unit": app.unit_name, "occupation": app.occupation}),
        back=app, what=_("申报表PDF"))


@require_GET
def publicity_notice_pdf(request, year: int):
    """The notice as printed for the notice board: public like the notice page itself (no sign-in), for
    every published publicity; rendered on demand, so a station removed after an upheld objection is
    no longer listed."""
    publicity = get_object_or_404(public_publicities(), batch__year=year)
    return document_or_message(
        request,
        lambda: pdf_response(render_pdf(documents.PUBLICITY_NOTICE,
                                        documents.publicity_context(publicity, public_list(publicity))),
                             filename=_("%(year)d年度技师工作站拟认定名单公示.pdf") % {"year": year}),
        back=reverse("applications:publicity_detail", args=[year]), what=_("公示PDF"))


@role_required(Role.HR, Role.ORG_DEPT, Role.FINANCE)
@require_GET
def recognition_pdf(request, pk: int):
    """The joint recognition document: HR and the two other issuing bodies, once it has been recorded."""
    batch = get_object_or_404(recognized_batches_for(request.user), pk=pk)
    return document_or_message(
        request,
        lambda: pdf_response(render_pdf(documents.RECOGNITION_DOCUMENT, documents.recognition_context(batch)),
                             filename=_("%(year)d年度技师工作站认定文件.pdf") % {"year": batch.year}),
        back=batch, what=_("认定文件PDF"))


@role_required(Role.HR)
@require_GET
def batch_applications_xlsx(request, pk: int):
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    apps = (applications_for(request.user).filter(batch=batch).annotate(member_count=Count("members"))
            .order_by("state", "state_changed_at", "pk"))
    spool = documents.batch_workbook(batch, apps)
    return xlsx_response(spool, filename=_("%(year)d年度技师工作站申报汇总.xlsx") % {"year": batch.year})
