"""The public notice (此件公开发布): no sign-in; station, unit, occupation and leader only; named objections
while the window is open."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications import services
from applications.documents import notice_context
from applications.forms import ObjectionForm
from applications.selectors import listed_in, matching, public_list, public_publicities
from applications.views.common import client_ip
from applications.workflow import State
from qinshui_station.access import REFUSALS, errors_to_form, paginate
from qinshui_station.prepared import RowCount, Rows
from qinshui_station.punctuation import mark

PER_PAGE = 50

# the public notice, read by anyone on every view: compiled once (qinshui_station.prepared)
_PUBLICITY = Rows(lambda *, year: public_publicities().filter(batch__year=year)[:1], year=int)
_LISTED = Rows(lambda *, batches: listed_in(batches), batches=list)
_LISTED_COUNT = RowCount(lambda *, batches: listed_in(batches), batches=list)


def publicity_list(request):
    return render(request, "applications/publicity_list.html", {"page": paginate(request, public_publicities())})


@require_http_methods(["GET", "POST"])
def publicity_detail(request, year: int):
    publicity = _PUBLICITY.get_or_404(year=year)
    stations = public_list(publicity)
    is_open = services.publicity_is_open(publicity)
    q = request.GET.get("q", "").strip()
    station_count = _LISTED_COUNT(batches=[publicity.batch_id])
    # thousands of stations in a large county: 50 a page, with search (issue 8, docs/performance.md); without a
    # search the page count is the notice's (one COUNT), the page's rows read by SQL compiled once (a search's
    # pattern is rewritten before it reaches the SQL: built each time)
    shown = matching(stations, q) if q else _LISTED.pages(batches=[publicity.batch_id])
    page = paginate(request, shown, per_page=PER_PAGE, count=None if q else station_count)
    form = ObjectionForm(request.POST or None, stations=stations.filter(state=State.PUBLICITY),
                         offered=[a for a in page if a.state == State.PUBLICITY])
    if request.method == "POST" and is_open and form.is_valid():
        try:
            services.file_objection(publicity_id=publicity.pk, application_id=form.cleaned_data["application"].pk,
                                    name=form.cleaned_data["name"], phone=form.cleaned_data["phone"],
                                    content=form.cleaned_data["content"], ip_address=client_ip(request))
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("您的异议已提交，县人社局将核实处理。感谢您的监督。"))
            return redirect("applications:publicity_detail", year=year)
    elif request.method == "POST" and not is_open:
        messages.error(request, _("公示期已结束或尚未开始，不再受理异议。"))
    return render(request, "applications/publicity_detail.html",
                  {**notice_context(publicity, station_count), "page": page, "rows": _rows(page), "q": q,
                   "form": form, "is_open": is_open}, status=400 if request.method == "POST" else 200)


def _rows(page) -> list[tuple]:
    """Each line of the list as it prints: number, station name, unit, occupation, leader (worked out here
    once, not by a tag per cell)."""
    # bracketed's marks looked up once a page, not twice a line (a pgettext each: ~0.3 ms of the page)
    station, first = _("沁水县技师工作站"), page.start_index()
    left, right = mark("（"), mark("）")
    return [(first + k, f"{station}{left}{a.unit_name}·{a.occupation}{right}", a.unit_name, a.occupation,
             a.leader_name) for k, a in enumerate(page)]
