"""Real .xlsx files for the import tests, built the way HR's would be: the portal's own template with rows
written into it, then edited cell by cell with openpyxl where a test needs a bad or hostile cell."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from qinshui_station.models import Organization
from qinshui_station.roles import OrgKind
from qinshui_station.validators import credit_code_check_character
from records import template, workbook

DEPARTMENTS = ("县工信局", "县能源局", "县农业农村局")


def departments() -> list[Organization]:
    return [Organization.objects.get_or_create(kind=OrgKind.DEPARTMENT, name=name)[0] for name in DEPARTMENTS]


def code(n: int, division: str = "140521") -> str:
    body = f"91{division}MA{n + 5_000_000:07d}"[:17]
    return body + credit_code_check_character(body)


KINDS = {
    # accepted: both evaluations passed, both tranches paid
    0: {"recognized_on": "2023-06-{d:02d}", "first_state": "已拨付", "first_paid_on": "2023-08-01",
        "first_voucher": "记-2023-{n:04d}", "grade1_year": "2024", "grade1": "合格", "grade2_year": "2025",
        "grade2": "优秀", "second_state": "已拨付", "second_paid_on": "2025-09-01", "second_voucher": "记-2025-{n:04d}"},
    # in its construction period, first tranche paid, one evaluation passed
    1: {"recognized_on": "2024-07-{d:02d}", "first_state": "已拨付", "first_paid_on": "2024-09-02",
        "first_voucher": "记-2024-{n:04d}", "grade1_year": "2025", "grade1": "合格"},
    # recognized last year, first tranche waiting for approval
    2: {"recognized_on": "2025-06-{d:02d}", "first_state": "待审批"},
    # failed its 2024 evaluation and was revoked
    3: {"recognized_on": "2023-05-{d:02d}", "first_state": "已拨付", "first_paid_on": "2023-07-03",
        "first_voucher": "记-2023-{n:04d}", "grade1_year": "2024", "grade1": "不合格",
        "revocation_ground": "年度评估不合格（第九条）", "revoked_on": "2024-04-15",
        "revocation_facts": "2024年度评估考核总分52分，评定为不合格。"},
}


def row(n: int, kind: int | None = None, **overrides) -> dict[str, str]:
    """Station number ``n`` (its own unit) as canonical text, of one of the four kinds above."""
    kind = n % 4 if kind is None else kind
    values = {c.key: "" for c in template.COLUMNS}
    values.update({
        "credit_code": code(n), "unit_name": f"沁水历史企业{n}有限公司", "unit_type": "企业",
        "department": DEPARTMENTS[n % 3], "contact_person": f"联系人{n}", "contact_phone": "13835600001",
        "contact_email": f"unit{n}@example.cn", "bank_account_name": f"沁水历史企业{n}有限公司",
        "bank_name": "中国工商银行沁水支行", "bank_account_number": f"05060123090{n:08d}",
        "occupation": "焊工", "leader_name": f"领办人{n}", "leader_skill_level": "高级技师",
        "document_number": "沁人社字〔2023〕40号", "plaque_number": f"QSJS-H{n:04d}", "amount": "100000.00",
    })
    values.update({key: value.format(d=n % 28 + 1, n=n) for key, value in KINDS[kind].items()})
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
