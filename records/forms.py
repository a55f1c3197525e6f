from django import forms
from django.utils.translation import gettext_lazy


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("填好的导入模板（.xlsx）"),
                           help_text=gettext_lazy("上传后先显示预览，确认后才写入。"))
