"""Pages of the ledger. Each view finds its object through a selector (404 for the rest), turns the request
into one service call and the outcome into a message or field errors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from funding import selectors, services
from funding.charts import bar_chart
from funding.export import ledger_workbook
from funding.forms import DisburseForm, ExpenditureForm, LedgerFilterForm, RecoveredForm, UpholdForm
from funding.workflow import (
    TRANSITIONS,
    ExpenditureState,
    RecoveryState,
    TrancheState,
    can_record_expenditure,
)
from qinshui_station import engine, notifications
from qinshui_station.access import (
    REFUSALS,
    also_refused,
    confirmed,
    errors_to_form,
    form_at_top,
    kept_at_top,
    kept_step,
    paginate,
    posted_from,
    refused,
    role_required,
    state_filter,
    step_gone,
)
from qinshui_station.documents import xlsx_response
from qinshui_station.punctuation import mark
from qinshui_station.roles import Role
from qinshui_station.selectors import workstations_for
from qinshui_station.templatetags.portal import badge, yuan

STAFF = (Role.HR, Role.FINANCE)




def _confirm_error(request) -> str:
    """The message at a step's confirmation box when it was not ticked ("" when it was)."""
    return "" if confirmed(request) else _("请先勾选“我已了解上述后果，确认执行”。")


def _kept_context(request, kept: dict | None, obj, steps: dict[str, str], moves) -> dict:
    """A refused step's page: what was posted to it as ``kept_<step>`` for the template (the reason typed, the
    messages at their fields); if the page no longer offers that step (``steps``: each step's target state, offered
    when among the open ``moves``; the object moved on meanwhile), its message at the top of the page instead."""
    if not kept:
        return {}
    if steps[kept["step"]] not in moves:
        kept_at_top(request, kept, obj, steps[kept["step"]])
        return {}
    return {f"kept_{kept['step']}": kept}


# --- County ledger --------------------------------------------------------------------------------------

def _ledger_filters(request, years=None):
    form = LedgerFilterForm(request.GET or None, years=selectors.batch_years(request.user, years))
    return form, form.filters()


@role_required(*STAFF)
@require_GET
def ledger(request):
    years = selectors.ledger_years(request.user)  # the filter's years and the totals from one read of a few rows
    form, filters = _ledger_filters(request, years)
    totals = selectors.ledger_totals(request.user, **filters, years=years)
    # paginate the bare ordered ids, then annotate only the page's 50 grants; the totals count the stations
    # already, so the paginator does not count them again (docs/performance.md)
    page = paginate(request, selectors.ledger_page_ids(request.user, **filters), per_page=50, count=totals.stations)
    grants = selectors.ledger_rows(request.user, list(page.object_list))
    page.object_list = grants
    states = dict(TrancheState.choices)
    unscheduled, not_due = _("未安排"), _("建设期满未验收，暂不拨付")
    statement = reverse("funding:statement", args=[0])[:-2]  # reversed once, not once a row
    # each row's cells as text, so that the template's loop prints them (50 rows × 12 cells: no filters, no
    # lookups through four relations, no {% url %} per row), from plain values (no model instances)
    user = request.user
    rows = [{
        "year": g["workstation__batch_year"], "plaque": g["workstation__plaque_number"],
        "url": f"{statement}{g['workstation_id']}/", "name": g["workstation__name"], "unit": g["workstation__unit__name"],
        "department": g["workstation__unit__department__name"] or "",
        "account": selectors.unit_account_shown(user, g["workstation__unit_id"],
                                                g["workstation__unit__bank_account_number"]) or "—",
        "first": states.get(g["first_state"], "—"),
        "second": states.get(g["second_state"], not_due if g["second_not_due_since"] else unscheduled),
        "amount": yuan(g["amount"]), "disbursed": yuan(g["disbursed"]), "spent": yuan(g["spent"]),
        "balance": yuan(g["disbursed"] - g["spent"]), "recovery_due": yuan(g["recovery_due"]),
    } for g in grants]
    return render(request, "funding/ledger.html", {
        "form": form, "page": page, "rows": rows, "totals": totals,
        "query": request.GET.urlencode(),
    })


@role_required(*STAFF)
@require_GET
def ledger_export(request):
    _form, filters = _ledger_filters(request)
    spool = ledger_workbook(request.user, **filters)
    name = _("沁水县技师工作站补助资金台账-%(day)s.xlsx") % {"day": f"{timezone.localdate():%Y%m%d}"}
    return xlsx_response(spool, filename=name)


# --- One station's statement -----------------------------------------------------------------------------

@login_required
@require_GET
def statement(request, workstation_pk: int):
    station, grant = selectors.station_and_grant_for(request.user, workstation_pk)
    figures = selectors.statement_for(grant)
    # the spending's rows with their category and documents (not their grant, station and unit again: the page has
    # them), each row's cells as text; no recoveries to look for when the kept sum due back is nil
    spending = selectors.statement_expenditures(grant)
    links = notifications.urls("funding:expenditure_detail", [e.pk for e in spending])
    document = reverse("funding:expenditure_document", args=[1, 2]).rsplit("/1/documents/2/", 1)[0]  # reversed once
    states = dict(ExpenditureState.choices)
    expenditures = [{
        "url": links[e.pk], "on": f"{e.spent_on:%Y-%m-%d}", "category": e.category.label, "amount": yuan(e.amount),
        "description": Truncator(e.description).chars(60), "state": e.state, "state_label": states[e.state],
        "documents": [(f"{document}/{e.pk}/documents/{pk}/", name) for pk, name in e.document_list or ()],
    } for e in spending]
    recoveries = selectors.recoveries_for(request.user).filter(grant=grant) if grant.recovery_due else []
    tranches = _tranche_rows(request.user, station, figures.tranches)
    can_record = can_record_expenditure(request.user, station)
    return render(request, "funding/statement.html", {
        "station": station, "grant": grant, "s": figures, "tranches": tranches, "expenditures": expenditures,
        "recoveries": recoveries, "chart": bar_chart(figures), "can_record": can_record,
        "account": selectors.shown_account(request.user, station, station.unit.bank_account_number),
    })


def _tranche_rows(user, station, tranches) -> str:
    """The statement's tranches as table rows, written in one pass (escaped): the kind (a link to the tranche for
    the offices that may open it), amount, state, day paid, voucher, account paid to (masked as the person may see
    it) and why it was cancelled."""
    rows, colon = [], mark("：")
    for t in tranches:
        kind = escape(t.get_kind_display())
        if user.role in STAFF:  # tranche_detail's readers
            kind = f'<a href="{escape(t.get_absolute_url())}">{kind}</a>'
        cancelled = (f"{escape(t.get_cancel_event_display())}{colon}{escape(t.cancel_reason)}"
                     if t.cancel_reason else "")
        rows.append(f'<tr>\n  <td>{kind}</td>\n  <td class="text-end">{yuan(t.amount)}</td>'
                    f'<td>{badge(t.state, t.get_state_display())}</td>\n'
                    f'  <td>{f"{t.disbursed_on:%Y-%m-%d}" if t.disbursed_on else ""}</td>'
                    f'<td>{escape(t.voucher_number)}</td>'
                    f'<td>{escape(selectors.shown_account(user, station, t.paid_account_number))}</td>\n'
                    f'  <td>{cancelled}</td></tr>\n')
    return mark_safe("".join(rows))  # noqa: S308 -- every text escaped


def workstation_panel(request, station) -> str:
    """The funding panel on the core workstation page (registered in apps.py)."""
    grant = selectors.grants_for(request.user).filter(workstation=station).first()
    if grant is None:
        return ""
    return render_to_string("funding/_panel.html", {"s": selectors.statement_for(grant), "station": station},
                            request=request)


# --- Tranches --------------------------------------------------------------------------------------------

@role_required(*STAFF)
@require_GET
def tranche_list(request):
    default = TrancheState.SCHEDULED if request.user.role == Role.HR else TrancheState.APPROVED
    state, state_error = state_filter(request, TrancheState, default)
    qs = selectors.tranches_for(request.user).order_by("scheduled_at", "pk")
    if state:
        qs = qs.filter(state=state)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(grant__workstation__name__icontains=q) | Q(grant__workstation__unit__name__icontains=q)
                       | Q(grant__workstation__plaque_number__icontains=q))
    return render(request, "funding/tranche_list.html", {
        "page": paginate(request, qs), "state": state, "state_error": state_error, "q": q,
        "states": TrancheState.choices})


def _tranche_page(request, tranche, *, disburse_form=None, kept: dict | None = None, status=200):
    """The tranche's page; a refused step (``kept``, access.kept_step) shows again as posted."""
    station = tranche.grant.workstation
    actions = engine.actions(tranche, request.user)
    moves = {a.to: a.move for a in actions if a.is_open}
    if disburse_form is not None and TrancheState.DISBURSED not in moves:
        form_at_top(request, disburse_form)
    disburse_form = disburse_form or DisburseForm(initial={"disbursed_on": timezone.localdate()})
    unit = station.unit
    return render(request, "funding/tranche_detail.html", {
        "tranche": tranche, "station": station, "unit": unit,
        "can_approve": TrancheState.APPROVED in moves, "can_disburse": TrancheState.DISBURSED in moves,
        "can_cancel": TrancheState.CANCELLED in moves,
        "unavailable": [a for a in actions if not a.is_open],
        "disburse_move": TRANSITIONS.get((tranche.state, TrancheState.DISBURSED)),
        "cancel_move": TRANSITIONS.get((tranche.state, TrancheState.CANCELLED)),
        "disburse_fields": render_to_string("includes/form.html", {"form": disburse_form}),
        "unit_account": selectors.shown_account(request.user, station, unit.bank_account_number),
        "paid_account": selectors.shown_account(request.user, station, tranche.paid_account_number),
        **_kept_context(request, kept, tranche, {"disburse": TrancheState.DISBURSED, "cancel": TrancheState.CANCELLED},
                        moves),
    }, status=status)


@role_required(*STAFF)
@require_GET
def tranche_detail(request, pk: int):
    return _tranche_page(request, get_object_or_404(selectors.tranches_for(request.user), pk=pk))


@role_required(Role.HR)
@posted_from("funding:tranche_detail", "pk")
def tranche_approve(request, pk: int):
    tranche = get_object_or_404(selectors.tranches_for(request.user), pk=pk)
    try:
        services.approve_tranche(tranche_id=tranche.pk, actor=request.user)
    except REFUSALS as error:
        refused(request, error)
    else:
        messages.success(request, _("已审批通过，已通知县财政局拨付。"))
    return redirect("funding:tranche_detail", pk=tranche.pk)


@role_required(Role.FINANCE)
@posted_from("funding:tranche_detail", "pk")
def tranche_disburse(request, pk: int):
    tranche = get_object_or_404(selectors.tranches_for(request.user), pk=pk)
    form = DisburseForm(request.POST)
    confirm_error = _confirm_error(request)
    if not form.is_valid():  # the date's rules said on the same try as a missing voucher (and the other way)
        also_refused(form, services.disbursement_errors(tranche, disbursed_on=form.cleaned_data.get("disbursed_on"),
                                                        voucher_number=form.cleaned_data.get("voucher_number", "")))
    if form.errors or confirm_error:
        return _tranche_page(request, tranche, disburse_form=form, status=400,
                             kept=kept_step(request, step="disburse", confirm_error=confirm_error))
    try:
        services.disburse_tranche(tranche_id=tranche.pk, actor=request.user,
                                  disbursed_on=form.cleaned_data["disbursed_on"],
                                  voucher_number=form.cleaned_data["voucher_number"])
    except REFUSALS as error:
        errors_to_form(form, error)
        tranche.refresh_from_db()  # paid meanwhile (a second tab, a colleague): the page as it now stands
        return _tranche_page(request, tranche, disburse_form=form, status=400)
    messages.success(request, _("已登记拨付。"))
    return redirect("funding:tranche_detail", pk=tranche.pk)


@role_required(Role.HR)
@posted_from("funding:tranche_detail", "pk")
def tranche_cancel(request, pk: int):
    tranche = get_object_or_404(selectors.tranches_for(request.user), pk=pk)
    confirm_error = _confirm_error(request)
    if confirm_error:
        return _tranche_page(request, tranche, kept=kept_step(request, step="cancel", confirm_error=confirm_error),
                             status=400)
    try:
        services.cancel_tranche(tranche_id=tranche.pk, actor=request.user, reason=request.POST.get("reason", ""))
    except REFUSALS as error:
        tranche.refresh_from_db()
        return _tranche_page(request, tranche, kept=kept_step(request, error, step="cancel", reason_required=True),
                             status=400)
    messages.success(request, _("该笔资金已取消拨付。"))
    return redirect("funding:tranche_detail", pk=tranche.pk)


# --- Expenditures ----------------------------------------------------------------------------------------

@role_required(Role.UNIT, *STAFF)
@require_GET
def expenditure_list(request):
    qs = selectors.expenditures_for(request.user).order_by("-spent_on", "-pk")
    state, state_error = state_filter(request, ExpenditureState)
    if state:
        qs = qs.filter(state=state)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(grant__workstation__name__icontains=q) | Q(grant__workstation__unit__name__icontains=q)
                       | Q(description__icontains=q))
    grants = selectors.grants_for(request.user) if request.user.role == Role.UNIT else None
    return render(request, "funding/expenditure_list.html", {
        "page": paginate(request, qs), "state": state, "state_error": state_error, "q": q,
        "states": ExpenditureState.choices,
        "grants": grants})


@role_required(Role.UNIT)
@require_http_methods(["GET", "POST"])
def expenditure_create(request, workstation_pk: int):
    station = get_object_or_404(workstations_for(request.user), pk=workstation_pk)
    grant = get_object_or_404(selectors.grants_for(request.user), workstation=station)
    form = ExpenditureForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not form.is_valid():  # the service's checks said on the same try
        data = form.cleaned_data
        also_refused(form, services.expenditure_errors(
            grant, spent_on=data.get("spent_on"), category=data.get("category"), amount=data.get("amount"),
            description=(data.get("description") or "").strip(), documents=data.get("documents") or []))
    if request.method == "POST" and not form.errors:
        data = form.cleaned_data
        try:
            expenditure = services.record_expenditure(
                workstation_id=station.pk, actor=request.user, spent_on=data["spent_on"], category=data["category"],
                amount=data["amount"], description=data["description"], documents=data["documents"])
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("支出已登记。"))
            return redirect("funding:statement", workstation_pk=expenditure.grant.workstation_id)
    return render(request, "funding/expenditure_form.html", {
        "form": form, "station": station, "s": selectors.statement_for(grant)},
        status=400 if form.is_bound and form.errors else 200)


def _expenditure_page(request, expenditure, *, uphold_form=None, kept: dict | None = None, status=200):
    """The expenditure's page; a refused step (``kept``, access.kept_step) shows again as posted."""
    actions = engine.actions(expenditure, request.user)
    moves = {a.to: a.move for a in actions if a.is_open}
    uphold_form = uphold_form or UpholdForm(initial={"recovery_amount": expenditure.amount})
    return render(request, "funding/expenditure_detail.html", {
        "e": expenditure, "station": expenditure.grant.workstation, "documents": expenditure.documents.all(),
        "question_move": moves.get(ExpenditureState.QUESTIONED),
        "clear_move": moves.get(ExpenditureState.CLEARED),
        "misuse_move": moves.get(ExpenditureState.MISUSE),
        "uphold_fields": render_to_string("includes/form.html", {"form": uphold_form}),
        "recoveries": expenditure.recoveries.all(),
        "unavailable": [a for a in actions if not a.is_open],
        **_kept_context(request, kept, expenditure, {"question": ExpenditureState.QUESTIONED,
                                                     "clear": ExpenditureState.CLEARED,
                                                     "uphold": ExpenditureState.MISUSE}, moves),
    }, status=status)


@role_required(Role.UNIT, *STAFF)
@require_GET
def expenditure_detail(request, pk: int):
    return _expenditure_page(request, get_object_or_404(selectors.expenditures_for(request.user), pk=pk))


@role_required(*STAFF)
@posted_from("funding:expenditure_detail", "pk")
def expenditure_question(request, pk: int):
    expenditure = get_object_or_404(selectors.expenditures_for(request.user), pk=pk)
    return _expenditure_step(request, expenditure, services.question_expenditure, _("已提出疑问，已通知单位说明。"),
                             step="question")


@role_required(*STAFF)
@posted_from("funding:expenditure_detail", "pk")
def expenditure_clear(request, pk: int):
    expenditure = get_object_or_404(selectors.expenditures_for(request.user), pk=pk)
    return _expenditure_step(request, expenditure, services.clear_expenditure, _("已核实无误。"), step="clear")


def _expenditure_step(request, expenditure, service, done: str, *, step: str):
    """疑问 or 核实无误, with the reason typed; refused, the page again with the reason kept, the message at it."""
    try:
        service(expenditure_id=expenditure.pk, actor=request.user, reason=request.POST.get("reason", ""))
    except REFUSALS as error:
        expenditure.refresh_from_db()
        return _expenditure_page(request, expenditure, status=400,
                                 kept=kept_step(request, error, step=step, reason_required=True))
    messages.success(request, done)
    return redirect("funding:expenditure_detail", pk=expenditure.pk)


@role_required(Role.HR)
@posted_from("funding:expenditure_detail", "pk")
def expenditure_uphold(request, pk: int):
    expenditure = get_object_or_404(selectors.expenditures_for(request.user), pk=pk)
    form = UpholdForm(request.POST)
    confirm_error = _confirm_error(request)
    if not form.is_valid() or confirm_error:
        return _expenditure_page(request, expenditure, uphold_form=form, status=400,
                                 kept=kept_step(request, step="uphold", confirm_error=confirm_error))
    try:
        recovery = services.uphold_misuse(expenditure_id=expenditure.pk, actor=request.user,
                                          reason=request.POST.get("reason", ""),
                                          recovery_amount=form.cleaned_data["recovery_amount"])
    except REFUSALS as error:
        if hasattr(error, "error_dict"):  # the amount's: at its field, the reason kept
            errors_to_form(form, error)
            error = None
        expenditure.refresh_from_db()
        return _expenditure_page(request, expenditure, uphold_form=form, status=400,
                                 kept=kept_step(request, error, step="uphold", reason_required=True))
    messages.success(request, _("已认定违规使用：工作站称号已撤销，未拨付资金已取消，应追回金额已登记。"))
    return redirect("funding:recovery_detail", pk=recovery.pk)


@login_required
@require_GET
def expenditure_document(request, pk: int, document_pk: int):
    document = get_object_or_404(selectors.documents_for(request.user), pk=document_pk, expenditure_id=pk)
    return document.response()


# --- Recoveries ------------------------------------------------------------------------------------------

@role_required(*STAFF)
@require_GET
def recovery_list(request):
    state, state_error = state_filter(request, RecoveryState, RecoveryState.PENDING)
    qs = selectors.recoveries_for(request.user).order_by("-decided_at", "-pk")
    if state:
        qs = qs.filter(state=state)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(grant__workstation__name__icontains=q) | Q(grant__workstation__unit__name__icontains=q))
    return render(request, "funding/recovery_list.html", {
        "page": paginate(request, qs), "state": state, "state_error": state_error, "q": q,
        "states": RecoveryState.choices})


def _recovery_page(request, recovery, *, form=None, confirm_error: str = "", status=200):
    actions = engine.actions(recovery, request.user)
    moves = {a.to: a.move for a in actions if a.is_open}
    if form is not None and RecoveryState.RECOVERED not in moves:
        form_at_top(request, form)
        if confirm_error:  # refused for the box alone (the service not asked): why the step is gone
            step_gone(request, recovery, RecoveryState.RECOVERED)
    form = form or RecoveredForm(initial={"recovered_on": timezone.localdate()})
    return render(request, "funding/recovery_detail.html", {
        "r": recovery, "station": recovery.grant.workstation,
        "recovered_move": moves.get(RecoveryState.RECOVERED),
        "unavailable": [a for a in actions if not a.is_open],
        "recovered_fields": render_to_string("includes/form.html", {"form": form}),
        "recovered_confirm_error": confirm_error,
    }, status=status)


@login_required
@require_GET
def recovery_detail(request, pk: int):
    if request.user.role not in (Role.UNIT, *STAFF):
        raise PermissionDenied
    return _recovery_page(request, get_object_or_404(selectors.recoveries_for(request.user), pk=pk))


@role_required(Role.FINANCE)
@posted_from("funding:recovery_detail", "pk")
def recovery_recovered(request, pk: int):
    recovery = get_object_or_404(selectors.recoveries_for(request.user), pk=pk)
    form = RecoveredForm(request.POST)
    confirm_error = _confirm_error(request)
    if not form.is_valid() or confirm_error:
        return _recovery_page(request, recovery, form=form, confirm_error=confirm_error, status=400)
    try:
        services.mark_recovered(recovery_id=recovery.pk, actor=request.user,
                                recovered_on=form.cleaned_data["recovered_on"],
                                voucher_number=form.cleaned_data["voucher_number"])
    except REFUSALS as error:
        errors_to_form(form, error)
        recovery.refresh_from_db()  # recorded meanwhile: the page as it now stands
        return _recovery_page(request, recovery, form=form, status=400)
    messages.success(request, _("已登记追回。"))
    return redirect("funding:recovery_detail", pk=recovery.pk)


