"""A station's work ledger (第八条): the unit records, everyone who may see the station reads."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qinshui_station.access import REFUSALS, errors_to_form, paginate, posted_from, refused, role_required
from qinshui_station.request_limits import year_param
from qinshui_station.roles import Role
from qinshui_station.selectors import workstations_for
from reviews import selectors, services
from reviews.forms import LedgerForm
from reviews.models import LedgerKind
from reviews.workflow import can_record_ledger

READERS = (Role.UNIT, Role.DEPARTMENT, Role.HR, Role.FINANCE, Role.ORG_DEPT)


@role_required(*READERS)
def ledger(request, station_pk: int):
    station = get_object_or_404(workstations_for(request.user), pk=station_pk)
    today = timezone.localdate()
    year = year_param(request, default=today.year)
    kind = request.GET.get("kind", "")
    can_record = can_record_ledger(request.user, station)
    form = LedgerForm(request.POST or None, request.FILES or None) if can_record else None
    if request.method == "POST" and form is not None and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "files"}
        try:
            services.add_ledger_entry(actor=request.user, workstation_id=station.pk,
                                      files=form.cleaned_data["files"], **fields)
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("台账已登记。"))
            return redirect(f"{request.path}?year={fields['occurred_on'].year}")
    entries = selectors.ledger_entries_for(request.user).filter(workstation=station, occurred_on__year=year)
    if kind:
        entries = entries.filter(kind=kind)
    return render(request, "reviews/ledger.html", {
        "station": station, "year": year, "years": range(station.recognized_on.year, today.year + 1),
        "kind": kind, "kinds": LedgerKind.choices, "page": paginate(request, entries), "form": form,
        "progress": selectors.ledger_progress(station, year, today),
    }, status=400 if request.method == "POST" else 200)  # a posted entry comes back here only refused


def _entry_page(request, pk: int) -> str:
    entry = get_object_or_404(selectors.ledger_entries_for(request.user), pk=pk)
    return reverse("reviews:ledger", args=[entry.workstation_id])


@role_required(Role.UNIT)
@posted_from(_entry_page)
def ledger_delete(request, pk: int):
    entry = get_object_or_404(selectors.ledger_entries_for(request.user), pk=pk)
    try:
        services.delete_ledger_entry(actor=request.user, entry_id=entry.pk)
        messages.success(request, _("已删除。"))
    except REFUSALS as error:
        refused(request, error)
    return redirect("reviews:ledger", station_pk=entry.workstation_id)


@role_required(*READERS, Role.EXPERT)
def ledger_file(request, pk: int):
    return selectors.ledger_attachment_for(request.user, pk).response()
