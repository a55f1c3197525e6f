"""HR reads the audit log as sentences in both languages (#14, item 10): who, the action, the object by its kind
and name, the states by their labels, the reason; no model label, action code or state code."""

import re

import pytest

from reviews import services
from tests import factories
from tests.browser.fixtures import screenshot, sign_in
from tests.reviews import factories as rf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODES = re.compile(r"\b[a-z]+\.[a-z]+\b|\b[a-z]+_[a-z_]+\b|\bopen\b|\bfinalized\b|#\d+")


def test_the_audit_log_reads_as_sentences_in_both_languages(page):
    hr = factories.HRUserFactory(username="hr_d", full_name="陈静")
    round_ = rf.open_round(hr, year=2041)
    services.finalize_round(actor=hr, round_id=round_.pk)
    sign_in(page, "hr_d", factories.PASSWORD)

    page.goto("/staff/audit/")
    entries = page.locator(".audit-entries li").all_inner_texts()
    finalized = next(e for e in entries if "定级并锁定" in e)
    assert finalized.endswith(f"陈静（县人力资源和社会保障局） 定级并锁定：年度评估“{round_}”，"
                              "状态由“评估进行中”改为“已定级”。")
    assert not [e for e in entries if CODES.search(e)]
    screenshot(page, "hr-audit-log-zh")

    with page.expect_navigation():
        page.get_by_label("语言").select_option("en")
    page.get_by_role("heading", name="Audit log").wait_for()
    entries = page.locator(".audit-entries li").all_inner_texts()
    finalized = next(e for e in entries if "Grade and lock" in e)
    assert "Grade and lock: Annual evaluation" in finalized and "from “In progress” to “Graded”" in finalized
    assert not [e for e in entries if CODES.search(e)]
    screenshot(page, "hr-audit-log-en")
