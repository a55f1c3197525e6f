"""Every workflow table, pinned against SPEC.md: who may make which move, whether a reason is required, and
which moves only another service makes. Written out by hand — not generated from the tables — so that a
change to a table is a change here too, made on purpose."""

import pytest
from django.apps import apps

from applications import workflow as applications
from funding import workflow as funding
from qinshui_station import engine
from qinshui_station.workstation_workflow import TRANSITIONS as WORKSTATION
from reviews import workflow as reviews

UNIT, DEPT, HR, FIN = "unit", "department", "hr", "finance"


def pinned(table) -> dict:
    return {(src, dst): (set(move.roles), move.reason, bool(move.system)) for (src, dst), move in table.items()}


def test_application():
    # 第五条: draft → submitted to the department (returned ↔ resubmitted) → recommended or not → HR completeness
    # (may return) → expert review → proposed → publicity → recognized, or not recognized.
    assert pinned(applications.TRANSITIONS) == {
        ("draft", "submitted"): ({UNIT}, False, False),
        ("returned", "submitted"): ({UNIT}, False, False),
        ("submitted", "returned"): ({DEPT}, True, False),
        ("submitted", "recommended"): ({DEPT}, False, False),
        ("submitted", "not_recommended"): ({DEPT}, True, False),
        ("recommended", "returned"): ({HR}, True, False),
        ("recommended", "expert_review"): ({HR}, False, False),
        ("expert_review", "proposed"): ({HR}, False, False),
        ("expert_review", "not_recognized"): ({HR}, True, False),
        # SPEC "Panel votes": HR corrects the 集中评议 record, with a reason, until the list is published
        ("proposed", "not_recognized"): ({HR}, True, False),
        ("not_recognized", "proposed"): ({HR}, True, False),
        ("proposed", "publicity"): ({HR}, False, False),
        ("publicity", "not_recognized"): ({HR}, True, False),
        ("publicity", "recognized"): ({HR}, False, False),
    }


def test_batch():
    assert pinned(applications.BATCH_TRANSITIONS) == {("open", "closed"): ({HR}, False, False)}


def test_objection():
    # HR handles objections; upheld or dismissed, the decision carries its reason.
    assert pinned(applications.OBJECTION_TRANSITIONS) == {
        ("pending", "upheld"): ({HR}, True, False),
        ("pending", "dismissed"): ({HR}, True, False),
    }


def test_application_expert_assignment():
    # 第五条's expert review: HR assigns an expert of the panel (a new row, not a move), may take him off
    # before his opinion is in and assign him again; the expert hands in his opinion once, then it is final.
    assert pinned(applications.ASSIGNMENT_TRANSITIONS) == {
        ("assigned", "submitted"): ({"expert"}, False, False),
        ("assigned", "withdrawn"): ({HR}, False, False),
        ("withdrawn", "assigned"): ({HR}, False, False),
    }


def test_workstation():
    # Final acceptance passed (only by finalizing the round), or the title revoked by HR with a ground.
    assert pinned(WORKSTATION) == {
        ("construction", "accepted"): ({HR}, False, True),
        ("construction", "revoked"): ({HR}, True, False),
        ("accepted", "revoked"): ({HR}, True, False),
    }


def test_round():
    assert pinned(reviews.ROUND_TRANSITIONS) == {("open", "finalized"): ({HR}, False, False)}


def test_evaluation():
    # The unit files; HR may return it (reason); the round's finalization grades; revocation withdraws.
    assert pinned(reviews.EVALUATION_TRANSITIONS) == {
        ("draft", "submitted"): ({UNIT}, False, False),
        ("submitted", "returned"): ({HR}, True, False),
        ("returned", "submitted"): ({UNIT}, False, False),
        ("submitted", "graded"): ({HR}, False, True),
        ("draft", "withdrawn"): ({HR}, True, True),
        ("submitted", "withdrawn"): ({HR}, True, True),
        ("returned", "withdrawn"): ({HR}, True, True),
    }


def test_expert_assignment():
    assert pinned(reviews.ASSIGNMENT_TRANSITIONS) == {("assigned", "submitted"): ({"expert"}, False, False)}


def test_tranche():
    # scheduled → approved (HR) → disbursed (finance), or cancelled with a reason while not disbursed.
    assert pinned(funding.TRANSITIONS) == {
        ("scheduled", "approved"): ({HR}, False, False),
        ("approved", "disbursed"): ({FIN}, False, False),
        ("scheduled", "cancelled"): ({HR}, True, False),
        ("approved", "cancelled"): ({HR}, True, False),
    }


def test_expenditure():
    assert pinned(funding.EXPENDITURE_TRANSITIONS) == {
        ("recorded", "questioned"): ({HR, FIN}, True, False),
        ("cleared", "questioned"): ({HR, FIN}, True, False),
        ("questioned", "cleared"): ({HR, FIN}, True, False),
        ("questioned", "misuse"): ({HR}, True, False),
    }


def test_recovery():
    assert pinned(funding.RECOVERY_TRANSITIONS) == {("pending", "recovered"): ({FIN}, False, False)}


STATE_FIELDS = {
    "applications.batch", "applications.application", "applications.objection", "applications.expertassignment",
    "reviews.evaluationround",
    "reviews.evaluation", "reviews.assignment", "funding.tranche", "funding.expenditure", "funding.recovery",
    "qinshui_station.workstation",
}


@pytest.mark.parametrize("label", sorted(STATE_FIELDS))
def test_every_state_field_has_a_registered_table(label):
    model = apps.get_model(label)
    table = engine.table_of(model)
    assert model._meta.get_field(table.field).choices
    assert set(table.labels) == {value for value, _label in model._meta.get_field(table.field).choices}


def test_no_state_field_is_left_without_a_table():
    with_state = {m._meta.label_lower for m in apps.get_models() if any(f.name == "state" for f in m._meta.fields)}
    assert with_state == STATE_FIELDS
