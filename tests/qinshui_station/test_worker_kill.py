"""A worker killed (SIGKILL) in the middle of a delivery and started again sends every e-mail exactly once: the
real `manage.py run_worker` process on the test database, e-mail written as files by Django's file backend."""

import signal
import time
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest

from qinshui_station import notifications
from qinshui_station.models import Delivery, DeliveryState
from tests import factories
from tests.worker import clean_jobs, start_worker  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_jobs")]


def recipients_of_mail_in(folder) -> list[str]:
    found = []
    for path in sorted(folder.iterdir()):
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(str(make_header(decode_header(message_from_bytes(chunk)["To"]))))
    return sorted(found)


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_delivery_and_restarted_sends_each_email_exactly_once(tmp_path):
    mail_dir, marker = tmp_path / "mail", tmp_path / "holding"
    mail_dir.mkdir()
    users = [factories.UnitUserFactory(email=f"u{i}@example.cn") for i in range(4)]
    for user in users:
        notifications.notify([user], f"通知{user.email}", "/home/")

    # The third e-mail hangs at the mail server; the worker is killed while it waits.
    worker = start_worker(mail_dir, QS_HOLD_MAIL_TO="u2@example.cn", QS_HOLD_MARKER=str(marker),
                          EMAIL_BACKEND="tests.holding_mail.EmailBackend")
    try:
        wait_for(lambda: marker.exists() or worker.poll() is not None, 60, "the worker to reach the third e-mail")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    assert marker.exists(), worker.stdout.read().decode()
    assert recipients_of_mail_in(mail_dir) == ["u0@example.cn", "u1@example.cn"]
    states = dict(Delivery.objects.values_list("to_address", "status"))
    assert states == {"u0@example.cn": "sent", "u1@example.cn": "sent", "u2@example.cn": "pending",
                      "u3@example.cn": "pending"}

    time.sleep(2.5)  # the dead worker's last heartbeat is older than WORKER_STALLED_SECONDS (2 s)
    restarted = start_worker(mail_dir, one_shot=True)
    output, _ = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, output.decode()
    assert recipients_of_mail_in(mail_dir) == [f"u{i}@example.cn" for i in range(4)]
    assert list(Delivery.objects.order_by("to_address").values_list("status", "attempts")) == [
        (DeliveryState.SENT, 1)] * 4
