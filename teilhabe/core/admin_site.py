from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class TeilhabeAdminSite(OTPAdminSite):
    """Django admin for staff who have passed the second factor.

    Logging in goes through the site's own log-in and second-factor pages, so there is one way in.
    """

    site_header = _("Teilhabe administration")
    site_title = _("Teilhabe")
    index_title = _("Administration")

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        target = "core:second_factor" if request.user.is_authenticated else "core:login"
        return redirect(f"{reverse(target)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
