from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from qinshui_station.registry import dashboard_for


def index(request):
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect("home")


@login_required
def home(request):
    items = dashboard_for(request.user)
    return render(request, "core/home.html", {"items": [i for i in items if not i.info],
                                              "info": [i for i in items if i.info]})
