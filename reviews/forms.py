"""Forms only turn requests into values for the services; the rules live in services.py."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinshui_station import limits
from qinshui_station.access import ChosenFilesMixin
from qinshui_station.forms import NamedErrorsMixin
from qinshui_station.limits import text_limit
from qinshui_station.numbers import plain
from qinshui_station.punctuation import bracketed
from qinshui_station.selectors import experts
from reviews.models import LedgerEntry, LedgerKind, RubricVersion
from reviews.services import ARTICLE_TEN_GROUNDS, default_window
from reviews.sheets import Rubric

HALF = Decimal("0.5")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PointsField(forms.DecimalField):
    """Django's step validator turns the value into a float: a huge one (1e309) made it raise
    "math domain error" (a server error). Values outside min..max are refused here first, with the range message."""

    def validate(self, value):
        super().validate(value)
        if value is not None:
            MinValueValidator(self.min_value)(value)
            MaxValueValidator(self.max_value)(value)


def points_field(item, *, label: str, required: bool) -> forms.DecimalField:
    return PointsField(
        label=label, required=required, min_value=Decimal("0"), max_value=Decimal(plain(item.max_points)), max_digits=4,
        decimal_places=1, step_size=HALF,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": plain(item.max_points),
                                        "inputmode": "decimal"}),
    )


def count_field(rule, *, label: str, required: bool) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=0, max_value=999,
                              widget=forms.NumberInput(attrs={"min": "0", "step": "1", "inputmode": "numeric"}))


class RoundForm(NamedErrorsMixin, forms.Form):
    year = forms.IntegerField(label=gettext_lazy("评估年度"), min_value=2000, max_value=2100)
    rubric = forms.ModelChoiceField(label=gettext_lazy("评估细则版本"), queryset=RubricVersion.objects.none(),
                                    empty_label=None)
    opens_on = forms.DateField(label=gettext_lazy("申报开始日期"), widget=DateInput(), required=False,
                               help_text=gettext_lazy("不填则为当年3月1日"))
    closes_on = forms.DateField(label=gettext_lazy("申报截止日期"), widget=DateInput(), required=False,
                                help_text=gettext_lazy("不填则为当年3月31日"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = RubricVersion.objects.order_by("-code")
        year = timezone.localdate().year + 1
        self.fields["year"].initial = year
        self.fields["opens_on"].initial, self.fields["closes_on"].initial = default_window(year)


class WindowForm(NamedErrorsMixin, forms.Form):
    opens_on = forms.DateField(label=gettext_lazy("申报开始日期"), widget=DateInput())
    closes_on = forms.DateField(label=gettext_lazy("申报截止日期"), widget=DateInput())


class EvaluationForm(forms.Form):
    """The 年度评估申请表: header fields, then a self-score for each judged item and the claimed counts."""

    contact_person = forms.CharField(label=gettext_lazy("工作站联系人"), max_length=40, required=False)
    contact_title = forms.CharField(label=gettext_lazy("职务"), max_length=40, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=20, required=False)
    work_summary = forms.CharField(label=gettext_lazy("工作站工作开展情况"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 6}), validators=[text_limit(limits.NARRATIVE)])

    def __init__(self, *args, rubric: Rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for item in rubric.judged_items:
            self.fields[f"item_{item.pk}"] = points_field(item, label=_("自评得分（满分%(max)s分）")
                                                          % {"max": plain(item.max_points)}, required=False)
        for rule in rubric.rules:
            self.fields[f"count_{rule.pk}"] = count_field(rule, label=rule.label, required=False)

    def self_points(self) -> dict[int, Decimal | None]:
        return {item.pk: self.cleaned_data.get(f"item_{item.pk}") for item in self.rubric.judged_items}

    def counts(self) -> dict[int, int]:
        return {rule.pk: self.cleaned_data.get(f"count_{rule.pk}") or 0 for rule in self.rubric.rules}


class ScoreForm(forms.Form):
    """An expert's sheet: judged items 0..max in steps of 0.5; the counts accepted or corrected."""

    def __init__(self, *args, rubric: Rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for item in rubric.judged_items:
            self.fields[f"item_{item.pk}"] = points_field(item, label=_("考核得分（0—%(max)s分）")
                                                          % {"max": plain(item.max_points)}, required=False)
        for rule in rubric.rules:
            self.fields[f"count_{rule.pk}"] = count_field(rule, label=_("认定数量"), required=False)

    def points(self) -> dict[int, Decimal | None]:
        return {item.pk: self.cleaned_data.get(f"item_{item.pk}") for item in self.rubric.judged_items}

    def counts(self) -> dict[int, int | None]:
        return {rule.pk: self.cleaned_data.get(f"count_{rule.pk}") for rule in self.rubric.rules}


class AttachmentForm(NamedErrorsMixin, ChosenFilesMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("佐证材料（PDF、JPEG或PNG）"))
    target = forms.ChoiceField(label=gettext_lazy("佐证的项目"), required=False)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=120, required=False)

    def __init__(self, *args, rubric: Rubric, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("整体材料"))]
        choices += [(f"item-{i.pk}", i.text) for i in rubric.items if not i.is_counted]
        choices += [(f"rule-{r.pk}", r.label) for r in rubric.rules]
        self.fields["target"].choices = choices

    def target_ids(self) -> tuple[int | None, int | None]:
        value = self.cleaned_data.get("target") or ""
        kind, _sep, pk = value.partition("-")
        return (int(pk) if kind == "item" else None), (int(pk) if kind == "rule" else None)


class AssignForm(NamedErrorsMixin, forms.Form):
    expert = forms.ModelChoiceField(label=gettext_lazy("评审专家"), queryset=experts())

    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = experts().order_by("full_name")
        if evaluation is not None:
            qs = qs.exclude(organization_id=evaluation.workstation.unit_id).exclude(
                evaluation_assignments__evaluation=evaluation)
        self.fields["expert"].queryset = qs
        self.fields["expert"].label_from_instance = lambda u: bracketed(u.full_name, u.organization)


class TieForm(NamedErrorsMixin, forms.Form):
    excellent = forms.MultipleChoiceField(label=gettext_lazy("评为优秀的工作站"),
                                          widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 3}),
                             validators=[text_limit(limits.REASON)])

    def __init__(self, *args, tied=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excellent"].choices = [(str(e.pk), e.workstation.name) for e in tied]

    def excellent_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data["excellent"]]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class LedgerForm(NamedErrorsMixin, ChosenFilesMixin, forms.ModelForm):
    files = MultipleFileField(label=gettext_lazy("照片或文件（PDF、JPEG或PNG，可多选）"), required=False)

    class Meta:
        model = LedgerEntry
        fields = ["kind", "occurred_on", "person_name", "occupation", "result", "title", "description"]
        widgets = {"occurred_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"person_name": gettext_lazy("培养骨干时填写")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = LedgerKind.choices


class RevocationForm(NamedErrorsMixin, forms.Form):
    ground = forms.ChoiceField(label=gettext_lazy("撤销情形（第十条）"), choices=ARTICLE_TEN_GROUNDS,
                               widget=forms.RadioSelect)
    facts = forms.CharField(label=gettext_lazy("事实与依据"), widget=forms.Textarea(attrs={"rows": 4}),
                            validators=[text_limit(limits.REASON)])
    on = forms.DateField(label=gettext_lazy("撤销日期"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
