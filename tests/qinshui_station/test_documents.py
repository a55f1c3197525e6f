"""PDF documents: real WeasyPrint, real fonts, text read back with poppler (pdftotext/pdffonts)."""

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from fontTools.ttLib import TTFont

from qinshui_station.documents import (
    DRAFT,
    DocumentIntegrityError,
    latest_rendering,
    pdf_response,
    render_pdf,
    store_rendering,
    stored_or_render,
)
from qinshui_station.documents.contexts import (
    application_form_context,
    certificate_context,
    sample_application,
)
from qinshui_station.documents.render import font_path, url_fetcher
from qinshui_station.models import RenderedDocument
from qinshui_station.models.workstations import WorkstationState
from tests import factories

FORM = "documents/application_form.html"
CERTIFICATE = "documents/plaque_certificate.html"
SYSTEM_NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def pdftotext(pdf: bytes, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def flat(text: str) -> str:
    """pdftotext breaks lines inside table cells: compare without any white space."""
    return re.sub(r"\s+", "", text)


def marked(pdf: bytes, mark: str) -> bool:
    """The diagonal watermark comes out of pdftotext one rotated character at a time."""
    text = flat(pdftotext(pdf))
    return all(ch in text for ch in mark)


def pdffonts(pdf: bytes) -> list[list[str]]:
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def pdfinfo(pdf: bytes) -> str:
    return subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.fixture(scope="module")
def form_pdf():
    return render_pdf(FORM, application_form_context(sample_application(10)))


# --- 附件1 申报表 ------------------------------------------------------------------------------------

def test_application_form_prints_the_applications_data(form_pdf):
    text = flat(pdftotext(form_pdf))
    for expected in ("山西沁水喆昇机电设备有限公司", "山西省晋城市沁水县龙港镇梅杏路18号", "0356-7021234",
                     "中国工商银行沁水支行", "机修钳工", "2025年3月18日", "25.93%", "486"):
        assert expected in text, expected


def test_application_form_prints_names_with_rare_characters(form_pdf):
    text = flat(pdftotext(form_pdf))
    assert "张喆" in text and "王堃" in text and "李昇" in text
    assert "吴淼" in text  # the tenth member


def test_application_form_page_one_is_the_cover(form_pdf):
    cover = pdftotext(form_pdf, "-layout", "-f", "1", "-l", "1")
    lines = [flat(line) for line in cover.splitlines() if line.strip()]
    assert lines[:3] == ["附件1", "沁水县技师工作站", "申报表"]
    assert "申报单位山西沁水喆昇机电设备有限公司（公章）" in lines
    assert {"工作站职业（工种）机修钳工", "领办人姓名张喆", "领办人职业技能等级高级技师", "填报时间2025年3月18日"} <= set(lines)
    assert lines[-1] == "沁水县人力资源和社会保障局制"
    assert "单位名称" not in flat(cover)


def test_application_form_has_the_blank_opinion_boxes(form_pdf):
    text = flat(pdftotext(form_pdf))
    for label in ("建站后工作设想", "业务主管单位初审意见", "专家评审意见", "评审人员签名", "职业资格或职称",
                  "县人力资源和社会保障局审核意见"):
        assert label in text, label
    assert text.count("签字盖章：") == 2


def test_application_form_is_three_a4_pages_under_300_kb(form_pdf):
    info = pdfinfo(form_pdf)
    assert re.search(r"^Pages:\s+3$", info, re.M)
    assert "595.276 x 841.89 pts (A4)" in info
    assert len(form_pdf) < 300 * 1024


def test_the_shipped_font_is_embedded_as_a_subset(form_pdf):
    fonts = pdffonts(form_pdf)
    names = [row[0] for row in fonts]
    assert any(re.fullmatch(r"[A-Z]{6}\+Qinshui-Sans-CJK", name) for name in names), names
    for row in fonts:
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert re.fullmatch(r"[A-Z]{6}\+.+", row[0]), row


def test_draft_watermark_only_when_asked(form_pdf):
    draft = render_pdf(FORM, application_form_context(sample_application(2)), watermark=DRAFT)
    assert marked(draft, "草稿")
    assert not any(ch in flat(pdftotext(form_pdf)) for ch in "草稿")


def test_a_character_outside_the_shipped_font_falls_back_to_an_installed_font():
    if not SYSTEM_NOTO.exists():
        pytest.skip("fonts-noto-cjk is not installed")
    shipped = TTFont(str(font_path()), lazy=True).getBestCmap()
    system = TTFont(str(SYSTEM_NOTO), fontNumber=2, lazy=True).getBestCmap()
    rare = next(chr(cp) for cp in range(0x4E00, 0xA000) if cp in system and cp not in shipped)
    application = sample_application(1)
    application.leader_name = f"张{rare}"
    pdf = render_pdf(FORM, application_form_context(application))
    assert f"张{rare}" in flat(pdftotext(pdf))
    assert any(re.fullmatch(r"[A-Z]{6}\+Noto-Sans-CJK-SC", row[0]) for row in pdffonts(pdf))


# --- the font and the fetcher -------------------------------------------------------------------

def test_the_shipped_font_covers_the_general_standard_list_and_every_template_character():
    root = Path(settings.BASE_DIR)
    listed = "".join((root / "scripts/fonts/tongyong_guifan_2013.txt").read_text(encoding="utf-8").split())
    assert len(listed) == len(set(listed)) == 8105
    regular = set(TTFont(str(font_path(400)), lazy=True).getBestCmap())
    bold = set(TTFont(str(font_path(700)), lazy=True).getBestCmap())
    assert {ord(c) for c in listed + "喆堃昇"} <= regular
    template_text = "".join(p.read_text(encoding="utf-8") for p in (root / "templates/documents").glob("*.*"))
    used = {ord(c) for c in template_text if not c.isspace()}
    assert used - regular == set()
    assert used - bold == set(), "rebuild the fonts: .venv/bin/python scripts/build_font.py"


def test_the_url_fetcher_loads_only_static_files():
    fetcher = url_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/logo.png")
    with pytest.raises(ValueError):
        fetcher.fetch(font_path().as_uri().replace("/static/fonts/", "/static/fonts/../../pyproject.toml#"))
    response = fetcher.fetch(font_path().as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"
    response.close()


# --- stored copies ------------------------------------------------------------------------------

@pytest.fixture
def station(unit_user):
    return factories.WorkstationFactory(unit=unit_user.organization, leader_name="赵堃")


def test_a_final_document_is_stored_once_and_served_unchanged_after_the_data_changes(station, hr_user):
    first = stored_or_render(station, "certificate", template_name=CERTIFICATE,
                             context=lambda: certificate_context(station), final=True, user=hr_user)
    assert isinstance(first, RenderedDocument)
    original = b"".join(pdf_response(first, filename="c.pdf").streaming_content)
    assert "赵堃" in pdftotext(original)

    station.leader_name = "钱昇"
    station.save()
    again = stored_or_render(station, "certificate", template_name=CERTIFICATE,
                             context=lambda: certificate_context(station), final=True, user=hr_user)
    served = b"".join(pdf_response(again, filename="c.pdf").streaming_content)
    assert again.pk == first.pk
    assert served == original
    assert "钱昇" not in pdftotext(served)
    assert RenderedDocument.objects.count() == 1
    assert (again.size, again.rendered_by) == (len(original), hr_user)


def test_a_draft_renders_on_demand_with_the_watermark_and_is_not_stored(station):
    pdf = stored_or_render(station, "certificate", template_name=CERTIFICATE,
                           context=certificate_context(station), final=False)
    assert isinstance(pdf, bytes)
    assert marked(pdf, "草稿")
    assert RenderedDocument.objects.count() == 0


def test_a_stored_copy_that_no_longer_matches_its_checksum_is_refused(station, hr_user):
    pdf = render_pdf(CERTIFICATE, certificate_context(station))
    document = store_rendering(station, "certificate", pdf, hr_user)
    Path(document.file.path).write_bytes(pdf.replace(b"%PDF-", b"%PDF-", 1) + b"% tampered\n")
    with pytest.raises(DocumentIntegrityError):
        pdf_response(document, filename="c.pdf")


def test_a_resubmitted_record_gets_a_new_copy_and_keeps_the_old_one(station, hr_user):
    pdf = render_pdf(CERTIFICATE, certificate_context(station))
    older = store_rendering(station, "certificate", pdf, hr_user)
    newer = store_rendering(station, "certificate", pdf, hr_user)
    assert latest_rendering(station, "certificate") == newer
    assert set(RenderedDocument.objects.values_list("pk", flat=True)) == {older.pk, newer.pk}
    assert newer.file.name.startswith("private/qinshui_station/") and newer.file.name.endswith(".pdf")


# --- the plaque certificate -----------------------------------------------------------------------

def test_the_certificate_is_served_to_the_stations_own_unit(client, unit_user, station):
    client.force_login(unit_user)
    response = client.get(reverse("workstation_certificate", args=[station.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    text = flat(pdftotext(pdf))
    for expected in (station.name, unit_user.organization.name, station.plaque_number, "沁人社字〔2025〕40号",
                     "2025年12月10日", "2027年12月9日", "钳工", "赵堃（高级技师）",
                     "中共沁水县委组织部", "沁水县人力资源和社会保障局", "沁水县财政局"):
        assert flat(expected) in text, expected
    assert not any(ch in text for ch in "草稿撤销")
    assert "841.89 x 595.276 pts (A4)" in pdfinfo(pdf)  # landscape


def test_the_certificate_is_404_for_another_unit(client, other_unit_user, station):
    client.force_login(other_unit_user)
    assert client.get(reverse("workstation_certificate", args=[station.pk])).status_code == 404


def test_a_revoked_stations_certificate_is_marked(client, hr_user, station):
    station.state = WorkstationState.REVOKED
    station.revoked_on = date(2026, 6, 1)
    station.save()
    client.force_login(hr_user)
    pdf = b"".join(client.get(reverse("workstation_certificate", args=[station.pk])).streaming_content)
    assert marked(pdf, "已撤销")
