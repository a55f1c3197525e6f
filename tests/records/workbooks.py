"""Real .xlsx files for the import tests, built the way HR's would be: the portal's own template with rows
written into it, then edited cell by cell with openpyxl where a test needs a bad or hostile cell."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from qinshui_station.models import Organization
from qinshui_station.roles import OrgKind
from qinshui_station.validators import credit_code_check_character
from records import samples, template, workbook

DEPARTMENTS = ("县工信局", "县能源局", "县农业农村局")


def departments() -> list[Organization]:
    return [Organization.objects.get_or_create(kind=OrgKind.DEPARTMENT, name=name)[0] for name in DEPARTMENTS]


def code(n: int, division: str = "140521") -> str:
    body = f"91{division}MA{n + 5_000_000:07d}"[:17]
    return body + credit_code_check_character(body)


def row(n: int, kind: int | None = None, **overrides) -> dict[str, str]:
    """Station number ``n`` (its own unit) as canonical text, of one of the four kinds (``records.samples``)."""
    values = samples.station_row(n, credit_code=code(n), unit_name=f"沁水历史企业{n}有限公司",
                                 department=DEPARTMENTS[n % 3], email=f"unit{n}@example.cn",
                                 account=f"05060123090{n:08d}", plaque=f"QSJS-H{n:04d}", kind=kind)
    values.update(overrides)
    return values


def xlsx(rows: list[dict], *, edit=None) -> bytes:
    """The template with ``rows``; ``edit(book)`` may change it (openpyxl, full mode) before it is saved."""
    spool = workbook._workbook(rows)
    data = spool.read()
    spool.close()
    if edit is None:
        return data
    book = load_workbook(io.BytesIO(data))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def data_sheet(book):
    return book[str(template.DATA_SHEET)]


def set_cell(key: str, row_number: int, value):
    """An ``edit`` that writes ``value`` into column ``key`` of sheet row ``row_number``."""
    def edit(book):
        data_sheet(book)[f"{template.BY_KEY[key].letter}{row_number}"] = value
    return edit
