"""HR's administration pages: accounts, organizations, the holiday arrangement, the audit log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qinshui_station import audit, services
from qinshui_station.access import Window, errors_to_form, paginate, posted_from, role_required
from qinshui_station.forms import (
    AuditFilterForm,
    CalendarArrangementForm,
    OfficeContactForm,
    OrganizationForm,
    StaffUserForm,
)
from qinshui_station.models import CalendarYear, OfficeContact, Organization
from qinshui_station.prepared import Maybe, Person, Rows
from qinshui_station.roles import Role
from qinshui_station.selectors import audit_entries_for, users_for


@role_required(Role.HR)
@require_http_methods(["GET", "POST"])
def users(request):
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_staff_user(actor=request.user, role=data["role"], organization_id=data["organization"].pk,
                                       username=data["username"], full_name=data["full_name"], email=data["email"],
                                       phone=data["phone"], title=data["title"], password=data["password"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("账号已创建。"))
            return redirect("staff_users")
    qs = users_for(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(organization__name__icontains=q))
    role = request.GET.get("role", "")
    if role:
        qs = qs.filter(role=role)
    return render(request, "core/users.html", {"form": form, "page": paginate(request, qs), "q": q, "role": role,
                                               "roles": Role.choices})


@role_required(Role.HR)
@posted_from("staff_users")
def user_toggle(request, pk: int):
    user = get_object_or_404(users_for(request.user), pk=pk)
    try:
        services.set_user_active(actor=request.user, user_id=user.pk, active=not user.is_active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("账号状态已更新。"))
    return redirect("staff_users")


@role_required(Role.HR)
@require_http_methods(["GET", "POST"])
def organizations(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_organization(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("机构已添加。"))
            return redirect("staff_organizations")
    qs = Organization.objects.select_related("department").order_by("kind", "name")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
    return render(request, "core/organizations.html", {"form": form, "page": paginate(request, qs), "q": q})


@role_required(Role.HR)
@require_http_methods(["GET", "POST"])
def calendar(request):
    form = CalendarArrangementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_calendar_arrangement(actor=request.user, year=form.cleaned_data["year"],
                                                source=form.cleaned_data["source"], days=form.days())
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("节假日安排已保存。"))
            return redirect("staff_calendar")
    years = CalendarYear.objects.prefetch_related("days")
    return render(request, "core/calendar.html", {"form": form, "years": years})


def _audit_entries(*, user, object_type, object_id, actor, q=None):
    qs = audit_entries_for(user).select_related(None)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(actor_id=actor)
    if q:
        qs = qs.filter(Q(object_label__icontains=q) | Q(reason__icontains=q) | Q(action__icontains=q)
                       | Q(actor_label__icontains=q))
    return qs


_AUDIT_ENTRIES = Rows(_audit_entries, user=Person, object_type=Maybe(str), object_id=Maybe(str), actor=Maybe(int))


@role_required(Role.HR)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = {"object_type": data.get("object_type"), "object_id": data.get("object_id"),
               "actor": data.get("actor")}
    # no COUNT(*) of the whole log on every view: previous / next (access.Window); the sentence names the actor
    # from the entry's own label, so the accounts are not joined. A search's pattern is rewritten (%…%) before it
    # reaches the SQL: built each time; else the read compiled once per combination of filters.
    if data.get("q"):
        entries = _audit_entries(user=request.user, q=data["q"], **filters)
    else:
        entries = _AUDIT_ENTRIES.pages(user=request.user, **filters)
    page = Window(request, entries, 50)
    times = [timezone.localtime(e.at) for e in page]
    return render(request, "core/audit_log.html", {"form": form, "page": page, "entries": [
        (at.isoformat(), f"{at:%Y-%m-%d %H:%M:%S}", sentence) for at, sentence in zip(times, audit.describe_all(page), strict=True)]})


@role_required(Role.HR)
@require_http_methods(["GET", "POST"])
def office(request):
    """The bureau's office as the public notices print it (address and phone for objections)."""
    form = OfficeContactForm(request.POST or None, instance=OfficeContact.current())
    if request.method == "POST" and form.is_valid():
        try:
            services.update_office_contact(actor=request.user, **{n: form.cleaned_data[n] for n in services.OFFICE_FIELDS})
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("办公信息已保存，公示将按此打印。"))
            return redirect("staff_office")
    return render(request, "core/office.html", {"form": form}, status=400 if form.errors else 200)
