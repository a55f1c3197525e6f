"""第十条: HR revokes a station's title on one of the six grounds, after a confirmation step."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from qinshui_station.access import REFUSALS, confirmed, errors_to_form, role_required
from qinshui_station.models.workstations import WorkstationState
from qinshui_station.roles import Role
from qinshui_station.selectors import workstations_for
from reviews import services
from reviews.forms import RevocationForm


@role_required(Role.HR)
def revoke(request, station_pk: int):
    station = get_object_or_404(workstations_for(request.user).exclude(state=WorkstationState.REVOKED), pk=station_pk)
    form = RevocationForm(request.POST or None)
    confirm_error = ""
    if request.method == "POST":
        valid = form.is_valid()  # the fields' messages at their fields, the box's at the box, both at once
        if not confirmed(request):
            confirm_error = _("请勾选确认后再撤销。")
        elif valid:
            try:
                services.revoke(actor=request.user, workstation_id=station.pk, **form.cleaned_data)
            except REFUSALS as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("已撤销%(station)s的称号，未拨付的补助资金已取消。") % {"station": station})
                return redirect(station)
    fields = render_to_string("includes/form.html", {"form": form}, request=request)
    return render(request, "reviews/revoke.html", {"station": station, "form": form, "form_html": fields,
                                                   "confirm_error": confirm_error},
                  status=400 if request.method == "POST" else 200)
