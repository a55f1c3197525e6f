"""The names a batch's applications share, kept with the members (applications/overlaps.py): every service that
changes members or moves an application in or out of the running leaves the kept rows equal to a recount, in the
same transaction; two units adding the same name at once both count; ``check_sums`` finds a hand-made
difference and repairs it."""

import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection, transaction

from applications import overlaps, services
from applications.models import Application, Member, Qualification, SharedName
from applications.workflow import State
from tests import factories as core
from tests.applications.factories import MemberFactory, application_in, eligible_application

pytestmark = pytest.mark.django_db


def kept(batch) -> dict:
    return {(row.name, row.qualification): row.applications for row in SharedName.objects.filter(batch=batch)}


def member_rows(app, *extra: dict) -> list[dict]:
    """The application's members as the form posts them, with ``extra`` rows after them."""
    return [{"name": m.name, "qualification": m.qualification, "post": m.post, "specialty": m.specialty}
            for m in app.members.all()] + list(extra)


def test_a_returned_applications_new_member_held_elsewhere_is_kept_and_forgotten_when_removed():
    first = application_in(State.SUBMITTED)
    returned = application_in(State.RETURNED, batch=first.batch)
    shared = first.members.first()
    unit = returned.created_by
    services.replace_members(actor=unit, application_id=returned.pk, members=member_rows(
        returned, {"name": f"  {shared.name} ", "qualification": shared.qualification}))  # spaces: the same name
    assert kept(first.batch) == {(shared.name, shared.qualification): 2}
    services.replace_members(actor=unit, application_id=returned.pk, members=member_rows(returned)[:3])
    assert kept(first.batch) == {}
    assert overlaps.mismatches() == []


def test_a_draft_counts_from_its_submission_and_stops_when_not_recommended():
    first = application_in(State.SUBMITTED)
    draft = eligible_application(batch=first.batch)
    shared = first.members.first()
    Member.objects.create(application=draft, name=shared.name, qualification=shared.qualification, position=9)
    assert kept(first.batch) == {}  # a draft's members overlap no one's
    services.application_transition(application_id=draft.pk, actor=draft.created_by, to=State.SUBMITTED)
    assert kept(first.batch) == {(shared.name, shared.qualification): 2}
    department = core.DepartmentUserFactory(organization=draft.unit.department)
    services.application_transition(application_id=draft.pk, actor=department, to=State.NOT_RECOMMENDED,
                                     reason="不符合条件")
    assert kept(first.batch) == {}
    assert overlaps.mismatches() == []


def test_the_same_name_in_another_batch_or_with_another_title_is_no_overlap():
    first = application_in(State.SUBMITTED)
    other_batch = application_in(State.SUBMITTED)
    shared = first.members.first()
    MemberFactory(application=other_batch, name=shared.name, qualification=shared.qualification)
    same_batch = application_in(State.SUBMITTED, batch=first.batch)
    MemberFactory(application=same_batch, name=shared.name, qualification=Qualification.OTHER)
    assert SharedName.objects.count() == 0
    assert overlaps.mismatches() == []


def test_check_sums_finds_a_name_kept_wrong_and_repairs_it():
    first = application_in(State.SUBMITTED)
    second = application_in(State.SUBMITTED, batch=first.batch)
    shared = first.members.first()
    MemberFactory(application=second, name=shared.name, qualification=shared.qualification)
    call_command("check_sums")  # all equal: no error
    SharedName.objects.filter(batch=first.batch).update(applications=5)
    assert overlaps.mismatches() == [
        f"batch {first.batch_id} name {shared.name!r} ({shared.qualification}): kept 5 applications but the members "
        f"give 2"]
    with pytest.raises(CommandError, match="1 kept sums differ"):
        call_command("check_sums")
    call_command("check_sums", "--repair")
    assert kept(first.batch) == {(shared.name, shared.qualification): 2}


@pytest.mark.django_db(transaction=True)
def test_two_units_adding_the_same_name_at_once_both_count():
    """Each counts only its own uncommitted member: without the name's lock, neither would keep the name. The
    second waits for the first to commit, then recounts and sees both."""
    first = application_in(State.RETURNED)
    second = application_in(State.RETURNED, batch=first.batch)
    refreshed, commit_first = threading.Event(), threading.Event()
    errors = []

    def add(app, *, hold: bool):
        close_old_connections()  # each thread its own connection
        try:
            with transaction.atomic():
                Member.objects.create(application_id=app.pk, name="李同名", qualification=Qualification.TECHNICIAN,
                                      position=9)
                overlaps.refresh(application_ids=[app.pk])
                if hold:
                    refreshed.set()
                    commit_first.wait(10)
        except Exception as error:  # noqa: BLE001 -- reported by the test below
            errors.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=add, args=(first,), kwargs={"hold": True})
    holder.start()
    assert refreshed.wait(10)
    waiter = threading.Thread(target=add, args=(second,), kwargs={"hold": False})
    waiter.start()
    deadline = time.monotonic() + 5  # until the second waits for the name's lock (or has finished without it)
    while waiter.is_alive() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory'")
            if cursor.fetchone()[0]:
                break
        time.sleep(0.02)
    commit_first.set()
    holder.join(10)
    waiter.join(10)
    assert errors == []
    assert kept(first.batch) == {("李同名", Qualification.TECHNICIAN): 2}
    assert Application.objects.filter(batch=first.batch).count() == 2
