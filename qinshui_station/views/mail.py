"""E-mail: each person's choice per kind of notification, and HR's page of deliveries that failed for good."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from qinshui_station import services
from qinshui_station.access import errors_to_form, paginate, posted_from, role_required
from qinshui_station.models import Delivery, DeliveryState, EmailPreference
from qinshui_station.registry import notification_kinds_for
from qinshui_station.roles import Role


class EmailPreferencesForm(forms.Form):
    def __init__(self, *args, kinds, current: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.key] = forms.BooleanField(label=kind.label, help_text=kind.hint, required=False,
                                                       initial=current.get(kind.key, True))


@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request):
    kinds = notification_kinds_for(request.user)
    current = dict(EmailPreference.objects.filter(user=request.user).values_list("kind", "email"))
    form = EmailPreferencesForm(request.POST or None, kinds=kinds, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_email_preferences(user=request.user, email_on=form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("邮件通知设置已保存。"))
            return redirect("email_preferences")
    return render(request, "core/email_preferences.html", {"form": form, "has_email": bool(request.user.email)})


class DeliveryFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("收件人或内容"), required=False, max_length=100)


@role_required(Role.HR)
def failed_deliveries(request):
    form = DeliveryFilterForm(request.GET or None)
    qs = Delivery.objects.filter(status=DeliveryState.FAILED).select_related("recipient__organization")
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        qs = qs.filter(to_address__icontains=q) | qs.filter(subject__icontains=q) | qs.filter(
            recipient__full_name__icontains=q)
    return render(request, "core/failed_deliveries.html", {"form": form, "page": paginate(request, qs.order_by(
        "-failed_at", "-pk"))})


@role_required(Role.HR)
@posted_from("failed_deliveries")
def delivery_retry(request, pk: int):
    try:
        services.retry_delivery(actor=request.user, delivery_id=pk)
    except Delivery.DoesNotExist:
        from django.http import Http404

        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已重新排队发送，稍后由后台任务投递。"))
    return redirect("failed_deliveries")
