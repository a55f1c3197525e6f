"""A clean workbook of 200 stations: the preview, the commit (all records, their audit entries, the kept file,
the invitations), a re-import that changes nothing, a corrected file that changes only what it corrects."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.tokens import default_token_generator

from funding.models import Grant, Tranche
from qinshui_station.models import AuditEntry, Delivery, Organization, Revocation, User, Workstation
from qinshui_station.roles import Role
from records import services
from records.models import ImportedStation, ImportFile
from reviews.models import Evaluation, ImportedResult
from reviews.services import stations_owing
from tests.records import workbooks

pytestmark = pytest.mark.django_db

ROWS = [workbooks.row(n) for n in range(200)]


@pytest.fixture
def clean_file():
    return workbooks.xlsx(ROWS)


@pytest.fixture
def imported(hr, departments, clean_file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.commit(actor=hr, data=clean_file, name="历史工作站.xlsx")


def test_preview_of_a_clean_file_lists_every_row_as_new_and_writes_nothing(departments, clean_file):
    result = services.preview(data=clean_file, name="历史工作站.xlsx")
    assert [r.number for r in result.check.rows] == list(range(2, 202))
    assert {r.status for r in result.check.rows} == {"new"}
    assert result.check.ok and result.check.writes_anything
    assert Workstation.objects.count() == 0 and Organization.objects.filter(kind="unit").count() == 0


def test_commit_creates_the_stations_in_the_states_the_documents_show(imported):
    assert imported.created == 200 and imported.changed == 0 and imported.unchanged == 0
    states = {s: Workstation.objects.filter(state=s).count() for s in ("construction", "accepted", "revoked")}
    assert states == {"construction": 100, "accepted": 50, "revoked": 50}
    station = Workstation.objects.get(plaque_number="QSJS-H0004")  # kind 0: accepted
    assert (station.recognized_on, station.construction_ends_on, station.batch_year) == (
        date(2023, 6, 5), date(2025, 6, 4), 2023)
    assert station.name == "沁水县技师工作站（沁水历史企业4有限公司·焊工）"
    assert station.unit.credit_code == workbooks.code(4) and station.unit.department.name == "县能源局"


def test_commit_creates_grants_and_tranches_split_forty_sixty(imported):
    assert Grant.objects.count() == 200
    assert Tranche.objects.filter(kind="first").count() == 200
    assert Tranche.objects.filter(kind="second").count() == 50
    paid = Tranche.objects.get(grant__workstation__plaque_number="QSJS-H0004", kind="second")
    assert (paid.amount, paid.state, paid.disbursed_on, paid.voucher_number, paid.paid_account_number) == (
        Decimal("60000.00"), "disbursed", date(2025, 9, 1), "记-2025-0004", "0506012309000000004")
    waiting = Tranche.objects.get(grant__workstation__plaque_number="QSJS-H0002", kind="first")
    assert (waiting.amount, waiting.state, waiting.approved_at) == (Decimal("40000.00"), "scheduled", None)


def test_past_grades_are_imported_results_without_rounds_or_scores(imported):
    assert ImportedResult.objects.count() == 50 * 2 + 50 + 50
    assert Evaluation.objects.count() == 0
    final = ImportedResult.objects.get(workstation__plaque_number="QSJS-H0004", year=2025)
    assert (final.grade, final.is_final_acceptance) == ("excellent", True)
    first = ImportedResult.objects.get(workstation__plaque_number="QSJS-H0004", year=2024)
    assert (first.grade, first.is_final_acceptance) == ("qualified", False)


def test_revoked_stations_get_their_revocation_and_no_open_tranche(imported):
    revocation = Revocation.objects.get(workstation__plaque_number="QSJS-H0003")
    assert (revocation.ground, revocation.effective_on, revocation.facts) == (
        "failed_evaluation", date(2024, 4, 15), "2024年度评估考核总分52分，评定为不合格。")
    assert revocation.workstation.revoked_on == date(2024, 4, 15)
    assert Revocation.objects.count() == 50
    assert not Tranche.objects.filter(grant__workstation__state="revoked", state__in=["scheduled", "approved"]).exists()


def test_owed_evaluations_skip_the_years_graded_on_paper(imported):
    owing_2026 = set(stations_owing(2026).values_list("plaque_number", flat=True))
    # kind 1 (recognized 2024-07, graded 2025) owes 2026; kind 2 (recognized 2025-06) owes 2026
    assert owing_2026 == {f"QSJS-H{n:04d}" for n in range(200) if n % 4 in (1, 2)}
    assert set(stations_owing(2025).values_list("plaque_number", flat=True)) == set()


def test_units_get_accounts_without_passwords_and_an_invitation(imported):
    user = User.objects.get(username=workbooks.code(7))
    assert (user.role, user.organization.name, user.email, user.full_name) == (
        Role.UNIT, "沁水历史企业7有限公司", "unit7@example.cn", "联系人7")
    assert not user.has_usable_password()
    # e-mails wait in the outbox, queued in the import's transaction, for the worker (docs/reminders.md)
    mails = list(Delivery.objects.order_by("pk"))
    invitations = [m for m in mails if "开通沁水县技师工作站管理平台账号" in m.body]
    revoked = [m for m in mails if "称号已撤销" in m.body]  # the one revocation tells the unit
    assert (len(invitations), len(revoked), len(mails)) == (200, 50, 250)
    invitation = next(m for m in invitations if m.to_address == "unit7@example.cn")
    assert "用户名：" + workbooks.code(7) in invitation.body
    link = invitation.body.split("办理：")[1].split()[0]
    uid, token = link.rstrip("/").split("/")[-2:]
    assert default_token_generator.check_token(user, token)


def test_every_record_has_an_audit_entry_naming_the_importer_and_the_file(imported, clean_file, hr):
    kept = ImportFile.objects.get()
    assert kept.sha256 == hashlib.sha256(clean_file).hexdigest()
    assert kept.file.read() == clean_file
    station = Workstation.objects.get(plaque_number="QSJS-H0003")
    imported, revoked = AuditEntry.objects.filter(object_type="qinshui_station.workstation",
                                                  object_id=str(station.pk)).order_by("pk")
    assert (imported.action, imported.actor, imported.to_state, imported.reason) == (
        "imported", hr, "construction", "导入：历史工作站.xlsx第5行")
    assert imported.data == {"imported": True, "import_file": kept.pk, "file": "历史工作站.xlsx",
                             "sha256": kept.sha256, "row": 5}
    # the revocation the file records went through the core's one revocation, dated as the file says
    assert (revoked.action, revoked.actor, revoked.from_state, revoked.to_state, revoked.reason) == (
        "revoke", hr, "construction", "revoked", "年度评估不合格（第九条）：2024年度评估考核总分52分，评定为不合格。")
    kinds = dict.fromkeys(["qinshui_station.organization", "qinshui_station.user", "qinshui_station.workstation",
                           "funding.grant", "funding.tranche", "reviews.importedresult", "qinshui_station.revocation"])
    counts = {kind: AuditEntry.objects.filter(object_type=kind, action="imported").count() for kind in kinds}
    assert counts == {"qinshui_station.organization": 200, "qinshui_station.user": 200,
                      "qinshui_station.workstation": 200, "funding.grant": 200, "funding.tranche": 250,
                      "reviews.importedresult": 200, "qinshui_station.revocation": 50}
    assert ImportedStation.objects.filter(first_file=kept, last_file=kept).count() == 200


def test_importing_the_same_file_again_changes_nothing(imported, clean_file, hr):
    entries = AuditEntry.objects.count()
    result = services.preview(data=clean_file, name="again.xlsx")
    assert {r.status for r in result.check.rows} == {"unchanged"}
    assert services.commit(actor=hr, data=clean_file, name="again.xlsx") is None
    assert AuditEntry.objects.count() == entries
    assert ImportFile.objects.count() == 1


def test_a_corrected_file_updates_only_what_changed_and_says_so(imported, hr):
    rows = [dict(r) for r in ROWS]
    rows[1]["leader_name"] = "新领办人"
    rows[2].update(first_state="已拨付", first_paid_on="2025-08-20", first_voucher="记-2025-9002")
    corrected = workbooks.xlsx(rows)
    result = services.preview(data=corrected, name="修正.xlsx")
    changed = {r.number: r.changes for r in result.check.rows if r.status == "changed"}
    assert changed == {3: ["领办人"], 4: ["第一批状态", "第一批拨付日期", "第一批凭证号"]}
    assert result.check.count("unchanged") == 198
    entries = AuditEntry.objects.count()
    kept = services.commit(actor=hr, data=corrected, name="修正.xlsx")
    assert (kept.created, kept.changed, kept.unchanged) == (0, 2, 198)
    assert Workstation.objects.get(plaque_number="QSJS-H0001").leader_name == "新领办人"
    tranche = Tranche.objects.get(grant__workstation__plaque_number="QSJS-H0002", kind="first")
    assert (tranche.state, tranche.disbursed_on, tranche.voucher_number) == ("disbursed", date(2025, 8, 20),
                                                                             "记-2025-9002")
    new_entries = AuditEntry.objects.order_by("pk")[entries:]
    assert [(e.object_type, e.action, e.data.get("fields")) for e in new_entries] == [
        ("qinshui_station.workstation", "import_updated", ["leader_name"]),
        ("funding.tranche", "import_updated", ["state", "approved_at", "disbursed_on", "voucher_number",
                                               "paid_account_name", "paid_bank", "paid_account_number"]),
    ]
    assert ImportedStation.objects.get(workstation__plaque_number="QSJS-H0001").last_file == kept


def test_a_correction_does_not_overwrite_what_the_portal_did_since(hr, departments):
    from django.core.exceptions import ValidationError

    from funding import services as funding_services

    rows = [workbooks.row(2)]
    services.commit(actor=hr, data=workbooks.xlsx(rows), name="a.xlsx")
    tranche = Tranche.objects.get(grant__workstation__plaque_number="QSJS-H0002", kind="first")
    funding_services.approve_tranche(tranche_id=tranche.pk, actor=hr)
    corrected = workbooks.xlsx([{**rows[0], "first_state": "已取消", "revocation_ground": "不开展技术交流、技术革新、技术攻关，传技带徒",
                                 "revoked_on": "2026-01-05", "revocation_facts": "全年未开展活动。"}])
    result = services.preview(data=corrected, name="b.xlsx")
    assert result.check.rows[0].errors == [("T2", "该批次已在平台内办理（已审批待拨付），不能通过导入修改。")]
    with pytest.raises(ValidationError):
        services.commit(actor=hr, data=corrected, name="b.xlsx")
    assert Tranche.objects.get(pk=tranche.pk).state == "approved"
    assert not Revocation.objects.exists()


def test_a_correction_cannot_restore_a_revoked_title(hr, departments):
    rows = [workbooks.row(3)]
    services.commit(actor=hr, data=workbooks.xlsx(rows), name="a.xlsx")
    restored = {**rows[0], "grade1_year": "", "grade1": "", "revocation_ground": "", "revoked_on": "",
                "revocation_facts": "", "first_state": "已拨付"}
    result = services.preview(data=workbooks.xlsx([restored]), name="b.xlsx")
    assert result.check.rows[0].errors == [("AE2", "该工作站已撤销，不能通过导入恢复称号。")]


def _unit_columns(org) -> dict[str, str]:
    return {"credit_code": org.credit_code, "unit_name": org.name, "unit_type": "企业", "department": org.department.name,
            "contact_person": org.contact_person, "contact_phone": org.contact_phone,
            "contact_email": org.contact_email, "bank_account_name": org.bank_account_name,
            "bank_name": org.bank_name, "bank_account_number": org.bank_account_number}


def test_a_station_of_a_unit_registered_in_the_portal_joins_it_without_a_new_account(hr, departments, unit_user):
    org = unit_user.organization
    row = workbooks.row(1, **_unit_columns(org))
    services.commit(actor=hr, data=workbooks.xlsx([row]), name="a.xlsx")
    station = Workstation.objects.get()
    assert station.unit == org
    assert User.objects.filter(organization=org).count() == 1


def test_a_registered_unit_keeps_its_own_details(hr, departments, unit_user):
    org = unit_user.organization
    row = workbooks.row(1, **{**_unit_columns(org), "contact_phone": "13900000000"})
    result = services.preview(data=workbooks.xlsx([row]), name="a.xlsx")
    assert result.check.rows[0].errors == [
        ("F2", f"该单位已在平台登记，联系电话为“{org.contact_phone}”：单位信息由单位在平台内维护，请按平台登记的内容填写。")]


def test_hr_corrects_an_imported_units_details_until_the_unit_signs_in(hr, departments):
    from django.utils import timezone

    services.commit(actor=hr, data=workbooks.xlsx([workbooks.row(1)]), name="a.xlsx")
    corrected = workbooks.xlsx([workbooks.row(1, contact_phone="13900000001")])
    assert services.preview(data=corrected, name="b.xlsx").check.rows[0].changes == ["联系电话"]
    services.commit(actor=hr, data=corrected, name="b.xlsx")
    assert Organization.objects.get(credit_code=workbooks.code(1)).contact_phone == "13900000001"
    User.objects.filter(username=workbooks.code(1)).update(last_login=timezone.now())
    again = workbooks.xlsx([workbooks.row(1, contact_phone="13900000002")])
    assert services.preview(data=again, name="c.xlsx").check.rows[0].errors == [
        ("F2", "该单位已在平台登记，联系电话为“13900000001”：单位信息由单位在平台内维护，请按平台登记的内容填写。")]


def test_the_kept_sums_agree_with_the_imported_tranches(imported, hr):
    from funding import sums

    assert sums.mismatches() == []
    grant = Grant.objects.get(workstation__plaque_number="QSJS-H0004")
    assert (grant.disbursed, grant.pending) == (Decimal("100000.00"), Decimal("0.00"))
    rows = [dict(r) for r in ROWS]
    rows[2].update(first_state="已拨付", first_paid_on="2025-08-20", first_voucher="记-2025-9002")
    services.commit(actor=hr, data=workbooks.xlsx(rows), name="修正.xlsx")
    assert sums.mismatches() == []
    assert Grant.objects.get(workstation__plaque_number="QSJS-H0002").disbursed == Decimal("40000.00")
