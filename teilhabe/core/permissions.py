"""Access rules for views: roles as data (roles.py), checked in one place."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from teilhabe.core import roles


def is_verified(user) -> bool:
    """Whether the user passed the second factor in this session (django-otp)."""
    return bool(getattr(user, "is_verified", lambda: False)())


def second_factor_redirect(request):
    query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return redirect(f"{reverse('core:second_factor')}?{query}")


def role_required(*allowed: roles.Role) -> Callable:
    """Allow users holding any of the roles; a role that needs a second factor must have passed it.

    Anonymous visitors are sent to the log-in page; logged-in users without the role get 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            held = [role for role in allowed if roles.has_role(user, role)]
            if not held:
                raise PermissionDenied
            if roles.needs_second_factor(user) and not is_verified(user):
                return second_factor_redirect(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def login_required(view: Callable) -> Callable:
    """Any logged-in user; users whose roles need a second factor must have passed it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if roles.needs_second_factor(user) and not is_verified(user):
            return second_factor_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


staff_required = role_required(roles.STAFF)


def forbid(message: str = "") -> None:
    raise PermissionDenied(message)
