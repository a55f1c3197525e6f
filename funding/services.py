"""The funding app's services. ``applications`` and ``reviews`` call the three at the top (schedule the
first tranche at recognition, the second after final acceptance, cancel on revocation or failure);
nothing here calls back up. Every state change locks its row (``select_for_update``), checks the move in
``funding.workflow``, writes the audit log and notifies the people who act next."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from funding import sums
from funding.models import (
    Expenditure,
    ExpenditureCategory,
    ExpenditureDocument,
    Grant,
    Recovery,
    Tranche,
    tranche_label,
)
from funding.tranches import FEN, split
from funding.workflow import (
    OPEN_TRANCHE_STATES,
    CancelEvent,
    ExpenditureState,
    RecoveryState,
    TrancheKind,
    TrancheState,
    expenditure_guard,
)
from qinshui_station import audit, bulk, engine, notifications, workflow
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
        sums.refresh(grant_ids=[grant.pk])
    return grant


def schedule_second_tranche(*, workstation, actor) -> Tranche:
    """Final acceptance passed: the remaining 60% becomes due (``schedule_second_tranches`` for one)."""
    return Tranche.objects.get(pk=schedule_second_tranches(workstation_ids=[workstation.pk], actor=actor)[0])


def schedule_second_tranches(*, workstation_ids: list[int], actor) -> list[int]:
    """The second tranches of these stations (grant − round(grant × 40%, 2): ``split``'s second part): the
    grants locked; refused, naming the stations, without a grant, when revoked, before the final acceptance, or
    when already scheduled.
    A few statements whatever the number (the tranches written from their values, ``bulk.insert``); HR is
    told to approve them. Returns the new tranches' ids, in the order of ``workstation_ids``."""
    if not workstation_ids:
        return []
    with transaction.atomic():
        grants = list(Grant.objects.select_for_update(of=("self",)).filter(workstation_id__in=list(workstation_ids))
                      .order_by("pk").values_list("pk", "workstation_id", "amount", "workstation__name",
                                                  "workstation__state"))
        if missing := set(workstation_ids) - {station for _pk, station, *_rest in grants}:
            names = Workstation.objects.filter(pk__in=missing).values_list("name", flat=True)
            raise ValidationError(_("%(station)s没有建设补助记录，无法安排第二批资金。")
                                  % {"station": names_for_message(list(names))})
        if revoked := [name for *_rest, name, state in grants if state == WorkstationState.REVOKED]:
            raise ValidationError(_("工作站已撤销，不能安排第二批资金。") + names_for_message(revoked))
        # SPEC.md: the 60% after the construction period's final acceptance is passed (events.ACCEPTED)
        if building := [name for *_rest, name, state in grants if state != WorkstationState.ACCEPTED]:
            raise ValidationError(_("工作站尚未通过建设期满验收，不能安排第二批资金（验收合格后拨付60%）。")
                                  + names_for_message(building))
        grant_ids = [pk for pk, *_rest in grants]
        twice = set(Tranche.objects.filter(grant_id__in=grant_ids, kind=TrancheKind.SECOND)
                    .values_list("grant_id", flat=True))
        if twice:
            raise ValidationError(_("第二批资金已安排，不能重复安排。")
                                  + names_for_message([name for pk, _ws, _amount, name, _state in grants
                                                       if pk in twice]))
        # ``split``'s second part; the database checks the invariants (constraints, the deferred sum trigger).
        amounts = [split(amount)[1] for _pk, _ws, amount, *_rest in grants]
        ids = bulk.insert(Tranche, ("grant_id", "amount"), list(zip(grant_ids, amounts, strict=True)),
                          kind=TrancheKind.SECOND, state=TrancheState.SCHEDULED)
        sums.refresh(grant_ids=grant_ids)
        audit.record_many(actor=actor, entries=[
            audit.entry_of(Tranche, pk, tranche_label(name, TrancheKind.SECOND, amount), action="tranche_scheduled",
                           after=TrancheState.SCHEDULED)
            for pk, (_grant, _ws, _old, name, _state), amount in zip(ids, grants, amounts, strict=True)])
        hr = list(users_with_role(Role.HR).values_list("pk", flat=True))
        links = notifications.urls("funding:tranche_detail", ids)
        text, kind = _("%(station)s%(kind)s%(amount)s已安排，请审批。"), str(TrancheKind.SECOND.label)
        notifications.notify_many(
            (user, message, links[pk])
            for pk, (_grant, _ws, _old, name, _state), amount in zip(ids, grants, amounts, strict=True)
            for message in [text % {"station": name, "kind": kind, "amount": yuan(amount)}]
            for user in hr)
    by_station = {station: pk for pk, (_grant, station, *_rest) in zip(ids, grants, strict=True)}
    return [by_station[pk] for pk in workstation_ids]


def cancel_open_tranches(*, reasons: dict[int, str], actor, event: str) -> int:
    """Revocation, a failed evaluation: every tranche not yet disbursed of these stations is cancelled;
    ``reasons`` maps each station id to its reason. The unit and the bureaus are told. Returns how many."""
    if event not in CancelEvent.values:
        raise ValueError(f"unknown cancel event {event!r}")
    if any(not (reason or "").strip() for reason in reasons.values()):
        raise ValidationError(_("取消拨付须说明原因。"))
    if not reasons:
        return 0
    with transaction.atomic():
        cancelled = engine.move_many(
            Tranche.objects.filter(grant__workstation_id__in=list(reasons), state__in=OPEN_TRANCHE_STATES),
            to=TrancheState.CANCELLED, actor=actor, reason=lambda t: reasons[t.grant.workstation_id],
            action="tranche_cancelled", data=lambda _t: {"event": event}, cancelled_at=timezone.now(),
            cancel_event=event, per_row=lambda t: {"cancel_reason": reasons[t.grant.workstation_id]})
        sums.refresh(grant_ids={tranche.grant_id for tranche in cancelled})
        by_station: dict = {}
        for tranche in cancelled:
            by_station.setdefault(tranche.grant.workstation, []).append(tranche)
        bureaus = [pk for role in (Role.HR, Role.FINANCE) for pk in users_with_role(role).values_list("pk", flat=True)]
        unit_users = user_ids_by_organization(Role.UNIT, [station.unit_id for station in by_station])
        label = CancelEvent(event).label
        links = notifications.urls("funding:statement", [station.pk for station in by_station])
        notifications.notify_many(
            (user, message, links[station.pk])
            for station, tranches in by_station.items()
            for message in [_("%(station)s的%(n)d笔未拨付补助资金已取消（%(event)s）：%(reason)s") % {
                "station": station.name, "n": len(tranches), "event": label, "reason": reasons[station.pk]}]
            for user in [*unit_users.get(station.unit_id, []), *bureaus])
    return len(cancelled)


def on_station_revoked(event) -> None:
    """``events.REVOKED``: the open tranches go (a failed evaluation, or revocation on 第十条's grounds)."""
    cause = (CancelEvent.FAILED_EVALUATION if event.ground == RevocationGround.FAILED_EVALUATION
             else CancelEvent.REVOCATION)
    cancel_open_tranches(reasons=event.reasons, actor=event.actor, event=cause)


def on_station_recognized(event) -> None:
    """``events.RECOGNIZED``: the grant for the batch's amount, its first tranche scheduled."""
    for station in Workstation.objects.filter(pk__in=event.station_ids).order_by("pk"):
        create_grant(workstation=station, amount=event.data[station.pk], actor=event.actor)


def on_construction_ended(event) -> None:
    """``events.CONSTRUCTION_ENDED``: the period is over without final acceptance, so the second tranche (第十一条:
    after acceptance) is not due — marked on each grant that has none yet, audited. Acceptance later still
    schedules it (``on_station_accepted``)."""
    grants = list(Grant.objects.select_for_update(of=("self",)).select_related("workstation")  # labels: no query a row
                  .filter(workstation_id__in=event.station_ids, second_not_due_since__isnull=True)
                  .exclude(tranches__kind=TrancheKind.SECOND).order_by("pk"))
    if not grants:
        return
    Grant.objects.filter(pk__in=[g.pk for g in grants]).update(second_not_due_since=event.on)
    audit.record_many(actor=event.actor, entries=[
        audit.entry(obj=g, action="second_tranche_not_due", reason=event.reasons[g.workstation_id]) for g in grants])


def on_station_accepted(event) -> None:
    """``events.ACCEPTED``: final acceptance passed, the second tranche becomes due."""
    schedule_second_tranches(workstation_ids=event.station_ids, actor=event.actor)


# --- Tranches -----------------------------------------------------------------------------------------

def approve_tranche(*, tranche_id: int, actor) -> Tranche:
    """HR approves a scheduled tranche; finance is told to pay it."""
    with transaction.atomic():
        tranche = engine.lock(Tranche.objects, pk=tranche_id)
        engine.move(tranche, to=TrancheState.APPROVED, actor=actor, action="tranche_approved", approved_by=actor,
                    approved_at=timezone.now(),
                    notify=lambda t: [(users_with_role(Role.FINANCE),
                                       _("%(station)s%(kind)s%(amount)s已审批，请登记拨付。") % _tranche_words(t),
                                       t.get_absolute_url())])
    return tranche


def disbursement_errors(tranche, *, disbursed_on, voucher_number: str) -> dict:
    """What is wrong with a payment's date and voucher, by field, all at once (``disburse_tranche`` refuses with
    them; the page asks too when its own form already refused a box)."""
    errors = {}
    if disbursed_on is None:
        errors["disbursed_on"] = _("请填写拨付日期。")
    elif disbursed_on > timezone.localdate():
        errors["disbursed_on"] = _("拨付日期不能晚于今天。")
    elif tranche.approved_at and disbursed_on < timezone.localtime(tranche.approved_at).date():
        errors["disbursed_on"] = _("拨付日期不能早于审批日期%(day)s。") % {
            "day": f"{timezone.localtime(tranche.approved_at):%Y-%m-%d}"}
    if not (voucher_number or "").strip():
        errors["voucher_number"] = _("请填写记账凭证号。")
    return errors


def disburse_tranche(*, tranche_id: int, actor, disbursed_on: date, voucher_number: str) -> Tranche:
    """Finance records the payment: date, voucher and the account paid into, copied from the unit's data at
    this moment. The row lock makes a second press (or a second person) wait and then find it paid."""
    voucher_number = (voucher_number or "").strip()
    with transaction.atomic():
        tranche = engine.lock(Tranche.objects, pk=tranche_id)
        if tranche.state == TrancheState.DISBURSED:
            raise workflow.TransitionRefused(
                _("该笔资金已于%(on)s拨付（凭证号%(voucher)s），不能重复拨付。")
                % {"on": f"{tranche.disbursed_on:%Y-%m-%d}", "voucher": tranche.voucher_number})
        engine.check(tranche, TrancheState.DISBURSED, actor=actor)
        if tranche.approved_by_id == actor.pk:  # SPEC.md "Separation of duties" (a constraint holds it too)
            raise PermissionDenied(_("审批这笔资金的人不能再登记拨付，请由县财政局的其他经办人办理。"))
        unit = tranche.grant.workstation.unit
        if errors := disbursement_errors(tranche, disbursed_on=disbursed_on, voucher_number=voucher_number):
            raise ValidationError(errors)
        engine.move(tranche, to=TrancheState.DISBURSED, actor=actor, action="tranche_disbursed",
                    data={"on": disbursed_on.isoformat(), "voucher": voucher_number}, disbursed_by=actor,
                    disbursed_on=disbursed_on, voucher_number=voucher_number,
                    paid_account_name=unit.bank_account_name or unit.name, paid_bank=unit.bank_name,
                    paid_account_number=unit.bank_account_number.replace(" ", ""),
                    notify=lambda t: [(users_with_role(Role.UNIT, unit),
                                       _("%(station)s%(kind)s%(amount)s已拨付到单位账户。") % _tranche_words(t),
                                       t.grant.get_absolute_url())])
        sums.refresh(grant_ids=[tranche.grant_id])
    return tranche


def cancel_tranche(*, tranche_id: int, actor, reason: str) -> Tranche:
    """HR cancels one tranche by hand (reason required)."""
    with transaction.atomic():
        tranche = engine.lock(Tranche.objects, pk=tranche_id)
        reason = (reason or "").strip()
        engine.move(tranche, to=TrancheState.CANCELLED, actor=actor, reason=reason, action="tranche_cancelled",
                    data={"event": CancelEvent.MANUAL}, cancelled_at=timezone.now(), cancel_reason=reason,
                    cancel_event=CancelEvent.MANUAL,
                    notify=lambda t: [(_unit_and_bureaus(t.grant.workstation),
                                       _("%(station)s%(kind)s%(amount)s已取消拨付。") % _tranche_words(t),
                                       t.grant.get_absolute_url())])
        sums.refresh(grant_ids=[tranche.grant_id])
    return tranche


# --- Expenditures -------------------------------------------------------------------------------------

def expenditure_errors(grant, *, spent_on, category, amount, description: str, documents) -> dict:
    """What is wrong with an expenditure for ``grant``, by field, all at once (``record_expenditure`` refuses with
    them; the page asks too when its own form already refused something, so that one try says everything)."""
    station = grant.workstation
    errors: dict = {}
    if category is None:
        errors["category"] = _("请选择支出类别。")
    elif not category.allowed:
        errors["category"] = refusal_message(category)
    elif not category.active:
        errors["category"] = _("支出类别“%(name)s”已停用。") % {"name": category.label}
    if spent_on is None:
        errors["spent_on"] = _("请填写支出日期。")
    elif spent_on > timezone.localdate():
        errors["spent_on"] = _("支出日期不能晚于今天。")
    elif spent_on < station.recognized_on:
        errors["spent_on"] = _("支出日期不能早于工作站认定日期%(day)s。") % {
            "day": f"{station.recognized_on:%Y-%m-%d}"}
    if not description:
        errors["description"] = _("请说明支出用途。")
    if amount is None:
        errors["amount"] = _("请填写金额。")
    elif amount <= 0:
        errors["amount"] = _("金额须大于零。")
    else:
        disbursed, spent = _disbursed_and_spent(grant)
        if spent + amount > disbursed:
            errors["amount"] = _overspend_message(disbursed, spent, amount)
    if not documents:
        errors["documents"] = _("请上传发票或支出凭证（PDF、JPEG或PNG）。")
    return errors


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
        expenditure_guard(actor, station)
        errors = expenditure_errors(grant, spent_on=spent_on, category=category, amount=amount,
                                    description=description, documents=documents)
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
        sums.refresh(grant_ids=[grant.pk])
    return expenditure


def question_expenditure(*, expenditure_id: int, actor, reason: str) -> Expenditure:
    """HR or finance flags an expenditure as questioned; the unit is asked to explain."""
    with transaction.atomic():
        expenditure = engine.lock(Expenditure.objects, pk=expenditure_id)
        reason = (reason or "").strip()
        engine.move(expenditure, to=ExpenditureState.QUESTIONED, actor=actor, reason=reason,
                    action="expenditure_questioned", question=reason, questioned_by=actor,
                    questioned_at=timezone.now(), decision="", decided_by=None, decided_at=None)
        sums.refresh(grant_ids=[expenditure.grant_id])
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
        expenditure = engine.lock(Expenditure.objects, pk=expenditure_id)
        reason = (reason or "").strip()
        engine.move(expenditure, to=ExpenditureState.CLEARED, actor=actor, reason=reason,
                    action="expenditure_cleared", **_decision(actor, reason))
        sums.refresh(grant_ids=[expenditure.grant_id])
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
        expenditure = engine.lock(Expenditure.objects, pk=expenditure_id)
        engine.check(expenditure, ExpenditureState.MISUSE, actor=actor, reason=reason)
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
        engine.move(expenditure, to=ExpenditureState.MISUSE, actor=actor, reason=reason,
                    action="expenditure_misuse_upheld", **_decision(actor, reason))
        station = grant.workstation
        if station.state != WorkstationState.REVOKED:
            revoke_workstation(workstation_id=station.pk, actor=actor, ground=RevocationGround.SUBSIDY_MISUSE,
                               facts=reason, on=on)
        recovery = Recovery(grant=grant, expenditure=expenditure, amount=recovery_amount, reason=reason,
                            decided_by=actor)
        recovery.full_clean()
        recovery.save()
        audit.record(actor=actor, obj=recovery, action="recovery_recorded", after=recovery.state,
                     reason=reason, data={"amount": str(recovery_amount)})
        sums.refresh(grant_ids=[grant.pk])
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
        recovery = engine.lock(Recovery.objects, pk=recovery_id)
        if recovery.state == RecoveryState.RECOVERED:
            raise workflow.TransitionRefused(
                _("该笔款项已于%(on)s登记追回（凭证号%(voucher)s），不能重复登记。")
                % {"on": f"{recovery.recovered_on:%Y-%m-%d}", "voucher": recovery.recovered_voucher})
        engine.check(recovery, RecoveryState.RECOVERED, actor=actor)
        errors = {}
        if recovered_on is None:
            errors["recovered_on"] = _("请填写追回日期。")
        elif recovered_on > timezone.localdate():
            errors["recovered_on"] = _("追回日期不能晚于今天。")
        if not voucher_number:
            errors["voucher_number"] = _("请填写缴款凭证号。")
        if errors:
            raise ValidationError(errors)
        engine.move(recovery, to=RecoveryState.RECOVERED, actor=actor, action="recovery_recovered",
                    data={"on": recovered_on.isoformat(), "voucher": voucher_number}, recovered_on=recovered_on,
                    recovered_voucher=voucher_number, recovered_by=actor)
        sums.refresh(grant_ids=[recovery.grant_id])
        station = recovery.grant.workstation
        notifications.notify(
            [*users_with_role(Role.UNIT, station.unit), *users_with_role(Role.HR)],
            _("%(station)s应追回的%(amount)s已登记追回。") % {"station": station, "amount": yuan(recovery.amount)},
            recovery.get_absolute_url(),
        )
    return recovery


# --- Helpers ------------------------------------------------------------------------------------------

def refusal_message(category: ExpenditureCategory) -> str:
    return _("“%(name)s”不能使用补助资金列支。%(article)s") % {"name": category.label, "article": category.refusal}


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


def _decision(actor, reason: str) -> dict:
    return {"decision": reason, "decided_by": actor, "decided_at": timezone.now()}


def _tranche_words(tranche: Tranche) -> dict:
    return {"station": tranche.grant.workstation, "kind": tranche.get_kind_display(), "amount": yuan(tranche.amount)}


def _scheduled_message(tranche: Tranche) -> str:
    return _("%(station)s%(kind)s%(amount)s已安排，请审批。") % _tranche_words(tranche)


def _notify_scheduled(tranche: Tranche, station) -> None:
    notifications.notify(users_with_role(Role.HR), _scheduled_message(tranche), tranche.get_absolute_url())


def _unit_and_bureaus(station) -> list:
    return [*users_with_role(Role.UNIT, station.unit), *users_with_role(Role.HR), *users_with_role(Role.FINANCE)]
