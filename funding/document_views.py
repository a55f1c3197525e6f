"""A station's subsidy statement as PDF (docs/documents.md): reached like the statement page, through
``workstations_for`` and ``grants_for``; anyone else gets a 404. Rendered on demand (figures of the day)."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from funding import selectors
from qinshui_station.documents import document_or_message, pdf_response, render_pdf

STATEMENT = "documents/subsidy_statement.html"


@login_required
@require_GET
def statement_pdf(request, workstation_pk: int):
    station, grant = selectors.station_and_grant_for(request.user, workstation_pk)
    context = {
        "station": station, "s": selectors.statement_for(grant), "today": timezone.localdate(),
        "account": selectors.shown_account(request.user, station, station.unit.bank_account_number),
        "expenditures": selectors.expenditures_for(request.user).filter(grant=grant).select_related("category")
        .order_by("spent_on", "pk"),
        "recoveries": selectors.recoveries_for(request.user).filter(grant=grant).order_by("decided_at", "pk"),
    }
    return document_or_message(
        request,
        lambda: pdf_response(render_pdf(STATEMENT, context),
                             filename=_("补助资金收支情况-%(station)s.pdf") % {"station": station.name}),
        back=reverse("funding:statement", args=[station.pk]), what=_("补助资金收支情况PDF"))
