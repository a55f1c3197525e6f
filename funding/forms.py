"""Forms of the ledger's pages. They parse input; the rules (第十二条, the overspending check) are the
services' and come back to the form as field errors."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from funding.selectors import categories
from funding.workflow import TrancheState
from qinshui_station.access import ChosenFilesMixin
from qinshui_station.forms import NamedErrorsMixin
from qinshui_station.prepared import Rows
from qinshui_station.selectors import departments

MONEY_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label if obj.allowed else _("%(name)s（不得列支）") % {"name": obj.label}


class ExpenditureForm(NamedErrorsMixin, ChosenFilesMixin, forms.Form):
    spent_on = forms.DateField(label=_("支出日期"), widget=DateInput())
    category = CategoryChoiceField(
        label=_("支出类别"), queryset=categories(),
        help_text=_("第十二条：补助资金用于仪器设备购置改造与维护、原材料消耗、技能攻关、人才培养、技能交流等支出，"
                    "不得用于差旅费、劳务费等与工作站建设无关的开支。"),
    )
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                                widget=forms.NumberInput(attrs={**MONEY_ATTRS, "step": "0.01"}))
    description = forms.CharField(label=_("用途说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    documents = MultipleFileField(label=_("发票或支出凭证"),
                                  help_text=_("PDF、JPEG或PNG，可选多个文件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class DisburseForm(NamedErrorsMixin, forms.Form):
    disbursed_on = forms.DateField(label=_("拨付日期"), widget=DateInput())
    voucher_number = forms.CharField(label=_("记账凭证号"), max_length=60)


class UpholdForm(NamedErrorsMixin, forms.Form):
    recovery_amount = forms.DecimalField(label=_("应追回金额（元）"), max_digits=12, decimal_places=2,
                                         min_value=Decimal("0.01"),
                                         widget=forms.NumberInput(attrs={**MONEY_ATTRS, "step": "0.01"}))


class RecoveredForm(NamedErrorsMixin, forms.Form):
    recovered_on = forms.DateField(label=_("追回日期"), widget=DateInput())
    voucher_number = forms.CharField(label=_("缴款凭证号"), max_length=60)


_DEPARTMENTS = Rows(lambda: departments().values_list("pk", "name"))  # on every view of the ledger: compiled once


class LedgerFilterForm(forms.Form):
    batch = forms.TypedChoiceField(label=_("认定年度（批次）"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("拨付状态"), required=False,
                              choices=[("", _("全部状态"))] + list(TrancheState.choices))
    # the departments as (id, name) pairs, not as model instances of a dozen columns each (the page's dearest
    # query was this drop-down's); refused as a ModelChoiceField refuses an unknown one
    department = forms.TypedChoiceField(label=_("行业主管部门"), required=False, coerce=int, empty_value=None,
                                        error_messages={"invalid_choice": forms.ModelChoiceField
                                                        .default_error_messages["invalid_choice"]})

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].choices = [("", _("全部年度"))] + [(y, _("%(y)d年") % {"y": y}) for y in years]
        self.fields["department"].choices = [("", _("全部主管部门")), *_DEPARTMENTS()]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"batch": None, "state": "", "department": None}
        return {"batch": self.cleaned_data["batch"], "state": self.cleaned_data["state"],
                "department": self.cleaned_data["department"]}
