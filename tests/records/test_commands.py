"""The import as a command, the export command, and the benchmark (run small: it must leave nothing behind)."""

import io

import pytest
from django.core.management import CommandError, call_command

from qinshui_station.models import AuditEntry, Workstation
from records import services
from tests.records import workbooks

pytestmark = pytest.mark.django_db


def test_import_stations_previews_then_commits(tmp_path, hr, departments):
    path = tmp_path / "历史工作站.xlsx"
    path.write_bytes(workbooks.xlsx([workbooks.row(1), workbooks.row(2)]))
    out = io.StringIO()
    call_command("import_stations", str(path), "--user", hr.username, stdout=out)
    lines = [line for line in out.getvalue().splitlines() if not line.startswith("\t")]  # warnings are indented
    assert lines[:2] == ["2\tQSJS-H0001\t新增\t", "3\tQSJS-H0002\t新增\t"]
    assert Workstation.objects.count() == 0
    call_command("import_stations", str(path), "--user", hr.username, "--commit", stdout=out)
    assert "2 new, 0 changed, 0 unchanged" in out.getvalue()
    assert Workstation.objects.count() == 2
    assert AuditEntry.objects.filter(action="imported", actor=hr).exists()


def test_import_stations_refuses_to_commit_a_file_with_a_refused_row(tmp_path, hr, departments):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(workbooks.xlsx([workbooks.row(1, amount="十万")]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 rows refused: nothing written"):
        call_command("import_stations", str(path), "--user", hr.username, "--commit", stdout=out)
    assert "R2：“十万”不是金额，请填写如100000.00的数字。" in out.getvalue()
    assert Workstation.objects.count() == 0


def test_import_stations_needs_an_hr_account(tmp_path, unit_user):
    with pytest.raises(CommandError, match="no active HR account"):
        call_command("import_stations", str(tmp_path / "x.xlsx"), "--user", unit_user.username)


def test_export_stations_writes_a_workbook_the_import_finds_unchanged(tmp_path, hr, departments):
    services.commit(actor=hr, data=workbooks.xlsx([workbooks.row(3)]), name="a.xlsx")
    path = tmp_path / "export.xlsx"
    call_command("export_stations", str(path), stdout=io.StringIO())
    result = services.preview(data=path.read_bytes(), name="export.xlsx")
    assert [r.status for r in result.check.rows] == ["unchanged"]


def test_bench_import_leaves_the_database_as_it_was(hr, departments):
    out = io.StringIO()
    call_command("bench_import", "--rows", "8", stdout=out)
    assert "created 8; re-preview" in out.getvalue() and "unchanged 8 of 8" in out.getvalue()
    assert Workstation.objects.count() == 0 and AuditEntry.objects.count() == 0
