"""Demo data of the annual evaluation (``manage.py seed_demo``). Idempotent.

A station for demo unit 2 (created directly when it has none, recognized last December so that it owes
an evaluation this year), this year's round with a filing window around today so the demo can be tried
at once, and a few ledger entries; the station's evaluation filed and submitted by its unit, with demo experts
1 and 2 assigned, so each expert has a sheet to score."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qinshui_station.demo import UNITS
from qinshui_station.models import Organization, User, Workstation
from qinshui_station.models.workstations import WorkstationState, construction_end
from qinshui_station.roles import OrgKind, Role
from reviews import services
from reviews.models import EvaluationRound
from reviews.rubric_data import ensure_rubric_2023
from reviews.sheets import Rubric
from reviews.workflow import EvaluationState


@transaction.atomic
def load_demo(*, under_way: bool = False) -> list[str]:
    """``under_way`` (serve.sh's demo): the station's evaluation also filed, submitted and given to two
    experts; without it (tests that walk the flow themselves), the round and the ledger only."""
    hr = User.objects.filter(role=Role.HR, username="hr").first()
    unit = Organization.objects.filter(kind=OrgKind.UNIT, name=UNITS[1][0]).first()
    unit_user = User.objects.filter(username="unit2", organization=unit).first()
    if hr is None or unit is None or unit_user is None:
        return []
    ensure_rubric_2023()
    today = timezone.localdate()
    lines = []
    station = unit.workstations.exclude(state=WorkstationState.REVOKED).order_by("pk").first()
    if station is None:
        recognized = date(today.year - 1, 12, 10)
        station = Workstation.objects.create(
            name=f"沁水县技师工作站（{unit.name}·煤层气开采工）", unit=unit, occupation="煤层气开采工",
            leader_name="李建国", leader_skill_level="高级技师", batch_year=today.year - 1,
            plaque_number=f"QSJS-{today.year - 1}-D01", recognition_document_number=f"沁人社字〔{today.year - 1}〕99号",
            recognized_on=recognized, construction_ends_on=construction_end(recognized))
        lines.append(f"年度评估：演示工作站 {station.name}")
    if not station.ledger_entries.exists():
        last_december, last_month = date(today.year - 1, 12, 20), today - timedelta(days=30)
        for kind, on, fields in [
            ("trained", last_december, {"person_name": "赵磊", "occupation": "煤层气开采工", "result": "取得高级工证书"}),
            ("project", last_december, {"title": "排采设备远程监测改造"}),
            ("trained", last_month, {"person_name": "钱芳", "occupation": "电工", "result": "取得技师证书"}),
            ("cooperation", last_month, {"title": "晋城职业技术学院订单班"}),
        ]:
            services.add_ledger_entry(actor=unit_user, workstation_id=station.pk, kind=kind, occurred_on=on, **fields)
    if (today.year not in station.evaluation_years()
            or EvaluationRound.objects.filter(year=today.year).exists()):
        return lines
    round_ = services.open_round(actor=hr, year=today.year, opens_on=today - timedelta(days=7),
                                 closes_on=today + timedelta(days=30))
    lines.append(f"年度评估：{round_}，申报时间 {round_.opens_on}—{round_.closes_on}，"
                 f"{round_.evaluations.count()}个工作站参评")
    evaluation = round_.evaluations.filter(workstation=station).first()
    if under_way and evaluation is not None:
        rubric = Rubric.load(round_.rubric_id)
        services.save_evaluation_form(
            actor=unit_user, evaluation_id=evaluation.pk, contact_person="李建国", contact_title="综合办主任",
            contact_phone="13835600002", work_summary="全年开展技能培训12期，培养骨干6名，完成技改项目1项。",
            self_points={item.pk: (item.max_points * Decimal("0.8") * 2).to_integral_value(rounding="ROUND_FLOOR") / 2
                         for item in rubric.judged_items},
            claimed={rule.pk: 1 if rule.code == "utility_patents" else 0 for rule in rubric.rules})
        services.evaluation_transition(evaluation_id=evaluation.pk, actor=unit_user, to=EvaluationState.SUBMITTED)
        for expert in User.objects.filter(username__in=("expert1", "expert2")).order_by("username"):
            services.assign_expert(actor=hr, evaluation_id=evaluation.pk, expert_id=expert.pk)
        lines.append(f"年度评估：{station.name} 已提交，expert1、expert2 待评分")
    return lines
