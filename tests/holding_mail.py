"""A mail server that hangs: Django's file backend, except that the message to QS_HOLD_MAIL_TO is never handed
over — the backend writes QS_HOLD_MARKER and waits, as a worker does on a mail server that stops answering.
Used by the kill test (tests/qinshui_station/test_worker_kill.py) in a worker process it then kills."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        hold = os.environ.get("QS_HOLD_MAIL_TO")
        if hold and any(hold in m.to for m in email_messages):
            with open(os.environ["QS_HOLD_MARKER"], "w") as marker:
                marker.write(hold)
            while True:
                time.sleep(1)
        return super().send_messages(email_messages)
