"""Files that are not what they claim, or that would cost the server: refused as a whole with a clear message,
nothing written. And a workbook from a newer template version: refused, saying which version this portal reads."""

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from qinshui_station.models import AuditEntry, Workstation
from records import services, template
from records.reader import FileRefused
from tests.records import workbooks

pytestmark = pytest.mark.django_db


def _refused(data: bytes, name: str = "历史工作站.xlsx") -> str:
    with pytest.raises(FileRefused) as preview_refusal:
        services.preview(data=data, name=name)
    return preview_refusal.value.message


def _nothing_written(hr, data: bytes) -> None:
    with pytest.raises((FileRefused, ValidationError)):
        services.commit(actor=hr, data=data, name="历史工作站.xlsx")
    assert Workstation.objects.count() == 0 and AuditEntry.objects.count() == 0


NOT_EXCEL = ("文件“历史工作站.xlsx”不是Excel工作簿（.xlsx）：系统按文件内容识别，不看扩展名。"
             "请在平台下载导入模板，填写后以.xlsx格式保存再上传。")


@pytest.mark.parametrize("content", [
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",  # a PDF renamed .xlsx
    "统一社会信用代码,单位名称\n911405210000000000,某公司\n".encode("gbk"),  # a CSV renamed .xlsx
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,  # an old .xls (OLE2) renamed .xlsx
], ids=["pdf", "csv", "xls"])
def test_a_file_that_is_not_an_xlsx_is_refused(departments, hr, content):
    assert _refused(content) == NOT_EXCEL
    _nothing_written(hr, content)


def test_a_zip_that_is_not_a_workbook_is_refused(departments, hr):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _refused(out.getvalue()) == NOT_EXCEL


def test_a_formula_is_refused_naming_its_cell(departments, hr):
    data = workbooks.xlsx([workbooks.row(1), workbooks.row(2)],
                          edit=workbooks.set_cell("amount", 3, "=WEBSERVICE(\"http://example.invalid/\")"))
    assert _refused(data) == ("工作表含有公式（R3），不予导入：请将公式单元格复制后“选择性粘贴→数值”，再上传。")
    _nothing_written(hr, data)


def test_a_sheet_of_100000_rows_is_refused_while_reading(departments, hr):
    book = Workbook(write_only=True)
    data_sheet = book.create_sheet(str(template.DATA_SHEET))
    info = book.create_sheet(str(template.INFO_SHEET))
    info.append(["title"])
    info.append([str(template.VERSION_LABEL), template.VERSION])
    data_sheet.append(template.headers())
    for n in range(100_000):
        data_sheet.append([workbooks.code(n)])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    started = time.monotonic()
    message = _refused(data)
    elapsed = time.monotonic() - started
    assert message == ("“工作站”工作表超过2000行，不予导入：全县的工作站不会有这么多，请检查文件；确有需要时请分成几个文件导入。")
    assert elapsed < 30  # bounded reading: a little past 2,000 rows, not 100,000 (here about 1 s)
    _nothing_written(hr, data)


def test_a_workbook_from_a_newer_template_version_is_refused_as_a_whole(departments, hr):
    def newer(book):
        book[str(template.INFO_SHEET)][template.VERSION_CELL] = template.VERSION + 1
    data = workbooks.xlsx([workbooks.row(1)], edit=newer)
    assert _refused(data) == ("此文件来自较新的导入模板（第2版），本平台只能读取第1版及以前的模板，未导入任何数据。"
                              "请从本平台重新下载模板，把数据填入后再上传。")
    _nothing_written(hr, data)


def test_a_workbook_with_a_column_renamed_is_refused_naming_the_column(departments):
    data = workbooks.xlsx([workbooks.row(1)], edit=lambda book: workbooks.data_sheet(book).cell(1, 12, "负责人"))
    assert _refused(data) == ("第1行L列的列标题应为“领办人”，文件中为“负责人”：请不要修改、增删模板的列。")


def test_a_workbook_without_the_instructions_sheet_is_refused(departments):
    data = workbooks.xlsx([workbooks.row(1)], edit=lambda book: book.remove(book[str(template.INFO_SHEET)]))
    assert _refused(data) == "工作簿中没有“填写说明”工作表：请使用平台下载的导入模板。"


def test_a_macro_workbook_is_refused(departments):
    data = workbooks.xlsx([workbooks.row(1)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    assert _refused(out.getvalue()) == "文件“历史工作站.xlsx”含有宏，不予导入。请另存为不含宏的Excel工作簿（.xlsx）后再上传。"


def test_text_that_looks_like_a_formula_is_written_as_text_and_read_back_unchanged(departments, hr):
    row = workbooks.row(2, leader_name="=HYPERLINK(\"http://x\")", document_number="-沁人社字〔2025〕1号")
    data = workbooks.xlsx([row])
    from openpyxl import load_workbook

    sheet = workbooks.data_sheet(load_workbook(io.BytesIO(data)))
    cell = sheet[f"{template.BY_KEY['leader_name'].letter}2"]
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", "=HYPERLINK(\"http://x\")", True)
    services.commit(actor=hr, data=data, name="a.xlsx")
    station = Workstation.objects.get()
    assert (station.leader_name, station.recognition_document_number) == ("=HYPERLINK(\"http://x\")",
                                                                          "-沁人社字〔2025〕1号")


def test_an_export_of_the_old_kind_with_a_leading_apostrophe_reads_as_the_text_itself(departments, hr):
    """Exports before 2026-11-29 escaped such text with an apostrophe in the value; those files still import."""
    data = workbooks.xlsx([workbooks.row(2)], edit=workbooks.set_cell("leader_name", 2, "'=1+1"))
    services.commit(actor=hr, data=data, name="old.xlsx")
    assert Workstation.objects.get().leader_name == "=1+1"


def _with_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with its data sheet's <dimension> rewritten: a writer may declare anything there."""
    import re

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), content)
            target.writestr(item, content)
    return out.getvalue()


def test_a_dimension_declaring_fewer_rows_does_not_hide_the_others(departments):
    data = _with_dimension(workbooks.xlsx([workbooks.row(1), workbooks.row(2), workbooks.row(3)]), "A1:B2")
    result = services.preview(data=data, name="a.xlsx")
    assert [r.number for r in result.check.rows] == [2, 3, 4]


def test_rows_beyond_the_bound_are_refused_whatever_the_dimension_says(departments):
    data = _with_dimension(workbooks.xlsx([workbooks.row(n, kind=2) for n in range(template.MAX_ROWS + 1)]), "A1")
    assert _refused(data) == ("“工作站”工作表超过2000行，不予导入：全县的工作站不会有这么多，请检查文件；"
                              "确有需要时请分成几个文件导入。")
