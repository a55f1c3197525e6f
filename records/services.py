"""HR's import of the stations recognized on paper before the portal (issue 18, docs/import.md).

``preview`` reads and checks a workbook and writes nothing. ``commit`` checks it again inside one transaction
(the portal may have changed since the preview) and, only when no row is refused, writes every new and changed
row: units and their accounts where missing (no password: an invitation to set one), workstations, grants,
tranches, the paper grades as ``reviews.ImportedResult`` (no round, no expert scores), revocations. History is
written as history: no application, review or 公示 is invented, and the state machines' moves are not replayed
(the records are created in the state the documents show). Every record written gets an audit entry saying it
was imported, by whom, from which file (kept, with its SHA-256)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from funding import sums
from funding.models import Grant, Tranche
from funding.workflow import CancelEvent, TrancheKind, TrancheState
from qinshui_station import audit, notifications
from qinshui_station import services as core_services
from qinshui_station.models import Organization, RevocationGround, User, Workstation
from qinshui_station.models.workstations import WorkstationState
from qinshui_station.roles import OrgKind, Role
from records import reader, validation
from records.models import ImportedStation, ImportedUnit, ImportFile
from records.validation import CHANGED, NEW, Check, Row
from reviews.models import ImportedResult

LOCK_KEY = 18_000_018  # pg_advisory_xact_lock: one import commits at a time


@dataclass
class Preview:
    name: str
    sha256: str
    size: int
    version: int
    check: Check


def preview(*, data: bytes, name: str, today: date | None = None) -> Preview:
    """Raises ``reader.FileRefused`` for a file that cannot be read at all; otherwise every row's outcome."""
    with translation.override("zh-hans"):
        book = reader.read(data, name)
        result = validation.check(book.rows, today=today)
    return Preview(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), version=book.version,
                   check=result)


def commit(*, actor, data: bytes, name: str, expected_sha256: str = "", today: date | None = None) -> ImportFile | None:
    """All or nothing. Returns the kept file, or None when the workbook matches the portal already (nothing is
    written, not even the file). Raises ``reader.FileRefused`` or ``ValidationError`` (the refusals by cell)."""
    if getattr(actor, "role", None) != Role.HR:
        raise PermissionDenied(_("只有县人社局可以导入历史数据。"))
    sha256 = hashlib.sha256(data).hexdigest()
    if expected_sha256 and sha256 != expected_sha256:
        raise ValidationError(_("文件与预览时不一致，请重新上传。"))
    with transaction.atomic(), translation.override("zh-hans"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        book = reader.read(data, name)
        _lock_rows_named_in(book)
        result = Preview(name=name, sha256=sha256, size=len(data), version=book.version,
                         check=validation.check(book.rows, today=today))
        if not result.check.ok:
            raise ValidationError([f"{cell}：{message}" for row in result.check.refused for cell, message in row.errors])
        if not result.check.writes_anything:
            return None
        kept = ImportFile(original_name=reader_name(name), sha256=sha256, size=len(data),
                          template_version=result.version, rows=len(result.check.rows),
                          created=result.check.count(NEW), changed=result.check.count(CHANGED),
                          unchanged=result.check.count(validation.UNCHANGED), committed_by=actor)
        kept._sniffed_ext = "xlsx"
        kept.file.save("import.xlsx", ContentFile(data), save=False)
        kept.full_clean()
        kept.save()
        writer = _Writer(actor=actor, kept=kept)
        for row in result.check.rows:
            if row.status in (NEW, CHANGED):
                writer.apply(row)
        writer.finish()
    return kept


def _lock_rows_named_in(book: reader.Workbook) -> None:
    """The stations, their tranches and the units the file names, locked before they are compared with the file,
    so that nothing the portal does meanwhile (a tranche approved, a profile saved) is overwritten unseen."""
    from records import template

    def column(key: str) -> set[str]:
        index = template.COLUMN_INDEX[key]
        return {str(cells[index]).strip() for _n, cells in book.rows if cells[index] is not None}

    plaques, codes = column("plaque_number"), {c.upper() for c in column("credit_code")}
    list(Workstation.objects.select_for_update().filter(plaque_number__in=plaques).values_list("pk", flat=True))
    list(Tranche.objects.select_for_update().filter(grant__workstation__plaque_number__in=plaques)
         .values_list("pk", flat=True))
    list(Organization.objects.select_for_update().filter(credit_code__in=codes).values_list("pk", flat=True))


def reader_name(name: str) -> str:
    from qinshui_station.uploads import clean_name

    return (clean_name(name) or "import.xlsx")[:120]


class _Writer:
    def __init__(self, *, actor, kept: ImportFile):
        self.actor, self.kept = actor, kept
        self.now = timezone.now()
        self.audits: list[audit.Entry] = []
        self.units: dict[str, Organization] = {}
        self.invited: list[User] = []
        self.new: dict[type, list] = {}
        self.revocations: list[tuple[Workstation, Row]] = []
        self.grants: list[Grant] = []  # every grant the file touches: their kept sums are refreshed (funding.sums)
        self.grant_ids: set[int] = set()

    # -- audit ----------------------------------------------------------------------------------------------
    def audit(self, obj, action: str, row: Row, *, before: str = "", after: str = "", fields=()) -> None:
        self.audits.append(audit.entry(
            obj=obj, action=action, before=before, after=after,
            reason=_("导入：%(file)s第%(row)d行") % {"file": self.kept.original_name, "row": row.number},
            data={"imported": True, "import_file": self.kept.pk, "file": self.kept.original_name,
                  "sha256": self.kept.sha256, "row": row.number, **({"fields": list(fields)} if fields else {})}))

    def _save(self, obj, row: Row, *, created: bool, fields=(), before="", after="", exclude=()) -> None:
        """New records wait for one INSERT per table (``finish``); changed ones are saved at once. Every one is
        cleaned first: its fields and ``clean()``. Uniqueness and the check constraints were checked for the whole
        file by ``validation`` and are enforced again by the database; asking it once per record took most of the
        time of an import (docs/decisions.md)."""
        if not created and not fields and before == after:
            return
        relations = [f.name for f in obj._meta.fields if f.is_relation]
        obj.full_clean(exclude=[*exclude, *relations], validate_unique=False, validate_constraints=False)
        if created:
            self.new.setdefault(type(obj), []).append((obj, row, after))
            return
        obj.save()
        self.audit(obj, "import_updated", row, before=before, after=after, fields=fields)

    @staticmethod
    def _assign(obj, updates: dict) -> list[str]:
        changed = []
        for key, value in updates.items():
            if getattr(obj, key) != value:
                setattr(obj, key, value)
                changed.append(key)
        return changed

    # -- rows -----------------------------------------------------------------------------------------------
    def apply(self, row: Row) -> None:
        unit = self._unit(row)
        station = self._station(row, unit)
        self._grant(row, station)
        self._results(row, station)
        self._revocation(row, station)
        record = getattr(station, "import_record", None) if row.station is not None else None
        if record is None:
            record = ImportedStation(workstation=station, first_file=self.kept, last_file=self.kept,
                                     revocation_imported=bool(row.typed.get("revocation_ground")))
            self.new.setdefault(ImportedStation, []).append((record, row, ""))
        else:
            record.last_file = self.kept
            record.revocation_imported = record.revocation_imported or (
                bool(row.typed.get("revocation_ground")) and getattr(row.station, "revocation", None) is None)
            record.save()

    def _unit(self, row: Row) -> Organization:
        out, typed = row.values, row.typed
        code = out["credit_code"]
        fields = {"name": out["unit_name"], "unit_type": typed["unit_type"], "department": typed["department"],
                  "contact_person": out["contact_person"], "contact_phone": out["contact_phone"],
                  "contact_email": out["contact_email"], "bank_account_name": out["bank_account_name"],
                  "bank_name": out["bank_name"], "bank_account_number": out["bank_account_number"]}
        if code in self.units:
            return self.units[code]
        org = row.organization
        if org is None:
            org = Organization(kind=OrgKind.UNIT, credit_code=code, **fields)
            self._save(org, row, created=True, after=OrgKind.UNIT)
            self.new.setdefault(ImportedUnit, []).append((ImportedUnit(organization=org, file=self.kept), row, ""))
        elif typed.get("unit_correctable"):
            self._save(org, row, created=False, fields=self._assign(org, fields))
        if typed.get("needs_account"):
            user = User(username=code, full_name=out["contact_person"], email=out["contact_email"],
                        phone=out["contact_phone"], role=Role.UNIT, organization=org)
            user.set_unusable_password()
            self._save(user, row, created=True, after=Role.UNIT, exclude=["password"])
            self.invited.append(user)
        self.units[code] = org
        return org

    def _station(self, row: Row, unit: Organization) -> Workstation:
        out, typed = row.values, row.typed
        recognized = typed["recognized_on"]
        # A revocation the portal does not hold yet goes through the one revocation (``_revoke``), from the state
        # the station was in before it; one it holds already stays.
        already_revoked = row.station is not None and row.station.state == WorkstationState.REVOKED
        state = (WorkstationState.REVOKED if already_revoked
                 else WorkstationState.ACCEPTED if typed.get("final_passed") else WorkstationState.CONSTRUCTION)
        fields = {"name": f"沁水县技师工作站（{out['unit_name']}·{out['occupation']}）"[:160], "unit": unit,
                  "occupation": out["occupation"], "leader_name": out["leader_name"],
                  "leader_skill_level": out["leader_skill_level"], "batch_year": recognized.year,
                  "plaque_number": out["plaque_number"], "recognition_document_number": out["document_number"],
                  "recognized_on": recognized, "construction_ends_on": typed["construction_ends_on_computed"],
                  "revoked_on": typed.get("revoked_on") if already_revoked else None}
        station = row.station
        if station is None:
            station = Workstation(state=state, **fields)
            self._save(station, row, created=True, after=state)
            return station
        before = station.state
        changed = self._assign(station, {**fields, "state": state})
        if "state" in changed:
            station.state_changed_at = self.now
        self._save(station, row, created=False, fields=changed, before=before if "state" in changed else "",
                   after=state if "state" in changed else "")
        return station

    def _grant(self, row: Row, station: Workstation) -> None:
        typed = row.typed
        grant = getattr(station, "grant", None) if row.station is not None else None
        if grant is not None:
            self.grants.append(grant)
        if grant is None:
            grant = Grant(workstation=station, amount=typed["amount"])
            self._save(grant, row, created=True, after=str(typed["amount"]))
        else:
            self._save(grant, row, created=False, fields=self._assign(grant, {"amount": typed["amount"]}))
        existing = {t.kind: t for t in grant.tranches.all()} if row.station is not None else {}
        for kind, prefix in ((TrancheKind.FIRST, "first"), (TrancheKind.SECOND, "second")):
            tranche = existing.get(kind)
            state = typed.get(f"{prefix}_state")
            if not state:
                if tranche is not None:  # a corrected file: the tranche should never have been scheduled
                    self.audit(tranche, "import_deleted", row, before=tranche.state)
                    tranche.delete()
                continue
            fields = self._tranche_fields(row, prefix, grant.amount)
            if tranche is None:
                tranche = Tranche(grant=grant, kind=kind, **fields)
                self._save(tranche, row, created=True, after=state)
            else:
                before = tranche.state
                changed = self._assign(tranche, fields)
                self._save(tranche, row, created=False, fields=changed, before=before if "state" in changed else "",
                           after=state if "state" in changed else "")

    def _tranche_fields(self, row: Row, prefix: str, amount) -> dict:
        from funding.tranches import split

        out, typed = row.values, row.typed
        state = typed[f"{prefix}_state"]
        paid_on = typed.get(f"{prefix}_paid_on")
        fields = {"amount": split(amount)[0 if prefix == "first" else 1], "state": state, "approved_at": None,
                  "disbursed_on": None, "voucher_number": "", "paid_account_name": "", "paid_bank": "",
                  "paid_account_number": "", "cancelled_at": None, "cancel_reason": "", "cancel_event": ""}
        if state == TrancheState.DISBURSED:
            fields.update(approved_at=_start_of(paid_on), disbursed_on=paid_on, voucher_number=out[f"{prefix}_voucher"],
                          paid_account_name=out["bank_account_name"], paid_bank=out["bank_name"],
                          paid_account_number=out["bank_account_number"])
        elif state == TrancheState.APPROVED:
            fields["approved_at"] = self.now
        elif state == TrancheState.CANCELLED:
            ground = typed["revocation_ground"]
            fields.update(cancelled_at=_start_of(typed["revoked_on"]),
                          cancel_reason=f"{RevocationGround(ground).label}：{out['revocation_facts']}"[:2000],
                          cancel_event=CancelEvent.FAILED_EVALUATION if ground == RevocationGround.FAILED_EVALUATION
                          else CancelEvent.REVOCATION)
        return fields

    def _results(self, row: Row, station: Workstation) -> None:
        wanted = dict(row.typed.get("grades", []))
        end_year = station.construction_ends_on.year
        existing = {r.year: r for r in station.imported_results.all()} if row.station is not None else {}
        portal_years = {e.round.year for e in getattr(row.station, "graded_evaluations", None) or []}
        for year, result in existing.items():
            if year not in wanted:
                self.audit(result, "import_deleted", row, before=result.grade)
                result.delete()
        for year, grade in wanted.items():
            if year in portal_years:
                continue
            result = existing.get(year)
            if result is None:
                result = ImportedResult(workstation=station, year=year, grade=grade,
                                        is_final_acceptance=year == end_year)
                self._save(result, row, created=True, after=grade)
            else:
                before = result.grade
                changed = self._assign(result, {"grade": grade, "is_final_acceptance": year == end_year})
                self._save(result, row, created=False, fields=changed, before=before, after=grade)

    def _revocation(self, row: Row, station: Workstation) -> None:
        typed, out = row.typed, row.values
        if not typed.get("revocation_ground"):
            return
        revocation = getattr(station, "revocation", None) if row.station is not None else None
        if revocation is None:
            self.revocations.append((station, row))
            return
        fields = {"ground": typed["revocation_ground"], "facts": out["revocation_facts"],
                  "effective_on": typed["revoked_on"]}
        self._save(revocation, row, created=False, fields=self._assign(revocation, fields))

    def _revoke(self) -> None:
        """The revocations the file adds, through the core's one revocation (``revoke_workstations``: the move
        along the station's table, the Revocation, the unit told, REVOKED announced), one call per ground and
        date, dated as the file says; each Revocation audited as imported as well."""
        groups: dict[tuple[str, date], dict[int, tuple[str, Row]]] = {}
        for station, row in self.revocations:
            key = (row.typed["revocation_ground"], row.typed["revoked_on"])
            groups.setdefault(key, {})[station.pk] = (row.values["revocation_facts"], row)
        for (ground, on), stations in groups.items():
            done = core_services.revoke_workstations(actor=self.actor, ground=ground, on=on,
                                                     facts={pk: facts for pk, (facts, _row) in stations.items()})
            for revocation in done:
                self.audit(revocation, "imported", stations[revocation.workstation_id][1], after=ground)

    def finish(self) -> None:
        for model in (Organization, ImportedUnit, User, Workstation, Grant, Tranche, ImportedResult, ImportedStation):
            waiting = self.new.pop(model, [])
            if model is Tranche:
                self.grant_ids.update(obj.grant.pk for obj, _row, _after in waiting)
            model.objects.bulk_create([obj for obj, _row, _after in waiting], batch_size=500)
            for obj, row, after in waiting:
                if model not in (ImportedStation, ImportedUnit):
                    self.audit(obj, "imported", row, after=after)
        audit.record_many(actor=self.actor, entries=self.audits)
        self.audits = []
        self._revoke()  # after the records above are on file, as it happened: recognized, then revoked
        audit.record_many(actor=self.actor, entries=self.audits)
        sums.refresh(grant_ids=[grant.pk for grant in self.grants] + list(self.grant_ids))
        invite(self.invited)


def invite(users: list[User]) -> int:
    """Units' accounts created without a password: a notification and an e-mail each (the e-mail after commit,
    through ``notifications``) with the password-reset link that sets the first password."""
    return notifications.notify_many(
        (user.pk, _("县人社局已为%(unit)s开通沁水县技师工作站管理平台账号（用户名：%(username)s），"
                    "请通过链接设置密码后登录。") % {"unit": user.organization.name, "username": user.username},
         reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(user.pk)),
                                                 default_token_generator.make_token(user)]))
        for user in users)


def _start_of(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None

