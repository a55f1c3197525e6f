import os

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from qinshui_station.forms import ThrottledPasswordResetForm
from qinshui_station.views import accounts, home, mail, staff, workstations

handler400 = "qinshui_station.views.errors.bad_request"
handler403 = "qinshui_station.views.errors.permission_denied"
handler404 = "qinshui_station.views.errors.page_not_found"
handler500 = "qinshui_station.views.errors.server_error"

auth_patterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm),
         name="password_reset"),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("register/", accounts.register, name="register"),
]

urlpatterns = [
    path("", home.index, name="index"),
    path("home/", home.home, name="home"),
    path("accounts/", include(auth_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("profile/", accounts.unit_profile, name="unit_profile"),
    path("notifications/", accounts.notifications, name="notifications"),
    path("notifications/preferences/", mail.email_preferences, name="email_preferences"),
    path("staff/deliveries/", mail.failed_deliveries, name="failed_deliveries"),
    path("staff/deliveries/<int:pk>/retry/", mail.delivery_retry, name="delivery_retry"),
    path("workstations/", workstations.workstation_list, name="workstation_list"),
    path("workstations/<int:pk>/", workstations.workstation_detail, name="workstation_detail"),
    path("workstations/<int:pk>/certificate.pdf", workstations.workstation_certificate,
         name="workstation_certificate"),
    path("public/workstations/", workstations.public_workstation_list, name="public_workstations"),
    path("staff/users/", staff.users, name="staff_users"),
    path("staff/users/<int:pk>/toggle/", staff.user_toggle, name="staff_user_toggle"),
    path("staff/organizations/", staff.organizations, name="staff_organizations"),
    path("staff/calendar/", staff.calendar, name="staff_calendar"),
    path("staff/audit/", staff.audit_log, name="audit_log"),
    path("staff/office/", staff.office, name="staff_office"),
    path("applications/", include("applications.urls")),
    path("reviews/", include("reviews.urls")),
    path("funding/", include("funding.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("records/", include("records.urls")),
]

if os.environ.get("QS_BENCH_VIEW") == "1":  # manage.py bench_http's ceiling: never set in production
    urlpatterns.append(path("bench/bare/", lambda request: HttpResponse("ok", content_type="text/plain")))
