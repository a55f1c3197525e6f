"""The funding app's services. ``applications`` and ``reviews`` call the three at the top (schedule the
first tranche at recognition, the second after final acceptance, cancel on revocation or failure);
nothing here calls back up. Every state change locks its row (``select_for_update``), checks the move in
``funding.workflow``, writes the audit log and notifies the people who act next."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from funding.models import Expenditure, ExpenditureCategory, ExpenditureDocument, Grant, Recovery, Tranche
from funding.tranches import FEN, split
from funding.workflow import (
    EXPENDITURE_TRANSITIONS,
    OPEN_TRANCHE_STATES,
    RECOVERY_TRANSITIONS,
    TRANSITIONS,
    CancelEvent,
    ExpenditureState,
    RecoveryState,
    TrancheKind,
    TrancheState,
)
from qinshui_station import audit, notifications, workflow
from qinshui_station.models import RevocationGround, Workstation
from qinshui_station.models.workstations import WorkstationState
from qinshui_station.roles import Role
from qinshui_station.selectors import user_ids_by_organization, users_with_role
from qinshui_station.services import names_for_message, revoke_workstation
from qinshui_station.templatetags.portal import yuan

ZERO = Decimal("0.00")


# --- The interface applications/ and reviews/ call ------------------------------------------------------

def create_grant(*, workstation, amount: Decimal, actor) -> Grant:
    """Recognition: the station's grant for the batch amount, and its first tranche (40%) scheduled.

    ``split`` follows the formula to the fen, so a grant below ¥0.03 would have a first tranche of ¥0.00;
    amounts are positive, so such a grant is refused here with a message."""
    amount = _money(amount, field="amount")
    try:
        first, _second = split(amount)
    except ValueError:
        raise ValidationError({"amount": _("补助金额须大于零且精确到分。")}) from None
    if first <= 0:
        raise ValidationError({"amount": _("补助金额%(amount)s过小：按40%%计算的第一批资金为¥0.00，"
                                           "每批拨付金额须大于零。") % {"amount": yuan(amount)}})
    with transaction.atomic():
        station = Workstation.objects.select_for_update().get(pk=workstation.pk)
        if station.state == WorkstationState.REVOKED:
            raise ValidationError(_("工作站已撤销，不能安排建设补助。"))
        if Grant.objects.filter(workstation=station).exists():
            raise ValidationError(_("该工作站已有建设补助，不能重复安排。"))
        grant = Grant(workstation=station, amount=amount)
        grant.full_clean()
        grant.save()
        tranche = Tranche(grant=grant, kind=TrancheKind.FIRST, amount=first)
        tranche.full_clean()
        tranche.save()
        audit.record(actor=actor, obj=grant, action="grant_created", after=str(amount))
        audit.record(actor=actor, obj=tranche, action="tranche_scheduled", after=TrancheState.SCHEDULED)
        _notify_scheduled(tranche, station)
    return grant


def schedule_second_tranche(*, workstation, actor) -> Tranche:
    """Final acceptance passed: the remaining 60% becomes due."""
    with transaction.atomic():
        grant = Grant.objects.select_for_update().select_related("workstation").get(workstation=workstation)
        if grant.workstation.state == WorkstationState.REVOKED:
            raise ValidationError(_("工作站已撤销，不能安排第二批资金。"))
        if grant.tranches.filter(kind=TrancheKind.SECOND).exists():
            raise ValidationError(_("第二批资金已安排，不能重复安排。"))
        _first, second = split(grant.amount)
        tranche = Tranche(grant=grant, kind=TrancheKind.SECOND, amount=second)
        tranche.full_clean()
        tranche.save()
        audit.record(actor=actor, obj=tranche, action="tranche_scheduled", after=TrancheState.SCHEDULED)
        _notify_scheduled(tranche, grant.workstation)
    return tranche


def cancel_open_tranches(*, workstation, actor, reason: str, event: str) -> int:
    """Revocation or a failed evaluation: every tranche not yet disbursed is cancelled. Returns how many."""
    if event not in CancelEvent.values:
        raise ValueError(f"unknown cancel event {event!r}")
    if not (reason or "").strip():
        raise ValidationError(_("取消拨付须说明原因。"))
    count = 0
    with transaction.atomic():
        open_tranches = list(
            Tranche.objects.select_for_update().select_related("grant__workstation")
            .filter(grant__workstation=workstation, state__in=OPEN_TRANCHE_STATES).order_by("pk")
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
        if open_tranches:
            station = open_tranches[0].grant.workstation
            message = _("%(station)s的%(n)d笔未拨付补助资金已取消（%(event)s）：%(reason)s") % {
                "station": station, "n": count, "event": CancelEvent(event).label, "reason": reason}
            notifications.notify(_unit_and_bureaus(station), message, open_tranches[0].grant.get_absolute_url())
    return count


def schedule_second_tranches_bulk(*, workstation_ids: list[int], actor) -> int:
    """``schedule_second_tranche`` for many stations (a round's final acceptances): the grants locked, the same
    refusals (no grant, station revoked, second tranche already there, naming the stations), the tranches
    (grant − round(grant × 40%, 2): ``split``'s second part, which the deferred trigger checks), their audit
    entries and HR's notifications in a few statements. Returns how many were scheduled."""
    if not workstation_ids:
        return 0
    ids = list(workstation_ids)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""
            WITH locked AS (SELECT id, workstation_id, amount FROM funding_grant WHERE workstation_id = ANY(%s)
                            ORDER BY id FOR UPDATE)
            SELECT w.id, w.name, w.state, g.id, EXISTS (SELECT 1 FROM funding_tranche t
                                                      WHERE t.grant_id = g.id AND t.kind = 'second'), g.amount
            FROM qinshui_station_workstation w LEFT JOIN locked g ON g.workstation_id = w.id
            WHERE w.id = ANY(%s)
        """, [ids, ids])
        all_rows = cursor.fetchall()
        rows = [row[:5] for row in all_rows]
        if missing := [name for _pk, name, _state, grant, _second in rows if grant is None]:
            raise ValidationError(_("%(station)s没有建设补助记录，无法安排第二批资金。")
                                  % {"station": names_for_message(missing)})
        if revoked := [name for _pk, name, state, _grant, _second in rows if state == WorkstationState.REVOKED]:
            raise ValidationError(_("工作站已撤销，不能安排第二批资金。") + names_for_message(revoked))
        if twice := [name for _pk, name, _state, _grant, second in rows if second]:
            raise ValidationError(_("第二批资金已安排，不能重复安排。") + names_for_message(twice))
        cursor.execute("""
            WITH scheduled AS (
                INSERT INTO funding_tranche (grant_id, kind, amount, state, scheduled_at, voucher_number,
                                             paid_account_name, paid_bank, paid_account_number, cancel_reason,
                                             cancel_event)
                SELECT i.grant_id, 'second', i.amount, 'scheduled', %(now)s, '', '', '', '', '', ''
                FROM unnest(%(grants)s::bigint[], %(amounts)s::numeric[]) AS i(grant_id, amount)
                RETURNING id, grant_id, amount),
            audited AS (
                INSERT INTO qinshui_station_auditentry (at, actor_id, actor_label, object_type, object_id,
                                                        object_label, action, from_state, to_state, reason, data)
                SELECT %(now)s, %(actor)s, %(actor_label)s, 'funding.tranche', s.id::text,
                       LEFT(w.name || ' ' || %(kind)s || ' ¥' || s.amount::text, 200), 'tranche_scheduled', '',
                       'scheduled', '', '{}'::jsonb
                FROM scheduled s JOIN funding_grant g ON g.id = s.grant_id
                JOIN qinshui_station_workstation w ON w.id = g.workstation_id)
            SELECT s.id, s.amount, w.name FROM scheduled s JOIN funding_grant g ON g.id = s.grant_id
            JOIN qinshui_station_workstation w ON w.id = g.workstation_id
        """, {"grants": [grant for *_r, grant, _second, _amount in all_rows],
              "amounts": [split(amount)[1] for *_r, amount in all_rows],  # the same split as one station's
              "now": now, "actor": actor.pk, "actor_label": audit._actor_label(actor),
              "kind": str(TrancheKind.SECOND.label)})
        scheduled = cursor.fetchall()
        hr = list(users_with_role(Role.HR).values_list("pk", flat=True))
        kind = TrancheKind.SECOND.label
        notifications.notify_many(
            (user, _("%(station)s%(kind)s%(amount)s已安排，请审批。") % {"station": name, "kind": kind,
                                                                          "amount": yuan(amount)},
             reverse("funding:tranche_detail", args=[pk]))
            for pk, amount, name in scheduled for user in hr)
    return len(scheduled)


def cancel_open_tranches_bulk(*, reasons: dict[int, str], actor, event: str) -> int:
    """``cancel_open_tranches`` for many stations: ``reasons`` maps each station id to its reason. Every
    scheduled or approved tranche of those stations cancelled, audited and reported to the unit and the bureaus
    in a few statements. Returns how many tranches were cancelled."""
    if event not in CancelEvent.values:
        raise ValueError(f"unknown cancel event {event!r}")
    if any(not (reason or "").strip() for reason in reasons.values()):
        raise ValidationError(_("取消拨付须说明原因。"))
    if not reasons:
        return 0
    ids, texts = zip(*reasons.items(), strict=True)
    now = timezone.now()
    kinds = dict(TrancheKind.choices)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""
            WITH input AS (SELECT * FROM unnest(%(ids)s::bigint[], %(reasons)s::text[]) AS i(id, reason)),
            open_tranches AS (
                SELECT t.id, t.state AS before, i.reason, w.id AS station_id, w.name, w.unit_id
                FROM funding_tranche t JOIN funding_grant g ON g.id = t.grant_id
                JOIN qinshui_station_workstation w ON w.id = g.workstation_id JOIN input i ON i.id = w.id
                WHERE t.state = ANY(%(open)s) ORDER BY t.id FOR UPDATE OF t),
            cancelled AS (
                UPDATE funding_tranche t SET state = 'cancelled', cancelled_at = %(now)s, cancel_reason = o.reason,
                                             cancel_event = %(event)s
                FROM open_tranches o WHERE t.id = o.id
                RETURNING t.id, t.kind, t.amount, o.before, o.reason, o.station_id, o.name, o.unit_id),
            audited AS (
                INSERT INTO qinshui_station_auditentry (at, actor_id, actor_label, object_type, object_id,
                                                        object_label, action, from_state, to_state, reason, data)
                SELECT %(now)s, %(actor)s, %(actor_label)s, 'funding.tranche', id::text,
                       LEFT(name || ' ' || CASE kind WHEN 'first' THEN %(first)s ELSE %(second)s END
                            || ' ¥' || amount::text, 200),
                       'tranche_cancelled', before, 'cancelled', reason, jsonb_build_object('event', %(event)s)
                FROM cancelled)
            SELECT station_id, name, unit_id, MIN(reason), COUNT(*) FROM cancelled GROUP BY station_id, name, unit_id
        """, {"ids": list(ids), "reasons": list(texts), "now": now, "event": event, "actor": actor.pk,
              "actor_label": audit._actor_label(actor), "first": str(kinds[TrancheKind.FIRST]),
              "second": str(kinds[TrancheKind.SECOND]), "open": [str(s) for s in OPEN_TRANCHE_STATES]})
        stations = cursor.fetchall()
        bureaus = [pk for role in (Role.HR, Role.FINANCE) for pk in users_with_role(role).values_list("pk", flat=True)]
        unit_users = user_ids_by_organization(Role.UNIT, [unit for _s, _n, unit, _r, _c in stations])
        label = CancelEvent(event).label
        notifications.notify_many(
            (user, _("%(station)s的%(n)d笔未拨付补助资金已取消（%(event)s）：%(reason)s") % {
                "station": name, "n": count, "event": label, "reason": reason},
             reverse("funding:statement", args=[station_id]))
            for station_id, name, unit_id, reason, count in stations
            for user in [*unit_users.get(unit_id, []), *bureaus])
    return sum(count for *_rest, count in stations)


# --- Tranches -----------------------------------------------------------------------------------------

def approve_tranche(*, tranche_id: int, actor) -> Tranche:
    """HR approves a scheduled tranche; finance is told to pay it."""
    with transaction.atomic():
        tranche = _locked_tranche(tranche_id)
        move = _tranche_move(tranche, TrancheState.APPROVED)
        move.check(actor=actor, obj=tranche)
        _refuse_if_revoked(tranche)
        before = tranche.state
        tranche.state = TrancheState.APPROVED
        tranche.approved_by = actor
        tranche.approved_at = timezone.now()
        tranche.full_clean()
        tranche.save()
        audit.record(actor=actor, obj=tranche, action="tranche_approved", before=before, after=tranche.state)
        notifications.notify(
            users_with_role(Role.FINANCE),
            _("%(station)s%(kind)s%(amount)s已审批，请登记拨付。") % _tranche_words(tranche),
            tranche.get_absolute_url(),
        )
    return tranche


def disburse_tranche(*, tranche_id: int, actor, disbursed_on: date, voucher_number: str) -> Tranche:
    """Finance records the payment: date, voucher and the account paid into, copied from the unit's data at
    this moment. The row lock makes a second press (or a second person) wait and then find it paid."""
    voucher_number = (voucher_number or "").strip()
    with transaction.atomic():
        tranche = _locked_tranche(tranche_id)
        if tranche.state == TrancheState.DISBURSED:
            raise workflow.TransitionRefused(
                _("该笔资金已于%(on)s拨付（凭证号%(voucher)s），不能重复拨付。")
                % {"on": f"{tranche.disbursed_on:%Y-%m-%d}", "voucher": tranche.voucher_number})
        move = _tranche_move(tranche, TrancheState.DISBURSED)
        move.check(actor=actor, obj=tranche)
        _refuse_if_revoked(tranche)
        errors = {}
        if disbursed_on is None:
            errors["disbursed_on"] = _("请填写拨付日期。")
        elif disbursed_on > timezone.localdate():
            errors["disbursed_on"] = _("拨付日期不能晚于今天。")
        elif tranche.approved_at and disbursed_on < timezone.localtime(tranche.approved_at).date():
            errors["disbursed_on"] = _("拨付日期不能早于审批日期%(day)s。") % {
                "day": f"{timezone.localtime(tranche.approved_at):%Y-%m-%d}"}
        if not voucher_number:
            errors["voucher_number"] = _("请填写记账凭证号。")
        unit = tranche.grant.workstation.unit
        if not unit.bank_account_number.strip():
            errors[None] = _("%(unit)s尚未在“单位信息”中填写银行开户账号，不能登记拨付。") % {"unit": unit}
        if errors:
            raise ValidationError(errors)
        before = tranche.state
        tranche.state = TrancheState.DISBURSED
        tranche.disbursed_by = actor
        tranche.disbursed_on = disbursed_on
        tranche.voucher_number = voucher_number
        tranche.paid_account_name = unit.bank_account_name or unit.name
        tranche.paid_bank = unit.bank_name
        tranche.paid_account_number = unit.bank_account_number.replace(" ", "")
        tranche.full_clean()
        tranche.save()
        audit.record(actor=actor, obj=tranche, action="tranche_disbursed", before=before, after=tranche.state,
                     data={"on": disbursed_on.isoformat(), "voucher": voucher_number})
        notifications.notify(
            users_with_role(Role.UNIT, unit),
            _("%(station)s%(kind)s%(amount)s已拨付到单位账户。") % _tranche_words(tranche),
            tranche.grant.get_absolute_url(),
        )
    return tranche


def cancel_tranche(*, tranche_id: int, actor, reason: str) -> Tranche:
    """HR cancels one tranche by hand (reason required)."""
    with transaction.atomic():
        tranche = _locked_tranche(tranche_id)
        move = _tranche_move(tranche, TrancheState.CANCELLED)
        move.check(actor=actor, obj=tranche, reason=reason)
        before = tranche.state
        tranche.state = TrancheState.CANCELLED
        tranche.cancelled_at = timezone.now()
        tranche.cancel_reason = reason.strip()
        tranche.cancel_event = CancelEvent.MANUAL
        tranche.full_clean()
        tranche.save()
        audit.record(actor=actor, obj=tranche, action="tranche_cancelled", before=before, after=tranche.state,
                     reason=tranche.cancel_reason, data={"event": CancelEvent.MANUAL})
        notifications.notify(
            _unit_and_bureaus(tranche.grant.workstation),
            _("%(station)s%(kind)s%(amount)s已取消拨付。") % _tranche_words(tranche),
            tranche.grant.get_absolute_url(),
        )
    return tranche


# --- Expenditures -------------------------------------------------------------------------------------

def record_expenditure(*, workstation_id: int, actor, spent_on: date, category: ExpenditureCategory,
                       amount: Decimal, description: str, documents: list) -> Expenditure:
    """The unit records a use of the subsidy. Refused: a category 第十二条 forbids (at the field, with the
    article), spending past what was disbursed (with the figures), no invoice or voucher. The grant row is
    locked so that two expenditures recorded at once cannot overspend together."""
    amount = _money(amount, field="amount")
    description = (description or "").strip()
    with transaction.atomic():
        try:
            grant = (Grant.objects.select_for_update(of=("self",)).select_related("workstation__unit")
                     .get(workstation_id=workstation_id))
        except Grant.DoesNotExist:
            raise ValidationError(_("该工作站尚无建设补助，不能登记支出。")) from None
        station = grant.workstation
        if not (actor.role == Role.UNIT and actor.organization_id == station.unit_id):
            raise PermissionDenied(_("只有工作站所在单位可以登记补助资金支出。"))
        errors: dict = {}
        if station.state == WorkstationState.REVOKED:
            raise ValidationError(_("工作站已撤销，不能再登记补助资金支出。"))
        if category is None:
            errors["category"] = _("请选择支出类别。")
        elif not category.allowed:
            errors["category"] = refusal_message(category)
        elif not category.active:
            errors["category"] = _("支出类别“%(name)s”已停用。") % {"name": category.name}
        if spent_on is None:
            errors["spent_on"] = _("请填写支出日期。")
        elif spent_on > timezone.localdate():
            errors["spent_on"] = _("支出日期不能晚于今天。")
        elif spent_on < station.recognized_on:
            errors["spent_on"] = _("支出日期不能早于工作站认定日期%(day)s。") % {
                "day": f"{station.recognized_on:%Y-%m-%d}"}
        if not description:
            errors["description"] = _("请说明支出用途。")
        if amount <= 0:
            errors["amount"] = _("金额须大于零。")
        else:
            disbursed, spent = _disbursed_and_spent(grant)
            if spent + amount > disbursed:
                errors["amount"] = _overspend_message(disbursed, spent, amount)
        if not documents:
            errors["documents"] = _("请上传发票或支出凭证（PDF、JPEG或PNG）。")
        if errors:
            raise ValidationError(errors)
        expenditure = Expenditure(grant=grant, spent_on=spent_on, category=category, amount=amount,
                                  description=description, recorded_by=actor)
        expenditure.full_clean()
        expenditure.save()
        for uploaded in documents:
            document = ExpenditureDocument(expenditure=expenditure)
            try:
                document.attach(uploaded, user=actor)
            except ValidationError as error:
                raise ValidationError({"documents": error.messages}) from None
            document.full_clean()
            document.save()
        audit.record(actor=actor, obj=expenditure, action="expenditure_recorded", after=expenditure.state,
                     data={"amount": str(amount), "category": category.code, "documents": len(documents)})
    return expenditure


def question_expenditure(*, expenditure_id: int, actor, reason: str) -> Expenditure:
    """HR or finance flags an expenditure as questioned; the unit is asked to explain."""
    with transaction.atomic():
        expenditure = _locked_expenditure(expenditure_id)
        move = _expenditure_move(expenditure, ExpenditureState.QUESTIONED)
        move.check(actor=actor, obj=expenditure, reason=reason)
        before = expenditure.state
        expenditure.state = ExpenditureState.QUESTIONED
        expenditure.question = reason.strip()
        expenditure.questioned_by = actor
        expenditure.questioned_at = timezone.now()
        expenditure.decision = ""
        expenditure.decided_by = None
        expenditure.decided_at = None
        expenditure.full_clean()
        expenditure.save()
        audit.record(actor=actor, obj=expenditure, action="expenditure_questioned", before=before,
                     after=expenditure.state, reason=expenditure.question)
        station = expenditure.grant.workstation
        notifications.notify(
            [*users_with_role(Role.UNIT, station.unit), *users_with_role(Role.HR)],
            _("%(station)s的一笔补助资金支出（%(amount)s）被提出疑问：%(reason)s")
            % {"station": station, "amount": yuan(expenditure.amount), "reason": expenditure.question},
            expenditure.get_absolute_url(),
        )
    return expenditure


def clear_expenditure(*, expenditure_id: int, actor, reason: str) -> Expenditure:
    """The question is resolved in the unit's favour."""
    with transaction.atomic():
        expenditure = _locked_expenditure(expenditure_id)
        move = _expenditure_move(expenditure, ExpenditureState.CLEARED)
        move.check(actor=actor, obj=expenditure, reason=reason)
        before = expenditure.state
        _decide(expenditure, ExpenditureState.CLEARED, actor, reason)
        audit.record(actor=actor, obj=expenditure, action="expenditure_cleared", before=before,
                     after=expenditure.state, reason=expenditure.decision)
        station = expenditure.grant.workstation
        notifications.notify(
            users_with_role(Role.UNIT, station.unit),
            _("%(station)s的补助资金支出（%(amount)s）经核实无误。")
            % {"station": station, "amount": yuan(expenditure.amount)},
            expenditure.get_absolute_url(),
        )
    return expenditure


def uphold_misuse(*, expenditure_id: int, actor, reason: str, recovery_amount: Decimal,
                  on: date | None = None) -> Recovery:
    """HR upholds the misuse (第十三条): the station is revoked on the ground 'misuse of the county subsidy'
    (第十条) unless it already is, its open tranches are cancelled, and the amount to recover is recorded."""
    recovery_amount = _money(recovery_amount, field="recovery_amount")
    with transaction.atomic():
        expenditure = _locked_expenditure(expenditure_id)
        move = _expenditure_move(expenditure, ExpenditureState.MISUSE)
        move.check(actor=actor, obj=expenditure, reason=reason)
        reason = reason.strip()
        grant = Grant.objects.select_for_update().select_related("workstation__unit").get(pk=expenditure.grant_id)
        disbursed, _spent = _disbursed_and_spent(grant)
        already = grant.recoveries.aggregate(s=Sum("amount"))["s"] or ZERO
        if recovery_amount <= 0:
            raise ValidationError({"recovery_amount": _("应追回金额须大于零。")})
        if already + recovery_amount > disbursed:
            raise ValidationError({"recovery_amount": _(
                "应追回金额不能超过已拨付金额：已拨付%(disbursed)s，已登记追回%(already)s，本次%(amount)s，"
                "超出%(over)s。") % {"disbursed": yuan(disbursed), "already": yuan(already),
                                     "amount": yuan(recovery_amount),
                                     "over": yuan(already + recovery_amount - disbursed)}})
        before = expenditure.state
        _decide(expenditure, ExpenditureState.MISUSE, actor, reason)
        audit.record(actor=actor, obj=expenditure, action="expenditure_misuse_upheld", before=before,
                     after=expenditure.state, reason=reason)
        station = grant.workstation
        if station.state != WorkstationState.REVOKED:
            revoke_workstation(workstation_id=station.pk, actor=actor, ground=RevocationGround.SUBSIDY_MISUSE,
                               facts=reason, on=on)
        cancel_open_tranches(workstation=station, actor=actor, event=CancelEvent.REVOCATION,
                             reason=_("违规使用县级专项补助资金，撤销工作站称号：%(reason)s") % {"reason": reason})
        recovery = Recovery(grant=grant, expenditure=expenditure, amount=recovery_amount, reason=reason,
                            decided_by=actor)
        recovery.full_clean()
        recovery.save()
        audit.record(actor=actor, obj=recovery, action="recovery_recorded", after=recovery.state,
                     reason=reason, data={"amount": str(recovery_amount)})
        notifications.notify(
            _unit_and_bureaus(station),
            _("%(station)s违规使用补助资金，已撤销称号，应追回%(amount)s。")
            % {"station": station, "amount": yuan(recovery_amount)},
            recovery.get_absolute_url(),
        )
    return recovery


def mark_recovered(*, recovery_id: int, actor, recovered_on: date, voucher_number: str) -> Recovery:
    """Finance records that the money came back (date and voucher)."""
    voucher_number = (voucher_number or "").strip()
    with transaction.atomic():
        recovery = Recovery.objects.select_for_update().select_related("grant__workstation__unit").get(
            pk=recovery_id)
        if recovery.state == RecoveryState.RECOVERED:
            raise workflow.TransitionRefused(
                _("该笔款项已于%(on)s登记追回（凭证号%(voucher)s），不能重复登记。")
                % {"on": f"{recovery.recovered_on:%Y-%m-%d}", "voucher": recovery.recovered_voucher})
        move = workflow.move_for(RECOVERY_TRANSITIONS, recovery.state, RecoveryState.RECOVERED,
                                 dict(RecoveryState.choices))
        move.check(actor=actor, obj=recovery)
        errors = {}
        if recovered_on is None:
            errors["recovered_on"] = _("请填写追回日期。")
        elif recovered_on > timezone.localdate():
            errors["recovered_on"] = _("追回日期不能晚于今天。")
        if not voucher_number:
            errors["voucher_number"] = _("请填写缴款凭证号。")
        if errors:
            raise ValidationError(errors)
        before = recovery.state
        recovery.state = RecoveryState.RECOVERED
        recovery.recovered_on = recovered_on
        recovery.recovered_voucher = voucher_number
        recovery.recovered_by = actor
        recovery.full_clean()
        recovery.save()
        audit.record(actor=actor, obj=recovery, action="recovery_recovered", before=before, after=recovery.state,
                     data={"on": recovered_on.isoformat(), "voucher": voucher_number})
        station = recovery.grant.workstation
        notifications.notify(
            [*users_with_role(Role.UNIT, station.unit), *users_with_role(Role.HR)],
            _("%(station)s应追回的%(amount)s已登记追回。") % {"station": station, "amount": yuan(recovery.amount)},
            recovery.get_absolute_url(),
        )
    return recovery


# --- Helpers ------------------------------------------------------------------------------------------

def refusal_message(category: ExpenditureCategory) -> str:
    return _("“%(name)s”不能使用补助资金列支。%(article)s") % {"name": category.name, "article": category.refusal}


def _overspend_message(disbursed: Decimal, spent: Decimal, amount: Decimal) -> str:
    return _("补助资金支出不能超过已拨付金额：已拨付%(disbursed)s，已支出%(spent)s，本次%(amount)s，超出%(over)s。") % {
        "disbursed": yuan(disbursed), "spent": yuan(spent), "amount": yuan(amount),
        "over": yuan(spent + amount - disbursed)}


def _disbursed_and_spent(grant: Grant) -> tuple[Decimal, Decimal]:
    disbursed = grant.tranches.filter(state=TrancheState.DISBURSED).aggregate(s=Sum("amount"))["s"] or ZERO
    spent = grant.expenditures.aggregate(s=Sum("amount"))["s"] or ZERO
    return disbursed, spent


def _money(value, *, field: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, never float")
    try:
        amount = Decimal(value)
    except Exception:
        raise ValidationError({field: _("请输入金额（元，精确到分）。")}) from None
    if not amount.is_finite() or amount != amount.quantize(FEN):
        raise ValidationError({field: _("金额须精确到分。")})
    return amount.quantize(FEN)


def _locked_tranche(tranche_id: int) -> Tranche:
    return (Tranche.objects.select_for_update(of=("self",)).select_related("grant__workstation__unit")
            .get(pk=tranche_id))


def _locked_expenditure(expenditure_id: int) -> Expenditure:
    return (Expenditure.objects.select_for_update(of=("self",)).select_related("grant__workstation__unit")
            .get(pk=expenditure_id))


def _tranche_move(tranche: Tranche, to: str):
    return workflow.move_for(TRANSITIONS, tranche.state, to, dict(TrancheState.choices))


def _expenditure_move(expenditure: Expenditure, to: str):
    return workflow.move_for(EXPENDITURE_TRANSITIONS, expenditure.state, to, dict(ExpenditureState.choices))


def _decide(expenditure: Expenditure, to: str, actor, reason: str) -> None:
    expenditure.state = to
    expenditure.decision = reason.strip()
    expenditure.decided_by = actor
    expenditure.decided_at = timezone.now()
    expenditure.full_clean()
    expenditure.save()


def _refuse_if_revoked(tranche: Tranche) -> None:
    if tranche.grant.workstation.state == WorkstationState.REVOKED:
        raise workflow.TransitionRefused(_("工作站已撤销，其未拨付资金不再拨付。"))


def _tranche_words(tranche: Tranche) -> dict:
    return {"station": tranche.grant.workstation, "kind": tranche.get_kind_display(), "amount": yuan(tranche.amount)}


def _notify_scheduled(tranche: Tranche, station) -> None:
    notifications.notify(
        users_with_role(Role.HR),
        _("%(station)s%(kind)s%(amount)s已安排，请审批。") % {
            "station": station, "kind": tranche.get_kind_display(), "amount": yuan(tranche.amount)},
        tranche.get_absolute_url(),
    )


def _unit_and_bureaus(station) -> list:
    return [*users_with_role(Role.UNIT, station.unit), *users_with_role(Role.HR), *users_with_role(Role.FINANCE)]
