"""A county that grows: fixed actors, and ``grow(n)`` adds n rows of everything every list and dashboard page
shows (bulk_create, a few statements per kind), all visible to those actors. Consistent with the database's
constraints and triggers: tranches equal the split of the grant, graded evaluations carry their grade, scores
are inserted while their round is open."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from applications.models import Application, Batch, ExpertAssignment, Member, Publicity
from applications.workflow import State as AppState
from funding import sums
from funding.models import Expenditure, ExpenditureCategory, Grant, Recovery, Tranche
from qinshui_station.models import AuditEntry, Notification, Organization, User, Workstation
from qinshui_station.roles import OrgKind, Role, UnitType
from reviews.models import (
    Assignment,
    Evaluation,
    EvaluationRound,
    ExpertScore,
    LedgerEntry,
    RubricItem,
    RubricVersion,
    SelfScore,
)
from reviews.rubric_data import ensure_rubric_2023
from tests import factories
from tests.funding.factories import ensure_categories

_seq = itertools.count(1)
PASSWORD_HASH = None
APP_STATES = (AppState.DRAFT, AppState.SUBMITTED, AppState.RECOMMENDED, AppState.EXPERT_REVIEW, AppState.PUBLICITY)


def _password() -> str:
    global PASSWORD_HASH
    if PASSWORD_HASH is None:
        PASSWORD_HASH = make_password(factories.PASSWORD)
    return PASSWORD_HASH


class County:
    """The actors whose pages are measured, and the containers rows are added to."""

    def __init__(self):
        self.today = timezone.localdate()
        self.year = self.today.year
        self.hr = factories.HRUserFactory()
        self.finance = factories.FinanceUserFactory()
        self.org_dept = factories.OrgDeptUserFactory()
        self.unit_user = factories.UnitUserFactory()
        self.unit = self.unit_user.organization
        self.department = self.unit.department
        self.department_user = factories.DepartmentUserFactory(organization=self.department)
        self.expert = factories.ExpertFactory()
        self.rubric = ensure_rubric_2023()
        if not ExpenditureCategory.objects.exists():
            ensure_categories()
        self.category = ExpenditureCategory.objects.filter(allowed=True).order_by("pk").first()
        version = RubricVersion.objects.get(code="2023")
        self.items = list(RubricItem.objects.filter(version=version))
        self.batch = Batch.objects.create(year=self.year, filing_opens_on=self.today - timedelta(days=7),
                                          filing_closes_on=self.today + timedelta(days=60), created_by=self.hr)
        self.publicity = Publicity.objects.create(
            batch=self.batch, starts_on=self.today, ends_on=self.today + timedelta(days=7),
            closes_at=timezone.make_aware(datetime.combine(self.today + timedelta(days=7), time(23, 59, 59))),
            published_by=self.hr)
        self.open_round = EvaluationRound.objects.create(
            year=self.year, rubric=version, opens_on=self.today - timedelta(days=10),
            closes_on=self.today + timedelta(days=20), excellent_percent=15, opened_by=self.hr)
        self.final_round = EvaluationRound.objects.create(
            year=self.year - 1, rubric=version, opens_on=date(self.year - 1, 3, 1),
            closes_on=date(self.year - 1, 3, 31), excellent_percent=15, opened_by=self.hr)
        self.first_station = None
        self.batch_years = iter(range(2099, 2023, -1))
        self.round_years = itertools.count(2200)

    # --- growth --------------------------------------------------------------------------------------

    def grow(self, n: int) -> None:
        self._organizations(n)
        stations = self._stations(n)
        self._funding(stations)
        self._applications(n)
        self._evaluations(stations)
        self._history(n)
        # Planner statistics for what is there now, as autovacuum keeps them on a live server. Without it, the
        # statistics an earlier test left on near-empty tables make every page scan 1,000 rows in nested loops.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def _organizations(self, n):
        units = Organization.objects.bulk_create([
            Organization(kind=OrgKind.UNIT, name=f"规模测试企业{k}有限公司", credit_code=factories.make_credit_code(),
                         unit_type=UnitType.ENTERPRISE, department=self.department, bank_account_number="6222020200001234")
            for k in (next(_seq) for _ in range(n))])
        User.objects.bulk_create([
            User(username=f"scale{u.pk}", full_name=f"用户{u.pk}", email=f"scale{u.pk}@example.cn", role=Role.UNIT,
                 organization=u, password=_password()) for u in units])

    def _stations(self, n):
        stations = Workstation.objects.bulk_create([
            Workstation(name=f"沁水县技师工作站（{self.unit.name}·工种{k}）", unit=self.unit, occupation=f"工种{k}",
                        leader_name="李师傅", leader_skill_level="高级技师", batch_year=self.year - 1,
                        plaque_number=f"QSJS-T-{k:06d}", recognition_document_number="沁人社字〔2025〕40号",
                        recognized_on=date(self.year - 2, 12, 10), construction_ends_on=date(self.year, 12, 9))
            for k in (next(_seq) for _ in range(n))])
        self.first_station = self.first_station or stations[0]
        return stations

    def _funding(self, stations):
        now = timezone.now()
        grants = Grant.objects.bulk_create([Grant(workstation=s, amount=Decimal("100000.00")) for s in stations])
        self.first_grant = getattr(self, "first_grant", None) or grants[0]
        tranches = []
        for i, g in enumerate(grants):
            tranches.append(Tranche(grant=g, kind="first", amount=Decimal("40000.00"), state="disbursed",
                                    approved_by=self.hr, approved_at=now, disbursed_by=self.finance,
                                    disbursed_on=self.today, voucher_number=f"记-{g.pk}",
                                    paid_account_name=self.unit.name, paid_bank="工行",
                                    paid_account_number="0506012309024012345"))
            tranches.append(Tranche(grant=g, kind="second", amount=Decimal("60000.00"),
                                    state="scheduled" if i % 2 else "approved", approved_at=None if i % 2 else now,
                                    approved_by=None if i % 2 else self.hr))
        Tranche.objects.bulk_create(tranches)
        spending = Expenditure.objects.bulk_create([
            Expenditure(grant=g, spent_on=self.today, category=self.category, amount=Decimal("1.00"),
                        description="购置配件", state="questioned" if i % 2 else "recorded",
                        question="请补充发票" if i % 2 else "", questioned_by=self.hr if i % 2 else None,
                        recorded_by=self.unit_user)
            for i, g in enumerate(grants + [self.first_grant] * len(grants))])
        Recovery.objects.bulk_create([
            Recovery(grant_id=e.grant_id, expenditure=e, amount=Decimal("1.00"), reason="违规", decided_by=self.hr,
                     state="pending") for e in spending])
        sums.refresh(grant_ids=[g.pk for g in grants])  # what the services do for the rows they write

    def _applications(self, n):
        apps = Application.objects.bulk_create([
            Application(batch=self.batch, unit=self.unit, state=APP_STATES[i % len(APP_STATES)], created_by=self.unit_user,
                        unit_name=self.unit.name, occupation=f"申报工种{next(_seq)}", leader_name="赵师傅",
                        leader_skill_level="技师", submitted_at=timezone.now())
            for i in range(n)])
        Member.objects.bulk_create([Member(application=a, name="成员", qualification="technician") for a in apps])
        ExpertAssignment.objects.bulk_create([ExpertAssignment(application=a, expert=self.expert, assigned_by=self.hr)
                                              for a in apps if a.state == AppState.EXPERT_REVIEW])
        year = next(self.batch_years, None)
        extra = [next(self.batch_years, None) for _ in range(min(n, 60) - 1)]
        years = [y for y in [year, *extra] if y is not None]
        Batch.objects.bulk_create([Batch(year=y, filing_opens_on=date(y, 1, 1), filing_closes_on=date(y, 2, 1),
                                         created_by=self.hr, state="closed") for y in years])

    def _evaluations(self, stations):
        now = timezone.now()
        EvaluationRound.objects.filter(pk=self.final_round.pk).update(state="open", finalized_at=None)
        evaluations = Evaluation.objects.bulk_create(
            [Evaluation(round=self.open_round, workstation=s, state="submitted", submitted_at=now,
                        self_total=Decimal("80"), contact_person="王芳", work_summary="开展带徒")
             for s in stations]
            + [Evaluation(round=self.final_round, workstation=s, state="graded", grade="qualified", rank=i + 1,
                          assessed_total=Decimal("75.50"), assessed_base=Decimal("75.50"), submitted_at=now,
                          graded_at=now, experts_submitted=1)
               for i, s in enumerate(stations)])
        assignments = Assignment.objects.bulk_create([
            Assignment(evaluation=e, expert=self.expert, assigned_by=self.hr,
                       state="submitted", submitted_at=now, base=Decimal("75.50"), bonus=0, total=Decimal("75.50"))
            for e in evaluations])
        ExpertScore.objects.bulk_create([ExpertScore(assignment=a, item=i, points=0, max_points=i.max_points)
                                         for a in assignments for i in self.items])
        SelfScore.objects.bulk_create([SelfScore(evaluation=e, item=i, points=0, max_points=i.max_points)
                                       for e in evaluations for i in self.items])
        EvaluationRound.objects.filter(pk=self.final_round.pk).update(
            state="finalized", finalized_at=now, evaluated_count=Evaluation.objects.filter(round=self.final_round).count(),
            unqualified_count=0, excellent_quota=0, finalized_by=self.hr)
        EvaluationRound.objects.bulk_create([
            EvaluationRound(year=next(self.round_years), rubric_id=self.open_round.rubric_id, opens_on=date(2026, 3, 1),
                            closes_on=date(2026, 3, 31), excellent_percent=15, opened_by=self.hr)
            for _ in range(min(len(stations), 50))])
        LedgerEntry.objects.bulk_create([
            LedgerEntry(workstation=self.first_station, kind="project", occurred_on=date(self.year - 1, 6, 1),
                        title=f"攻关项目{k}", recorded_by=self.unit_user) for k in range(len(stations))])

    def _history(self, n):
        users = [self.hr, self.finance, self.org_dept, self.unit_user, self.department_user, self.expert]
        AuditEntry.objects.bulk_create([
            AuditEntry(actor=self.hr, actor_label="人社局", object_type="qinshui_station.workstation",
                       object_id=str(k), object_label=f"站{k}", action="transition") for k in range(n)])
        Notification.objects.bulk_create([Notification(recipient=u, message=f"通知{k}", url="/home/")
                                          for u in users for k in range(n)])
