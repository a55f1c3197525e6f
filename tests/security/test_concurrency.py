"""Two people doing the same irreversible step at the same moment, each on their own database connection
(one thread each, released together by a barrier): exactly one succeeds, the other is refused with a clear
message in Chinese, and the audit log holds one entry for the step."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.utils import timezone

from applications import services as app_services
from applications.models import AttachmentKind
from applications.workflow import State
from funding import services as funding_services
from qinshui_station.models import AuditEntry, RevocationGround
from reviews import services as review_services
from tests import factories as core
from tests.applications import factories as af
from tests.funding import factories as ff
from tests.reviews import factories as rf

pytestmark = pytest.mark.django_db(transaction=True)
CJK = re.compile(r"[\u4e00-\u9fff]")


def race(step, actors) -> tuple[list, list[str]]:
    barrier = threading.Barrier(len(actors))
    results, refusals = [], []
    lock = threading.Lock()

    def run(actor):
        try:
            barrier.wait()
            outcome = step(actor)
            with lock:
                results.append(outcome)
        except Exception as error:  # noqa: BLE001 — the refusal is what the test looks at
            text = "；".join(getattr(error, "messages", None) or [str(error)])
            with lock:
                refusals.append(f"{type(error).__name__}: {text}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(actor,)) for actor in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, refusals


def audit_count(obj, action: str, **extra) -> int:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action,
                                     **extra).count()


def assert_one_wins(results, refusals):
    assert len(results) == 1, (results, refusals)
    assert len(refusals) == 1 and CJK.search(refusals[0]) and "Error:" not in refusals[0].split(":", 1)[1], refusals


def test_two_sessions_submit_the_same_application():
    app = af.eligible_application()
    results, refusals = race(lambda actor: app_services.application_transition(
        application_id=app.pk, actor=actor, to=State.SUBMITTED), [app.created_by, app.created_by])
    assert_one_wins(results, refusals)
    app.refresh_from_db()
    assert app.state == State.SUBMITTED
    assert audit_count(app, "transition", to_state=State.SUBMITTED) == 1


def test_two_department_officers_recommend_the_same_application():
    app = af.application_in(State.SUBMITTED)
    officers = [core.DepartmentUserFactory(organization=app.unit.department) for _ in range(2)]
    af.add_file(app, AttachmentKind.RECOMMENDATION_REPORT, user=officers[0])
    results, refusals = race(lambda actor: app_services.application_transition(
        application_id=app.pk, actor=actor, to=State.RECOMMENDED), officers)
    assert_one_wins(results, refusals)
    assert audit_count(app, "transition", to_state=State.RECOMMENDED) == 1


def test_two_hr_officers_publish_the_same_publicity():
    app = af.application_in(State.PROPOSED)
    batch = app.batch
    batch.state = "closed"
    batch.save()
    hr = [core.HRUserFactory(), core.HRUserFactory()]
    start = timezone.localdate()
    results, refusals = race(lambda actor: app_services.publish_publicity(
        actor=actor, batch_id=batch.pk, starts_on=start), hr)
    assert_one_wins(results, refusals)
    assert audit_count(batch, "publish_publicity") == 1


def test_two_hr_officers_finalize_the_same_round():
    hr = core.HRUserFactory()
    round_ = rf.open_round(hr)
    expert = core.ExpertFactory()
    rf.scored_evaluation(round_, hr, [expert], **rf.FULL_JUDGED)
    results, refusals = race(lambda actor: review_services.finalize_round(actor=actor, round_id=round_.pk),
                             [hr, core.HRUserFactory()])
    assert_one_wins(results, refusals)
    round_.refresh_from_db()
    assert round_.state == "finalized"
    assert audit_count(round_, "round_finalized") == 1


def test_two_finance_officers_disburse_the_same_tranche():
    hr = core.HRUserFactory()
    ff.category()
    _ws, grant = ff.funded_station(hr=hr)
    tranche = ff.first_tranche(grant)
    funding_services.approve_tranche(tranche_id=tranche.pk, actor=hr)
    results, refusals = race(lambda actor: funding_services.disburse_tranche(
        tranche_id=tranche.pk, actor=actor, disbursed_on=timezone.localdate(), voucher_number=f"记-{actor.pk}"),
        [core.FinanceUserFactory(), core.FinanceUserFactory()])
    assert_one_wins(results, refusals)
    assert "不能重复拨付" in refusals[0]
    assert audit_count(tranche, "tranche_disbursed") == 1


def test_two_hr_officers_revoke_the_same_station():
    hr = core.HRUserFactory()
    ws, _grant = ff.funded_station(hr=hr)
    results, refusals = race(lambda actor: review_services.revoke(
        actor=actor, workstation_id=ws.pk, ground=RevocationGround.INACTIVE, facts="两年未开展带徒传艺。",
        on=timezone.localdate()), [hr, core.HRUserFactory()])
    assert_one_wins(results, refusals)
    ws.refresh_from_db()
    assert ws.state == "revoked"
    assert audit_count(ws, "revoke") == 1


def test_twelve_parallel_objections_from_one_address_store_three():
    """Issue 15, finding 2: 16 objections posted at once from one address were all stored (3 an hour are
    allowed). Twelve anonymous posts through the public page, each on its own connection, released together."""
    from django.test import Client

    from applications.models import Objection

    app = af.application_in(State.PUBLICITY)
    hr = core.HRUserFactory()
    url = f"/applications/publicity/{app.batch.year}/"

    def post(n):
        response = Client().post(url, {"application": app.pk, "name": f"赵某{n}", "phone": "13900000000",
                                       "content": "技师人数不实。"}, REMOTE_ADDR="198.51.100.7", follow=True)
        return response.content.decode()

    pages, refusals = race(post, list(range(12)))
    assert refusals == []
    assert Objection.objects.filter(ip_address="198.51.100.7").count() == 3
    assert sum("您的异议已提交" in page for page in pages) == 3
    assert sum("同一网络地址一小时内最多提交3条异议" in page for page in pages) == 9
    assert hr.notifications.count() == 3
