"""A large county for the benchmarks of issue 8 (docs/performance.md): ``manage.py seed_scale`` and
``manage.py bench_finalize`` build with these. A development tool in the ``devtools`` app, above every other
app; nothing imports it.

Rows go in with ``bulk_create`` where their ids are needed and with PostgreSQL ``COPY`` for the big leaf tables
(scores, ledger, audit, notifications). Everything respects the database's constraints and triggers: scores are
inserted while their round is open (the rounds are finalized at the end), a grant's tranches are always its
``split``, graded evaluations carry grade and total."""

from __future__ import annotations

import csv
import io
import random
import zlib
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

FIRST_YEAR = 2023
PASSWORD = "Scale@Bench2026"  # every account of the scale dataset (a development database only)
EXPERTS_PER_EVALUATION = 3
BATCH = 5000
HALF = Decimal("0.5")


def copy_rows(table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples, None → NULL) into ``table``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    for row in rows:
        writer.writerow(["\\N" if v is None else v for v in row])
        count += 1
    buffer.seek(0)
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, buffer)
        else:  # psycopg 3 (Django's driver once procrastinate brings it)
            with raw.copy(sql) as copy:
                copy.write(buffer.getvalue())
    return count


def _aware(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


class Builder:
    """Accounts and reference data shared by every part; ``stations(...)`` adds stations with their whole
    history. ``rng`` is seeded: the same size gives the same data."""

    def __init__(self, *, seed: int = 2026, prefix: str = "scale", today: date | None = None):
        from qinshui_station.models import Organization, User
        from qinshui_station.roles import OrgKind, Role
        from reviews.models import RubricItem, RubricVersion
        from reviews.rubric_data import ensure_rubric_2023

        self.rng = random.Random(seed)
        self.prefix = prefix
        # The dataset's own "today": the real one, or a later day when more years are asked for than the
        # measures have had so far (seed_scale --as-of); records are then dated as of that day.
        self.today = today or timezone.localdate()
        self.year = self.today.year
        self.now = timezone.now() if self.today == timezone.localdate() else _aware(self.today)
        self.password = make_password(PASSWORD)
        self.counts: dict[str, int] = {}
        ensure_rubric_2023()
        from django.apps import apps

        from funding.models import ExpenditureCategory
        if not ExpenditureCategory.objects.filter(allowed=True).exists():
            # a database emptied by a flush (the tests) lost the categories funding's migration wrote
            import_module("funding.migrations.0003_categories_and_tranche_trigger").add_categories(apps, None)
        self.rubric = RubricVersion.objects.get(code="2023")
        self.items = list(RubricItem.objects.filter(version=self.rubric).order_by("order"))

        def bureau(kind):
            return Organization.objects.get_or_create(kind=kind, name=str(OrgKind(kind).label))[0]

        def account(username, role, org, full_name):
            user, _ = User.objects.get_or_create(username=username, defaults={
                "role": role, "organization": org, "full_name": full_name, "email": f"{username}@example.cn",
                "password": self.password})
            return user

        self.hr = account(f"{prefix}_hr", Role.HR, bureau(OrgKind.HR_BUREAU), "规模测试人社")
        self.finance = account(f"{prefix}_finance", Role.FINANCE, bureau(OrgKind.FINANCE_BUREAU), "规模测试财政")
        self.org_dept = account(f"{prefix}_orgdept", Role.ORG_DEPT, bureau(OrgKind.ORG_DEPT), "规模测试组织部")
        self.departments = [Organization.objects.get_or_create(
            kind=OrgKind.DEPARTMENT, name=f"{prefix}行业主管部门{k}", defaults={"sector": f"行业{k}"})[0]
            for k in range(12)]
        self.department_user = account(f"{prefix}_dept", Role.DEPARTMENT, self.departments[0], "规模测试主管部门")
        employers = [Organization.objects.get_or_create(kind=OrgKind.OTHER, name=f"{prefix}专家单位{k}")[0]
                     for k in range(10)]
        self.experts = [account(f"{prefix}_expert{k}", Role.EXPERT, employers[k % 10], f"专家{k}") for k in range(60)]
        self.unit_user = None
        self._units = 0

    def _count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    # --- stations and their history ------------------------------------------------------------------

    def units(self, n: int):
        """n applicant units with one user each."""
        from qinshui_station.models import Organization, User
        from qinshui_station.roles import OrgKind, Role, UnitType
        from qinshui_station.validators import credit_code_check_character

        start = Organization.objects.filter(kind=OrgKind.UNIT, name__startswith=f"{self.prefix}企业").count()
        orgs = []
        for k in range(start, start + n):
            body = f"9114{zlib.crc32(self.prefix.encode()) % 100:02d}{k:011d}"
            orgs.append(Organization(
                kind=OrgKind.UNIT, name=f"{self.prefix}企业{k:06d}有限公司", credit_code=body + credit_code_check_character(body),
                unit_type=UnitType.ENTERPRISE, department=self.departments[k % len(self.departments)],
                ownership="有限责任公司", address="沁水县龙港镇", legal_representative="张伟",
                contact_person="王芳", contact_phone="13835600001", bank_account_name=f"企业{k}",
                bank_name="中国工商银行沁水支行", bank_account_number=f"0506012309{k:09d}"))
        orgs = Organization.objects.bulk_create(orgs, batch_size=BATCH)
        users = User.objects.bulk_create([
            User(username=f"{self.prefix}_unit{start + i}", role=Role.UNIT, organization=o, full_name=f"联系人{i}",
                 email=f"{self.prefix}_unit{start + i}@example.cn", password=self.password)
            for i, o in enumerate(orgs)], batch_size=BATCH)
        self.unit_user = self.unit_user or users[0]
        self._count("organizations", len(orgs))
        self._count("users", len(users))
        return orgs

    def history(self, *, stations: int, years: int = 5, open_round_year: int | None = None,
                finalize_past: bool = True):
        """``stations`` stations recognized over ``years`` batches (the years before this one), each with its
        application, members, grant and tranches, spending, ledger, and its evaluations in every round it owed
        (3 experts, every rubric item scored). Rounds before this year are graded and finalized with their
        consequences (revocation, acceptance, tranches); this year's round is open with every sheet in."""
        units = self.units(max(1, stations // 2))
        # The measures date from 2023 (batch_year_range): at most the years 2023 … last year hold batches.
        batch_years = list(range(max(FIRST_YEAR, self.year - years), self.year))
        years = len(batch_years)
        self.batch_years = batch_years
        per_batch = [stations // years + (1 if i < stations % years else 0) for i in range(years)]
        station_rows = []
        for batch_year, n in zip(batch_years, per_batch, strict=True):
            batch = self._batch(batch_year)
            for k in range(n):
                station_rows.append((batch, units[(len(station_rows)) % len(units)], k + 1))
        apps, stations_ = self._stations(station_rows)
        self._funding(stations_)
        self._current_batch(units)
        rounds = {}
        for round_year in range(batch_years[0] + 1, self.year + 1):
            rounds[round_year] = self._round(round_year, stations_, open_=round_year == (open_round_year or self.year),
                                             graded=round_year < self.year and finalize_past)
        self._ledger(stations_)
        self._notifications()
        return stations_, rounds

    def round_to_finalize(self, *, stations: int, year: int = 2090):
        """An open round of ``stations`` evaluations, every sheet in (3 experts, every item), half of them final
        acceptances, each station with its grant and first tranche: what ``bench_finalize`` times."""
        units = self.units(max(1, stations // 2))
        rows = [(self._batch(year - 2 + i % 2), units[i % len(units)], i) for i in range(stations)]
        _apps, stations_ = self._stations(rows)
        self._funding(stations_)
        return self._round(year, stations_, open_=True, graded=False, complete=True)

    def _current_batch(self, units):
        """This year's batch, open, with applications on their way (a tenth of the units)."""
        from applications.models import Application, Batch, ExpertAssignment
        from applications.states import ExpertAssignmentState

        batch, _ = Batch.objects.get_or_create(year=self.year, defaults={
            "filing_opens_on": self.today - timedelta(days=30), "filing_closes_on": self.today + timedelta(days=30),
            "created_by": self.hr})
        states = ["draft", "submitted", "returned", "recommended", "expert_review"]
        apps = Application.objects.bulk_create([
            Application(batch=batch, unit=unit, state=states[i % len(states)], created_by=self.hr,
                        unit_name=unit.name, occupation=f"新申报工种{i % 7}", leader_name="赵师傅",
                        submitted_at=None if i % len(states) == 0 else self.now)
            for i, unit in enumerate(units[::10])], batch_size=BATCH)
        ExpertAssignment.objects.bulk_create([
            ExpertAssignment(application=a, expert=self.experts[a.pk % len(self.experts)], assigned_by=self.hr,
                             state=ExpertAssignmentState.ASSIGNED)
            for a in apps if a.state == "expert_review"], batch_size=BATCH)
        self._count("applications", len(apps))
        # each with the three qualifying members a submission needs; every 200th proposes the previous one's first
        # member too (a team applying twice, the batch page's warning: five in a batch of 1,000)
        self._count("members", copy_rows(
            "applications_member", ["application_id", "name", "qualification", "post", "specialty", "position"],
            ((a.pk, f"成员{apps[i - 1 if m == 0 and i % 200 == 7 else i].pk}-{m}",
              ("senior_technician", "technician", "skill_leader")[m], "", "", m)
             for i, a in enumerate(apps) for m in range(3))))
        from applications import overlaps

        overlaps.refresh_all()  # the names kept as shared (applications/overlaps.py), for the rows COPY wrote

    def _batch(self, year: int):
        from applications.models import Batch, Publicity, RecognitionDocument

        batch, _ = Batch.objects.get_or_create(year=year, defaults={
            "filing_opens_on": date(year, 3, 1), "filing_closes_on": date(year, 5, 31), "state": "closed",
            "created_by": self.hr})
        Publicity.objects.get_or_create(batch=batch, defaults={
            "starts_on": date(year, 11, 10), "ends_on": date(year, 11, 14),
            "closes_at": _aware(date(year, 11, 14), 23), "published_by": self.hr})
        RecognitionDocument.objects.get_or_create(batch=batch, defaults={
            "number": f"沁人社字〔{year}〕{self.prefix}号", "issued_on": date(year, 12, 10),
            "issuers": ["org_dept", "hr_bureau", "finance_bureau"], "recorded_by": self.hr})
        return batch

    def _stations(self, rows):
        from applications.models import Application
        from qinshui_station.models import Workstation
        from qinshui_station.models.workstations import construction_end

        occupations = ["钳工", "电工", "焊工", "车工", "数控车工", "采煤机司机", "化学检验员", "厨师", "中式烹调师",
                       "农艺工", "汽车维修工", "茶艺师"]
        base = Workstation.objects.filter(plaque_number__startswith=f"QSJS-{self.prefix}").count()
        stations, apps = [], []
        for i, (batch, unit, _k) in enumerate(rows):
            occupation = f"{occupations[i % len(occupations)]}{i // len(occupations) % 100:02d}"
            recognized = date(batch.year, 12, 10)
            stations.append(Workstation(
                name=f"沁水县技师工作站（{unit.name}·{occupation}）", unit=unit, occupation=occupation,
                leader_name=f"领办人{i}", leader_skill_level="高级技师", batch_year=batch.year,
                plaque_number=f"QSJS-{self.prefix}-{batch.year}-{base + i:06d}",
                recognition_document_number=f"沁人社字〔{batch.year}〕{self.prefix}号", recognized_on=recognized,
                construction_ends_on=construction_end(recognized)))
        stations = Workstation.objects.bulk_create(stations, batch_size=BATCH)
        for i, ((batch, unit, _k), station) in enumerate(zip(rows, stations, strict=True)):
            apps.append(Application(
                batch=batch, unit=unit, state="recognized", created_by=self.hr, submitted_at=_aware(date(batch.year, 4, 1)),
                unit_name=unit.name, unit_type=unit.unit_type, ownership=unit.ownership, staff_total=200,
                address=unit.address, contact_person="王芳", contact_phone="13835600001", occupation=station.occupation,
                leader_name=station.leader_name, leader_skill_level="高级技师", senior_technicians=2, technicians=5,
                declares_talent_mechanism=True, declares_sound_operation=True, declares_advanced_equipment=True,
                declares_work_rules=True, declares_truthful=True, also_applies_master_studio=False, workstation=station))
            if i % 4 == 0:  # and some that did not make it
                apps.append(Application(
                    batch=batch, unit=unit, state="not_recommended" if i % 8 else "not_recognized", created_by=self.hr,
                    unit_name=unit.name, occupation=f"未通过{station.occupation}", submitted_at=_aware(date(batch.year, 4, 2))))
        apps = Application.objects.bulk_create(apps, batch_size=BATCH)
        self._count("applications", len(apps))
        self._count("members", copy_rows("applications_member", ["application_id", "name", "qualification", "post",
                                                                   "specialty", "position"],
                                         ((a.pk, f"成员{a.pk}-{m}", ("senior_technician", "technician", "skill_leader")[m],
                                           "", "", m) for a in apps for m in range(3))))
        from applications import overlaps

        overlaps.refresh_all()  # the names kept as shared (applications/overlaps.py), for the rows COPY wrote
        self._count("workstations", len(stations))
        return apps, stations

    def _funding(self, stations):
        from funding.models import ExpenditureCategory, Grant, Tranche

        grants = Grant.objects.bulk_create([Grant(workstation=s, amount=Decimal("100000.00")) for s in stations],
                                           batch_size=BATCH)
        first_paid = [s.batch_year < self.year - 1 or i % 2 == 0 for i, s in enumerate(stations)]
        Tranche.objects.bulk_create([
            Tranche(grant=g, kind="first", amount=Decimal("40000.00"),
                    state="disbursed" if paid else ("approved" if i % 4 == 1 else "scheduled"),
                    approved_by=self.hr if paid or i % 4 == 1 else None,
                    approved_at=_aware(date(s.batch_year + 1, 1, 5)) if paid or i % 4 == 1 else None,
                    disbursed_by=self.finance if paid else None,
                    disbursed_on=date(s.batch_year + 1, 1, 20) if paid else None,
                    voucher_number=f"记-{s.batch_year + 1}-{g.pk}" if paid else "",
                    paid_account_name=s.unit.bank_account_name if paid else "", paid_bank="中国工商银行沁水支行" if paid else "",
                    paid_account_number=s.unit.bank_account_number if paid else "")
            for i, (g, s, paid) in enumerate(zip(grants, stations, first_paid, strict=True))], batch_size=BATCH)
        categories = list(ExpenditureCategory.objects.filter(allowed=True).values_list("pk", flat=True))
        now = self.now
        rows = []
        for g, s, paid in zip(grants, stations, first_paid, strict=True):
            if not paid:
                continue
            unit_user = s.unit.pk  # resolved below
            for m in range(4):
                rows.append((g.pk, date(s.batch_year + 1, 2 + m, 15), categories[m % len(categories)],
                             Decimal("8000.00") + m * 250, "购置实训设备及耗材", "questioned" if m == 3 and g.pk % 10 == 0
                             else "recorded", unit_user, now, "请补充发票原件" if m == 3 and g.pk % 10 == 0 else "",
                             "", ))
        from qinshui_station.models import User
        unit_users = dict(User.objects.filter(organization_id__in={s.unit_id for s in stations}, role="unit")
                          .values_list("organization_id", "pk"))
        self._count("expenditures", copy_rows(
            "funding_expenditure", ["grant_id", "spent_on", "category_id", "amount", "description", "state",
                                    "recorded_by_id", "recorded_at", "question", "decision"],
            (r[:6] + (unit_users[r[6]],) + r[7:] for r in rows)))
        self._count("grants", len(grants))
        self._count("tranches (first)", len(grants))
        self.grants = {g.workstation_id: g for g in grants}
        from funding import sums

        sums.refresh_all()  # the sums the services keep with the grants (funding/sums.py), for the rows COPY wrote

    def _points(self, quality: float):
        """An expert's sheet for a station of the given quality (0..1): every item 0..max in half points."""
        out = []
        for item in self.items:
            raw = Decimal(str(max(0.0, min(1.0, quality + self.rng.uniform(-0.08, 0.08))))) * item.max_points
            out.append((item, (raw / HALF).to_integral_value(rounding=ROUND_HALF_UP) * HALF))
        return out

    def _round(self, year: int, stations, *, open_: bool, graded: bool, complete: bool = False):
        from reviews.models import Assignment, Evaluation, EvaluationRound

        round_, _ = EvaluationRound.objects.get_or_create(year=year, defaults={
            "rubric": self.rubric, "opens_on": date(year, 3, 1) if not open_ else self.today - timedelta(days=20),
            "closes_on": date(year, 3, 31) if not open_ else self.today + timedelta(days=10),
            "excellent_percent": 15, "opened_by": self.hr})
        owing = [s for s in stations if s.recognized_on.year < year <= s.construction_ends_on.year
                 and s.state != "revoked"]
        if not owing:
            return round_
        now = self.now
        quality = {s.pk: self.rng.betavariate(6, 2) for s in owing}  # most stations pass, ~5% below 60
        evaluations = Evaluation.objects.bulk_create([
            Evaluation(round=round_, workstation=s, is_final_acceptance=year == s.construction_ends_on.year,
                       plaque_number=s.plaque_number, state="submitted", contact_person="王芳", contact_title="办公室主任", contact_phone="13835600001",
                       work_summary="全年开展带徒传艺、技术攻关和校企合作。", submitted_at=_aware(date(year, 3, 10)),
                       self_base=Decimal("85.00"), self_total=Decimal("88.00"), self_bonus=Decimal("3.00"))
            for s in owing], batch_size=BATCH)
        assignments, sheets = [], []
        for e in evaluations:
            for k, expert in enumerate(self.rng.sample(self.experts, EXPERTS_PER_EVALUATION)):
                # this year's round: the last expert of every 20th station has not submitted yet
                done = complete or not (open_ and not graded and e.pk % 20 == 0 and k == EXPERTS_PER_EVALUATION - 1)
                sheet = self._points(quality[e.workstation_id]) if done else []
                base = sum((p for _i, p in sheet), Decimal("0"))
                assignments.append(Assignment(evaluation=e, expert=expert, assigned_by=self.hr,
                                              state="submitted" if done else "assigned",
                                              submitted_at=now if done else None, base=base if done else None,
                                              bonus=Decimal("0") if done else None, total=base if done else None))
                sheets.append(sheet)
        assignments = Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        self._count("evaluations", len(evaluations))
        self._count("assignments", len(assignments))
        self._count("expert_scores", copy_rows(
            "reviews_expertscore", ["assignment_id", "item_id", "points", "max_points"],
            ((a.pk, item.pk, points, item.max_points) for a, sheet in zip(assignments, sheets, strict=True)
             for item, points in sheet)))
        self._count("self_scores", copy_rows(
            "reviews_selfscore", ["evaluation_id", "item_id", "points", "max_points"],
            ((e.pk, item.pk, item.max_points, item.max_points) for e in evaluations for item in self.items)))
        if graded:
            self._finalize(round_, owing)
        return round_

    def _finalize(self, round_, owing):
        """The real finalization: the set-based SQL and the bulk consequences (reviews.services)."""
        from reviews import services

        services.recompute_assessed(round_id=round_.pk)
        standing = services.round_standing(round_)
        if standing.tied_ids:
            services.decide_tie(actor=self.hr, round_id=round_.pk, excellent_ids=standing.tied_ids[:standing.places],
                                reason="规模测试数据：按编号先后")
        services.finalize_round(actor=self.hr, round_id=round_.pk, on=date(round_.year, 4, 30))
        states = dict(type(owing[0]).objects.filter(pk__in=[s.pk for s in owing]).values_list("pk", "state"))
        for s in owing:
            s.state = states[s.pk]

    def _ledger(self, stations):
        from reviews.models import LedgerEntry  # noqa: F401  (table name below)

        kinds = [("trained", 6), ("project", 1), ("cooperation", 1), ("competition", 1)]
        unit_users = {}
        from qinshui_station.models import User
        unit_users = dict(User.objects.filter(organization_id__in={s.unit_id for s in stations}, role="unit")
                          .values_list("organization_id", "pk"))
        now = self.now

        def rows():
            for s in stations:
                for year in range(s.recognized_on.year + 1, min(s.construction_ends_on.year, self.year) + 1):
                    for kind, n in kinds:
                        for m in range(n):
                            trained = kind == "trained"
                            yield (s.pk, kind, date(year, 1 + (m * 2) % 12, 10), "" if trained else f"{kind}{m}",
                                   f"学员{m}" if trained else "", s.occupation if trained else "",
                                   "取得高级工证书" if trained else "", "", unit_users[s.unit_id], now)
        self._count("ledger_entries", copy_rows(
            "reviews_ledgerentry", ["workstation_id", "kind", "occurred_on", "title", "person_name", "occupation",
                                    "result", "description", "recorded_by_id", "created_at"], rows()))

    def _notifications(self):
        from qinshui_station.models import User

        now = self.now
        users = list(User.objects.filter(username__startswith=f"{self.prefix}_").values_list("pk", flat=True))
        self._count("notifications", copy_rows(
            "qinshui_station_notification", ["recipient_id", "message", "url", "created_at", "read_at"],
            ((u, f"规模测试通知{k}", "/home/", now, now if k else None) for u in users for k in range(3))))
