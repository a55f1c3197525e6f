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
from records import samples, services, workbook


class Rollback(Exception):
    pass


def sample_row(n: int, department: str) -> dict[str, str]:
    body = f"91140521MB{n + 8_000_000:07d}"
    return samples.station_row(n, credit_code=body + credit_code_check_character(body),
                               unit_name=f"基准测试企业{n}有限公司", department=department,
                               email=f"bench{n}@example.cn", account=f"05060123091{n:08d}", plaque=f"BENCH-{n:05d}")


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
