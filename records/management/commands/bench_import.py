"""``manage.py bench_import [--rows 200]``: the time to preview and to commit a workbook of N new stations (each of
its own unit, with an account and an invitation, grants, tranches, paper grades, a quarter of them revoked), then
to preview the same file again (every row unchanged). Runs in a transaction that is rolled back: the database is
left as it was. Target (issue 18): 200 rows in under 10 s. docs/import.md, "Benchmark"."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from qinshui_station.models import Organization, User
from qinshui_station.roles import OrgKind, Role
from qinshui_station.validators import credit_code_check_character
from records import services, workbook

KINDS = {
    0: {"recognized_on": "2023-06-{d:02d}", "first_state": "已拨付", "first_paid_on": "2023-08-01",
        "first_voucher": "记-2023-{n:04d}", "grade1_year": "2024", "grade1": "合格", "grade2_year": "2025",
        "grade2": "优秀", "second_state": "已拨付", "second_paid_on": "2025-09-01", "second_voucher": "记-2025-{n:04d}"},
    1: {"recognized_on": "2024-07-{d:02d}", "first_state": "已拨付", "first_paid_on": "2024-09-02",
        "first_voucher": "记-2024-{n:04d}", "grade1_year": "2025", "grade1": "合格"},
    2: {"recognized_on": "2025-06-{d:02d}", "first_state": "待审批"},
    3: {"recognized_on": "2023-05-{d:02d}", "first_state": "已拨付", "first_paid_on": "2023-07-03",
        "first_voucher": "记-2023-{n:04d}", "grade1_year": "2024", "grade1": "不合格",
        "revocation_ground": "年度评估不合格（第九条）", "revoked_on": "2024-04-15",
        "revocation_facts": "2024年度评估考核总分52分，评定为不合格。"},
}


class Rollback(Exception):
    pass


def sample_row(n: int, department: str) -> dict[str, str]:
    body = f"91140521MB{n + 8_000_000:07d}"
    row = {"credit_code": body + credit_code_check_character(body), "unit_name": f"基准测试企业{n}有限公司",
           "unit_type": "企业", "department": department, "contact_person": f"联系人{n}",
           "contact_phone": "13835600001", "contact_email": f"bench{n}@example.cn",
           "bank_account_name": f"基准测试企业{n}有限公司", "bank_name": "中国工商银行沁水支行",
           "bank_account_number": f"05060123091{n:08d}", "occupation": "焊工", "leader_name": f"领办人{n}",
           "leader_skill_level": "高级技师", "document_number": "沁人社字〔2023〕40号", "plaque_number": f"BENCH-{n:05d}",
           "amount": "100000.00"}
    row.update({key: value.format(d=n % 28 + 1, n=n) for key, value in KINDS[n % 4].items()})
    return row


class Command(BaseCommand):
    help = "Time the import of N stations (preview, commit, re-preview), rolled back afterwards."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=200)

    def handle(self, *args, rows: int, **options):
        try:
            with transaction.atomic():
                self._run(rows)
                raise Rollback
        except Rollback:
            self.stdout.write("rolled back: the database is as it was")

    def _run(self, rows: int) -> None:
        department = Organization.objects.get_or_create(kind=OrgKind.DEPARTMENT, name="基准测试主管部门")[0]
        hr_org = Organization.objects.get_or_create(kind=OrgKind.HR_BUREAU, name=str(OrgKind.HR_BUREAU.label))[0]
        actor = User.objects.filter(role=Role.HR, is_active=True).first() or User.objects.create(
            username="bench_import_hr", role=Role.HR, organization=hr_org, full_name="基准测试")
        spool = workbook._workbook([sample_row(n, department.name) for n in range(rows)])
        data = spool.read()
        spool.close()
        started = time.monotonic()
        result = services.preview(data=data, name="bench.xlsx")
        previewed = time.monotonic()
        assert result.check.ok, [r.errors for r in result.check.refused][:3]
        kept = services.commit(actor=actor, data=data, name="bench.xlsx")
        committed = time.monotonic()
        again = services.preview(data=data, name="bench.xlsx")
        repeated = time.monotonic()
        self.stdout.write(f"bench_import: {rows} rows, workbook {len(data) / 1e3:.0f} kB")
        self.stdout.write(f"  preview {previewed - started:.2f} s; commit (checks again, then writes) "
                          f"{committed - previewed:.2f} s; upload-to-committed {committed - started:.2f} s")
        self.stdout.write(f"  created {kept.created}; re-preview {repeated - committed:.2f} s, "
                          f"unchanged {again.check.count('unchanged')} of {rows}")
