from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dashboards import stats
from qinshui_station.access import role_required
from qinshui_station.roles import Role


@role_required(Role.HR, Role.FINANCE, Role.ORG_DEPT)
def charts(request):
    sections = [
        (pgettext("plural", "工作站"), stats.station_charts()),
        (_("年度评估"), stats.round_charts()),
        (_("补助资金"), stats.funding_charts()),
    ]
    if request.user.role == Role.FINANCE:  # finance starts with the money
        sections = [sections[2], sections[0], sections[1]]
    return render(request, "dashboards/charts.html", {"sections": sections, "breadcrumbs": [
        (_("首页"), "/home/"), (_("统计图表"), None)]})
