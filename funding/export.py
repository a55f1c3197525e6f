"""The county ledger as an Excel workbook: openpyxl in write-only mode, rows read from the database in
chunks, the workbook written to a temporary file and streamed from there, so that memory stays flat however
many stations there are. The totals row holds the same figures as the page (``selectors.ledger_totals``)."""

from __future__ import annotations

import tempfile
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from funding import selectors
from funding.workflow import TrancheKind, TrancheState
from qinshui_station.documents.workbooks import row, text_cell

MONEY_FORMAT = "#,##0.00"
CHUNK = 2000


def ledger_workbook(user, *, batch=None, state: str = "", department=None):
    """A temporary file holding the workbook, positioned at its start. The caller streams and closes it."""
    workbook = Workbook(write_only=True)
    _ledger_sheet(workbook, user, batch=batch, state=state, department=department)
    _tranche_sheet(workbook, user, batch=batch, state=state, department=department)
    spool = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(spool)
    spool.seek(0)
    return spool


def ledger_headers() -> list[str]:
    return [_("认定年度"), _("牌匾编号"), _("工作站"), _("所在单位"), _("行业主管部门"), _("银行开户账号"),
            _("第一批状态"), _("第二批状态"), _("补助金额"), _("已拨付"), _("待拨付"), _("已取消"), _("已支出"),
            _("结余"), _("存疑支出"), _("应追回"), _("已追回")]


MONEY_COLUMNS = range(8, 17)  # zero-based indexes of the money columns above


def _ledger_sheet(workbook, user, **filters) -> None:
    sheet = workbook.create_sheet(_("补助资金台账"))
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKLMNOPQ", [10, 16, 36, 30, 20, 24, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14],
                             strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append(_bold(sheet, ledger_headers()))
    states = dict(TrancheState.choices)
    rows = selectors.ledger_grants(user, **filters).iterator(chunk_size=CHUNK)
    for grant in rows:
        station = grant.workstation
        unit = station.unit
        values = [
            station.batch_year, station.plaque_number, station.name, unit.name,
            unit.department.name if unit.department_id else "",
            selectors.shown_account(user, station, unit.bank_account_number),
            str(states.get(grant.first_state, "")), str(states.get(grant.second_state, _("未安排"))),
            grant.amount, grant.disbursed, grant.pending, grant.cancelled, grant.spent,
            grant.disbursed - grant.spent, grant.questioned, grant.recovery_due, grant.recovered,
        ]
        sheet.append(_money_cells(sheet, values))
    totals = selectors.ledger_totals(user, **filters)
    sheet.append(_bold(sheet, _money_cells(sheet, [
        _("合计"), _("%(n)d个工作站") % {"n": totals.stations}, "", "", "", "", "", "",
        totals.granted, totals.disbursed, totals.pending, totals.cancelled, totals.spent, totals.balance,
        totals.questioned, totals.recovery_due, totals.recovered,
    ])))
    sheet.append(row(sheet, [_("导出时间：%(now)s") % {"now": f"{timezone.localtime():%Y-%m-%d %H:%M}"}]))


def _tranche_sheet(workbook, user, **filters) -> None:
    sheet = workbook.create_sheet(_("拨付明细"))
    sheet.freeze_panes = "A2"
    sheet.append(_bold(sheet, [_("认定年度"), _("牌匾编号"), _("工作站"), pgettext("tranche", "批次"), _("金额"), _("状态"),
                               _("拨付日期"), _("凭证号"), _("收款户名"), _("收款银行"), _("收款账号"),
                               _("取消原因")]))
    kinds, states = dict(TrancheKind.choices), dict(TrancheState.choices)
    for tranche in selectors.ledger_tranches(user, **filters).iterator(chunk_size=CHUNK):
        station = tranche.grant.workstation
        account = (selectors.shown_account(user, station, tranche.paid_account_number)
                   if tranche.paid_account_number else "")
        sheet.append(_money_cells(sheet, [
            station.batch_year, station.plaque_number, station.name, str(kinds[tranche.kind]), tranche.amount,
            str(states[tranche.state]), tranche.disbursed_on, tranche.voucher_number, tranche.paid_account_name,
            tranche.paid_bank, account, tranche.cancel_reason,
        ]))


def _money_cells(sheet, values: list) -> list:
    cells = []
    for value in values:
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = MONEY_FORMAT
            cells.append(cell)
        elif hasattr(value, "isoformat") and value is not None:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        else:
            cells.append(value)
    return row(sheet, cells)


def _bold(sheet, values: list) -> list:
    cells = []
    for value in values:
        if isinstance(value, Cell):
            value.font = Font(bold=True)
            cells.append(value)
        elif isinstance(value, str):
            cells.append(text_cell(sheet, value, font=Font(bold=True)))
        else:
            cells.append(WriteOnlyCell(sheet, value=value))
            cells[-1].font = Font(bold=True)
    return cells
