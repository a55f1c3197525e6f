"""Reads scoped to the person asking. Views reach objects only through these."""

from __future__ import annotations

from django.db.models import QuerySet

from qinshui_station.models import AuditEntry, Organization, User, Workstation
from qinshui_station.models.workstations import WorkstationState
from qinshui_station.roles import OrgKind, Role


def workstations_for(user) -> QuerySet[Workstation]:
    qs = Workstation.objects.select_related("unit", "unit__department")
    if not user.is_authenticated:
        return qs.none()
    match user.role:
        case Role.UNIT:
            return qs.filter(unit=user.organization)
        case Role.DEPARTMENT:
            return qs.filter(unit__department=user.organization)
        case Role.HR | Role.FINANCE | Role.ORG_DEPT:
            return qs
        case Role.EXPERT:
            # Experts reach stations through their evaluation assignments (reviews), not directly.
            return qs.none()
    return qs.none()


def public_workstations() -> QuerySet[Workstation]:
    """The public list: recognized stations whose title stands."""
    return Workstation.objects.select_related("unit").exclude(state=WorkstationState.REVOKED)


def audit_entries_for(user) -> QuerySet[AuditEntry]:
    if user.is_authenticated and user.role == Role.HR:
        return AuditEntry.objects.select_related("actor")
    return AuditEntry.objects.none()


def users_for(user) -> QuerySet[User]:
    if user.is_authenticated and user.role == Role.HR:
        return User.objects.select_related("organization")
    return User.objects.none()


def departments() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrgKind.DEPARTMENT).order_by("name")


def experts() -> QuerySet[User]:
    return User.objects.filter(role=Role.EXPERT, is_active=True).select_related("organization")


def users_with_role(role: str, organization=None) -> QuerySet[User]:
    qs = User.objects.filter(role=role, is_active=True)
    return qs.filter(organization=organization) if organization is not None else qs


def user_ids_by_organization(role: str, organization_ids) -> dict[int, list[int]]:
    """The active accounts of ``role`` in each of these organizations (one query): whom to notify per unit."""
    by_organization: dict[int, list[int]] = {}
    for pk, organization_id in users_with_role(role).filter(organization_id__in=set(organization_ids)).values_list(
            "pk", "organization_id"):
        by_organization.setdefault(organization_id, []).append(pk)
    return by_organization
