"""Writes of the shared core. Keyword-only arguments, one transaction, full_clean() before save,
an audit entry for every change."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinshui_station import audit, workflow
from qinshui_station.models import (
    CalendarDay,
    CalendarYear,
    Notification,
    Organization,
    Revocation,
    RevocationGround,
    User,
    Workstation,
)
from qinshui_station.models.workstations import WorkstationState
from qinshui_station.roles import ROLE_ORG_KINDS, OrgKind, Role
from qinshui_station.workstation_workflow import TRANSITIONS as WORKSTATION_TRANSITIONS


def _require_role(actor, *roles: str) -> None:
    if getattr(actor, "role", None) not in roles:
        raise PermissionDenied(_("您的角色无权执行此操作。"))


UNIT_PROFILE_FIELDS = (
    "name", "credit_code", "unit_type", "department", "ownership", "address", "legal_representative",
    "legal_representative_phone", "contact_person", "contact_phone", "contact_email", "bank_account_name",
    "bank_name", "bank_account_number",
)


@transaction.atomic
def register_unit(*, username: str, password: str, full_name: str, email: str, phone: str = "",
                  **profile) -> User:
    """A unit registers itself: its organization and its first user, in one step."""
    unknown = set(profile) - set(UNIT_PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    org = Organization(kind=OrgKind.UNIT, **profile)
    org.full_clean()
    org.save()
    user = User(username=username, full_name=full_name, email=email, phone=phone, role=Role.UNIT, organization=org)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(actor=user, obj=org, action="register_unit", after="registered")
    return user


@transaction.atomic
def update_unit_profile(*, actor, organization_id: int, **profile) -> Organization:
    org = Organization.objects.select_for_update().get(pk=organization_id, kind=OrgKind.UNIT)
    if not (actor.role == Role.UNIT and actor.organization_id == org.pk):
        raise PermissionDenied(_("只能修改本单位的信息。"))
    changed = {}
    for name, value in profile.items():
        if name not in UNIT_PROFILE_FIELDS or name in {"credit_code"}:
            raise TypeError(f"field {name} cannot be changed here")
        if getattr(org, name) != value:
            changed[name] = True
            setattr(org, name, value)
    org.full_clean()
    org.save()
    audit.record(actor=actor, obj=org, action="update_unit_profile", data={"fields": sorted(changed)})
    return org


@transaction.atomic
def create_organization(*, actor, kind: str, name: str, sector: str = "") -> Organization:
    _require_role(actor, Role.HR)
    if kind == OrgKind.UNIT:
        raise ValidationError({"kind": _("申报单位须自行注册。")})
    org = Organization(kind=kind, name=name, sector=sector)
    org.full_clean()
    org.save()
    audit.record(actor=actor, obj=org, action="create_organization", after=kind)
    return org


@transaction.atomic
def create_staff_user(*, actor, role: str, organization_id: int, username: str, full_name: str, email: str,
                      password: str, phone: str = "", title: str = "") -> User:
    """HR creates the accounts of departments, experts and the three bureaus."""
    _require_role(actor, Role.HR)
    if role == Role.UNIT:
        raise ValidationError({"role": _("申报单位账号由单位自行注册。")})
    org = Organization.objects.get(pk=organization_id)
    if org.kind not in ROLE_ORG_KINDS[role]:
        raise ValidationError({"organization": _("所选机构与角色不符。")})
    user = User(username=username, full_name=full_name, email=email, phone=phone, title=title, role=role,
                organization=org)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(actor=actor, obj=user, action="create_user", after=role)
    return user


@transaction.atomic
def set_user_active(*, actor, user_id: int, active: bool) -> User:
    _require_role(actor, Role.HR)
    user = User.objects.select_for_update().get(pk=user_id)
    if user.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    before, user.is_active = user.is_active, active
    user.save(update_fields=["is_active"])
    audit.record(actor=actor, obj=user, action="activate" if active else "deactivate",
                 before=str(before), after=str(active))
    return user


def workstation_transition(*, workstation_id: int, actor, to: str, reason: str = "", on: date | None = None,
                           action: str = "transition") -> Workstation:
    """Move a workstation along its table. Callers (reviews) wrap this in their own transaction when the
    move is one of several effects; on its own it is atomic too."""
    with transaction.atomic():
        station = Workstation.objects.select_for_update().get(pk=workstation_id)
        move = workflow.move_for(WORKSTATION_TRANSITIONS, station.state, to, dict(WorkstationState.choices))
        move.check(actor=actor, obj=station, reason=reason)
        before = station.state
        station.state = to
        station.state_changed_at = timezone.now()
        if to == WorkstationState.REVOKED:
            station.revoked_on = on or timezone.localdate()
        station.full_clean()
        station.save()
        audit.record(actor=actor, obj=station, action=action, before=before, after=to, reason=reason)
    return station


def revoke_workstation(*, workstation_id: int, actor, ground: str, facts: str, on: date | None = None) -> Revocation:
    """The title ends (第九条, 第十条): the revocation record, the state change, the audit entry.
    The caller cancels the station's open tranches through ``funding.services`` in the same transaction
    (the core cannot call funding)."""
    with transaction.atomic():
        on = on or timezone.localdate()
        revocation = Revocation(workstation_id=workstation_id, ground=ground, facts=facts, effective_on=on,
                                decided_by=actor)
        revocation.full_clean(exclude=["workstation"])
        if Revocation.objects.filter(workstation_id=workstation_id).exists():
            raise ValidationError(_("该工作站已被撤销。"))
        station = workstation_transition(workstation_id=workstation_id, actor=actor, to=WorkstationState.REVOKED,
                                          reason=f"{revocation.get_ground_display()}：{facts}", on=on,
                                          action="revoke")
        revocation.workstation = station
        revocation.save()
    return revocation


# --- Bulk variants (a round's consequences at provincial scale, docs/performance.md) ----------------------
# The same effects as the per-station services above, for many stations in a few statements: the rows locked,
# the workflow table consulted (role and reason; the from-state in SQL), the audit entries by INSERT … SELECT.

def _locked_states(cursor, ids: list[int]) -> dict[int, tuple[str, str]]:
    cursor.execute("SELECT id, state, name FROM qinshui_station_workstation WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                   [ids])
    found = {pk: (state, name) for pk, state, name in cursor.fetchall()}
    missing = set(ids) - set(found)
    if missing:
        raise Workstation.DoesNotExist(f"workstations {sorted(missing)[:10]} do not exist")
    return found


def names_for_message(names: list[str]) -> str:
    """Stations named in a refusal: sorted, the first ten, then an ellipsis."""
    names = sorted(names)
    return "、".join(names[:10]) + ("……" if len(names) > 10 else "")


def revoke_workstations_bulk(*, actor, ground: str, facts: dict[int, str], on: date | None = None) -> int:
    """``revoke_workstation`` for many stations: ``facts`` maps each station id to its facts. Revocation
    records, state changes and audit entries in one statement. The caller cancels the open tranches through
    ``funding.services.cancel_open_tranches_bulk`` in the same transaction. Returns how many were revoked."""
    if not facts:
        return 0
    if ground not in RevocationGround.values:
        raise ValidationError({"ground": _("请选择撤销情形。")})
    if any(not (text or "").strip() for text in facts.values()):
        raise ValidationError({"facts": _("请填写事实与依据。")})
    label = str(RevocationGround(ground).label)
    on = on or timezone.localdate()
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        states = _locked_states(cursor, list(facts))
        for state in {state for state, _name in states.values()} - {WorkstationState.REVOKED}:
            workflow.move_for(WORKSTATION_TRANSITIONS, state, WorkstationState.REVOKED,
                              dict(WorkstationState.choices)).check(actor=actor, reason=label)
        done = [name for state, name in states.values() if state == WorkstationState.REVOKED]
        if done or Revocation.objects.filter(workstation_id__in=list(facts)).exists():
            raise ValidationError(_("该工作站已被撤销。") + names_for_message(done))
        ids, texts = zip(*facts.items(), strict=True)
        cursor.execute("""
            WITH input AS (SELECT * FROM unnest(%(ids)s::bigint[], %(facts)s::text[]) AS i(id, facts)),
            changed AS (
                UPDATE qinshui_station_workstation w
                SET state = 'revoked', state_changed_at = %(now)s, revoked_on = %(on)s
                FROM (SELECT w0.id, w0.state AS before, i.facts FROM qinshui_station_workstation w0
                      JOIN input i ON i.id = w0.id) src
                WHERE w.id = src.id
                RETURNING w.id, w.name, src.before, src.facts),
            revocations AS (
                INSERT INTO qinshui_station_revocation (workstation_id, ground, facts, effective_on, decided_by_id,
                                                        decided_at)
                SELECT id, %(ground)s, facts, %(on)s, %(actor)s, %(now)s FROM changed)
            INSERT INTO qinshui_station_auditentry (at, actor_id, actor_label, object_type, object_id, object_label,
                                                    action, from_state, to_state, reason, data)
            SELECT %(now)s, %(actor)s, %(actor_label)s, 'qinshui_station.workstation', id::text, LEFT(name, 200),
                   'revoke', before, 'revoked', %(label)s || '：' || facts, '{}'::jsonb
            FROM changed
        """, {"ids": list(ids), "facts": list(texts), "now": now, "on": on, "ground": ground, "actor": actor.pk,
              "actor_label": audit._actor_label(actor), "label": label})
        return cursor.rowcount


def accept_workstations_bulk(*, actor, workstation_ids: list[int], reason: str,
                             action: str = "final_acceptance") -> int:
    """``workstation_transition(to=accepted)`` for many stations (final acceptance passed): every one must be
    in its construction period. State changes and audit entries in one statement."""
    if not workstation_ids:
        return 0
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        states = _locked_states(cursor, list(workstation_ids))
        for state in {state for state, _name in states.values()}:
            workflow.move_for(WORKSTATION_TRANSITIONS, state, WorkstationState.ACCEPTED,
                              dict(WorkstationState.choices)).check(actor=actor, reason=reason)
        cursor.execute("""
            WITH changed AS (
                UPDATE qinshui_station_workstation SET state = 'accepted', state_changed_at = %(now)s
                WHERE id = ANY(%(ids)s) AND state = 'construction' RETURNING id, name)
            INSERT INTO qinshui_station_auditentry (at, actor_id, actor_label, object_type, object_id, object_label,
                                                    action, from_state, to_state, reason, data)
            SELECT %(now)s, %(actor)s, %(actor_label)s, 'qinshui_station.workstation', id::text, LEFT(name, 200),
                   %(action)s, 'construction', 'accepted', %(reason)s, '{}'::jsonb
            FROM changed
        """, {"ids": list(workstation_ids), "now": now, "actor": actor.pk, "actor_label": audit._actor_label(actor),
              "action": action, "reason": reason})
        return cursor.rowcount


@transaction.atomic
def record_plaque_recovered(*, actor, workstation_id: int, on: date) -> Workstation:
    _require_role(actor, Role.HR)
    station = Workstation.objects.select_for_update().get(pk=workstation_id)
    if station.state != WorkstationState.REVOKED:
        raise ValidationError(_("只有已撤销的工作站才需收回牌匾。"))
    station.plaque_recovered_on = on
    station.full_clean()
    station.save(update_fields=["plaque_recovered_on"])
    audit.record(actor=actor, obj=station, action="plaque_recovered", data={"on": on.isoformat()})
    return station


@transaction.atomic
def enter_calendar_arrangement(*, actor, year: int, source: str, days: list[tuple[date, str, str]]) -> CalendarYear:
    """HR records the State Council's arrangement for a year the calendar library does not cover yet."""
    from qinshui_station.workdays import _library_covers

    _require_role(actor, Role.HR)
    if _library_covers(year):
        raise ValidationError({"year": _("%(year)d年的节假日安排已内置于系统，无需录入。") % {"year": year}})
    arrangement, _created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source": source, "entered_by": actor}
    )
    arrangement.source = source
    arrangement.full_clean()
    arrangement.save()
    arrangement.days.all().delete()
    errors = []
    for day, kind, name in days:
        if day.year != year:
            errors.append(_("%(day)s不在%(year)d年内。") % {"day": day, "year": year})
            continue
        entry = CalendarDay(arrangement=arrangement, day=day, kind=kind, name=name, year=year)
        entry.full_clean(exclude=["arrangement"])
        entry.save()
    if errors:
        raise ValidationError({"days": errors})
    audit.record(actor=actor, obj=arrangement, action="enter_calendar", data={"days": len(days)})
    return arrangement


def mark_notifications_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
