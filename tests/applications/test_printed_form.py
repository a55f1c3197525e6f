"""The printed 申报表 (issue 14, item 13): a long narrative continues in further rows that repeat its label
with "（续）" (so every page shows what it continues, inside the table's borders); an e-mail address is never
wrapped; the opinions the portal holds are printed (tests/applications/test_confidentiality.py)."""

import pytest
from django.urls import reverse

from applications.models import Application
from applications.workflow import State
from qinshui_station.documents.contexts import CHUNK_CHARS, chunks
from tests.applications.factories import application_in
from tests.qinshui_station.test_documents import flat, pdftotext

pytestmark = pytest.mark.django_db

SENTENCE = "本单位建立了以高级技师、技师为骨干的传帮带体系，每年组织岗位练兵和技能比武。"  # 38 characters
LABEL = "目前人才培养体系和近3年人才培养情况"
EMAIL = "zhangsan.renshi-bangongshi@qinshui-jixie.example.com.cn"


def test_chunks_cut_after_a_full_stop_and_keep_every_character():
    text = SENTENCE * 199  # 7,562 characters
    pieces = chunks(text)
    assert "".join(pieces) == text
    assert all(len(p) <= CHUNK_CHARS and p.endswith("。") for p in pieces)
    assert [len(p) for p in pieces] == [874] * 8 + [570]  # 23 sentences a piece


def _printed(client, **fields) -> bytes:
    app = application_in(State.SUBMITTED)
    Application.objects.filter(pk=app.pk).update(**fields)
    client.force_login(app.created_by)
    response = client.get(reverse("applications:form_pdf", args=[app.pk]))
    return b"".join(response.streaming_content)


def test_a_long_narrative_repeats_its_label_on_every_page_it_continues_on(client):
    pdf = _printed(client, training_system=SENTENCE * 199)
    pages = int(next(line.split()[-1] for line in __import__("subprocess").run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode().splitlines()
        if line.startswith("Pages:")))
    carrying = [n for n in range(1, pages + 1) if SENTENCE in flat(pdftotext(pdf, "-f", str(n), "-l", str(n)))]
    assert len(carrying) >= 4
    # the two label columns only (the left 190 pt of the A4 page): read apart from the narrative beside them
    labels = {n: flat(pdftotext(pdf, "-f", str(n), "-l", str(n), "-x", "0", "-y", "0", "-W", "190", "-H", "842"))
              for n in carrying}
    assert LABEL in labels[carrying[0]]
    assert all(f"人才培养情况{LABEL}（续）" in labels[n] for n in carrying[1:]), labels
    narrative = flat(pdftotext(pdf, "-x", "190", "-y", "0", "-W", "420", "-H", "842"))  # the text column
    assert narrative.count(SENTENCE) == 199


def test_an_email_address_stays_on_one_line(client):
    pdf = _printed(client, contact_email=EMAIL)
    assert [line.split()[-1] for line in pdftotext(pdf, "-layout").splitlines() if "邮箱" in line] == [EMAIL]
