"""Demo data for the applications app: this year's batch, open now, and one draft of demo unit 1 with its
members filled in, so the portal has something to show. Idempotent: runs after the core's demo accounts."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from applications import services
from applications.models import Application, Batch, Qualification
from qinshui_station.models import User

MEMBERS = [
    ("郑国强", Qualification.SENIOR_TECHNICIAN, "装配车间主任", "精密装配，获山西省技术能手称号"),
    ("冯立新", Qualification.TECHNICIAN, "钳工班长", "工装夹具改进3项，年节约成本20万元"),
    ("韩雪梅", Qualification.SKILL_LEADER, "工艺组长", "数控工艺优化，带徒8名"),
    ("杜海涛", Qualification.SENIOR_WORKER, "钳工", "设备维修"),
]


@transaction.atomic
def load_demo() -> list[str]:
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
    return lines
