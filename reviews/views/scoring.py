"""An expert's assignments and scoring sheet (works on a phone: one column, no tables)."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinshui_station.access import REFUSALS, confirmed, errors_to_form, paginate, refused, role_required
from qinshui_station.roles import Role
from reviews import selectors, services
from reviews.forms import ScoreForm
from reviews.sheets import Rubric
from reviews.views.evaluations import rubric_rows
from reviews.workflow import ASSIGNMENT_TRANSITIONS, AssignmentState, can_score


@role_required(Role.EXPERT)
def assignment_list(request):
    qs = selectors.assignments_for(request.user).order_by("state", "-evaluation__round__year", "pk")
    q, state = request.GET.get("q", "").strip(), request.GET.get("state", "")
    if q:
        qs = qs.filter(Q(evaluation__workstation__name__icontains=q) | Q(evaluation__workstation__unit__name__icontains=q))
    if state in AssignmentState.values:
        qs = qs.filter(state=state)
    return render(request, "reviews/assignment_list.html", {"page": paginate(request, qs), "q": q, "state": state,
                                                            "states": AssignmentState.choices})


@role_required(Role.EXPERT)
def score(request, pk: int):
    assignment = get_object_or_404(selectors.assignments_for(request.user), pk=pk)
    evaluation = assignment.evaluation
    rubric = Rubric.load(evaluation.round.rubric)
    mine = dict(assignment.scores.values_list("item_id", "points"))
    accepted = dict(assignment.accepted_counts.values_list("rule_id", "count"))
    claimed = dict(evaluation.claimed_counts.values_list("rule_id", "count"))
    # Counts start from what the unit claimed; the expert accepts or corrects them.
    initial = {f"item_{k}": v for k, v in mine.items()}
    initial.update({f"count_{r.pk}": accepted.get(r.pk, claimed.get(r.pk, 0)) for r in rubric.rules})
    editable = can_score(request.user, assignment)
    form = ScoreForm(request.POST or None, rubric=rubric, initial=initial)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.save_expert_scores(actor=request.user, assignment_id=assignment.pk, points=form.points(),
                                        counts=form.counts())
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("评分已保存。"))
            return redirect(assignment)
    rows, bonus = rubric_rows(rubric, self_scores=dict(evaluation.self_scores.values_list("item_id", "points")),
                              claimed=claimed, form=form)
    for category in rows:
        for row in category["items"]:
            row["mine"] = mine.get(row["item"].pk)
    move = ASSIGNMENT_TRANSITIONS[(AssignmentState.ASSIGNED, AssignmentState.SUBMITTED)]
    context = {"assignment": assignment, "evaluation": evaluation, "form": form, "rows": rows, "bonus_rows": bonus,
               "editable": editable, "move": move, "mine_total": sum(mine.values()) if mine else None,
               "bonus_mine": rubric.bonus(accepted) if accepted else None,
               "others": selectors.scores_visible_to(request.user, assignment),
               "attachments": selectors.evaluation_attachments(evaluation),
               "ledger": selectors.ledger_for_evaluation(evaluation)}
    return render(request, "reviews/score.html", context)


@require_POST
@role_required(Role.EXPERT)
def score_submit(request, pk: int):
    assignment = get_object_or_404(selectors.assignments_for(request.user), pk=pk)
    if not confirmed(request):
        messages.error(request, _("请勾选确认后再提交。"))
        return redirect(assignment)
    try:
        services.submit_expert_scores(actor=request.user, assignment_id=assignment.pk)
    except REFUSALS as error:
        refused(request, error)
        return redirect(assignment)
    messages.success(request, _("评分已提交。"))
    return redirect(assignment)
