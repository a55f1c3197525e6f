"""Factories for the ledger. A funded station goes through the services, as in production."""

from datetime import date
from decimal import Decimal
from importlib import import_module

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from funding import services
from funding.models import ExpenditureCategory
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def invoice(name: str = "发票.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def ensure_categories() -> None:
    """The categories come from data migration 0003. A transactional test (threads, the browser) runs after
    other transactional tests have flushed the tables, so it puts them back from the same data."""
    from django.apps import apps

    import_module("funding.migrations.0003_categories_and_tranche_trigger").add_categories(apps, None)


def category(code: str = "equipment") -> ExpenditureCategory:
    if not ExpenditureCategory.objects.exists():
        ensure_categories()
    return ExpenditureCategory.objects.get(code=code)


def funded_station(*, hr, amount: Decimal = Decimal("100000.00"), **station):
    """A recognized station with its grant and first tranche scheduled."""
    ws = factories.WorkstationFactory(**station)
    grant = services.create_grant(workstation=ws, amount=amount, actor=hr)
    return ws, grant


def accepted(*stations):
    """The stations passed their construction period's final acceptance — the state the core's acceptance writes
    (``accept_workstations``, which also schedules the second tranches): the state a test needs before it schedules
    a second tranche itself."""
    from qinshui_station.models import Workstation
    from qinshui_station.models.workstations import WorkstationState

    Workstation.objects.filter(pk__in=[s.pk for s in stations]).update(state=WorkstationState.ACCEPTED)
    for station in stations:
        station.refresh_from_db()


def first_tranche(grant):
    return grant.tranches.get(kind="first")


def disbursed_station(*, hr, finance, amount: Decimal = Decimal("100000.00"), on: date | None = None, **station):
    """A station whose first tranche (40%) has been approved and paid."""
    ws, grant = funded_station(hr=hr, amount=amount, **station)
    tranche = first_tranche(grant)
    services.approve_tranche(tranche_id=tranche.pk, actor=hr)
    services.disburse_tranche(tranche_id=tranche.pk, actor=finance, disbursed_on=on or timezone.localdate(),
                              voucher_number="记-2026-0001")
    return ws, grant


def spend(ws, unit_user, amount: Decimal, code: str = "equipment", on: date | None = None,
          description: str = "购置数控车床配件"):
    return services.record_expenditure(workstation_id=ws.pk, actor=unit_user, spent_on=on or timezone.localdate(),
                                       category=category(code), amount=amount, description=description,
                                       documents=[invoice()])
