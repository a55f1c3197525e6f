"""The 年度评估申请表: the unit fills and submits it; HR returns it and assigns experts; others read it."""


from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from qinshui_station.access import (
    REFUSALS,
    confirmed,
    errors_to_form,
    kept_at_top,
    kept_step,
    paginate,
    posted_from,
    refusal_messages,
    refused,
    role_required,
)
from qinshui_station.prepared import Person, Rows
from qinshui_station.punctuation import listed
from qinshui_station.roles import Role
from reviews import selectors, services
from reviews.forms import AssignForm, AttachmentForm, EvaluationForm
from reviews.models import Assignment
from reviews.reads import together
from reviews.sheets import Rubric
from reviews.views.common import number_input, transition_steps
from reviews.workflow import EvaluationState, can_assign_experts, can_edit_evaluation, can_unassign

READERS = (Role.UNIT, Role.DEPARTMENT, Role.HR, Role.FINANCE, Role.ORG_DEPT)


@role_required(*READERS)
def evaluation_list(request):
    qs = selectors.evaluations_for(request.user).exclude(state=EvaluationState.WITHDRAWN)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(workstation__name__icontains=q) | Q(workstation__unit__name__icontains=q))
    qs = qs.order_by("-round__year", "workstation__plaque_number")
    return render(request, "reviews/evaluation_list.html", {"page": paginate(request, qs), "q": q})


def rubric_rows(rubric: Rubric, *, self_scores: dict, claimed: dict, assessed: dict | None = None, form=None,
                count_label=None):
    """The rubric grouped by category for a page: each item with its self-score, counts and inputs, and the
    labels written once here (「名称（满分分）」, the claimed counts joined) rather than per row in the template.
    With ``form``, each field's input is written here (``number_input``); a count's label is
    ``count_label(rule, claimed)``, else the rule's label."""
    def count_input(rule, n):
        if form is None:
            return None
        return number_input(form[f"count_{rule.pk}"], count_label(rule, n) if count_label else rule.label)

    rows = []
    items_of: dict[int, list] = {}
    for item in rubric.items:
        items_of.setdefault(item.category_id, []).append(item)
    for category in rubric.categories:
        items = []
        for item in items_of.get(category.pk, ()):
            rules = [{"rule": r, "claimed": claimed.get(r.pk, 0), "input": count_input(r, claimed.get(r.pk, 0))}
                     for r in rubric.rules_by_item.get(item.pk, [])]
            items.append({"item": item, "label": rubric.label(item), "self": self_scores.get(item.pk), "rules": rules,
                          "claims": listed((f"{r['rule'].label} {r['claimed']}" for r in rules), "；"),
                          "assessed": (assessed or {}).get(item.pk),
                          "input": number_input(form[f"item_{item.pk}"])
                          if form is not None and not item.is_counted else None})
        rows.append({"category": category, "label": rubric.label(category), "items": items})
    bonus = [{"rule": r, "claimed": claimed.get(r.pk, 0), "input": count_input(r, claimed.get(r.pk, 0))}
             for r in rubric.bonus_rules]
    return rows, bonus


def sheet_table_rows(rows, *, show_assessed: bool) -> str:
    """The read-only sheet's item rows (reviews/_sheet_table.html) as HTML in one pass: a category's name spans
    its items, each item with its claimed counts, self-score and (``show_assessed``) the experts' mean; every text
    escaped (two dozen rows of a few cells cost ~1 ms through the template language)."""
    dash, parts = "—", []
    for group in rows:
        head = f'<th scope="rowgroup" rowspan="{len(group["items"])}">{escape(group["label"])}</th>'
        for row in group["items"]:
            claims = f'<div class="small text-muted">{escape(row["claims"])}</div>' if row["rules"] else ""
            values = [row["self"]] + ([row["assessed"]] if show_assessed else [])
            cells = "".join(f'<td class="text-end">{dash if v is None else escape(localize(v))}</td>' for v in values)
            parts.append(f'<tr>\n  {head}\n  <td>{escape(row["label"])}{claims}</td>\n  {cells}\n</tr>')
            head = ""
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped


def _expert_options(options, chosen: str = "") -> str:
    """AssignForm's ``<option>``s after the empty one, written by a plain loop (60 experts; escaped); ``chosen``:
    the expert of a refused assignment, selected again."""
    return mark_safe("".join(  # noqa: S308 -- labels escaped
        f'<option value="{pk}"{" selected" if str(pk) == chosen else ""}>{escape(label)}</option>'
        for pk, label in options))


def _sheet_context(rubric, values, *, form=None):
    rows, bonus = rubric_rows(rubric, self_scores=values.self_scores, claimed=values.claimed,
                              assessed=values.assessed, form=form)
    return {"rubric": rubric, "rows": rows, "bonus_rows": bonus,
            "bonus_claims": listed((f"{b['rule'].label} {b['claimed']}" for b in bonus), "；")}


@role_required(*READERS)
def evaluation_detail(request, pk: int):
    return _detail_page(request, _EVALUATION.get_or_404(user=request.user, pk=pk))


_EVALUATION = Rows(lambda *, user, pk: selectors.evaluations_for(user).filter(pk=pk)[:1], user=Person, pk=int)


def _detail_page(request, evaluation, *, kept: dict | None = None, assign_kept: dict | None = None,
                 status: int = 200):
    """The evaluation's page; ``kept``: a refused move as posted (the reason typed, the message at its field),
    shown again in its step — at the top of the page if the step is no longer offered; ``assign_kept``: a refused
    assignment (the expert chosen, the message), shown at the expert's select."""
    user = request.user
    show_assessed = user.role in (Role.HR, Role.ORG_DEPT, Role.FINANCE) or evaluation.state == EvaluationState.GRADED
    can_assign = can_assign_experts(user, evaluation)  # the service's own guard
    # the rubric, the sheet's values, the evidence and ledger and (HR) the panel in one round trip
    reads = [Rubric.read(evaluation.round.rubric), selectors.sheet_values_read(evaluation, with_assessed=show_assessed),
             selectors.evaluation_files_read(evaluation)]
    if user.role == Role.HR:
        reads.append(selectors.evaluation_experts_read(evaluation, with_options=can_assign))
    rubric, values, files, *panel = together(*reads)
    context = {"evaluation": evaluation, "show_assessed": show_assessed, **files, **_sheet_context(rubric, values),
               "return_reason": selectors.return_reason(evaluation)}
    context["sheet_rows"] = sheet_table_rows(context["rows"], show_assessed=show_assessed)
    if not evaluation.round.is_finalized:
        context["steps"], context["unavailable"] = transition_steps(
            evaluation, user, action=reverse("reviews:evaluation_transition", args=[evaluation.pk]),
            slug=f"evaluation-{evaluation.pk}", targets=(EvaluationState.SUBMITTED, EvaluationState.RETURNED),
            kept=kept)
    if kept and not any(step["slug"].endswith(f"-{kept['step']}") for step in context.get("steps", ())):
        kept_at_top(request, kept, evaluation, kept["step"])
    context["can_edit"] = can_edit_evaluation(user, evaluation)
    if user.role == Role.HR:
        assigned, options = panel[0]
        context["assignments"] = [{"assignment": a, "name": name, "organization": organization,
                                   "removable": can_unassign(user, a)} for a, name, organization in assigned]
        # AssignForm's select, written by a plain loop in the template; posted to AssignForm
        assign_kept = assign_kept or {}
        context["expert_options"] = _expert_options(options, assign_kept.get("expert", "")) if can_assign else None
        context["assign_error"] = assign_kept.get("error", "")
        if context["assign_error"] and not can_assign:  # the form is no longer offered: said at the top
            messages.error(request, context["assign_error"])
    return render(request, "reviews/evaluation_detail.html", context, status=status)


def _evaluation_form(evaluation, rubric, data=None) -> EvaluationForm:
    initial = {"contact_person": evaluation.contact_person, "contact_title": evaluation.contact_title,
               "contact_phone": evaluation.contact_phone, "work_summary": evaluation.work_summary}
    initial.update({f"item_{k}": v for k, v in evaluation.self_scores.values_list("item_id", "points")})
    initial.update({f"count_{k}": v for k, v in evaluation.claimed_counts.values_list("rule_id", "count")})
    return EvaluationForm(data, rubric=rubric, initial=initial)


@role_required(Role.UNIT)
def evaluation_edit(request, pk: int):
    evaluation = get_object_or_404(selectors.evaluations_for(request.user), pk=pk)
    if not can_edit_evaluation(request.user, evaluation):
        messages.error(request, _("申请表已提交，不能修改。"))
        return redirect(evaluation)
    rubric = Rubric.load(evaluation.round.rubric)
    form = _evaluation_form(evaluation, rubric, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_evaluation_form(
                actor=request.user, evaluation_id=evaluation.pk, self_points=form.self_points(), claimed=form.counts(),
                **{k: form.cleaned_data[k] for k in ("contact_person", "contact_title", "contact_phone",
                                                     "work_summary")})
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("申请表已保存。"))
            return redirect("reviews:evaluation_edit", pk=evaluation.pk)
    return _edit_page(request, evaluation, form=form, attachment_form=AttachmentForm(rubric=rubric),
                      status=400 if request.method == "POST" else 200)


def _edit_page(request, evaluation, *, form, attachment_form, status: int = 200):
    context = {"evaluation": evaluation, "form": form, "attachment_form": attachment_form,
               "return_reason": selectors.return_reason(evaluation), **selectors.evaluation_files(evaluation)}
    context.update(_sheet_context(Rubric.load(evaluation.round.rubric), selectors.sheet_values(evaluation), form=form))
    return render(request, "reviews/evaluation_form.html", context, status=status)


@role_required(Role.UNIT, Role.HR)
@posted_from("reviews:evaluation_detail", "pk")
def evaluation_transition(request, pk: int):
    evaluation = get_object_or_404(selectors.evaluations_for(request.user), pk=pk)
    to = request.POST.get("to", "")
    if to not in (EvaluationState.SUBMITTED, EvaluationState.RETURNED):
        messages.error(request, _("无效的操作。"))
        return redirect(evaluation)
    if not confirmed(request):
        return _detail_page(request, evaluation, status=400,
                            kept=kept_step(request, step=to, confirm_error=_("请勾选确认后再提交。")))
    try:
        services.evaluation_transition(evaluation_id=evaluation.pk, actor=request.user, to=to,
                                       reason=request.POST.get("reason", ""))
    except REFUSALS as error:
        evaluation.refresh_from_db()
        return _detail_page(request, evaluation, status=400,
                            kept=kept_step(request, error, step=to, reason_required=to == EvaluationState.RETURNED))
    messages.success(request, _("已办理：%(state)s。") % {"state": EvaluationState(to).label})
    return redirect(evaluation)


@role_required(Role.UNIT)
@posted_from("reviews:evaluation_edit", "pk")
def attachment_add(request, pk: int):
    evaluation = get_object_or_404(selectors.evaluations_for(request.user), pk=pk)
    rubric = Rubric.load(evaluation.round.rubric)
    form = AttachmentForm(request.POST, request.FILES, rubric=rubric)
    if form.is_valid():
        item_id, rule_id = form.target_ids()
        try:
            services.add_evaluation_attachment(actor=request.user, evaluation_id=evaluation.pk,
                                               uploaded=form.cleaned_data["file"], item_id=item_id, rule_id=rule_id,
                                               note=form.cleaned_data["note"])
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("佐证材料已上传。"))
            return redirect("reviews:evaluation_edit", pk=evaluation.pk)
    # Refused: the page again, the upload form holding its note and target with the error at its field.
    return _edit_page(request, evaluation, form=_evaluation_form(evaluation, rubric), attachment_form=form, status=400)


def _attachment_page(request, pk: int) -> str:
    return reverse("reviews:evaluation_edit", args=[selectors.attachment_for(request.user, pk).evaluation_id])


@role_required(Role.UNIT)
@posted_from(_attachment_page)
def attachment_remove(request, pk: int):
    attachment = selectors.attachment_for(request.user, pk)
    try:
        services.remove_evaluation_attachment(actor=request.user, attachment_id=attachment.pk)
        messages.success(request, _("已删除。"))
    except REFUSALS as error:
        refused(request, error)
    return redirect("reviews:evaluation_edit", pk=attachment.evaluation_id)


@role_required(*READERS, Role.EXPERT)
def attachment_file(request, pk: int):
    return selectors.attachment_for(request.user, pk).response()


@role_required(Role.HR)
@posted_from("reviews:evaluation_detail", "pk")
def assign(request, pk: int):
    evaluation = get_object_or_404(selectors.evaluations_for(request.user), pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        error = _("请选择评审专家。")
    else:
        try:
            services.assign_expert(actor=request.user, evaluation_id=evaluation.pk,
                                   expert_id=form.cleaned_data["expert"].pk)
        except REFUSALS as refusal:
            error = " ".join(refusal_messages(refusal))
            evaluation.refresh_from_db()  # withdrawn or graded meanwhile: the page as it now stands
        else:
            messages.success(request, _("已分配专家。"))
            return redirect(evaluation)
    # refused: the page again, the expert still chosen and the reason at the select
    return _detail_page(request, evaluation, status=400,
                        assign_kept={"expert": request.POST.get("expert", ""), "error": error})


def _assignment_page(request, pk: int) -> str:
    return reverse("reviews:evaluation_detail", args=[get_object_or_404(
        Assignment.objects.filter(evaluation__in=selectors.evaluations_for(request.user)), pk=pk).evaluation_id])


@role_required(Role.HR)
@posted_from(_assignment_page)
def unassign(request, pk: int):
    assignment = get_object_or_404(Assignment.objects.filter(evaluation__in=selectors.evaluations_for(request.user)),
                                   pk=pk)
    try:
        services.unassign_expert(actor=request.user, assignment_id=assignment.pk)
        messages.success(request, _("已撤回分配。"))
    except REFUSALS as error:
        refused(request, error)
    return redirect("reviews:evaluation_detail", pk=assignment.evaluation_id)
