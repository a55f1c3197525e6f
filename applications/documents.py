"""The applications app's documents (docs/documents.md): the 申报表 (附件1) from a real ``Application``,
the publicity notice (公示), the joint recognition document and the batch's workbook of applications."""

from __future__ import annotations

import tempfile

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from applications.models import Application, Batch, Publicity
from applications.workflow import State
from qinshui_station.documents import stored_or_render
from qinshui_station.documents.contexts import (
    ISSUERS,
    ApplicationFormData,
    MemberRow,
    application_form_context,
)
from qinshui_station.documents.workbooks import row

APPLICATION_FORM = "documents/application_form.html"
PUBLICITY_NOTICE = "documents/publicity_notice.html"
RECOGNITION_DOCUMENT = "documents/recognition_document.html"
KIND = "application_form"


def form_data(app: Application) -> ApplicationFormData:
    """附件1's fields from the application (its unit snapshot) and its members (prefetched or not)."""
    members = [MemberRow(name=m.name, qualification=m.get_qualification_display(), post=m.post,
                         achievements=m.specialty) for m in app.members.all()]
    return ApplicationFormData(
        unit_name=app.unit_name, unit_type=app.get_unit_type_display(), ownership=app.ownership,
        staff_total=app.staff_total or 0, address=app.address, legal_representative=app.legal_representative,
        legal_representative_phone=app.legal_representative_phone, contact_name=app.contact_person,
        contact_phone=app.contact_phone, contact_email=app.contact_email, bank_account_name=app.bank_account_name,
        bank_name=app.bank_name, bank_account_number=app.bank_account_number, occupation=app.occupation,
        leader_name=app.leader_name, leader_skill_level=app.leader_skill_level,
        filed_on=timezone.localdate(app.submitted_at) if app.submitted_at else None,
        senior_technicians=app.senior_technicians, technicians=app.technicians, senior_workers=app.senior_workers,
        senior_engineers=app.senior_engineers, engineers=app.engineers,
        assistant_engineers=app.assistant_engineers, other_talent=app.other_talents,
        training_system=app.training_system, training_plan=app.training_plan, equipment=app.equipment,
        tech_recent=app.technical_work_recent, tech_plan=app.technical_work_plan, projects=app.projects,
        school_cooperation=app.school_cooperation, post_plan=app.post_establishment_plan, members=members,
    )


def is_final(app: Application) -> bool:
    """Submitted and not open for editing again: the form is the stored copy of the latest submission."""
    return app.submitted_at is not None and not app.is_editable


def application_form(app: Application, user):
    """A submitted application: its stored copy (rendered on the first download after each submission).
    A draft or an application returned for changes: rendered now with the 草稿 watermark."""
    return stored_or_render(app, KIND, template_name=APPLICATION_FORM,
                            context=lambda: application_form_context(form_data(app)), final=is_final(app),
                            user=user, since=app.submitted_at)


def publicity_context(publicity: Publicity, stations) -> dict:
    return {"publicity": publicity, "batch": publicity.batch, "stations": list(stations), "issuer": ISSUERS[1]}


def recognition_context(batch: Batch) -> dict:
    document = batch.recognition
    stations = (Application.objects.filter(batch=batch, state=State.RECOGNIZED, workstation__isnull=False)
                .select_related("workstation__unit").order_by("workstation__plaque_number"))
    return {"batch": batch, "document": document, "issuers": document.issuer_names(),
            "stations": [a.workstation for a in stations]}


# --- the batch's workbook ---------------------------------------------------------------------------

def batch_headers() -> list[str]:
    return [_("序号"), _("申报单位"), _("职业（工种）"), _("领办人"), _("领办人职业技能等级"), _("行业主管部门"),
            _("状态"), _("提交时间"), _("员工总人数"), _("技术技能人才"), _("技术技能人才占比（%）"),
            _("拟入站人员"), _("同时申报大师工作室")]


def batch_workbook(batch: Batch, applications):
    """The batch's applications (the rows of the batch page: every application past the draft)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("%(year)d年度申报") % {"year": batch.year})
    sheet.append(row(sheet, batch_headers()))
    states = dict(State.choices)
    for n, app in enumerate(applications, start=1):
        share = app.talent_share
        sheet.append(row(sheet, [
            n, app.unit_name, app.occupation, app.leader_name, app.leader_skill_level,
            app.unit.department.name if app.unit.department_id else "", str(states[app.state]),
            timezone.localtime(app.submitted_at).strftime("%Y-%m-%d %H:%M") if app.submitted_at else "",
            app.staff_total, app.talent_total, share, app.member_count,
            _("是") if app.also_applies_master_studio else _("否"),
        ]))
    spool = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(spool)
    spool.seek(0)
    return spool

