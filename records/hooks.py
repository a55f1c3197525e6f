"""The station page panel of an imported station: the grades given on paper before the portal, and (for HR) the
file that brought the station in. Two queries; nothing for a station recognized in the portal."""

from django.template.loader import render_to_string

from qinshui_station.roles import Role
from records.models import ImportedStation
from reviews.models import ImportedResult


def workstation_panel(request, station) -> str:
    record = ImportedStation.objects.filter(workstation=station).select_related("first_file", "last_file").first()
    if record is None:
        return ""
    return render_to_string("records/panel_workstation.html", {
        "record": record, "results": ImportedResult.objects.filter(workstation=station).order_by("year"),
        "show_file": request.user.role == Role.HR}, request=request)
