"""The funding app's services. ``applications`` and ``reviews`` call the three at the top (schedule the
first tranche at recognition, the second after final acceptance, cancel on revocation or failure);
nothing here calls back up."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from funding.models import Grant, Tranche
from funding.tranches import split
from funding.workflow import CancelEvent, TrancheKind, TrancheState
from qinshui_station import audit


def create_grant(*, workstation, amount: Decimal, actor) -> Grant:
    """Recognition: the station's grant for the batch amount, and its first tranche (40%) scheduled."""
    first, _second = split(amount)
    with transaction.atomic():
        grant = Grant(workstation=workstation, amount=amount)
        grant.full_clean()
        grant.save()
        tranche = Tranche(grant=grant, kind=TrancheKind.FIRST, amount=first)
        tranche.full_clean()
        tranche.save()
        audit.record(actor=actor, obj=grant, action="grant_created", after=str(amount))
        audit.record(actor=actor, obj=tranche, action="tranche_scheduled", after=TrancheState.SCHEDULED)
    return grant


def schedule_second_tranche(*, workstation, actor) -> Tranche:
    """Final acceptance passed: the remaining 60% becomes due."""
    with transaction.atomic():
        grant = Grant.objects.select_for_update().get(workstation=workstation)
        if grant.tranches.filter(kind=TrancheKind.SECOND).exists():
            raise ValidationError(_("第二批资金已安排，不能重复安排。"))
        _first, second = split(grant.amount)
        tranche = Tranche(grant=grant, kind=TrancheKind.SECOND, amount=second)
        tranche.full_clean()
        tranche.save()
        audit.record(actor=actor, obj=tranche, action="tranche_scheduled", after=TrancheState.SCHEDULED)
    return tranche


def cancel_open_tranches(*, workstation, actor, reason: str, event: str) -> int:
    """Revocation or a failed evaluation: every tranche not yet disbursed is cancelled. Returns how many."""
    if event not in CancelEvent.values:
        raise ValueError(f"unknown cancel event {event!r}")
    if not (reason or "").strip():
        raise ValidationError(_("取消拨付须说明原因。"))
    count = 0
    with transaction.atomic():
        open_tranches = Tranche.objects.select_for_update().filter(
            grant__workstation=workstation, state__in=[TrancheState.SCHEDULED, TrancheState.APPROVED]
        )
        now = timezone.now()
        for tranche in open_tranches:
            before = tranche.state
            tranche.state = TrancheState.CANCELLED
            tranche.cancelled_at = now
            tranche.cancel_reason = reason
            tranche.cancel_event = event
            tranche.full_clean()
            tranche.save()
            audit.record(actor=actor, obj=tranche, action="tranche_cancelled", before=before,
                         after=TrancheState.CANCELLED, reason=reason, data={"event": event})
            count += 1
    return count
