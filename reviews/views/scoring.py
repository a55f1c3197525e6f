"""An expert's assignments and scoring sheet (works on a phone: one column, no tables)."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from qinshui_station.access import (
    REFUSALS,
    confirmed,
    errors_to_form,
    paginate,
    posted_from,
    refused,
    role_required,
    state_filter,
)
from qinshui_station.prepared import Person, Rows
from qinshui_station.roles import Role
from reviews import selectors, services
from reviews.forms import ScoreForm
from reviews.reads import together
from reviews.sheets import Rubric
from reviews.views.evaluations import rubric_rows
from reviews.workflow import ASSIGNMENT_TRANSITIONS, AssignmentState, can_score, scoring_guard


@role_required(Role.EXPERT)
def assignment_list(request):
    qs = selectors.assignments_for(request.user).order_by("state", "-evaluation__round__year", "pk")
    q, (state, state_error) = request.GET.get("q", "").strip(), state_filter(request, AssignmentState)
    if q:
        qs = qs.filter(Q(evaluation__workstation__name__icontains=q) | Q(evaluation__workstation__unit__name__icontains=q))
    if state:
        qs = qs.filter(state=state)
    return render(request, "reviews/assignment_list.html", {"page": paginate(request, qs), "q": q, "state": state,
                                                            "state_error": state_error,
                                                            "states": AssignmentState.choices})


@role_required(Role.EXPERT)
def score(request, pk: int):
    assignment = _SHEET_ASSIGNMENT.get_or_404(user=request.user, pk=pk)
    page = _ScorePage(request, assignment)
    if page.has_sheet and page.editable and page.save():
        messages.success(request, _("评分已保存。"))
        return redirect(assignment)
    return page.render()


@role_required(Role.EXPERT)
@posted_from("reviews:score", "pk")
def score_submit(request, pk: int):
    """提交评分 posts the whole sheet: what is typed is saved first (kept even when the submission is refused),
    then submitted; a refusal shows the sheet again with each missing item marked where it is."""
    assignment = _SHEET_ASSIGNMENT.get_or_404(user=request.user, pk=pk)
    page = _ScorePage(request, assignment)
    if not page.editable:
        return page.render()
    has_sheet = page.has_sheet
    if has_sheet and not page.save():
        return page.render()
    if not confirmed(request):
        page.confirm_error = _("请勾选确认后再提交。")
        if has_sheet:
            messages.success(request, _("评分已保存，尚未提交。"))
        return page.render()
    try:
        services.submit_expert_scores(actor=request.user, assignment_id=assignment.pk)
    except REFUSALS as error:
        page.refused(error)
        return page.render()
    messages.success(request, _("评分已提交。"))
    return redirect(assignment)


def _sheet_assignments(user):
    """The expert's assignments with what the scoring sheet shows and checks (the round, its rubric, the station's
    name); not the expert's own record nor the unit (the list page's joins)."""
    return selectors.assignments_for(user).select_related(None).select_related("evaluation__round__rubric",
                                                                               "evaluation__workstation")


_SHEET_ASSIGNMENT = Rows(lambda *, user, pk: _sheet_assignments(user).filter(pk=pk)[:1], user=Person, pk=int)


class _ScorePage:
    """The scoring sheet of one assignment: its form (bound to what was posted, else the saved sheet) and the
    page around it."""

    def __init__(self, request, assignment):
        self.request, self.assignment = request, assignment
        evaluation = self.evaluation = assignment.evaluation
        # the rubric, the sheet's values and what the page shows beside them in one round trip
        self.rubric, self.values, self.files = together(
            Rubric.read(evaluation.round.rubric), selectors.sheet_values_read(evaluation, assignment=assignment),
            selectors.evaluation_files_read(evaluation))
        rubric, values = self.rubric, self.values
        self.mine, self.accepted, self.claimed = values.mine, values.accepted, values.claimed
        # Counts start from what the unit claimed; the expert accepts or corrects them.
        initial = {f"item_{k}": v for k, v in self.mine.items()}
        initial.update({f"count_{r.pk}": self.accepted.get(r.pk, self.claimed.get(r.pk, 0)) for r in rubric.rules})
        self.editable = can_score(request.user, assignment)
        names = [f"item_{i.pk}" for i in rubric.judged_items] + [f"count_{r.pk}" for r in rubric.rules]
        self.has_sheet = request.method == "POST" and any(name in request.POST for name in names)
        self.form = ScoreForm(request.POST if self.has_sheet else None, rubric=rubric, initial=initial)
        if not self.editable:
            for field in self.form.fields.values():
                field.disabled = True
        self.confirm_error = ""

    def save(self) -> bool:
        """Saves what is typed; False (errors on the form, the typed values kept) when it cannot."""
        if not self.form.is_valid():
            return False
        try:
            services.save_expert_scores(actor=self.request.user, assignment_id=self.assignment.pk,
                                        points=self.form.points(), counts=self.form.counts())
        except REFUSALS as error:
            errors_to_form(self.form, error)
            return False
        values = selectors.sheet_values(self.evaluation, assignment=self.assignment)
        self.mine, self.accepted = values.mine, values.accepted
        return True

    def refused(self, error) -> None:
        errors_to_form(self.form, error)

    def render(self):
        assignment, evaluation, rubric, form = self.assignment, self.evaluation, self.rubric, self.form
        status = 400 if self.request.method == "POST" else 200  # a sheet posted comes back here only refused
        if self.request.method == "POST" and not self.editable:
            # a sheet posted to that can no longer be changed (handed in from another tab, the round finalized or
            # the form returned meanwhile): the sheet as it stands, the guard's reason at the top of the page
            try:
                scoring_guard(self.request.user, assignment)
            except REFUSALS as error:
                refused(self.request, error)
        rows, bonus = rubric_rows(rubric, self_scores=self.values.self_scores, claimed=self.claimed, form=form,
                                  count_label=lambda rule, n: _("%(label)s（单位申报%(n)s）") % {"label": rule.label, "n": n})
        for category in rows:
            for row in category["items"]:
                row["mine"] = self.mine.get(row["item"].pk)
        move = ASSIGNMENT_TRANSITIONS[(AssignmentState.ASSIGNED, AssignmentState.SUBMITTED)]
        context = {"assignment": assignment, "evaluation": evaluation, "form": form, "sheet": _sheet_html(rows),
                   "bonus_rows": bonus, "editable": self.editable, "move": move,
                   "mine_total": sum(self.mine.values()) if self.mine else None,
                   "bonus_mine": rubric.bonus(self.accepted) if self.accepted else None,
                   "confirm_error": self.confirm_error,
                   "others": selectors.scores_visible_to(self.request.user, assignment),
                   **self.files}
        return render(self.request, "reviews/score.html", context, status=status)


def _sheet_html(rows) -> str:
    """The sheet's categories as fieldsets, each item with its label, the unit's self-score, the points its
    accepted counts give (a counted item) and its inputs (``rubric_rows`` wrote them), in one pass instead of a
    dozen template nodes per item; every text from the data escaped."""
    self_label, counted_label, dash = _("单位自评"), _("按认定数量计算"), "—"  # translations, as {% trans %} writes them

    def shown(value) -> str:
        return dash if value is None else escape(localize(value))

    def item(row) -> str:
        counted = (f' <span class="badge text-bg-light border">{counted_label} {shown(row["mine"])}</span>'
                   if row["item"].is_counted else "")
        inputs = (f'{row["input"]}\n      ' if row["input"] else
                  '<div class="row g-2">' + "".join(f'<div class="col-6">{r["input"]}</div>' for r in row["rules"])
                  + "</div>")
        return (f'<div class="border-top pt-2 mt-2 score-item" data-item="{escape(row["item"].code)}">\n'
                f'      <p class="mb-1 text-break">{escape(row["label"])}</p>\n'
                f'      <p class="small mb-1"><span class="badge text-bg-light border">{self_label} '
                f'{shown(row["self"])}</span>{counted}</p>\n      {inputs}\n    </div>')

    return mark_safe("".join(  # noqa: S308 -- every text escaped; the inputs are number_input's (escaped)
        f'<fieldset class="card card-body p-2 p-sm-3 mb-3">\n    <legend class="h6">{escape(group["label"])}</legend>'
        f'\n    {"".join(item(row) for row in group["items"])}\n  </fieldset>' for group in rows))
