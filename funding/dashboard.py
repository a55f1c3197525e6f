"""The ledger's menu entries, to-do items and workstation-page panel. Each dashboard provider runs a constant
number of queries."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from funding import (
    audit_labels,  # noqa: F401  (registers the audit log's action labels)
    selectors,
)
from funding.models import Expenditure, Recovery, Tranche
from funding.workflow import ExpenditureState, RecoveryState, TrancheState
from qinshui_station.registry import (
    DashboardItem,
    NavItem,
    register_dashboard,
    register_nav,
    register_workstation_panel,
)
from qinshui_station.roles import Role
from qinshui_station.templatetags.portal import yuan


def register() -> None:
    register_nav(
        NavItem(gettext_lazy("补助资金台账"), "funding:ledger", (Role.HR, Role.FINANCE), order=60, icon="journal-bookmark",
                group=gettext_lazy("补助资金")),
        NavItem(gettext_lazy("资金拨付"), "funding:tranche_list", (Role.HR, Role.FINANCE), order=61, icon="cash-coin",
                group=gettext_lazy("补助资金")),
        NavItem(gettext_lazy("资金支出"), "funding:expenditure_list", (Role.UNIT, Role.HR, Role.FINANCE), order=62,
                icon="receipt", group=gettext_lazy("补助资金")),
        NavItem(gettext_lazy("资金追回"), "funding:recovery_list", (Role.HR, Role.FINANCE), order=63,
                icon="arrow-counterclockwise", group=gettext_lazy("补助资金")),
    )
    register_dashboard(dashboard_items)
    from funding.views import workstation_panel

    register_workstation_panel(workstation_panel)


def dashboard_items(user) -> list[DashboardItem]:
    match user.role:
        case Role.HR:
            to_approve = Tranche.objects.filter(state=TrancheState.SCHEDULED).count()
            questioned = Expenditure.objects.filter(state=ExpenditureState.QUESTIONED).count()
            items = []
            if to_approve:
                items.append(DashboardItem(_("待审批的补助资金"), to_approve,
                                           f"{reverse('funding:tranche_list')}?state={TrancheState.SCHEDULED}",
                                           hint=_("审批后由县财政局拨付"), order=30))
            if questioned:
                items.append(DashboardItem(_("存疑待核的资金支出"), questioned,
                                           f"{reverse('funding:expenditure_list')}?state={ExpenditureState.QUESTIONED}",
                                           order=31))
            return items
        case Role.FINANCE:
            to_pay = Tranche.objects.filter(state=TrancheState.APPROVED).count()
            to_recover = Recovery.objects.filter(state=RecoveryState.PENDING).count()
            items = []
            if to_pay:
                items.append(DashboardItem(_("待拨付的补助资金"), to_pay,
                                           f"{reverse('funding:tranche_list')}?state={TrancheState.APPROVED}",
                                           hint=_("已经县人社局审批"), urgent=True, order=30))
            if to_recover:
                items.append(DashboardItem(_("待追回的补助资金"), to_recover,
                                           f"{reverse('funding:recovery_list')}?state={RecoveryState.PENDING}",
                                           order=31))
            return items
        case Role.UNIT:
            stations, disbursed, spent = selectors.unit_balance(user)
            if not stations:
                return []
            return [DashboardItem(
                _("补助资金结余 %(balance)s") % {"balance": yuan(disbursed - spent)}, stations,
                reverse("funding:expenditure_list"),
                hint=ngettext("获补助工作站%(n)d个：已拨付%(disbursed)s，已支出%(spent)s",
                              "获补助工作站%(n)d个：已拨付%(disbursed)s，已支出%(spent)s", stations) % {
                    "n": stations, "disbursed": yuan(disbursed), "spent": yuan(spent)},
                order=40)]
    return []
