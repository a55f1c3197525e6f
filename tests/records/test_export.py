"""HR's export: the portal's stations written as the import template. Importing the export changes nothing,
whether the stations came in by import or were recognized in the portal; a row of a portal-recognized station
that differs from the portal is refused."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from funding import services as funding_services
from qinshui_station.models import AuditEntry
from records import services, template, workbook
from tests import factories
from tests.records import workbooks

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_station(hr, departments):
    station = factories.WorkstationFactory(plaque_number="QSJS-2025-P01", unit__department=departments[0],
                                           recognized_on=date(2025, 12, 10))
    funding_services.create_grant(workstation=station, amount=Decimal("100000.00"), actor=hr)
    return station


def _export() -> bytes:
    spool = workbook.export_workbook()
    data = spool.read()
    spool.close()
    return data


def test_export_then_import_changes_nothing(hr, departments, portal_station):
    services.commit(actor=hr, data=workbooks.xlsx([workbooks.row(n) for n in range(12)]), name="a.xlsx")
    entries = AuditEntry.objects.count()
    exported = _export()
    result = services.preview(data=exported, name="导出.xlsx")
    assert len(result.check.rows) == 13
    assert {r.status for r in result.check.rows} == {"unchanged"}
    assert services.commit(actor=hr, data=exported, name="导出.xlsx") is None
    assert AuditEntry.objects.count() == entries


def test_the_export_writes_the_portal_values_in_the_template_columns(hr, departments, portal_station):
    sheet = workbooks.data_sheet(load_workbook(io.BytesIO(_export())))
    assert [c.value for c in sheet[1]] == template.headers()
    row = {column.key: sheet[f"{column.letter}2"].value for column in template.COLUMNS}
    assert (row["plaque_number"], row["credit_code"], row["amount"], row["first_amount"], row["first_state"],
            row["second_state"]) == ("QSJS-2025-P01", portal_station.unit.credit_code, Decimal("100000.00"),
                                     Decimal("40000.00"), "待审批", None)
    assert row["recognized_on"].date() == date(2025, 12, 10)


def test_a_changed_row_of_a_portal_recognized_station_is_refused(hr, departments, portal_station):
    def edit(book):
        sheet = workbooks.data_sheet(book)
        sheet[f"{template.BY_KEY['leader_name'].letter}2"] = "别人"
    exported = _export()
    book = load_workbook(io.BytesIO(exported))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    result = services.preview(data=out.getvalue(), name="改.xlsx")
    (row,) = result.check.rows
    assert row.status == "refused"
    assert row.errors == [("L2", "牌匾编号QSJS-2025-P01的工作站由平台办理认定，其记录只能在平台内变更；与平台不同的列：领办人。")]


def test_the_empty_template_is_refused_as_having_no_rows(departments):
    from records.reader import FileRefused

    with pytest.raises(FileRefused) as refusal:
        services.preview(data=workbooks.xlsx([]), name="空模板.xlsx")
    assert refusal.value.message == "“工作站”工作表没有数据行：请从第2行起每个工作站填写一行。"
