"""Reading an uploaded workbook without trusting it. Before a single row is validated the file must be a real
.xlsx (a zip holding a workbook, not a renamed file, not a macro workbook, not a zip bomb), of this portal's
template at a version it knows, with the data sheet's headers as written, no formula anywhere on the data
sheet, and no more than ``template.MAX_ROWS`` rows: the rows are bounded while reading, in openpyxl's
read-only mode, so a sheet of 100,000 rows is refused after reading a little past the bound."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from records import template

MAX_UNCOMPRESSED = 100 * 1024 * 1024  # what the zip may expand to
MAX_MEMBERS = 500
MAX_SCANNED_ROWS = template.MAX_ROWS * 2 + 1  # rows present in the sheet, empty ones included
ZIP_MAGIC = b"PK\x03\x04"


class FileRefused(Exception):
    """The file as a whole cannot be read; the message (Chinese) says why. Nothing is written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Workbook:
    version: int
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number in the sheet, raw cell values)


def read(data: bytes, name: str) -> Workbook:
    _check_container(data, name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileRefused(_not_excel(name)) from None
    try:
        return _read_book(book)
    finally:
        book.close()


def _not_excel(name: str) -> str:
    return (_("文件“%(name)s”不是Excel工作簿（.xlsx）：系统按文件内容识别，不看扩展名。"
              "请在平台下载导入模板，填写后以.xlsx格式保存再上传。") % {"name": name})


def check_size(name: str, size: int) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise FileRefused(_("文件“%(name)s”大小为%(size).1f MB，超过了%(limit).0f MB的上限。")
                          % {"name": name, "size": size / 1048576, "limit": limit / 1048576})


def _check_container(data: bytes, name: str) -> None:
    if not data:
        raise FileRefused(_("文件“%(name)s”是空文件（0字节）。") % {"name": name})
    check_size(name, len(data))
    if not data.startswith(ZIP_MAGIC):
        raise FileRefused(_not_excel(name))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise FileRefused(_not_excel(name)) from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise FileRefused(_not_excel(name))
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise FileRefused(_("文件“%(name)s”含有宏，不予导入。请另存为不含宏的Excel工作簿（.xlsx）后再上传。")
                          % {"name": name})
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
        raise FileRefused(_("文件“%(name)s”解压后过大，不像是导入模板，不予导入。") % {"name": name})


def _read_book(book) -> Workbook:
    data_title, info_title = str(template.DATA_SHEET), str(template.INFO_SHEET)
    for title in (info_title, data_title):
        if title not in book.sheetnames:
            raise FileRefused(_("工作簿中没有“%(sheet)s”工作表：请使用平台下载的导入模板。") % {"sheet": title})
    version = _version(book[info_title])
    sheet = book[data_title]
    declared = sheet.max_row  # from the sheet's <dimension>, when the writer put one there
    if declared and declared > MAX_SCANNED_ROWS:
        raise FileRefused(_too_many_rows())
    sheet.reset_dimensions()  # read every row there is: a dimension declaring fewer would hide the rest
    result = Workbook(version=version)
    expected = template.headers()
    formulas: list[str] = []
    for scanned, cells in enumerate(sheet.iter_rows(), start=1):
        if scanned > MAX_SCANNED_ROWS:
            raise FileRefused(_too_many_rows())
        formulas.extend(c.coordinate for c in cells if getattr(c, "data_type", None) == "f")
        if len(formulas) >= 10:
            break
        values = [c.value for c in cells]
        if scanned == 1:
            _check_headers(values, expected)
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        result.rows.append((scanned, (values + [None] * len(expected))[:len(expected)]))
        if len(result.rows) > template.MAX_ROWS:
            raise FileRefused(_too_many_rows())
    if formulas:
        raise FileRefused(_("工作表含有公式（%(cells)s），不予导入：请将公式单元格复制后“选择性粘贴→数值”，再上传。")
                          % {"cells": "、".join(formulas[:10]) + ("……" if len(formulas) >= 10 else "")})
    if not result.rows:
        raise FileRefused(_("“%(sheet)s”工作表没有数据行：请从第2行起每个工作站填写一行。") % {"sheet": data_title})
    return result


def _too_many_rows() -> str:
    return _("“%(sheet)s”工作表超过%(n)d行，不予导入：全县的工作站不会有这么多，请检查文件；"
             "确有需要时请分成几个文件导入。") % {"sheet": str(template.DATA_SHEET), "n": template.MAX_ROWS}


def _version(info_sheet) -> int:
    cells = next(iter(info_sheet.iter_rows(min_row=2, max_row=2, max_col=2)), ())
    label, version = (list(cells) + [None, None])[:2]
    if getattr(version, "data_type", None) == "f":
        raise FileRefused(_("模板版本单元格（“%(sheet)s”工作表%(cell)s）含有公式，不予导入。")
                          % {"sheet": str(template.INFO_SHEET), "cell": template.VERSION_CELL})
    label, version = getattr(label, "value", None), getattr(version, "value", None)
    try:
        number = int(str(version).strip())
    except (TypeError, ValueError):
        number = None
    if str(label or "").strip() != str(template.VERSION_LABEL) or number is None or number < 1:
        raise FileRefused(_("无法识别模板版本（“%(sheet)s”工作表%(cell)s）：请使用平台下载的导入模板。")
                          % {"sheet": str(template.INFO_SHEET), "cell": template.VERSION_CELL})
    if number > template.VERSION:
        raise FileRefused(_("此文件来自较新的导入模板（第%(theirs)d版），本平台只能读取第%(ours)d版及以前的模板，"
                            "未导入任何数据。请从本平台重新下载模板，把数据填入后再上传。")
                          % {"theirs": number, "ours": template.VERSION})
    return number


def _check_headers(values: list, expected: list[str]) -> None:
    found = [str(v).strip() if v is not None else "" for v in values]
    for index, header in enumerate(expected):
        have = found[index] if index < len(found) else ""
        if have != header:
            letter = template.COLUMNS[index].letter
            raise FileRefused(_("第1行%(col)s列的列标题应为“%(expected)s”，文件中为“%(found)s”：请不要修改、增删模板的列。")
                              % {"col": letter, "expected": header, "found": have})
