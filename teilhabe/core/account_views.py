"""Log-in, second factor (TOTP), password reset and the user's own account page."""

import segno
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required as plain_login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from teilhabe.core import roles, services
from teilhabe.core.forms import QueuedPasswordResetForm, TokenForm
from teilhabe.core.i18n import url_in_language
from teilhabe.core.permissions import is_verified, login_required


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # A link shared in one language keeps the visitor in the language they chose here.
        return url_in_language(candidate, get_language())
    return default


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # No autofocus: it skips the skip link and navigation for screen-reader users and
        # opens the phone keyboard over the page.
        form.fields["username"].widget.attrs.pop("autofocus", None)
        return form

    def get_redirect_url(self) -> str:
        url = super().get_redirect_url()
        return url_in_language(url, get_language()) if url else url

    def form_valid(self, form):
        super().form_valid(form)
        next_url = self.get_success_url()
        if roles.needs_second_factor(form.get_user()):
            query = urlencode({REDIRECT_FIELD_NAME: next_url})
            return redirect(f"{reverse('core:second_factor')}?{query}")
        return redirect(next_url)


@never_cache
@sensitive_post_parameters("token")
@plain_login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the TOTP code; on the first time, set up the authenticator app first."""
    next_url = _safe_next(request, reverse("core:account"))
    if is_verified(request.user):
        return redirect(next_url)
    device = services.totp_device_for(user=request.user)
    enrolling = not device.confirmed
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            services.totp_device_confirm(device=device)
        otp_login(request, device)
        return redirect(next_url)
    context = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        uri = device.config_url
        context["qr_svg_data_uri"] = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
        context["secret"] = services.totp_secret_base32(device)
    return render(request, "registration/second_factor.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("core:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("core:password_reset_complete")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "core/account.html",
        {
            "user_roles": roles.roles_of(user),
            "organisations": user.organisations.order_by("name"),
            "verified": is_verified(user),
            "needs_second_factor": roles.needs_second_factor(user),
        },
    )
