"""Forms turn requests into the arguments of applications.services; they hold no business rules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import (
    ISSUERS,
    UNIT_KINDS,
    Application,
    AttachmentKind,
    Batch,
    ExpertAssignment,
    Member,
    Objection,
)
from applications.selectors import open_batches
from applications.states import ON_PANEL
from qinshui_station import limits
from qinshui_station.forms import NamedErrorsMixin
from qinshui_station.limits import text_limit
from qinshui_station.models import User
from qinshui_station.punctuation import bracketed, listed, mark
from qinshui_station.selectors import experts

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = {"rows": 4}


class BatchForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = Batch
        fields = ["year", "filing_opens_on", "filing_closes_on", "subsidy_amount"]
        widgets = {"filing_opens_on": DATE, "filing_closes_on": DATE}
        help_texts = {"subsidy_amount": _("第十一条：每家10万元，第一批40%，第二批60%。")}

    def clean(self):
        """The table's constraints, said at the field that breaks them (the constraint alone would say it at
        the top of the form)."""
        data = super().clean()
        opens, closes, amount = (data.get(k) for k in ("filing_opens_on", "filing_closes_on", "subsidy_amount"))
        if opens and closes and closes < opens:
            self.add_error("filing_closes_on", _("申报截止日期不能早于开始日期。"))
        if amount is not None and amount <= 0:
            self.add_error("subsidy_amount", _("建设补助金额必须大于零。"))
        return data


class NewApplicationForm(NamedErrorsMixin, forms.Form):
    batch = forms.ModelChoiceField(label=_("申报批次"), queryset=Batch.objects.none(), empty_label=None)
    occupation = forms.CharField(label=_("工作站职业（工种）"), max_length=60,
                                 help_text=_("如：钳工、电工、焊工、煤层气采气工"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = open_batches()


# --- the 申报表, one ModelForm per step ------------------------------------------------------------

class StepForm(forms.ModelForm):
    def _post_clean(self):
        # Field validation only; the whole record is checked by the service (full_clean) and at submission. The
        # model fields' own validators (a phone number's form) run here with the form's, so that a box they refuse
        # is said together with the others, not by the service once the others are put right.
        for name, value in list(self.cleaned_data.items()):
            try:
                self._meta.model._meta.get_field(name).run_validators(value)
            except FieldDoesNotExist:
                continue
            except ValidationError as error:
                self.add_error(name, error)


class UnitStepForm(StepForm):
    class Meta:
        model = Application
        fields = ["unit_type", "ownership", "staff_total", "address", "legal_representative",
                  "legal_representative_phone", "contact_person", "contact_phone", "contact_email",
                  "bank_account_name", "bank_name", "bank_account_number"]


class StationStepForm(StepForm):
    class Meta:
        model = Application
        fields = ["occupation", "leader_name", "leader_skill_level", "senior_technicians", "technicians",
                  "senior_workers", "senior_engineers", "engineers", "assistant_engineers", "other_talents"]
        widgets = {name: forms.NumberInput(attrs={"min": 0, "data-talent": "1"})
                   for name in ["senior_technicians", "technicians", "senior_workers", "senior_engineers",
                                "engineers", "assistant_engineers", "other_talents"]}

    def clean(self):
        data = super().clean()
        staff = self.instance.staff_total
        total = sum(data.get(name) or 0 for name in self.Meta.widgets)
        if staff is not None and total > staff:
            self.add_error(None, _("技术技能人才合计%(total)d人，超过了员工总人数%(staff)d人。")
                           % {"total": total, "staff": staff})
        return data


class NarrativeStepForm(StepForm):
    class Meta:
        model = Application
        fields = ["training_system", "training_plan", "equipment", "technical_work_recent", "technical_work_plan",
                  "projects", "school_cooperation"]
        widgets = {name: forms.Textarea(attrs=TEXT) for name in fields}


class PlanStepForm(StepForm):
    also_applies_master_studio = forms.TypedChoiceField(
        label=Application._meta.get_field("also_applies_master_studio").verbose_name,
        help_text=Application._meta.get_field("also_applies_master_studio").help_text,
        choices=[("", _("请选择")), ("False", _("否，本团队只申报技师工作站")), ("True", _("是，同一团队也申报了县级技能大师工作室"))],
        coerce=lambda v: v == "True", empty_value=None, required=False)

    class Meta:
        model = Application
        fields = ["post_establishment_plan", "declares_talent_mechanism", "declares_sound_operation",
                  "declares_advanced_equipment", "declares_work_rules", "also_applies_master_studio",
                  "declares_truthful"]
        widgets = {"post_establishment_plan": forms.Textarea(attrs={"rows": 6})}


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "qualification", "post", "specialty"]
        widgets = {"name": forms.TextInput(attrs={"class": "form-control"}),
                   "qualification": forms.Select(attrs={"class": "form-select"}),
                   "post": forms.TextInput(attrs={"class": "form-control"}),
                   "specialty": forms.Textarea(attrs={"rows": 2, "class": "form-control"})}


MemberFormSet = inlineformset_factory(Application, Member, form=MemberForm, extra=1, can_delete=True,
                                      max_num=30, validate_max=True)

STEPS = [
    # slug, title, form (None: the members formset / the attachments)
    ("unit", _("单位基本情况"), UnitStepForm),
    ("station", _("工作站与人才情况"), StationStepForm),
    ("narrative", _("人才培养与技术情况"), NarrativeStepForm),
    ("members", _("拟入站人员"), None),
    ("plan", _("建站设想与声明"), PlanStepForm),
    ("attachments", _("申报材料"), None),
]
STEP_SLUGS = [slug for slug, _title, _form in STEPS]


class AttachmentForm(NamedErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"))
    file = forms.FileField(label=_("文件"), help_text=_("PDF、JPEG或PNG，单个文件不超过10 MB"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, kinds=UNIT_KINDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, AttachmentKind(k).label) for k in kinds]


class ReasonForm(NamedErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             validators=[text_limit(limits.REASON)])


class AssignExpertForm(forms.Form):
    """Several experts to one application, or (from the batch page) to several: ``application`` lists the
    others, from those the person may see (``applications``)."""

    expert = forms.ModelMultipleChoiceField(
        label=_("评审专家"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请勾选要分配的专家。"),
                        "invalid_choice": _("所选专家中有人已不在评审专家名单中（账号已停用），请重新勾选。"),
                        "invalid_pk_value": _("所选专家中有人已不在评审专家名单中（账号已停用），请重新勾选。")})
    application = forms.ModelMultipleChoiceField(label=_("申报"), queryset=None, required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    several = forms.BooleanField(required=False, widget=forms.HiddenInput)  # posted from the batch page

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts().order_by("full_name")
        self.fields["expert"].label_from_instance = lambda u: bracketed(u.full_name, f"{u.organization}{mark('，')}{u.title}")
        self.fields["application"].queryset = applications if applications is not None else Application.objects.none()
        self.kept: dict[str, set[int]] | None = None  # set by keep_refused: the ticks of the pairs refused only
        self.refused_at: dict[int, list[str]] = {}  # an application's id: what was refused for it, and why

    def clean(self):
        data = super().clean()
        if data.get("several") and "application" not in self.errors and not data.get("application"):
            self.add_error("application", _("请勾选要分配专家的申报。"))
        return data

    def ticked(self, name: str) -> set[int]:
        """The ids the form shown again has ticked: those the person ticked, whatever was refused; after some
        pairs were assigned, only those of the pairs refused (what was assigned is done)."""
        if not self.is_bound:
            return set()
        if self.kept is not None:
            return self.kept[name]
        return {int(value) for value in self.data.getlist(name) if str(value).isdigit()}

    def keep_refused(self, refusals) -> None:
        """``refusals``: (application, expert, reasons) for each pair the service refused. The form comes back
        with those pairs ticked and each refusal at the application (batch page) or the experts (one
        application's page): ``未分配<experts>：<why>``, the experts refused for the same reason said once."""
        self.kept = {"application": {pair[0].pk for pair in refusals}, "expert": {pair[1].pk for pair in refusals}}
        by_app: dict[int, dict[str, list[str]]] = {}
        for app, expert, reasons in refusals:
            for why in reasons:
                by_app.setdefault(app.pk, {}).setdefault(why, []).append(expert.full_name)
        self.refused_at = {pk: [_("未分配%(experts)s：%(why)s") % {"experts": listed(names), "why": why}
                                for why, names in reasons.items()] for pk, reasons in by_app.items()}
        if self.cleaned_data.get("several"):
            self.add_error(None, _("仍勾选的申报和专家未能分配，原因见各申报下方；可调整勾选后再分配。"))
        else:
            self.add_error("expert", [text for texts in self.refused_at.values() for text in texts])


class ExpertReviewForm(forms.ModelForm):
    class Meta:
        model = ExpertAssignment
        fields = ["document_review", "site_visit_on", "site_visit_notes", "opinion", "opinion_reason"]
        widgets = {"document_review": forms.Textarea(attrs=TEXT), "site_visit_on": DATE,
                   "site_visit_notes": forms.Textarea(attrs=TEXT), "opinion_reason": forms.Textarea(attrs=TEXT),
                   "opinion": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinion"].choices = ExpertAssignment.Opinion.choices  # no empty radio button

    def _post_clean(self):
        pass


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("实地查看照片"), help_text=_("JPEG或PNG（也可上传PDF），单个文件不超过10 MB"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))


class PanelConclusionForm(NamedErrorsMixin, forms.Form):
    """集中评议: who took part (the batch's panel), the vote, the panel's opinion. SPEC "Panel votes"."""

    held_on = forms.DateField(label=_("评议日期"), widget=DATE, initial=timezone.localdate)
    participants = forms.ModelMultipleChoiceField(
        label=_("参加评议的专家"), queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text=_("本批次评审专家组成员中实际参加集中评议的专家；每人投一票。"),
        error_messages={"required": _("请勾选参加集中评议的专家。")})
    votes_for = forms.IntegerField(label=_("同意票"), min_value=0, max_value=99)
    votes_against = forms.IntegerField(label=_("反对票"), min_value=0, max_value=99)
    votes_abstain = forms.IntegerField(label=_("弃权票"), min_value=0, max_value=99, initial=0)
    summary = forms.CharField(label=_("专家评审意见"), widget=forms.Textarea(attrs={"rows": 3}),
                              validators=[text_limit(limits.REASON)])

    def __init__(self, *args, app=None, correcting=False, **kwargs):
        from applications.services import panel_of

        super().__init__(*args, **kwargs)
        # one query for the choices (the panel as a subquery, each expert with the organization)
        self.fields["participants"].queryset = panel_of(app.batch) if app is not None else User.objects.none()
        self.fields["participants"].label_from_instance = lambda u: bracketed(u.full_name, u.organization)
        if app is not None and not self.is_bound:
            conclusion = getattr(app, "panel_conclusion", None)
            if correcting and conclusion is not None:
                self.initial.update(held_on=conclusion.held_on, votes_for=conclusion.votes_for,
                                    votes_against=conclusion.votes_against, votes_abstain=conclusion.votes_abstain,
                                    summary=conclusion.summary,
                                    participants=list(conclusion.participants.values_list("pk", flat=True)))
            else:
                self.initial["participants"] = list(
                    app.assignments.filter(state__in=ON_PANEL).values_list("expert_id", flat=True))
        if correcting:
            self.fields["reason"] = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 2}),
                                                    max_length=500,
                                                    error_messages={"required": _("请填写“更正理由”。")})

    def clean(self):
        data = super().clean()
        people = data.get("participants")
        votes = [data.get(n) for n in ("votes_for", "votes_against", "votes_abstain")]
        if people is not None and None not in votes and sum(votes) != len(people):
            self.add_error("votes_for", _(
                "同意、反对、弃权票合计%(cast)d票，与参加评议的专家人数%(n)d人不符：每位参加评议的专家投一票。")
                % {"cast": sum(votes), "n": len(people)})
        return data


class PublicityForm(NamedErrorsMixin, forms.Form):
    starts_on = forms.DateField(label=_("公示开始日期"), widget=DATE,
                                help_text=_("结束日期按5个工作日自动计算（遇法定节假日顺延）。"))
    how_to_object = forms.CharField(label=_("异议受理方式"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                    validators=[text_limit(limits.NOTICE)],
                                    help_text=_("留空则使用默认说明。请勿填写个人电话。"))


class ObjectionForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["application", "name", "phone", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4})}
        labels = {"application": _("异议对象（工作站）"), "name": _("您的姓名"), "phone": _("您的联系电话")}

    def __init__(self, *args, stations=None, offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        field.queryset = stations if stations is not None else Application.objects.none()
        field.label_from_instance = label = lambda a: f"{a.unit_name}·{a.occupation}"
        if offered is not None:
            # a long list is paginated: the select offers the stations shown on this page (search to find one);
            # any station still in publicity is accepted (validation looks the chosen one up)
            chosen = self.data.get(self.add_prefix("application")) if self.is_bound else None
            extra = [a for a in field.queryset.filter(pk=chosen)] if chosen and str(chosen).isdigit() \
                and not any(str(a.pk) == str(chosen) for a in offered) else []
            field.widget.choices = [("", field.empty_label)] + [(a.pk, label(a)) for a in [*extra, *offered]]

    def _post_clean(self):
        pass


class ResolveObjectionForm(NamedErrorsMixin, forms.Form):
    decision = forms.ChoiceField(label=_("处理结果"), widget=forms.RadioSelect,
                                 choices=[("dismissed", _("异议不成立（保留在名单中）")),
                                          ("upheld", _("异议成立（移出名单，不予认定）"))])
    reason = forms.CharField(label=_("处理理由"), widget=forms.Textarea(attrs={"rows": 2}),
                             validators=[text_limit(limits.REASON)])


class RecognitionForm(NamedErrorsMixin, forms.Form):
    number = forms.CharField(label=_("认定文号"), max_length=60, help_text=_("如：沁人社字〔2026〕58号"))
    issued_on = forms.DateField(label=_("发文日期"), widget=DATE)
    issuers = forms.MultipleChoiceField(label=_("联合发文单位"), choices=ISSUERS, widget=forms.CheckboxSelectMultiple,
                                        initial=[code for code, _label in ISSUERS])
