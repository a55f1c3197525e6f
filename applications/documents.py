"""The applications app's documents (docs/documents.md): the 申报表 (附件1) from a real ``Application``,
the publicity notice (公示), the joint recognition document and the batch's workbook of applications."""

from __future__ import annotations

import tempfile
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from applications.models import Application, Batch, Publicity
from applications.selectors import sees_expert_review
from applications.states import ON_PANEL
from applications.workflow import State
from qinshui_station import audit
from qinshui_station.documents import stored_or_render
from qinshui_station.documents.contexts import (
    ISSUERS,
    ApplicationFormData,
    MemberRow,
    application_form_context,
)
from qinshui_station.documents.workbooks import row
from qinshui_station.models.organizations import sees_full_account, shown_account

APPLICATION_FORM = "documents/application_form.html"
PUBLICITY_NOTICE = "documents/publicity_notice.html"
RECOGNITION_DOCUMENT = "documents/recognition_document.html"
KIND = "application_form"


def form_data(app: Application, user=None) -> ApplicationFormData:
    """附件1's fields from the application (its unit snapshot) and its members (prefetched or not), with the
    bank account as ``user`` may see it (the one masking rule of pages, PDFs and workbooks)."""
    members = [MemberRow(name=m.name, qualification=m.get_qualification_display(), post=m.post,
                         achievements=m.specialty) for m in app.members.all()]
    account = app.bank_account_number if user is None else shown_account(user, app.unit_id, app.bank_account_number)
    return ApplicationFormData(
        unit_name=app.unit_name, unit_type=app.get_unit_type_display(), ownership=app.ownership,
        staff_total=app.staff_total or 0, address=app.address, legal_representative=app.legal_representative,
        legal_representative_phone=app.legal_representative_phone, contact_name=app.contact_person,
        contact_phone=app.contact_phone, contact_email=app.contact_email, bank_account_name=app.bank_account_name,
        bank_name=app.bank_name, bank_account_number=account, occupation=app.occupation,
        leader_name=app.leader_name, leader_skill_level=app.leader_skill_level,
        filed_on=timezone.localdate(app.submitted_at) if app.submitted_at else None,
        senior_technicians=app.senior_technicians, technicians=app.technicians, senior_workers=app.senior_workers,
        senior_engineers=app.senior_engineers, engineers=app.engineers,
        assistant_engineers=app.assistant_engineers, other_talent=app.other_talents,
        training_system=app.training_system, training_plan=app.training_plan, equipment=app.equipment,
        tech_recent=app.technical_work_recent, tech_plan=app.technical_work_plan, projects=app.projects,
        school_cooperation=app.school_cooperation, post_plan=app.post_establishment_plan, members=members,
    )


def _decided_on(app: Application, states) -> date | None:
    """The day of the latest move of ``app`` into one of ``states`` (from its audit trail)."""
    entry = audit.entries_for(app).filter(action="transition", to_state__in=list(states)).order_by("-at").first()
    return timezone.localdate(entry.at) if entry else None


def opinions(app: Application, user) -> dict:
    """The opinion rows of 附件1 as the portal holds them, printed per reader (SPEC "Confidentiality"):
    everyone who may open the form reads the department's and HR's opinions and the panel's conclusion;
    only HR and the organization department read the vote and the 评审人员 table."""
    conclusion = getattr(app, "panel_conclusion", None)
    full = sees_expert_review(user)
    reviewers = []
    if full and conclusion is not None:
        people = list(conclusion.participants.select_related("organization")) or [
            a.expert for a in app.assignments.filter(state__in=ON_PANEL).select_related("expert__organization")]
        reviewers = [{"name": p.full_name, "title": p.title, "organization": str(p.organization), "phone": p.phone}
                     for p in people]
    hr_on = _decided_on(app, [State.EXPERT_REVIEW]) if app.hr_opinion else None
    recognition = getattr(app.batch, "recognition", None) if app.state == State.RECOGNIZED else None
    return {
        "department_opinion": app.department_opinion,
        "department_opinion_on": _decided_on(app, [State.RECOMMENDED, State.NOT_RECOMMENDED])
        if app.department_opinion else None,
        "conclusion": conclusion, "reviewers": reviewers, "reviewers_hidden": not full,
        # (the words are built here: the shipped bold font covers only the templates' own characters)
        "votes_text": _("同意%(f)d票，反对%(a)d票，弃权%(n)d票。") % {
            "f": conclusion.votes_for, "a": conclusion.votes_against, "n": conclusion.votes_abstain}
        if full and conclusion is not None else "",
        "reviewers_note": _("评审人员名单仅供县人社局和县委组织部查阅。"),
        "hr_opinion": app.hr_opinion, "hr_opinion_on": hr_on, "recognition": recognition,
    }


def is_final(app: Application) -> bool:
    """Submitted and not open for editing again: the form is the stored copy of the latest submission."""
    return app.submitted_at is not None and not app.is_editable


def reader_kind(user, app: Application) -> str:
    """The stored copy depends on what the reader may see: the bank account in full or masked, the panel's
    vote and reviewers or not."""
    panel = "panel" if sees_expert_review(user) else "applicant"
    account = "full" if sees_full_account(user, app.unit_id) else "masked"
    return f"{KIND}.{panel}.{account}"


def _changed_at(app: Application):
    """The latest moment what the form prints changed: submission, a move (opinions), a corrected vote."""
    conclusion = getattr(app, "panel_conclusion", None)
    moments = [app.submitted_at, app.state_changed_at, getattr(conclusion, "corrected_at", None)]
    return max(m for m in moments if m is not None)


def form_context(app: Application, user) -> dict:
    data = form_data(app, user)
    return {**application_form_context(data), **opinions(app, user)}


def application_form(app: Application, user):
    """A submitted application: its stored copy for this kind of reader (rendered on the first download
    after each change of what it prints). A draft or an application returned for changes: rendered now
    with the 草稿 watermark."""
    final = is_final(app)
    return stored_or_render(app, reader_kind(user, app) if final else KIND, template_name=APPLICATION_FORM,
                            context=lambda: form_context(app, user), final=final, user=user,
                            since=_changed_at(app) if final else None)


def notice_context(publicity: Publicity, station_count: int) -> dict:
    """What the notice's words need, on the page and in the PDF: the list's size, the notice's web address
    and the office HR keeps for written objections."""
    from django.conf import settings
    from django.urls import reverse

    from qinshui_station.models import OfficeContact

    return {"publicity": publicity, "batch": publicity.batch, "station_count": station_count,
            "notice_url": settings.SITE_URL + reverse("applications:publicity_detail", args=[publicity.batch.year]),
            "office": OfficeContact.current()}


def publicity_context(publicity: Publicity, stations) -> dict:
    stations = list(stations)
    return {**notice_context(publicity, len(stations)), "stations": stations, "issuer": ISSUERS[1]}


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

