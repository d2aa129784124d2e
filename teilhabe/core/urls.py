from django.contrib.auth import views as auth_views
from django.urls import path

from teilhabe.core import account_views, views

app_name = "core"

urlpatterns = [
    path("accounts/", account_views.account, name="account"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/second-factor/", account_views.second_factor, name="second_factor"),
    path(
        "accounts/password-reset/", account_views.PasswordResetView.as_view(), name="password_reset"
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
    path("staff/audit/", views.staff_audit, name="staff_audit"),
]
