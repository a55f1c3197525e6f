"""A unit's own records as one zip archive (issue 18, "records given back"): a workbook of its applications,
stations, evaluations, work ledger, tranches and expenditures, and every file it may see (application materials,
evaluation evidence, ledger photos and documents, invoices), each under a folder named for its record. Everything
is read through the same selectors the unit's pages use, so the archive holds nothing its pages would not show
(no expert's name, opinion or site-visit photo). Written to a temporary file, streamed from there."""

from __future__ import annotations

import hashlib
import tempfile
import zipfile

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from applications.selectors import applications_for, attachments_for
from funding.selectors import documents_for, expenditures_for, tranches_for
from qinshui_station.documents.workbooks import text_cell
from qinshui_station.selectors import workstations_for
from qinshui_station.uploads import clean_name
from records.values import text_of_date, text_of_money
from reviews.models import ImportedResult
from reviews.selectors import evaluation_attachments, evaluations_for, ledger_entries_for
from reviews.workflow import EvaluationState


def unit_archive(user):
    """A temporary file holding the zip, at its start. The caller streams and closes it."""
    spool = tempfile.TemporaryFile(suffix=".zip")
    with translation.override("zh-hans"), zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        files: list[list] = []
        for folder, record, stored in _files(user):
            path = f"{folder}/{stored.pk}-{clean_name(stored.original_name) or 'file'}"
            try:
                with stored.file.open("rb") as handle:
                    data = handle.read()
            except (FileNotFoundError, OSError):
                files.append([path, record, stored.sha256, _("文件缺失，未能打包")])
                continue
            ok = hashlib.sha256(data).hexdigest() == stored.sha256
            archive.writestr(path, data)
            files.append([path, record, stored.sha256, "" if ok else _("与上传时的校验值不一致")])
        book_file = tempfile.TemporaryFile(suffix=".xlsx")
        _records_workbook(user, files).save(book_file)
        book_file.seek(0)
        archive.writestr(_("本单位档案.xlsx"), book_file.read())
        book_file.close()
    spool.seek(0)
    return spool


def _files(user):
    for app in applications_for(user).order_by("pk"):
        for attachment in attachments_for(user, app).order_by("pk"):
            yield (f"{_('申报材料')}/{app.batch.year}-{app.pk}", str(app), attachment)
    for evaluation in evaluations_for(user).order_by("round__year", "pk"):
        for attachment in evaluation_attachments(evaluation).order_by("pk"):
            yield (f"{_('年度评估佐证')}/{evaluation.round.year}-{evaluation.pk}", str(evaluation), attachment)
    for entry in ledger_entries_for(user).order_by("occurred_on", "pk"):
        for attachment in entry.attachments.all():
            yield (f"{_('工作台账')}/{entry.occurred_on:%Y-%m-%d}-{entry.pk}", str(entry), attachment)
    for document in documents_for(user).select_related("expenditure").order_by("expenditure__spent_on", "pk"):
        expenditure = document.expenditure
        yield (f"{_('支出凭证')}/{expenditure.spent_on:%Y-%m-%d}-{expenditure.pk}", str(expenditure), document)


def _records_workbook(user, files: list[list]) -> Workbook:
    book = Workbook(write_only=True)
    _sheet(book, _("申报"), [_("编号"), _("批次年度"), _("单位名称"), _("职业（工种）"), _("领办人"), _("状态"),
                             _("提交时间"), _("退回理由"), _("业务主管单位初审意见"), _("县人社局审核意见")],
           ([a.pk, a.batch.year, a.unit_name, a.occupation, a.leader_name, a.get_state_display(),
             f"{timezone.localtime(a.submitted_at):%Y-%m-%d %H:%M}" if a.submitted_at else "", a.return_reason,
             a.department_opinion, a.hr_opinion] for a in applications_for(user).order_by("pk")))
    _sheet(book, _("工作站"), [_("牌匾编号"), _("工作站"), _("职业（工种）"), _("领办人"), _("认定文号"), _("认定日期"),
                              _("建设期截止日期"), _("状态"), _("撤销日期")],
           ([s.plaque_number, s.name, s.occupation, s.leader_name, s.recognition_document_number,
             text_of_date(s.recognized_on), text_of_date(s.construction_ends_on), s.get_state_display(),
             text_of_date(s.revoked_on)] for s in workstations_for(user).order_by("recognized_on", "pk")))
    evaluations = [[e.workstation.plaque_number, e.round.year, _("是") if e.is_final_acceptance else _("否"),
                    e.get_state_display(), text_of_money(e.self_total),
                    text_of_money(e.assessed_total) if e.state == EvaluationState.GRADED else "",
                    e.get_grade_display() if e.grade else "", _("平台评估")]
                   for e in evaluations_for(user).order_by("round__year", "pk")]
    evaluations += [[r.workstation.plaque_number, r.year, _("是") if r.is_final_acceptance else _("否"), _("已定级"),
                     "", "", r.get_grade_display(), _("纸面评估（导入）")]
                    for r in ImportedResult.objects.filter(workstation__in=workstations_for(user))
                    .select_related("workstation").order_by("year", "pk")]
    _sheet(book, _("年度评估"), [_("牌匾编号"), _("评估年度"), _("建设期满验收"), _("状态"), _("自评总分"), _("考核总分"),
                                _("评估等级"), _("来源")], evaluations)
    _sheet(book, _("工作台账"), [_("牌匾编号"), _("类别"), _("日期"), _("名称"), _("姓名"), _("职业（工种）"),
                                _("培养结果"), _("情况说明")],
           ([e.workstation.plaque_number, e.get_kind_display(), text_of_date(e.occurred_on), e.title, e.person_name,
             e.occupation, e.result, e.description] for e in ledger_entries_for(user).order_by("occurred_on", "pk")))
    _sheet(book, _("补助拨付"), [_("牌匾编号"), _("批次"), _("金额"), _("状态"), _("拨付日期"), _("凭证号"), _("取消原因")],
           ([t.grant.workstation.plaque_number, t.get_kind_display(), text_of_money(t.amount), t.get_state_display(),
             text_of_date(t.disbursed_on), t.voucher_number, t.cancel_reason]
            for t in tranches_for(user).order_by("grant__workstation__plaque_number", "kind")))
    _sheet(book, _("补助支出"), [_("牌匾编号"), _("支出日期"), _("支出类别"), _("金额"), _("用途说明"), _("状态")],
           ([x.grant.workstation.plaque_number, text_of_date(x.spent_on), x.category.name, text_of_money(x.amount),
             x.description, x.get_state_display()] for x in expenditures_for(user).order_by("spent_on", "pk")))
    _sheet(book, _("附件清单"), [_("压缩包内路径"), _("所属记录"), _("校验值（SHA-256）"), _("说明")], files)
    return book


def _sheet(book: Workbook, title: str, headers: list[str], rows) -> None:
    sheet = book.create_sheet(title)
    sheet.append([_text(sheet, h) for h in headers])
    for row in rows:
        sheet.append([_text(sheet, v) for v in row])


def _text(sheet, value) -> WriteOnlyCell:
    if isinstance(value, int) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)
    return text_cell(sheet, "" if value is None else value)
