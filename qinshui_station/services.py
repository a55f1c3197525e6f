"""Writes of the shared core. Keyword-only arguments, one transaction, full_clean() before save,
an audit entry for every change."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinshui_station import audit, engine, events, notifications, sessions
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
from qinshui_station.punctuation import listed
from qinshui_station.roles import HR_CREATES, ROLE_ORG_KINDS, OrgKind, Role
from qinshui_station.selectors import user_ids_by_organization
from qinshui_station.workflow import require_role

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
    require_role(actor, Role.HR)
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
    """HR creates the accounts of departments, experts and HR (SPEC.md "Separation of duties")."""
    require_role(actor, Role.HR)
    if role == Role.UNIT:
        raise ValidationError({"role": _("申报单位账号由单位自行注册。")})
    if role not in HR_CREATES:
        raise ValidationError({"role": _("县财政局和县委组织部的账号由系统管理员创建，县人社局不能创建。")})
    return _create_account(actor=actor, role=role, organization_id=organization_id, username=username,
                           full_name=full_name, email=email, password=password, phone=phone, title=title)


def create_account_as_administrator(*, role: str, organization_id: int, username: str, full_name: str, email: str,
                                    password: str, phone: str = "", title: str = "") -> User:
    """A system administrator on the host (``manage.py create_account``) creates any staff account, the
    finance and organization-department ones included. The audit entry has no portal actor."""
    if role == Role.UNIT:
        raise ValidationError({"role": _("申报单位账号由单位自行注册。")})
    return _create_account(actor=None, role=role, organization_id=organization_id, username=username,
                           full_name=full_name, email=email, password=password, phone=phone, title=title,
                           action="create_user_by_administrator")


@transaction.atomic
def _create_account(*, actor, role, organization_id, username, full_name, email, password, phone, title,
                    action="create_user") -> User:
    org = Organization.objects.get(pk=organization_id)
    if org.kind not in ROLE_ORG_KINDS[role]:
        raise ValidationError({"organization": _("所选机构与角色不符。")})
    user = User(username=username, full_name=full_name, email=email, phone=phone, title=title, role=role,
                organization=org)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(actor=actor, obj=user, action=action, after=role)
    return user


@transaction.atomic
def set_user_active(*, actor, user_id: int, active: bool) -> User:
    require_role(actor, Role.HR)
    user = User.objects.select_for_update().get(pk=user_id)
    if user.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    before, user.is_active = user.is_active, active
    user.save(update_fields=["is_active"])
    ended = 0 if active else sessions.end_sessions_of(user)  # reactivating later must not revive them
    audit.record(actor=actor, obj=user, action="activate" if active else "deactivate",
                 before=str(before), after=str(active), data={"sessions_ended": ended} if not active else None)
    return user


def names_for_message(names: list[str]) -> str:
    """Stations named in a refusal: sorted, the first ten, then an ellipsis."""
    names = sorted(names)
    return listed(names[:10]) + ("……" if len(names) > 10 else "")


# --- A station's life: revocation and acceptance, one station or many ------------------------------------
# The one way to revoke, whatever the cause (第九条's failed evaluation, 第十条's six grounds, misuse upheld):
# the stations moved along their table by the engine, a Revocation each, the units told, and REVOKED
# announced so that funding cancels the open tranches and reviews withdraws the open evaluations.

def revoke_workstation(*, workstation_id: int, actor, ground: str, facts: str, on: date | None = None) -> Revocation:
    """The title ends (第九条, 第十条) with every effect; see ``revoke_workstations``."""
    return revoke_workstations(actor=actor, ground=ground, facts={workstation_id: facts}, on=on)[0]


def revocation_reason(ground: str, facts: str) -> str:
    """How a revocation's reason reads in the audit trail, on cancelled tranches and withdrawn evaluations."""
    return f"{RevocationGround(ground).label}：{facts}"


def revoke_workstations(*, actor, ground: str, facts: dict[int, str], on: date | None = None) -> list[Revocation]:
    """``facts`` maps each station id to its facts. Set-based: a few statements whatever the number."""
    if ground not in RevocationGround.values:
        raise ValidationError({"ground": _("请选择撤销情形。")})
    if any(not (text or "").strip() for text in facts.values()):
        raise ValidationError({"facts": _("请填写事实与依据。")})
    if not facts:
        return []
    on = on or timezone.localdate()
    reasons = {pk: revocation_reason(ground, text) for pk, text in facts.items()}
    with transaction.atomic():
        stations = Workstation.objects.filter(pk__in=list(facts))
        found = dict(stations.values_list("pk", "name"))
        if missing := set(facts) - set(found):
            raise Workstation.DoesNotExist(f"workstations {sorted(missing)[:10]} do not exist")
        done = list(stations.filter(state=WorkstationState.REVOKED).values_list("name", flat=True))
        if done or Revocation.objects.filter(workstation_id__in=list(facts)).exists():
            raise ValidationError(_("该工作站已被撤销。") + names_for_message(done))
        ground_label = RevocationGround(ground).label
        units = user_ids_by_organization(Role.UNIT, stations.values_list("unit_id", flat=True))
        links = notifications.urls("workstation_detail", list(facts))
        moved = engine.move_many(
            stations, to=WorkstationState.REVOKED, actor=actor, only=("name", "unit_id"),
            reason=lambda station: reasons[station.pk], action="revoke", state_changed_at=timezone.now(),
            revoked_on=on,
            notify=lambda station: [(units.get(station.unit_id, []),
                                     _("%(station)s的“沁水县技师工作站”称号已撤销（%(ground)s），请交回牌匾。")
                                     % {"station": station.name, "ground": ground_label}, links[station.pk])])
        revocations = Revocation.objects.bulk_create([
            Revocation(workstation=station, ground=ground, facts=facts[station.pk], effective_on=on,
                       decided_by=actor) for station in moved])
        events.announce(events.StationEvent(events.REVOKED, actor=actor, reasons=reasons, on=on, ground=ground))
    order = {pk: i for i, pk in enumerate(facts)}
    return sorted(revocations, key=lambda r: order[r.workstation_id])


def recognize_workstation(*, actor, station: Workstation, amount, document_number: str, data: dict | None = None
                          ) -> Workstation:
    """A new station (joint recognition document): saved, audited, and RECOGNIZED announced with its subsidy
    ``amount`` (funding creates the grant and schedules the first tranche)."""
    with transaction.atomic():
        station.full_clean()
        station.save()
        audit.record(actor=actor, obj=station, action="recognized", after=station.state, reason=document_number,
                     data=data)
        events.announce(events.StationEvent(events.RECOGNIZED, actor=actor, reasons={station.pk: document_number},
                                            data={station.pk: amount}))
    return station


def accept_workstations(*, actor, workstation_ids: list[int], reason: str, action: str = "final_acceptance") -> int:
    """Final acceptance passed (the round of the year the construction period ends): every station must be in
    its construction period; ACCEPTED is announced (funding schedules the second tranches)."""
    if not workstation_ids:
        return 0
    with transaction.atomic():
        moved = engine.move_many(Workstation.objects.filter(pk__in=list(workstation_ids)),
                                 to=WorkstationState.ACCEPTED, actor=actor, reason=reason, action=action, only=("name",),
                                 system=True, state_changed_at=timezone.now())
        if len(moved) != len(set(workstation_ids)):
            raise Workstation.DoesNotExist("some workstations do not exist")
        events.announce(events.StationEvent(events.ACCEPTED, actor=actor,
                                            reasons={station.pk: reason for station in moved}))
    return len(moved)


SCHEDULE = gettext_lazy("系统（定时任务）")  # the actor of what the worker does on its own


def end_construction_periods(*, today: date, actor=SCHEDULE) -> list[int]:
    """第九条, 第十一条: the stations whose two-year construction period ended before ``today`` and that are still
    in it (neither accepted nor revoked) — CONSTRUCTION_ENDED announced once per station (reviews tells HR the
    建设期满验收 is overdue, funding marks the second tranche not due). Run daily by the worker (reminders);
    idempotent: the day is written on the station under its row lock, and a second run finds none left."""
    with transaction.atomic():
        ended = list(Workstation.objects.select_for_update().filter(
            state=WorkstationState.CONSTRUCTION, construction_ends_on__lt=today,
            period_ended_announced_on__isnull=True).order_by("pk").only("pk", "name", "construction_ends_on"))
        if not ended:
            return []
        Workstation.objects.filter(pk__in=[s.pk for s in ended]).update(period_ended_announced_on=today)
        reasons = {s.pk: _("建设期已于%(end)s届满，尚未通过建设期满验收。") % {"end": s.construction_ends_on.isoformat()}
                   for s in ended}
        audit.record_many(actor=actor, entries=[
            audit.entry(obj=s, action="construction_ended", reason=reasons[s.pk],
                        data={"construction_ends_on": s.construction_ends_on}) for s in ended])
        events.announce(events.StationEvent(events.CONSTRUCTION_ENDED, actor=actor, reasons=reasons, on=today))
    return [s.pk for s in ended]


@transaction.atomic
def record_plaque_recovered(*, actor, workstation_id: int, on: date) -> Workstation:
    require_role(actor, Role.HR)
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

    require_role(actor, Role.HR)
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
    notifications.forget_unread_count(user)
    return qs.update(read_at=timezone.now())


OFFICE_FIELDS = ("office_name", "address", "phone")


@transaction.atomic
def update_office_contact(*, actor, **fields):
    """HR keeps the office printed on public notices (where to object in writing, which phone to call)."""
    from qinshui_station.models import OfficeContact

    require_role(actor, Role.HR)
    unknown = set(fields) - set(OFFICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown office fields: {sorted(unknown)}")
    office = OfficeContact.objects.select_for_update().filter(pk=1).first() or OfficeContact(pk=1)
    changed = sorted(n for n, v in fields.items() if getattr(office, n) != (v or "").strip())
    for name, value in fields.items():
        setattr(office, name, (value or "").strip())
    office.updated_by = actor
    office.full_clean()
    office.save()
    audit.record(actor=actor, obj=office, action="update_office_contact", data={"fields": changed})
    return office


# --- E-mail: preferences and the outbox (i17, docs/reminders.md) --------------------------------------------

def set_email_preferences(*, user, email_on: dict[str, bool]) -> list[str]:
    """A person's e-mail choice per kind of notification (only kinds their role receives). Returns the kinds
    now turned off. The in-portal notification is not affected."""
    from qinshui_station.models import EmailPreference
    from qinshui_station.registry import notification_kinds_for

    allowed = {k.key for k in notification_kinds_for(user)}
    unknown = set(email_on) - allowed
    if unknown:
        raise ValidationError(_("未知的通知类别：%(kinds)s") % {"kinds": "、".join(sorted(unknown))})
    with transaction.atomic():
        current = {p.kind: p for p in EmailPreference.objects.select_for_update().filter(user=user)}
        changed = {}
        for kind, on in email_on.items():
            was = current[kind].email if kind in current else True
            if was == on:
                continue
            EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": on})
            changed[kind] = on
        if changed:
            audit.record(actor=user, obj=user, action="email_preferences", data=changed)
    return sorted(EmailPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))


def retry_delivery(*, actor, delivery_id: int):
    """HR sends an e-mail that failed for good once more: a new series of attempts by the worker."""
    from qinshui_station.models import Delivery, DeliveryState
    from qinshui_station.tasks import deliver_email

    if getattr(actor, "role", None) != Role.HR:
        raise PermissionDenied(_("只有县人社局可以重新发送邮件。"))
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status != DeliveryState.FAILED:
            raise ValidationError(_("只有最终发送失败的邮件可以重新发送。"))
        delivery.status = DeliveryState.PENDING
        delivery.failed_at = None
        delivery.full_clean()
        delivery.save()
        audit.record(actor=actor, obj=delivery, action="retry_delivery", before=DeliveryState.FAILED,
                     after=DeliveryState.PENDING, data={"attempts": delivery.attempts, "error": delivery.last_error})
        deliver_email.defer(delivery_id=delivery.pk)
    return delivery
