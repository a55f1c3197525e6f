"""HR's import and export pages, and a unit's archive of its own records. Thin: the work is in services, reader,
validation, workbook and archive."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qinshui_station.access import confirmed, posted_from, role_required
from qinshui_station.documents.responses import xlsx_response
from qinshui_station.roles import Role
from qinshui_station.uploads import file_response
from records import archive, pending, reader, services, workbook
from records.forms import ImportUploadForm
from records.models import ImportFile
from records.reader import FileRefused

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, form, **context):
    return render(request, "records/import.html", {
        "form": form, "imports": ImportFile.objects.select_related("committed_by")[:20], **context})


@role_required(Role.HR)
@require_http_methods(["GET", "POST"])
def import_page(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form)
    uploaded = form.cleaned_data["file"]
    name = uploaded.name
    try:
        reader.check_size(name, uploaded.size)
        data = uploaded.read()
        result = services.preview(data=data, name=name)
    except FileRefused as refused:
        form.add_error("file", refused.message)
        return _page(request, form)
    token = ""
    if result.check.ok and result.check.writes_anything:
        token = pending.keep(request.session, data=data, name=name, sha256=result.sha256)
    counts = {status: result.check.count(status) for status in ("new", "unchanged", "changed", "refused")}
    token_field = format_html('<input type="hidden" name="token" value="{}">', token)
    return _page(request, ImportUploadForm(), preview=result, counts=counts, token_field=token_field)


@role_required(Role.HR)
@posted_from("records:import")
def import_commit(request):
    taken = pending.take(request.session, request.POST.get("token", ""))
    if taken is None:
        messages.error(request, _("预览已失效，请重新上传文件。"))
        return redirect("records:import")
    if not confirmed(request):
        messages.error(request, _("请勾选确认后再导入。"))
        return redirect("records:import")
    data, name, sha256 = taken
    try:
        kept = services.commit(actor=request.user, data=data, name=name, expected_sha256=sha256)
    except FileRefused as refused:
        messages.error(request, refused.message)
    except ValidationError as error:
        messages.error(request, _("平台数据在预览后发生了变化，以下各行不能导入，未写入任何数据：%(errors)s")
                       % {"errors": "；".join(error.messages[:20])})
    else:
        if kept is None:
            messages.info(request, _("文件内容与平台数据相同，没有需要导入的内容。"))
        else:
            messages.success(request, _("导入完成：新增%(new)d个工作站，更新%(changed)d个，%(same)d个无变化。")
                             % {"new": kept.created, "changed": kept.changed, "same": kept.unchanged})
    pending.discard(request.session)
    return redirect("records:import")


@role_required(Role.HR)
@require_GET
def template_download(request):
    return xlsx_response(workbook.template_workbook(), filename=_("技师工作站历史数据导入模板.xlsx"))


@role_required(Role.HR)
@require_GET
def export_download(request):
    return xlsx_response(workbook.export_workbook(),
                         filename=_("技师工作站数据导出-%(day)s.xlsx") % {"day": f"{timezone.localdate():%Y%m%d}"})


@role_required(Role.HR)
@require_GET
def import_file(request, pk: int):
    kept = get_object_or_404(ImportFile, pk=pk)
    if not kept.file:
        raise Http404
    return file_response(kept.file, kept.original_name, XLSX, inline=False)


@role_required(Role.UNIT)
@require_GET
def unit_archive(request):
    spool = archive.unit_archive(request.user)
    response = FileResponse(spool, as_attachment=True, content_type="application/zip",
                            filename=_("本单位档案-%(day)s.zip") % {"day": f"{timezone.localdate():%Y%m%d}"})
    response["Cache-Control"] = "private, no-store"
    return response
