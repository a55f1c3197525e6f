from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qinshui_station import services
from qinshui_station.access import paginate
from qinshui_station.forms import UnitProfileForm, UnitRegistrationForm, registration_allowed
from qinshui_station.models import Notification
from qinshui_station.roles import Role


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = UnitRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        profile = {k: data[k] for k in form.Meta.fields}
        refusal = registration_allowed(address=request.META.get("REMOTE_ADDR") or "0.0.0.0", email=data["email"])
        if refusal:
            form.add_error(None, refusal)
            return render(request, "registration/register.html", {"form": form})
        try:
            user = services.register_unit(username=data["username"], password=data["password1"],
                                          full_name=data["full_name"], email=data["email"], phone=data["phone"],
                                          **profile)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="qinshui_station.backends.PortalBackend")
            messages.success(request, _("注册成功，欢迎使用沁水县技师工作站管理平台。"))
            return redirect("home")
    return render(request, "registration/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def unit_profile(request):
    if request.user.role != Role.UNIT:
        return redirect("home")
    org = request.user.organization
    form = UnitProfileForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit_profile(actor=request.user, organization_id=org.pk,
                                         **{f: form.cleaned_data[f] for f in form.Meta.fields})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("单位信息已保存。"))
            return redirect("unit_profile")
    return render(request, "core/unit_profile.html", {"form": form, "org": org})


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        services.mark_notifications_read(user=request.user)
        messages.success(request, _("已全部标为已读。"))
        return redirect("notifications")
    page = paginate(request, Notification.objects.filter(recipient=request.user))
    return render(request, "core/notifications.html", {"page": page})
