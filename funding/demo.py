"""Demo data of the ledger (``manage.py seed_demo``, after the evaluation's demo has created its station).
Idempotent: it creates nothing when there is no workstation yet. Every station of the demo units without a
grant gets the default ¥100,000.00 one; the first station's first tranche is approved and paid and two
expenditures are recorded against it, so HR, finance and the unit each have something to see. Its second tranche
comes only with the final acceptance, at the end of its construction period (it was scheduled on day one)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from funding import services
from funding.models import ExpenditureCategory
from funding.workflow import TrancheKind
from qinshui_station.demo import UNITS, demo_pdf
from qinshui_station.models import User, Workstation
from qinshui_station.models.workstations import WorkstationState
from qinshui_station.roles import Role
from qinshui_station.templatetags.portal import yuan

DEFAULT_AMOUNT = Decimal("100000.00")
EXPENDITURES = [
    ("equipment", Decimal("18600.00"), "购置数控车床刀具及量具一批"),
    ("talent-training", Decimal("6400.00"), "举办煤层气开采工技能提升培训班2期"),
]


@transaction.atomic
def load_demo(*, under_way: bool = False) -> list[str]:
    """``under_way`` (serve.sh's demo): the first station's first tranche also paid and two expenditures
    recorded."""
    hr = User.objects.filter(role=Role.HR, username="hr").first() or User.objects.filter(role=Role.HR).first()
    finance = User.objects.filter(role=Role.FINANCE, username="finance").first()
    if hr is None:
        return []
    stations = (Workstation.objects.filter(unit__name__in=[name for name, *_rest in UNITS], grant__isnull=True)
                .exclude(state=WorkstationState.REVOKED).order_by("pk"))
    lines = []
    for index, station in enumerate(stations):
        grant = services.create_grant(workstation=station, amount=DEFAULT_AMOUNT, actor=hr)
        if under_way and index == 0 and finance is not None:
            lines.append(f"补助资金：{station.name} {yuan(grant.amount)}")
            lines += _paid_and_spent(grant, hr, finance)
        else:
            lines.append(f"补助资金：{station.name} {yuan(grant.amount)}，第一批待审批")
    return lines


def _paid_and_spent(grant, hr, finance) -> list[str]:
    today = timezone.localdate()
    first = grant.tranches.get(kind=TrancheKind.FIRST)
    services.approve_tranche(tranche_id=first.pk, actor=hr)
    services.disburse_tranche(tranche_id=first.pk, actor=finance, disbursed_on=today,
                              voucher_number="沁财拨〔演示〕001号")
    unit_user = User.objects.filter(role=Role.UNIT, organization=grant.workstation.unit).order_by("pk").first()
    recorded = 0
    for code, amount, description in EXPENDITURES:
        category = ExpenditureCategory.objects.filter(code=code, allowed=True).first()
        if category is None or unit_user is None:
            continue
        services.record_expenditure(workstation_id=grant.workstation_id, actor=unit_user,
                                    spent_on=today, category=category, amount=amount,
                                    description=description, documents=[demo_pdf(f"{description[:10]}发票.pdf")])
        recorded += 1
    return [f"补助资金：第一批 {yuan(first.amount)} 已拨付，第二批待建设期满验收合格后安排；支出 {recorded} 笔"]
