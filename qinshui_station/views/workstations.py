from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from qinshui_station.access import paginate, state_filter
from qinshui_station.documents import document_or_message, pdf_response, render_pdf
from qinshui_station.documents.contexts import certificate_context
from qinshui_station.models.workstations import WorkstationState
from qinshui_station.prepared import RowCount, Rows
from qinshui_station.registry import registry
from qinshui_station.selectors import public_workstations, workstations_for


@login_required
def workstation_list(request):
    qs = workstations_for(request.user)
    q = request.GET.get("q", "").strip()
    state, state_error = state_filter(request, WorkstationState)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(unit__name__icontains=q) | Q(occupation__icontains=q) |
                       Q(plaque_number__icontains=q))
    if state:
        qs = qs.filter(state=state)
    return render(request, "core/workstation_list.html",
                  {"page": paginate(request, qs), "q": q, "state": state, "state_error": state_error,
                   "states": WorkstationState.choices})


@login_required
def workstation_detail(request, pk: int):
    station = get_object_or_404(workstations_for(request.user), pk=pk)
    panels = [mark_safe(html) for provider in registry.workstation_panels if (html := provider(request, station))]
    return render(request, "core/workstation_detail.html", {"station": station, "panels": panels})


@login_required
def workstation_certificate(request, pk: int):
    """The plaque certificate (A4 landscape PDF), for those who may see the station; a revoked
    station's certificate carries the mark 已撤销."""
    station = get_object_or_404(workstations_for(request.user), pk=pk)
    watermark = _("已撤销") if station.state == WorkstationState.REVOKED else None
    return document_or_message(
        request,
        lambda: pdf_response(render_pdf("documents/plaque_certificate.html", certificate_context(station),
                                        watermark=watermark),
                             filename=f"certificate-{station.plaque_number}.pdf"),
        back=station, what=_("牌匾证书PDF"))


_PRINTED = ("plaque_number", "name", "unit__name", "occupation", "leader_name", "recognized_on")
# read by anyone on every view: compiled once (qinshui_station.prepared); a search's pattern is rewritten before
# it reaches the SQL, so a search is built each time
_STANDING = Rows(lambda: public_workstations().order_by("-recognized_on", "plaque_number").values_list(*_PRINTED))
_STANDING_COUNT = RowCount(lambda: public_workstations())


def public_workstation_list(request):
    q = request.GET.get("q", "").strip()
    # only the printed columns, each row as it prints (the day as Y-m-d here, not a filter per cell); counted
    # without them (the columns' join to the units made the count read 20,000 stations and 10,000 units: 5 ms)
    if q:
        qs = public_workstations().order_by("-recognized_on", "plaque_number").filter(
            Q(name__icontains=q) | Q(unit__name__icontains=q) | Q(occupation__icontains=q))
        page = paginate(request, qs.values_list(*_PRINTED), count=qs.count())
    else:
        page = paginate(request, _STANDING.pages(), count=_STANDING_COUNT())
    page.object_list = [(*row[:5], row[5].isoformat()) for row in page.object_list]
    return render(request, "core/public_workstations.html", {"page": page, "q": q})
