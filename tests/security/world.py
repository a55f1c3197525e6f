"""One complete world for the security tests: two units in different sectors, each with applications in
several states, attachments, experts with and without assignments, stations, evaluations, tranches,
expenditures, recoveries and stored PDFs. Everything of unit A has a twin of unit B, so every page can be
asked for with an object of the person's own side and of the other side."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.models import AttachmentKind, Objection, SiteVisitPhoto
from applications.workflow import State
from funding import services as funding_services
from qinshui_station.documents import store_rendering
from reviews import services as review_services
from reviews.models import Evaluation
from tests import factories as core
from tests.applications import factories as af
from tests.funding import factories as ff
from tests.reviews import factories as rf

PDF = af.PDF
ROLES = ("anonymous", "unit", "other_unit", "department", "other_department", "expert_assigned",
         "expert_unassigned", "hr", "finance", "org_dept")


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _side(w, key: str, sector: str, expert, hr, finance, year: int):
    """Unit, department, users, applications, station, evaluation, funding records of one side."""
    dept = core.DepartmentFactory(sector=sector)
    unit = core.UnitFactory(department=dept)
    unit_user = core.UnitUserFactory(organization=unit)
    dept_user = core.DepartmentUserFactory(organization=dept)
    s = SimpleNamespace(dept=dept, unit=unit, unit_user=unit_user, dept_user=dept_user)

    # Applications: a draft (with a file), one in expert review assigned to ``expert`` (with a photo).
    s.draft = af.eligible_application(batch=w.batch, unit=unit, created_by=unit_user, occupation="焊工")
    s.draft_file = s.draft.attachments.first()
    s.app = af.application_in(State.EXPERT_REVIEW, batch=w.batch, unit=unit, created_by=unit_user)
    s.app_file = s.app.attachments.filter(kind=AttachmentKind.APPLICATION_REPORT).first()
    s.assignment = af.assign(s.app, expert=expert, submitted=False)
    photo = SiteVisitPhoto(assignment=s.assignment)
    photo.attach(SimpleUploadedFile("现场.png", af.PNG, content_type="image/png"), user=expert)
    photo.save()
    s.photo = photo
    s.rendered = store_rendering(s.app, "application_form", PDF, hr)

    # A station with its grant: first tranche disbursed, second scheduled; an expenditure with an invoice.
    s.station = core.WorkstationFactory(unit=unit, recognized_on=timezone.localdate().replace(year=year - 1,
                                                                                            month=6, day=1))
    ws, grant = s.station, funding_services.create_grant(workstation=s.station, amount=Decimal("100000.00"),
                                                         actor=hr)
    s.grant = grant
    s.tranche = grant.tranches.get(kind="first")
    funding_services.approve_tranche(tranche_id=s.tranche.pk, actor=hr)
    funding_services.disburse_tranche(tranche_id=s.tranche.pk, actor=finance, disbursed_on=timezone.localdate(),
                                      voucher_number=f"记-{key}-0001")
    s.expenditure = ff.spend(ws, unit_user, Decimal("1000.00"))
    s.document = s.expenditure.documents.first()

    # A second station of the unit, misused: revoked, with a recovery pending.
    s.misused_station, _grant = ff.disbursed_station(hr=hr, finance=finance, unit=unit)
    spent = ff.spend(s.misused_station, unit_user, Decimal("2000.00"))
    funding_services.question_expenditure(expenditure_id=spent.pk, actor=hr, reason="发票与采购内容不符。")
    funding_services.uphold_misuse(expenditure_id=spent.pk, actor=hr, reason="挪用于差旅。",
                                   recovery_amount=Decimal("2000.00"))
    s.recovery = _grant.recoveries.get()

    # The work ledger with a photo.
    s.ledger_entry = review_services.add_ledger_entry(
        actor=unit_user, workstation_id=ws.pk, kind="trained", occurred_on=timezone.localdate() - timedelta(days=3),
        person_name="赵师傅", occupation="钳工", result="取得技师证书", description="带徒培养。",
        files=[pdf("台账.pdf")])
    s.ledger_file = s.ledger_entry.attachments.get()
    return s


def build_world():
    w = SimpleNamespace()
    w.hr = core.HRUserFactory()
    w.finance = core.FinanceUserFactory()
    w.org_dept = core.OrgDeptUserFactory()
    w.expert_assigned = core.ExpertFactory()
    w.expert_unassigned = core.ExpertFactory()
    w.expert_b = core.ExpertFactory()  # assigned to side B only; not one of the roles asked
    ff.category()  # the categories (data migration) are there
    w.batch = af.BatchFactory(created_by=w.hr)
    today = timezone.localdate()
    w.round_year = today.year
    w.a = _side(w, "A", "工业", w.expert_assigned, w.hr, w.finance, w.round_year)
    w.b = _side(w, "B", "农业", w.expert_b, w.hr, w.finance, w.round_year)

    # A batch in publicity (side A's station on the list) with a pending objection.
    w.public_app = af.application_in(State.PUBLICITY, unit=w.a.unit)
    w.public_batch = w.public_app.batch
    w.publicity = w.public_batch.publicity
    w.objection = Objection.objects.create(publicity=w.publicity, application=w.public_app, name="钱异议",
                                           phone="13911112222", content="技师人数不足。", ip_address="203.0.113.9")

    # The evaluation round of this year: side A's and B's stations, filed, with evidence and an expert each.
    w.round = rf.open_round(w.hr, year=w.round_year)
    for side, expert in ((w.a, w.expert_assigned), (w.b, w.expert_b)):
        side.evaluation = Evaluation.objects.get(round=w.round, workstation=side.station)
        side.evaluation_file = review_services.add_evaluation_attachment(
            actor=side.unit_user, evaluation_id=side.evaluation.pk, uploaded=pdf("佐证.pdf"))
        rf.file_evaluation(side.evaluation, side.unit_user)
        side.eval_assignment = review_services.assign_expert(actor=w.hr, evaluation_id=side.evaluation.pk,
                                                              expert_id=expert.pk)
    w.users = {
        "anonymous": None, "unit": w.a.unit_user, "other_unit": w.b.unit_user, "department": w.a.dept_user,
        "other_department": w.b.dept_user, "expert_assigned": w.expert_assigned,
        "expert_unassigned": w.expert_unassigned, "hr": w.hr, "finance": w.finance, "org_dept": w.org_dept,
    }
    return w
