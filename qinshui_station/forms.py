from datetime import date, timedelta

from django import forms
from django.apps import apps
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinshui_station import throttle
from qinshui_station.models import OfficeContact, Organization, User
from qinshui_station.models.calendar import DayKind
from qinshui_station.prepared import Rows
from qinshui_station.roles import HR_CREATES, OrgKind, Role
from qinshui_station.selectors import departments


def name_the_fields(form) -> None:
    """Messages that name their field ("请填写“您的姓名”。") instead of Django's generic "请填写此项。"."""
    for field in form.fields.values():
        label = str(field.label or "").rstrip("：:")
        if not label:
            continue
        choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.DateField)
        if isinstance(field, forms.BooleanField):
            field.error_messages["required"] = _("请勾选“%(label)s”。") % {"label": label}
        elif choose:
            field.error_messages["required"] = _("请选择“%(label)s”。") % {"label": label}
        else:
            field.error_messages["required"] = _("请填写“%(label)s”。") % {"label": label}
        if "invalid_choice" in field.error_messages:
            field.error_messages["invalid_choice"] = _("“%(label)s”的所选项“%%(value)s”不在可选范围内，请重新选择。") % {
                "label": label}


class NamedErrorsMixin:
    """Forms whose messages name the field (issue 14): mix in before ``forms.Form``/``forms.ModelForm``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_the_fields(self)


class UnitRegistrationForm(NamedErrorsMixin, forms.ModelForm):
    """Self-registration of an applicant unit and its first account."""

    username = forms.CharField(label=gettext_lazy("登录账号"), max_length=150,
                               help_text=gettext_lazy("字母、数字或 @.+-_，登录时使用"))
    full_name = forms.CharField(label=gettext_lazy("经办人姓名"), max_length=40)
    email = forms.EmailField(label=gettext_lazy("经办人邮箱"), help_text=gettext_lazy("用于接收办理通知和找回密码"))
    phone = forms.CharField(label=gettext_lazy("经办人手机"), max_length=20, required=False)
    password1 = forms.CharField(label=gettext_lazy("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=gettext_lazy("确认密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    class Meta:
        model = Organization
        fields = ["name", "credit_code", "unit_type", "department", "ownership", "address", "legal_representative",
                  "legal_representative_phone", "contact_person", "contact_phone", "contact_email"]
        labels = {"name": gettext_lazy("单位名称")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments()
        self.fields["department"].required = True
        self.fields["unit_type"].required = True
        self.fields["credit_code"].required = True
        self.fields["unit_type"].choices = [("", "---------")] + list(self.fields["unit_type"].choices)[1:]

    ACCOUNT_FIELDS = ("username", "full_name", "email", "phone", "password1", "password2")

    def unit_fields(self):
        return [self[name] for name in self.fields if name not in self.ACCOUNT_FIELDS]

    def account_fields(self):
        return [self[name] for name in self.ACCOUNT_FIELDS]

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("该登录账号已被使用。"))
        return username

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            try:
                # The person's login name, name and e-mail and the unit's name (SimilarityValidator).
                candidate = User(username=data.get("username", ""), full_name=data.get("full_name", ""),
                                 email=data.get("email", ""), organization=Organization(name=data.get("name", "")))
                password_validation.validate_password(p1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data

    def _post_clean(self):
        # Organization.full_clean needs kind=UNIT to apply the unit constraints.
        self.instance.kind = OrgKind.UNIT
        super()._post_clean()


class UnitProfileForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "unit_type", "ownership", "address", "legal_representative", "legal_representative_phone",
                  "contact_person", "contact_phone", "contact_email", "bank_account_name", "bank_name",
                  "bank_account_number"]
        labels = {"name": gettext_lazy("单位名称")}


class StaffUserForm(NamedErrorsMixin, forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=[c for c in Role.choices if c[0] in HR_CREATES],
                             help_text=gettext_lazy("县财政局和县委组织部的账号由系统管理员创建。"))
    organization = forms.ModelChoiceField(label=gettext_lazy("所属机构"),
                                          queryset=Organization.objects.exclude(kind=OrgKind.UNIT).order_by("kind", "name"))
    username = forms.CharField(label=gettext_lazy("登录账号"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=40)
    email = forms.EmailField(label=gettext_lazy("邮箱"))
    phone = forms.CharField(label=gettext_lazy("手机号码"), max_length=20, required=False)
    title = forms.CharField(label=gettext_lazy("职务/职称"), max_length=60, required=False)
    password = forms.CharField(label=gettext_lazy("初始密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Experts may work for a registered unit: that is what the conflict-of-interest check compares.
        self.fields["organization"].queryset = Organization.objects.order_by("kind", "name")

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password:
            candidate = User(username=data.get("username", ""), full_name=data.get("full_name", ""),
                             email=data.get("email", ""), organization=data.get("organization"))
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return data


class OrganizationForm(NamedErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("机构类别"), choices=[c for c in OrgKind.choices if c[0] != OrgKind.UNIT])
    name = forms.CharField(label=gettext_lazy("名称"), max_length=120)
    sector = forms.CharField(label=gettext_lazy("主管行业"), max_length=60, required=False)


def _parse_days(text: str, field: str) -> list[tuple[date, str]]:
    days = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        head, _sep, name = line.partition(" ")
        try:
            days.append((date.fromisoformat(head), name.strip()))
        except ValueError:
            raise ValidationError(
                _("第%(n)d行“%(line)s”不是有效日期，请按 2027-01-01 元旦 的格式每行填写一天。") % {"n": number, "line": line}
            ) from None
    return days


class CalendarArrangementForm(NamedErrorsMixin, forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    source = forms.CharField(label=gettext_lazy("依据文件"), max_length=200)
    holidays = forms.CharField(label=gettext_lazy("放假日期"), widget=forms.Textarea(attrs={"rows": 8}),
                               help_text=gettext_lazy("每行一天：日期 节日名，如 2027-01-01 元旦"))
    workdays = forms.CharField(label=gettext_lazy("调休上班日期"), widget=forms.Textarea(attrs={"rows": 4}),
                               required=False, help_text=gettext_lazy("每行一天：日期 说明，如 2027-02-07 春节调休"))

    def clean_holidays(self):
        return _parse_days(self.cleaned_data["holidays"], "holidays")

    def clean_workdays(self):
        return _parse_days(self.cleaned_data["workdays"], "workdays")

    def days(self) -> list[tuple[date, str, str]]:
        return [(d, DayKind.HOLIDAY, n) for d, n in self.cleaned_data["holidays"]] + [
            (d, DayKind.WORKDAY, n) for d, n in self.cleaned_data["workdays"]
        ]


_ACTORS = Rows(lambda: User.objects.exclude(role=Role.UNIT).order_by("username").only("pk", "username", "full_name"))


class AuditFilterForm(forms.Form):
    object_type = forms.ChoiceField(label=gettext_lazy("对象类型"), required=False)
    object_id = forms.CharField(label=gettext_lazy("对象编号"), required=False)
    # the county's offices and experts (a few dozen): the units' thousands of accounts would make a select of
    # 10,000 options; a unit's actions are found by its name in 关键词. (id, name) pairs from a read compiled
    # once, refused as a ModelChoiceField refuses an unknown one
    actor = forms.TypedChoiceField(label=gettext_lazy("操作人"), required=False, coerce=int, empty_value=None,
                                   error_messages={"invalid_choice": forms.ModelChoiceField
                                                   .default_error_messages["invalid_choice"]})
    q = forms.CharField(label=gettext_lazy("关键词"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds of object by their names (the log stores "app_label.model").
        kinds = [(m._meta.label_lower, str(m._meta.verbose_name)) for m in apps.get_models()
                 if m._meta.app_label in ("qinshui_station", "applications", "reviews", "funding")]
        self.fields["object_type"].choices = [("", _("全部"))] + sorted(kinds, key=lambda k: k[1])
        self.fields["actor"].choices = [("", "---------"), *((u.pk, str(u)) for u in _ACTORS())]

# Throttles (issue 15, finding 11), counted in the database so they hold across worker processes.
RESET_MAILS_PER_ACCOUNT, RESET_REQUESTS_PER_ADDRESS = 3, 10  # an hour
REGISTRATIONS_PER_ADDRESS, REGISTRATIONS_PER_EMAIL = 5, 2  # a day


class ThrottledPasswordResetForm(PasswordResetForm):
    """At most ``RESET_MAILS_PER_ACCOUNT`` reset mails an hour to one e-mail address and
    ``RESET_REQUESTS_PER_ADDRESS`` requests an hour from one network address. Beyond that nothing is sent and
    the page says what it always says, so it never tells whether an address is registered."""

    def save(self, *args, request=None, **kwargs):
        address = (request.META.get("REMOTE_ADDR") if request is not None else "") or "0.0.0.0"
        email = self.cleaned_data["email"]
        if not throttle.allow("password_reset_address", address, limit=RESET_REQUESTS_PER_ADDRESS,
                              window=timedelta(hours=1)):
            return
        if not throttle.allow("password_reset_account", email, limit=RESET_MAILS_PER_ACCOUNT,
                              window=timedelta(hours=1)):
            return
        super().save(*args, request=request, **kwargs)


def registration_allowed(*, address: str, email: str) -> str | None:
    """None when a registration from ``address`` for ``email`` may go ahead (and counts it), else the reason."""
    if not throttle.allow("registration_address", address, limit=REGISTRATIONS_PER_ADDRESS, window=timedelta(days=1)):
        return _("同一网络地址一天内最多注册%(n)d个单位，请明天再试，或联系县人社局。") % {"n": REGISTRATIONS_PER_ADDRESS}
    if not throttle.allow("registration_email", email, limit=REGISTRATIONS_PER_EMAIL, window=timedelta(days=1)):
        return _("该邮箱一天内已用于注册%(n)d次，请明天再试，或联系县人社局。") % {"n": REGISTRATIONS_PER_EMAIL}
    return None


class OfficeContactForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = OfficeContact
        fields = ["office_name", "address", "phone"]
        help_texts = {"address": gettext_lazy("印在公示上，供书面提出异议"),
                      "phone": gettext_lazy("印在公示上，供来电反映；请填写办公电话，勿填个人手机")}
