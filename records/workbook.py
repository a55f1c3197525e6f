"""Writing the template and the export: the same three sheets. Text cells are written as text by the one rule of
every workbook the portal writes (``qinshui_station.documents.workbooks.as_text``: data type 's', Excel's quote
prefix before = + - @), so no cell ever becomes a formula (SPEC "Exports") and the text reads back unchanged."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from funding.workflow import TrancheState
from qinshui_station.documents.workbooks import as_text
from qinshui_station.models import Organization, RevocationGround
from qinshui_station.roles import OrgKind, UnitType
from records import template, values
from reviews.workflow import Grade

NUMERIC_KEYS = {"amount", "first_amount", "second_amount"}
YEAR_KEYS = {"grade1_year", "grade2_year"}
DATE_KEYS = {"recognized_on", "construction_ends_on", "first_paid_on", "second_paid_on", "revoked_on"}


def template_workbook():
    """The empty template HR downloads (a temporary file at its start)."""
    return _workbook([])


def export_workbook():
    """Every station in the portal, one row each, as the import reads them: export → import changes nothing."""
    return _workbook(values.station_values(s) for s in values.stations_for_export().iterator(chunk_size=500))


def _workbook(rows):
    with translation.override("zh-hans"):
        book = Workbook()
        data = book.active
        data.title = str(template.DATA_SHEET)
        _info_sheet(book.create_sheet(str(template.INFO_SHEET)))
        ranges = _values_sheet(book.create_sheet(str(template.VALUES_SHEET)))
        _data_sheet(data, rows, ranges)
        spool = tempfile.TemporaryFile(suffix=".xlsx")
        book.save(spool)
    spool.seek(0)
    return spool


def _set_text(cell, value: str) -> None:
    as_text(cell, "" if value is None else value)


def _data_sheet(sheet, rows, ranges: dict[str, str]) -> None:
    bold = Font(bold=True)
    for index, column in enumerate(template.COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        _set_text(cell, str(column.header))
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[column.letter].width = column.width
        sheet.column_dimensions[column.letter].number_format = "@"
    sheet.freeze_panes = "C2"
    number = 1
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(template.COLUMNS, start=1):
            text = row.get(column.key, "")
            cell = sheet.cell(row=number, column=index)
            if text:
                _write(cell, column.key, text)
    last = max(number, template.MAX_ROWS + 1)
    for column in template.COLUMNS:
        if column.choices:
            rule = DataValidation(type="list", formula1=ranges[column.choices], allow_blank=True,
                                  showErrorMessage=True, errorTitle=_("不是可选值"),
                                  error=_("请从下拉列表中选择。"))
            rule.add(f"{column.letter}2:{column.letter}{last}")
            sheet.add_data_validation(rule)


def _write(cell, key: str, text: str) -> None:
    """Money as a number with two decimals, years as integers, dates as dates (what HR would type); anything
    that is not such a value, as text."""
    try:
        if key in NUMERIC_KEYS:
            cell.value, cell.number_format = Decimal(text), "0.00"
            return
        if key in YEAR_KEYS:
            cell.value = int(text)
            return
        if key in DATE_KEYS:
            cell.value, cell.number_format = date.fromisoformat(text), "yyyy-mm-dd"
            return
    except (ArithmeticError, ValueError):
        pass
    _set_text(cell, text)


def _info_sheet(sheet) -> None:
    _set_text(sheet.cell(row=1, column=1), _("沁水县技师工作站历史数据导入模板"))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    _set_text(sheet.cell(row=2, column=1), str(template.VERSION_LABEL))
    sheet[template.VERSION_CELL] = template.VERSION
    _set_text(sheet.cell(row=3, column=1), _("生成时间"))
    _set_text(sheet.cell(row=3, column=2), f"{timezone.localtime():%Y-%m-%d %H:%M}")
    for offset, line in enumerate(template.instructions(), start=5):
        _set_text(sheet.cell(row=offset, column=1), line)
    start = 6 + len(template.instructions())
    for cell, text in ((sheet.cell(row=start, column=1), _("列")), (sheet.cell(row=start, column=2), _("列标题")),
                       (sheet.cell(row=start, column=3), _("填写要求"))):
        _set_text(cell, text)
        cell.font = Font(bold=True)
    for offset, column in enumerate(template.COLUMNS, start=start + 1):
        _set_text(sheet.cell(row=offset, column=1), column.letter)
        _set_text(sheet.cell(row=offset, column=2), str(column.header))
        _set_text(sheet.cell(row=offset, column=3), str(column.help))
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 100


def allowed_values() -> dict[str, list[str]]:
    return {
        "unit_types": list(values.labels(UnitType).values()),
        "departments": list(Organization.objects.filter(kind=OrgKind.DEPARTMENT).order_by("name")
                            .values_list("name", flat=True)),
        "tranche_states": list(values.labels(TrancheState).values()),
        "grades": list(values.labels(Grade).values()),
        "grounds": list(values.labels(RevocationGround).values()),
    }


VALUE_HEADERS = {"unit_types": gettext_lazy("单位类型"), "departments": gettext_lazy("行业主管部门"),
                 "tranche_states": gettext_lazy("拨付状态"), "grades": gettext_lazy("评估等级"),
                 "grounds": gettext_lazy("撤销情形")}


def _values_sheet(sheet) -> dict[str, str]:
    ranges = {}
    title = str(template.VALUES_SHEET)
    for index, (key, options) in enumerate(allowed_values().items(), start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        _set_text(sheet.cell(row=1, column=index), str(VALUE_HEADERS[key]))
        sheet.cell(row=1, column=index).font = Font(bold=True)
        for offset, option in enumerate(options, start=2):
            _set_text(sheet.cell(row=offset, column=index), option)
        sheet.column_dimensions[letter].width = 40 if key == "grounds" else 20
        ranges[key] = f"'{title}'!${letter}$2:${letter}${max(2, len(options) + 1)}"
    return ranges
