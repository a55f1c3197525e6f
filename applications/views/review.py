"""The expert panel: HR assigns experts and records the collective conclusion; each expert records the
document review, the site visit (with photos) and an opinion on their own assignments only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications import services, workflow
from applications.forms import AssignExpertForm, ExpertReviewForm, PanelConclusionForm, PhotoForm
from applications.models import ExpertAssignment
from applications.selectors import applications_for, assignments_for, batches_for, photos_for
from qinshui_station import access
from qinshui_station.access import (
    REFUSALS,
    errors_to_form,
    paginate,
    posted_from,
    refusal_messages,
    refused,
    role_required,
)
from qinshui_station.punctuation import listed
from qinshui_station.roles import Role

PLACE = "at-assign-experts"  # its messages show in the form (includes/messages_at.html), where the person is


def _assign_form_page(request, pk: int) -> str:
    """The page the assignment form was on: the batch's for several applications, else the application's."""
    if request.POST.get("several"):
        return get_object_or_404(applications_for(request.user), pk=pk).batch.get_absolute_url()
    return reverse("applications:detail", args=[pk])


def _assignment(request, assignment_id: int) -> ExpertAssignment:
    """An expert's assignment on an application the person reaches (``applications_for``), else 404."""
    return get_object_or_404(ExpertAssignment.objects.filter(application__in=applications_for(request.user)),
                             pk=assignment_id)


def _assignment_page(request, assignment_id: int) -> str:
    return _assignment(request, assignment_id).application.get_absolute_url()


@role_required(Role.HR)
@posted_from(_assign_form_page)
def assign_expert(request, pk: int):
    """Assigns the experts ticked to the application, or, from the batch page, to every application ticked
    (``application``). All assigned: back to the form it came from, where it was, with what was assigned. A pair
    refused (a conflict of interest, already assigned): the others are assigned, and the form comes back on its
    page with what was assigned said, the refused pairs still ticked and each refusal at the application (or the
    experts) it concerns — 400 if nothing was assigned. A refused form (nothing ticked, an expert no longer on
    the list) comes back the same way, bound: the ticks kept, the message at the fieldset that caused it."""
    app = get_object_or_404(applications_for(request.user), pk=pk)
    form = AssignExpertForm(request.POST, applications=applications_for(request.user))
    if not form.is_valid():
        return _assign_refused(request, app, form)
    back = request.POST.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = app.get_absolute_url()
    # From the batch page, the applications ticked (the one in the address only names the form's target).
    several = form.cleaned_data["several"]
    targets = sorted(form.cleaned_data["application"], key=lambda a: a.pk) if several else [app]
    assigned, refusals = [], []
    for target in targets:
        done = []
        for expert in form.cleaned_data["expert"]:
            try:
                services.assign_expert(actor=request.user, application_id=target.pk, expert_id=expert.pk)
            except REFUSALS as error:
                refusals.append((target, expert, refusal_messages(error)))
            else:
                done.append(expert.full_name)
        if done:
            assigned.append(_("已分配专家：%(experts)s（%(app)s）") % {"experts": listed(done), "app": target})
    # At the form if the page still shows it (an application in expert review); at the top of the page if the
    # application moved on meanwhile (another tab, another person): a message tagged for a form not shown is lost.
    shown = _form_shown(request, app, several=several)
    for text in assigned:
        messages.success(request, text, extra_tags=PLACE if shown else "")
    if refusals and shown:
        form.keep_refused(refusals)
        return _assign_page(request, app, form, status=200 if assigned else 400)
    for target, _expert, reasons in refusals:
        messages.warning(request, _("%(app)s：%(why)s") % {"app": target, "why": listed(reasons, "；")})
    return redirect(f"{back}#assign-experts" if shown else back)


def _form_shown(request, app, *, several: bool) -> bool:
    """Whether the page the form came from still shows it: the application's page while experts may be assigned
    to it (its state read again: the assignments may have been refused because it moved on); the batch page while
    one of the batch's applications is in expert review (the list its form offers)."""
    if several:
        return applications_for(request.user).filter(state=workflow.State.EXPERT_REVIEW, batch_id=app.batch_id).exists()
    return workflow.can_assign_experts(request.user, applications_for(request.user).get(pk=app.pk))


def _assign_refused(request, app, form):
    """A form refused as posted: the page it was on with the form bound; if that page no longer shows the form
    (the application moved on meanwhile), the page with the reason at its top."""
    if not _form_shown(request, app, several=bool(form.data.get("several"))):
        messages.warning(request, _("%(app)s已不在专家评审中，不能再分配专家。") % {"app": app})
        return redirect(app.batch.get_absolute_url() if form.data.get("several") else app.get_absolute_url())
    return _assign_page(request, app, form, status=400)


def _assign_page(request, app, form, *, status: int):
    """The page the assignment form was on (the batch's, or the application's), with the form bound."""
    from applications.views.batches import _batch_page
    from applications.views.filing import detail_page, page_application

    if form.data.get("several"):
        return _batch_page(request, batches_for(request.user, counted=False).get(pk=app.batch_id), assign_form=form, status=status)
    return detail_page(request, page_application(request.user, app.pk), assign_form=form, status=status)


@role_required(Role.HR)
@posted_from(_assignment_page)
def remove_assignment(request, assignment_id: int):
    assignment = _assignment(request, assignment_id)
    try:
        services.remove_assignment(actor=request.user, assignment_id=assignment.pk)
    except REFUSALS as error:
        refused(request, error)
    else:
        messages.success(request, _("已撤销分配：%(expert)s") % {"expert": assignment.expert})
    return redirect(assignment.application)


def _panel_form_refused(request, app, form, error, *, correcting: bool):
    """A refused 集中评议 form: the page again, the form bound with what was typed, errors at their fields."""
    from applications.views.filing import detail_page

    if isinstance(error, ValidationError):
        errors_to_form(form, error)
    elif error is not None:
        form.add_error(None, str(error))
    key = "correction_form" if correcting else "conclusion_form"
    return detail_page(request, app, status=400, **{key: form})


@role_required(Role.HR)
@posted_from("applications:detail", "pk")
def panel_conclusion(request, pk: int):
    return _panel_form(request, pk, correcting=False)


@role_required(Role.HR)
@posted_from("applications:detail", "pk")
def panel_correction(request, pk: int):
    return _panel_form(request, pk, correcting=True)


def _panel_form(request, pk: int, *, correcting: bool):
    """集中评议 recorded (or, before publication, corrected): the one form, refused at its fields."""
    app = get_object_or_404(applications_for(request.user), pk=pk)
    form = PanelConclusionForm(request.POST, app=app, correcting=correcting)
    if not form.is_valid():
        return _panel_form_refused(request, app, form, None, correcting=correcting)
    if not access.confirmed(request):
        form.add_error(None, _("请先勾选确认框，再更正集中评议结论。") if correcting
                       else _("请先勾选确认框，再记录集中评议结论。"))
        return _panel_form_refused(request, app, form, None, correcting=correcting)
    service = services.correct_panel_conclusion if correcting else services.record_panel_conclusion
    try:
        conclusion = service(actor=request.user, application_id=app.pk, **form.cleaned_data)
    except REFUSALS as error:
        app.refresh_from_db()  # recorded or published meanwhile (a colleague): the page as it now stands
        return _panel_form_refused(request, app, form, error, correcting=correcting)
    outcome = _("同意推荐，列入拟认定名单") if conclusion.recommends else _("不同意推荐，不予认定")
    messages.success(request, (_("已更正集中评议结论：%(c)s。") if correcting
                               else _("已记录集中评议结论：%(c)s。")) % {"c": outcome})
    return redirect(app)


@role_required(Role.DEPARTMENT)
@posted_from("applications:detail", "pk")
def county_confirm(request, pk: int):
    app = get_object_or_404(applications_for(request.user), pk=pk)
    try:
        services.confirm_county_registration(actor=request.user, application_id=app.pk)
    except REFUSALS as error:
        refused(request, error)
    else:
        messages.success(request, _("已核实：该单位注册地址在沁水县。"))
    return redirect(app)


@role_required(Role.EXPERT)
def assignment_list(request):
    qs = assignments_for(request.user).order_by("submitted_at", "-assigned_at")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(application__unit_name__icontains=q) | Q(application__occupation__icontains=q))
    return render(request, "applications/assignment_list.html", {"page": paginate(request, qs), "q": q})


@role_required(Role.EXPERT)
@require_http_methods(["GET", "POST"])
def assignment_review(request, assignment_id: int):
    assignment = get_object_or_404(assignments_for(request.user), pk=assignment_id)
    form = ExpertReviewForm(request.POST or None, instance=assignment)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        if submit and not access.confirmed(request):
            messages.error(request, _("请先勾选确认框，再提交评审意见。"))
        else:
            try:
                services.save_expert_review(actor=request.user, assignment_id=assignment.pk,
                                            fields=form.cleaned_data, submit=submit)
            except REFUSALS as error:
                errors_to_form(form, error)
                assignment.refresh_from_db()  # handed in meanwhile (another tab), the panel concluded: as it now stands
            else:
                messages.success(request, _("评审意见已提交。") if submit else _("已保存，可继续填写。"))
                return redirect("applications:assignment_review", assignment_id=assignment.pk)
    editable = workflow.can_edit_opinion(request.user, assignment)
    if form.errors and not editable:
        access.form_at_top(request, form)
    return render(request, "applications/assignment_review.html", {
        "assignment": assignment, "app": assignment.application, "form": form, "photo_form": PhotoForm(),
        "photos": assignment.photos.all(), "editable": editable,
    }, status=400 if form.errors else 200)


@role_required(Role.EXPERT)
@posted_from("applications:assignment_review", "assignment_id")
def photo_upload(request, assignment_id: int):
    assignment = get_object_or_404(assignments_for(request.user), pk=assignment_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_site_visit_photo(actor=request.user, assignment_id=assignment.pk,
                                          uploaded=form.cleaned_data["file"])
        except REFUSALS as error:
            refused(request, error)
        else:
            messages.success(request, _("照片已上传。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("applications:assignment_review", assignment_id=assignment.pk)


def photo_download(request, photo_id: int):
    if not request.user.is_authenticated:
        return redirect("login")
    photo = get_object_or_404(photos_for(request.user), pk=photo_id)
    return photo.response()
