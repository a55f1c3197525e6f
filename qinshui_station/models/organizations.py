from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qinshui_station.choice_labels import label
from qinshui_station.roles import OrgKind, Role, UnitType
from qinshui_station.validators import validate_county_registration, validate_credit_code, validate_phone


class Organization(models.Model):
    """Every body that takes part: applicant units, sector departments, the three county bureaus,
    and the employers of experts. Unit-only fields are blank for the others (checked by constraints)."""

    kind = models.CharField(_("机构类别"), max_length=20, choices=OrgKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True,
        validators=[validate_credit_code, validate_county_registration],
        error_messages={"unique": _("该统一社会信用代码已注册。如需开通账号，请联系本单位已注册的经办人或县人社局。")},
    )
    unit_type = models.CharField(_("单位类型"), max_length=20, choices=UnitType.choices, blank=True)
    department = models.ForeignKey(
        "self",
        verbose_name=_("行业主管部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        limit_choices_to={"kind": OrgKind.DEPARTMENT},
    )
    sector = models.CharField(_("主管行业"), max_length=60, blank=True, help_text=_("行业主管部门所管的行业"))
    ownership = models.CharField(_("所有制形式"), max_length=40, blank=True)
    address = models.CharField(_("单位地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法人代表"), max_length=40, blank=True)
    legal_representative_phone = models.CharField(
        _("法人代表联系电话"), max_length=20, blank=True, validators=[validate_phone]
    )
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    contact_email = models.EmailField(_("邮箱"), blank=True)
    bank_account_name = models.CharField(_("银行开户名称"), max_length=120, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=120, blank=True)
    bank_account_number = models.CharField(_("银行开户账号"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="org_unit_has_code_type_department",
                condition=~Q(kind=OrgKind.UNIT)
                | (Q(credit_code__isnull=False) & ~Q(unit_type="") & Q(department__isnull=False)),
                violation_error_message=_("申报单位须填写统一社会信用代码、单位类型和行业主管部门。"),
            ),
            models.CheckConstraint(
                name="org_unit_type_allowed",
                condition=Q(unit_type="") | Q(unit_type__in=UnitType.values),
            ),
            models.CheckConstraint(
                name="org_only_units_have_department",
                condition=Q(kind=OrgKind.UNIT) | Q(department__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["kind", "name"], name="org_unique_name_per_kind",
                violation_error_message=_("同类机构中已有同名机构。"),
            ),
        ]
        indexes = [models.Index(fields=["kind", "department"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_unit(self) -> bool:
        return self.kind == OrgKind.UNIT

    @property
    def registration_region(self) -> str:
        """"county" (沁水县), "shanxi" (another Shanxi division: the department confirms) or "" (no valid code)."""
        from django.core.exceptions import ValidationError

        from qinshui_station.validators import check_county_registration

        try:
            return check_county_registration(self.credit_code or "")
        except ValidationError:
            return ""

    @property
    def masked_bank_account(self) -> str:
        return mask_account(self.bank_account_number)


def mask_account(number: str) -> str:
    """Keeps the last four digits: enough to recognise an account, useless to anyone else."""
    digits = (number or "").replace(" ", "")
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def sees_full_account(user, unit_id) -> bool:
    """The one rule for bank accounts, on pages, PDFs and workbooks alike: finance staff (who pay into it)
    and the unit itself see the number in full; everyone else sees the last four digits."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.FINANCE:
        return True
    return user.role == Role.UNIT and user.organization_id == unit_id


def shown_account(user, unit_id, number: str) -> str:
    return number if sees_full_account(user, unit_id) else mask_account(number)


class User(AbstractUser):
    """A person signs in with one role in exactly one organization."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="users"
    )
    full_name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True, validators=[validate_phone])
    title = models.CharField(_("职务/职称"), max_length=60, blank=True)

    objects = UserManager()
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["role", "username"]
        indexes = [models.Index(fields=["role", "organization"]),
                   # the audit log's actor filter: the county's offices and experts by username, not a scan of the
                   # units' 10,000 accounts (docs/performance.md)
                   models.Index(fields=["username"], condition=~models.Q(role=Role.UNIT), name="user_staff_by_username")]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("home")

    @property
    def role_label(self) -> str:
        """``get_role_display()``, its labels kept per language (the menu names the role on every page)."""
        return label(User, "role", self.role)

    @property
    def is_unit(self) -> bool:
        return self.role == Role.UNIT

    @property
    def is_hr(self) -> bool:
        return self.role == Role.HR

    @property
    def is_department(self) -> bool:
        return self.role == Role.DEPARTMENT

    @property
    def is_expert(self) -> bool:
        return self.role == Role.EXPERT

    @property
    def is_finance(self) -> bool:
        return self.role == Role.FINANCE

    @property
    def is_org_dept(self) -> bool:
        return self.role == Role.ORG_DEPT
