"""Demo data of the ledger (``manage.py seed_demo``). Idempotent: it creates nothing when there is no
workstation yet; every station of the demo units that has no grant gets the default ¥100,000.00 one."""

from decimal import Decimal

from django.db import transaction

from funding import services
from qinshui_station.demo import UNITS
from qinshui_station.models import User, Workstation
from qinshui_station.models.workstations import WorkstationState
from qinshui_station.roles import Role
from qinshui_station.templatetags.portal import yuan

DEFAULT_AMOUNT = Decimal("100000.00")


@transaction.atomic
def load_demo() -> list[str]:
    hr = User.objects.filter(role=Role.HR, username="hr").first() or User.objects.filter(role=Role.HR).first()
    if hr is None:
        return []
    stations = (Workstation.objects.filter(unit__name__in=[name for name, *_rest in UNITS], grant__isnull=True)
                .exclude(state=WorkstationState.REVOKED).order_by("pk"))
    lines = []
    for station in stations:
        grant = services.create_grant(workstation=station, amount=DEFAULT_AMOUNT, actor=hr)
        lines.append(f"补助资金：{station.name} {yuan(grant.amount)}，第一批待审批")
    return lines
