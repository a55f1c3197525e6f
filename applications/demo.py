"""Demo data for the applications app: this year's batch, open now, and one draft of demo unit 1 with its
members filled in, and its 电工 application submitted for the department's review; and last year's batch, closed, whose proposed list is on public notice from today (demo
unit 1's 数控车工 station, taken through every step by the services), so every role has something to do and to
see. Idempotent: runs after the core's demo accounts."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from applications import services
from applications.models import REQUIRED_KINDS, Application, AttachmentKind, Batch, Qualification
from applications.workflow import State
from qinshui_station.demo import demo_pdf
from qinshui_station.models import User

MEMBERS = [
    ("郑国强", Qualification.SENIOR_TECHNICIAN, "装配车间主任", "精密装配，获山西省技术能手称号"),
    ("冯立新", Qualification.TECHNICIAN, "钳工班长", "工装夹具改进3项，年节约成本20万元"),
    ("韩雪梅", Qualification.SKILL_LEADER, "工艺组长", "数控工艺优化，带徒8名"),
    ("杜海涛", Qualification.SENIOR_WORKER, "钳工", "设备维修"),
]


@transaction.atomic
def load_demo(*, under_way: bool = False) -> list[str]:
    """``under_way`` (serve.sh's demo): also last year's batch on public notice; without it (tests that walk
    the flow themselves), only this year's batch and the draft."""
    today = timezone.localdate()
    hr = User.objects.get(username="hr")
    unit_user = User.objects.get(username="unit1")
    batch = Batch.objects.filter(year=today.year).first()
    if batch is None:
        batch = services.open_batch(actor=hr, year=today.year, filing_opens_on=today - timedelta(days=7),
                                    filing_closes_on=today + timedelta(days=60), subsidy_amount=Decimal("100000.00"))
    lines = [f"申报批次：{batch}（{batch.filing_opens_on} 至 {batch.filing_closes_on}，{batch.get_state_display()}）"]
    app = Application.objects.filter(batch=batch, unit_id=unit_user.organization_id, occupation="钳工").first()
    if app is None and batch.filing_open_on(today):
        app = services.create_application(actor=unit_user, batch_id=batch.pk, occupation="钳工")
        services.update_draft(actor=unit_user, application_id=app.pk, fields={
            "staff_total": 320, "leader_name": "郑国强", "leader_skill_level": "高级技师",
            "senior_technicians": 4, "technicians": 11, "senior_workers": 36, "engineers": 9,
        })
        services.replace_members(actor=unit_user, application_id=app.pk, members=[
            {"name": n, "qualification": q, "post": p, "specialty": s} for n, q, p, s in MEMBERS])
    if app is not None:
        lines.append(f"演示申报：{app}（{app.get_state_display()}），unit1 登录后在“工作站申报”中继续填写")
    if under_way and batch.filing_open_on(today) and not Application.objects.filter(
            batch=batch, unit_id=unit_user.organization_id, occupation="电工").exists():
        submitted = _submitted(batch, unit_user, "电工")
        lines.append(f"演示申报：{submitted}（{submitted.get_state_display()}），dept1 登录后初审")
    publicity = _publicity(today, hr, unit_user) if under_way else None
    if publicity is not None:
        lines.append(f"拟认定名单公示：{publicity.batch}，{publicity.starts_on} 至 {publicity.ends_on}")
    return lines


NARRATIVE = {
    "training_system": "建立师带徒制度，近3年培养技师12名、高级工30名。", "training_plan": "3年内培养高级技师3名、技师10名。",
    "equipment": "数控车床6台、加工中心2台，实训车间约300平方米。", "technical_work_recent": "液压支架关键零件车削工艺改进2项。",
    "technical_work_plan": "开展难加工材料车削技术攻关。", "projects": "市级技改项目1项。",
    "school_cooperation": "与晋城技师学院共建实训基地。", "post_establishment_plan": "设站长1名，年培养骨干5名以上。",
    "staff_total": 320, "leader_name": "郑国强", "leader_skill_level": "高级技师", "senior_technicians": 3,
    "technicians": 9, "declares_talent_mechanism": True, "declares_sound_operation": True,
    "declares_advanced_equipment": True, "declares_work_rules": True, "declares_truthful": True,
    "also_applies_master_studio": False,
}


def _submitted(batch, unit_user, occupation: str) -> Application:
    """An application of ``unit_user``'s unit, filled in, with its materials, submitted to the department."""
    app = services.create_application(actor=unit_user, batch_id=batch.pk, occupation=occupation)
    services.update_draft(actor=unit_user, application_id=app.pk, fields=NARRATIVE)
    services.replace_members(actor=unit_user, application_id=app.pk, members=[
        {"name": n, "qualification": q, "post": p, "specialty": s} for n, q, p, s in MEMBERS])
    for kind in REQUIRED_KINDS:
        services.upload_attachment(actor=unit_user, application_id=app.pk, kind=kind,
                                   uploaded=demo_pdf(f"{AttachmentKind(kind).label}.pdf"))
    services.application_transition(application_id=app.pk, actor=unit_user, to=State.SUBMITTED)
    return app


def _publicity(today, hr, unit_user):
    """Last year's batch with demo unit 1's 数控车工 application recommended, reviewed by two experts, proposed
    by the panel and on public notice from today (5 working days): every step through the services."""
    year = today.year - 1
    batch = Batch.objects.filter(year=year).first()
    if batch is not None:
        return getattr(batch, "publicity", None)
    dept, experts = User.objects.get(username="dept1"), list(User.objects.filter(username__in=("expert1", "expert2")))
    batch = services.open_batch(actor=hr, year=year, filing_opens_on=today - timedelta(days=30), filing_closes_on=today,
                                subsidy_amount=Decimal("100000.00"))
    app = _submitted(batch, unit_user, "数控车工")
    services.upload_attachment(actor=dept, application_id=app.pk, kind=AttachmentKind.RECOMMENDATION_REPORT,
                               uploaded=demo_pdf("推荐报告.pdf"))
    services.application_transition(application_id=app.pk, actor=dept, to=State.RECOMMENDED, reason="同意推荐。")
    services.application_transition(application_id=app.pk, actor=hr, to=State.EXPERT_REVIEW)
    for expert in experts:
        assignment = services.assign_expert(actor=hr, application_id=app.pk, expert_id=expert.pk)
        services.save_expert_review(actor=expert, assignment_id=assignment.pk, submit=True, fields={
            "document_review": "材料齐全，证书真实有效。", "site_visit_on": today - timedelta(days=3),
            "site_visit_notes": "实训车间约300平方米，数控设备完好。", "opinion": "recommend",
            "opinion_reason": "技师团队结构合理，条件具备。"})
    services.record_panel_conclusion(actor=hr, application_id=app.pk, votes_for=len(experts), votes_against=0,
                                     votes_abstain=0, summary="同意列入拟认定名单。", held_on=today - timedelta(days=1),
                                     participants=experts)
    services.close_batch(actor=hr, batch_id=batch.pk)
    return services.publish_publicity(actor=hr, batch_id=batch.pk, starts_on=today)
