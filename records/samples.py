"""Sample stations as the import template's canonical text, for the import benchmark (``bench_import``) and the
import tests: one of four histories each, the shapes a county's paper records take."""

from __future__ import annotations

from records import template

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


def station_row(n: int, *, credit_code: str, unit_name: str, department: str, email: str, account: str,
                plaque: str, kind: int | None = None) -> dict[str, str]:
    """Station number ``n`` (its own unit, named by the caller) with the history of ``kind`` (default ``n % 4``);
    every column of the template present."""
    values = {c.key: "" for c in template.COLUMNS}
    values.update({
        "credit_code": credit_code, "unit_name": unit_name, "unit_type": "企业", "department": department,
        "contact_person": f"联系人{n}", "contact_phone": "13835600001", "contact_email": email,
        "bank_account_name": unit_name, "bank_name": "中国工商银行沁水支行", "bank_account_number": account,
        "occupation": "焊工", "leader_name": f"领办人{n}", "leader_skill_level": "高级技师",
        "document_number": "沁人社字〔2023〕40号", "plaque_number": plaque, "amount": "100000.00",
    })
    values.update({key: value.format(d=n % 28 + 1, n=n) for key, value in KINDS[n % 4 if kind is None else kind].items()})
    return values
