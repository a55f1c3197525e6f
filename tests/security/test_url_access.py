"""Every URL pattern × every role × objects of one's own and the other side: the exact status.

The patterns come from Django's resolver, so a new view without an entry in ``EXPECTED`` fails
``test_every_url_pattern_has_an_expectation``. Requests are GETs (a POST-only step sends a GET to its object's
page once the person passed the role check, access.posted_from: 302, or 404 where finding the page goes through a
selector that does not reach the object). Statuses: 200, ``302login`` (a redirect to the sign-in page), 302 (a
redirect elsewhere, e.g. a signed-in person on the sign-in page), 403 (role not allowed), 404 (not one's
object), 405.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.urlcases import outcome, variants, walk
from tests.security.world import ROLES

UNITS = {"unit", "other_unit"}
DEPTS = {"department", "other_department"}
EXPERTS = {"expert_assigned", "expert_unassigned"}
HR, FIN, ORG = {"hr"}, {"finance"}, {"org_dept"}
STAFF = HR | FIN | ORG
SIGNED_IN = set(ROLES) - {"anonymous"}
A_SIDE = {"unit", "department"}  # side A's unit and its sector department
B_SIDE = {"other_unit", "other_department"}


def every(code: str) -> dict:
    """The same answer for everyone, signed in or not."""
    return {role: code for role in ROLES}


def anon_and(anon: str, rest: str) -> dict:
    return {role: (anon if role == "anonymous" else rest) for role in ROLES}


def scoped(gate: set, sees: set = frozenset(), ok: str = "200", **overrides) -> dict:
    """Signed-in pages: the anonymous visitor is sent to sign in, a role outside ``gate`` gets 403, a role
    inside it that does not reach the object (selectors) 404, the others ``ok``."""
    out = {}
    for role in ROLES:
        if role == "anonymous":
            out[role] = "302login"
        elif role not in gate:
            out[role] = "403"
        elif role in sees:
            out[role] = ok
        else:
            out[role] = "404"
    out.update(overrides)
    return out


def only(gate: set, ok: str = "200") -> dict:
    """A page without an object: roles in ``gate`` get ``ok``, other roles 403."""
    return scoped(gate, gate, ok)


def post_only(gate: set) -> dict:
    """role_required(...) then access.posted_from: a GET is sent to the step's page for the allowed roles."""
    return only(gate, "302")


def side(gate: set, extra: set = frozenset(), ok: str = "200") -> dict[str, dict]:
    """An object of side A and one of side B, reachable by that side's roles plus ``extra``."""
    return {"a": scoped(gate, A_SIDE & gate | extra, ok), "b": scoped(gate, B_SIDE & gate | extra, ok)}


def both(spec: dict) -> dict[str, dict]:
    return {"a": spec, "b": spec}


ONE = "-"
EXPECTED: dict[str, dict[str, dict]] = {
    # --- core ---------------------------------------------------------------------------------------------
    "index": {ONE: anon_and("302login", "302")},
    "home": {ONE: only(SIGNED_IN)},
    "login": {ONE: anon_and("200", "302")},  # redirect_authenticated_user
    "logout": {ONE: every("405")},  # POST only (Django 5)
    "password_change": {ONE: only(SIGNED_IN)},
    "password_change_done": {ONE: only(SIGNED_IN)},
    "password_reset": {ONE: every("200")},
    "password_reset_done": {ONE: every("200")},
    "password_reset_confirm": {"a": every("200")},  # an invalid link: the page says so
    "password_reset_complete": {ONE: every("200")},
    "register": {ONE: anon_and("200", "302")},
    "set_language": {ONE: every("302")},
    "unit_profile": {ONE: {**only(SIGNED_IN, "302"), "unit": "200", "other_unit": "200"}},
    "notifications": {ONE: only(SIGNED_IN)},
    "workstation_list": {ONE: only(SIGNED_IN)},
    "workstation_detail": side(SIGNED_IN, STAFF),
    "workstation_certificate": side(SIGNED_IN, STAFF),
    "public_workstations": {ONE: every("200")},
    "staff_users": {ONE: only(HR)},
    "staff_user_toggle": {"a": post_only(HR)},
    "staff_organizations": {ONE: only(HR)},
    "staff_calendar": {ONE: only(HR)},
    "audit_log": {ONE: only(HR)},
    "staff_office": {ONE: only(HR)},
    "email_preferences": {ONE: only(SIGNED_IN)},
    "failed_deliveries": {ONE: only(HR)},
    "delivery_retry": {"a": post_only(HR)},
    # --- applications --------------------------------------------------------------------------------------
    "applications:list": {ONE: only(SIGNED_IN)},
    "applications:create": {ONE: only(UNITS)},
    "applications:detail": {
        "a": scoped(SIGNED_IN, A_SIDE | {"expert_assigned"} | STAFF),
        "b": scoped(SIGNED_IN, B_SIDE | STAFF),
        "a_draft": scoped(SIGNED_IN, {"unit"}),  # drafts: the unit only
        "b_draft": scoped(SIGNED_IN, {"other_unit"}),
    },
    "applications:edit": {
        "a": scoped(UNITS, {"unit"}, "302"),  # in expert review: not editable, back to the page
        "b": scoped(UNITS, {"other_unit"}, "302"),
        "a_draft": scoped(UNITS, {"unit"}),
        "b_draft": scoped(UNITS, {"other_unit"}),
        "a_draft_bad_step": scoped(UNITS),
    },
    "applications:move": both(post_only(SIGNED_IN)),
    "applications:attachment_upload": {"a": scoped(SIGNED_IN, A_SIDE | {"expert_assigned"} | STAFF, "302"),
                                       "b": scoped(SIGNED_IN, B_SIDE | STAFF, "302")},
    "applications:attachment_download": {
        "a": scoped(SIGNED_IN, A_SIDE | {"expert_assigned"} | STAFF),
        "b": scoped(SIGNED_IN, B_SIDE | STAFF),
        "a_draft": scoped(SIGNED_IN, {"unit"}),
        "a_with_b_file": scoped(SIGNED_IN),  # an id of another application's file under one's own: 404
    },
    "applications:attachment_withdraw": {"a": scoped(SIGNED_IN, {"unit"}, "302"),  # a draft's file
                                         "b": scoped(SIGNED_IN, {"other_unit"}, "302")},
    "applications:assign_expert": both(post_only(HR)),
    "applications:panel_conclusion": both(post_only(HR)),
    "applications:panel_correction": both(post_only(HR)),
    "applications:county_confirm": both(post_only(DEPTS)),
    "applications:assignment_list": {ONE: only(EXPERTS)},
    "applications:assignment_review": {"a": scoped(EXPERTS, {"expert_assigned"}), "b": scoped(EXPERTS)},
    "applications:remove_assignment": both(post_only(HR)),
    "applications:photo_upload": both(post_only(EXPERTS)),
    # photo_download has no role gate: the selector lets the expert who took it and HR through.
    "applications:photo_download": {"a": scoped(SIGNED_IN, {"expert_assigned", "hr"}),
                                    "b": scoped(SIGNED_IN, {"hr"})},
    "applications:batch_list": {ONE: only(HR)},
    "applications:batch_detail": {"a": only(HR)},
    "applications:batch_close": {"a": post_only(HR)},
    "applications:batch_publish": {"a": post_only(HR)},
    "applications:batch_recognize": {"a": post_only(HR)},
    "applications:objection_resolve": {"a": post_only(HR)},
    "applications:publicity_list": {ONE: every("200")},
    "applications:publicity_detail": {"a": every("200"), "none": every("404")},
    "applications:form_pdf": {"a": scoped(SIGNED_IN, A_SIDE | {"expert_assigned"} | STAFF),
                              "b": scoped(SIGNED_IN, B_SIDE | STAFF),
                              "a_draft": scoped(SIGNED_IN, {"unit"})},  # a draft's form: its unit only
    "applications:batch_xlsx": {"a": only(HR)},
    "applications:recognition_pdf": {"not_recognized": scoped(HR | ORG | FIN)},  # no document yet: 404
    "applications:publicity_pdf": {"a": every("200"), "none": every("404")},
    "dashboards:charts": {ONE: only(STAFF)},
    # --- reviews -------------------------------------------------------------------------------------------
    "reviews:round_list": {ONE: only(STAFF)},
    "reviews:round_create": {ONE: only(HR)},
    "reviews:round_detail": {"a": only(STAFF)},
    "reviews:round_window": {"a": post_only(HR)},
    "reviews:round_tie": {"a": post_only(HR)},
    "reviews:round_finalize": {"a": post_only(HR)},
    "reviews:round_grades": {"a": only(STAFF)},
    "reviews:round_grades_pdf": {"not_finalized": scoped(STAFF)},  # no grades before finalization: 404
    "reviews:round_results_xlsx": {"not_finalized": scoped(HR)},
    "reviews:evaluation_pdf": {"a": scoped(SIGNED_IN, A_SIDE | {"expert_assigned"} | STAFF),
                               "b": scoped(SIGNED_IN, B_SIDE | STAFF)},
    "reviews:evaluation_list": {ONE: only(UNITS | DEPTS | STAFF)},
    "reviews:evaluation_detail": side(UNITS | DEPTS | STAFF, STAFF),
    "reviews:evaluation_edit": {"a": scoped(UNITS, {"unit"}, "302"),  # submitted: back to the page
                                "b": scoped(UNITS, {"other_unit"}, "302")},
    "reviews:evaluation_transition": both(post_only(UNITS | HR)),
    "reviews:attachment_add": both(post_only(UNITS)),
    "reviews:assign": both(post_only(HR)),
    "reviews:attachment_file": {"a": scoped(SIGNED_IN, A_SIDE | {"expert_assigned"} | STAFF),
                                "b": scoped(SIGNED_IN, B_SIDE | STAFF)},
    "reviews:attachment_remove": {"a": scoped(UNITS, {"unit"}, "302"), "b": scoped(UNITS, {"other_unit"}, "302")},
    "reviews:assignment_list": {ONE: only(EXPERTS)},
    "reviews:score": {"a": scoped(EXPERTS, {"expert_assigned"}), "b": scoped(EXPERTS)},
    "reviews:score_submit": both(post_only(EXPERTS)),
    "reviews:unassign": both(post_only(HR)),
    "reviews:ledger": side(UNITS | DEPTS | STAFF, STAFF),
    "reviews:ledger_delete": {"a": scoped(UNITS, {"unit"}, "302"), "b": scoped(UNITS, {"other_unit"}, "302")},
    "reviews:ledger_file": {"a": scoped(SIGNED_IN, A_SIDE | {"expert_assigned"} | STAFF),
                            "b": scoped(SIGNED_IN, B_SIDE | STAFF)},
    "reviews:revoke": {"a": only(HR), "b": only(HR), "a_revoked": scoped(HR)},  # a revoked station: 404
    # --- funding -------------------------------------------------------------------------------------------
    "funding:ledger": {ONE: only(HR | FIN)},
    "funding:ledger_export": {ONE: only(HR | FIN)},
    "funding:statement": side(SIGNED_IN, STAFF),
    "funding:expenditure_create": {"a": scoped(UNITS, {"unit"}), "b": scoped(UNITS, {"other_unit"}),
                                   # the form shows; the service refuses to record for a revoked station
                                   "a_revoked": scoped(UNITS, {"unit"})},
    "funding:tranche_list": {ONE: only(HR | FIN)},
    "funding:tranche_detail": both(only(HR | FIN)),
    "funding:tranche_approve": both(post_only(HR)),
    "funding:tranche_disburse": both(post_only(FIN)),
    "funding:tranche_cancel": both(post_only(HR)),
    "funding:expenditure_list": {ONE: only(UNITS | HR | FIN)},
    "funding:expenditure_detail": side(UNITS | HR | FIN, HR | FIN),
    "funding:expenditure_question": both(post_only(HR | FIN)),
    "funding:expenditure_clear": both(post_only(HR | FIN)),
    "funding:expenditure_uphold": both(post_only(HR)),
    # invoices: whoever sees the station's statement (its department and the organization dept too)
    "funding:expenditure_document": {"a": scoped(SIGNED_IN, A_SIDE | STAFF), "b": scoped(SIGNED_IN, B_SIDE | STAFF),
                                     "a_with_b_document": scoped(SIGNED_IN)},
    "funding:statement_pdf": side(SIGNED_IN, STAFF),
    "funding:recovery_list": {ONE: only(HR | FIN)},
    "funding:recovery_detail": {"a": scoped(UNITS | HR | FIN, {"unit"} | HR | FIN),
                                "b": scoped(UNITS | HR | FIN, {"other_unit"} | HR | FIN)},
    "funding:recovery_recovered": both(post_only(FIN)),
    # --- records (issue 18) --------------------------------------------------------------------------------
    "records:import": {ONE: only(HR)},
    "records:import_commit": {ONE: post_only(HR)},
    "records:template": {ONE: only(HR)},
    "records:export": {ONE: only(HR)},
    "records:import_file": {"missing": scoped(HR)},
    "records:unit_archive": {ONE: only(UNITS)},
}


def test_every_url_pattern_has_an_expectation():
    served = {name for name, _route in walk()}
    assert None not in served, "every URL pattern needs a name to be checked"
    assert sorted(served - set(EXPECTED)) == [], "URL patterns without an entry in EXPECTED"
    assert sorted(set(EXPECTED) - served) == [], "entries in EXPECTED for URL patterns no longer served"


@pytest.mark.django_db
def test_every_url_role_and_object_answers_as_expected(world_media, capsys):
    w = world_media
    cases = variants(w)
    assert set(cases) == set(EXPECTED)
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if w.users[role] is not None:
            clients[role].force_login(w.users[role])
    checked, unexpected = 0, []
    for name, by_variant in EXPECTED.items():
        assert set(by_variant) == set(cases[name]), name
        for variant, expected in by_variant.items():
            url = reverse(name, kwargs=cases[name][variant])
            for role in ROLES:
                got = outcome(clients[role].get(url))
                checked += 1
                if got != expected[role]:
                    unexpected.append(f"{name} [{variant}] {url} as {role}: expected {expected[role]}, got {got}")
    with capsys.disabled():
        print(f"\nURL access: {len(EXPECTED)} URL patterns, {checked} URL × role × object requests checked, "
              f"{len(unexpected)} unexpected")
    assert unexpected == []
