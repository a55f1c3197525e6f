"""Every URL pattern the project serves, with the objects to ask for it with: ``a`` is side A's object (the
object of the roles ``unit``, ``department``, ``expert_assigned``), ``b`` is side B's (another unit, another
sector, an assignment of another expert); further variants where the state matters (a draft, a revoked
station, an attachment id of the other side under one's own application)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from applications.forms import STEP_SLUGS


def walk(resolver=None, namespace: str = "", prefix: str = ""):
    """(qualified name, route) of every pattern, recursively through includes."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield (f"{namespace}{p.name}" if p.name else None), prefix + str(p.pattern)


def variants(w) -> dict[str, dict[str, dict]]:
    """url name → {variant: kwargs}."""
    a, b = w.a, w.b
    one = {"-": {}}

    def pk(attr, key="pk"):
        return {"a": {key: getattr(a, attr).pk}, "b": {key: getattr(b, attr).pk}}

    return {
        # core
        "index": one, "home": one, "login": one, "logout": one, "password_change": one,
        "password_change_done": one, "password_reset": one, "password_reset_done": one,
        "password_reset_confirm": {"a": {"uidb64": "MQ", "token": "set-password"}},
        "password_reset_complete": one, "register": one, "set_language": one,
        "unit_profile": one, "notifications": one, "workstation_list": one,
        "workstation_detail": pk("station"), "workstation_certificate": pk("station"),
        "public_workstations": one, "staff_users": one, "staff_user_toggle": {"a": {"pk": a.unit_user.pk}},
        "staff_organizations": one, "staff_calendar": one, "audit_log": one, "staff_office": one,
        "email_preferences": one, "failed_deliveries": one, "delivery_retry": {"a": {"pk": 1}},
        # applications
        "applications:list": one, "applications:create": one,
        "applications:detail": {**pk("app"), "a_draft": {"pk": a.draft.pk}, "b_draft": {"pk": b.draft.pk}},
        "applications:edit": {"a": {"pk": a.app.pk, "step": STEP_SLUGS[0]}, "b": {"pk": b.app.pk, "step": STEP_SLUGS[0]},
                              "a_draft": {"pk": a.draft.pk, "step": STEP_SLUGS[0]},
                              "b_draft": {"pk": b.draft.pk, "step": STEP_SLUGS[0]},
                              "a_draft_bad_step": {"pk": a.draft.pk, "step": "no-such-step"}},
        "applications:move": {"a": {"pk": a.app.pk, "to": "proposed"}, "b": {"pk": b.app.pk, "to": "proposed"}},
        "applications:attachment_upload": pk("app"),
        "applications:attachment_download": {
            "a": {"pk": a.app.pk, "attachment_id": a.app_file.pk}, "b": {"pk": b.app.pk, "attachment_id": b.app_file.pk},
            "a_draft": {"pk": a.draft.pk, "attachment_id": a.draft_file.pk},
            "a_with_b_file": {"pk": a.app.pk, "attachment_id": b.app_file.pk}},
        "applications:attachment_withdraw": {"a": {"pk": a.draft.pk, "attachment_id": a.draft_file.pk},
                                             "b": {"pk": b.draft.pk, "attachment_id": b.draft_file.pk}},
        "applications:assign_expert": pk("app"), "applications:panel_conclusion": pk("app"),
        "applications:panel_correction": pk("app"), "applications:county_confirm": pk("app"),
        "applications:assignment_list": one,
        "applications:assignment_review": pk("assignment", "assignment_id"),
        "applications:remove_assignment": pk("assignment", "assignment_id"),
        "applications:photo_upload": pk("assignment", "assignment_id"),
        "applications:photo_download": pk("photo", "photo_id"),
        "applications:batch_list": one, "applications:batch_detail": {"a": {"pk": w.batch.pk}},
        "applications:batch_close": {"a": {"pk": w.batch.pk}},
        "applications:batch_publish": {"a": {"pk": w.batch.pk}},
        "applications:batch_recognize": {"a": {"pk": w.public_batch.pk}},
        "applications:objection_resolve": {"a": {"objection_id": w.objection.pk}},
        "applications:publicity_list": one,
        "applications:publicity_detail": {"a": {"year": w.public_batch.year}, "none": {"year": w.batch.year}},
        "applications:form_pdf": {**pk("app"), "a_draft": {"pk": a.draft.pk}},
        "applications:batch_xlsx": {"a": {"pk": w.batch.pk}},
        "applications:recognition_pdf": {"not_recognized": {"pk": w.public_batch.pk}},
        "applications:publicity_pdf": {"a": {"year": w.public_batch.year}, "none": {"year": w.batch.year}},
        "dashboards:charts": one,
        # reviews
        "reviews:round_grades_pdf": {"not_finalized": {"pk": w.round.pk}},
        "reviews:round_results_xlsx": {"not_finalized": {"pk": w.round.pk}},
        "reviews:evaluation_pdf": pk("evaluation"),
        "reviews:round_list": one, "reviews:round_create": one,
        "reviews:round_detail": {"a": {"pk": w.round.pk}}, "reviews:round_window": {"a": {"pk": w.round.pk}},
        "reviews:round_tie": {"a": {"pk": w.round.pk}}, "reviews:round_finalize": {"a": {"pk": w.round.pk}},
        "reviews:round_grades": {"a": {"pk": w.round.pk}},
        "reviews:evaluation_list": one, "reviews:evaluation_detail": pk("evaluation"),
        "reviews:evaluation_edit": pk("evaluation"), "reviews:evaluation_transition": pk("evaluation"),
        "reviews:attachment_add": pk("evaluation"), "reviews:assign": pk("evaluation"),
        "reviews:attachment_file": pk("evaluation_file"), "reviews:attachment_remove": pk("evaluation_file"),
        "reviews:assignment_list": one, "reviews:score": pk("eval_assignment"),
        "reviews:score_submit": pk("eval_assignment"), "reviews:unassign": pk("eval_assignment"),
        "reviews:ledger": {**pk("station", "station_pk")}, "reviews:ledger_delete": pk("ledger_entry"),
        "reviews:ledger_file": pk("ledger_file"),
        "reviews:revoke": {**pk("station", "station_pk"), "a_revoked": {"station_pk": a.misused_station.pk}},
        # funding
        "funding:ledger": one, "funding:ledger_export": one,
        "funding:statement": pk("station", "workstation_pk"),
        "funding:expenditure_create": {**pk("station", "workstation_pk"),
                                       "a_revoked": {"workstation_pk": a.misused_station.pk}},
        "funding:tranche_list": one, "funding:tranche_detail": pk("tranche"),
        "funding:tranche_approve": pk("tranche"), "funding:tranche_disburse": pk("tranche"),
        "funding:tranche_cancel": pk("tranche"),
        "funding:expenditure_list": one, "funding:expenditure_detail": pk("expenditure"),
        "funding:expenditure_question": pk("expenditure"), "funding:expenditure_clear": pk("expenditure"),
        "funding:expenditure_uphold": pk("expenditure"),
        "funding:expenditure_document": {
            "a": {"pk": a.expenditure.pk, "document_pk": a.document.pk},
            "b": {"pk": b.expenditure.pk, "document_pk": b.document.pk},
            "a_with_b_document": {"pk": a.expenditure.pk, "document_pk": b.document.pk}},
        "funding:statement_pdf": pk("station", "workstation_pk"),
        "funding:recovery_list": one, "funding:recovery_detail": pk("recovery"),
        "funding:recovery_recovered": pk("recovery"),
        # records (issue 18)
        "records:import": one, "records:import_commit": one, "records:template": one, "records:export": one,
        "records:import_file": {"missing": {"pk": 999_999}}, "records:unit_archive": one,
    }


def outcome(response) -> str:
    """'302login' for a redirect to the sign-in page, otherwise the status code."""
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "302login"
    return str(response.status_code)
