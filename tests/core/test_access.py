"""Who may open what: every URL name × every role and anonymous → allowed or denied.

Staff-like roles are logged in with their second factor passed; that a missing second factor
blocks them is tested in test_second_factor.py.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from teilhabe.core import roles
from tests.conftest import login_verified, make_user

ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
PRINCIPALS = [ANONYMOUS, NO_ROLE, *(role.slug for role in roles.ROLES)]
EVERYONE = set(PRINCIPALS)
LOGGED_IN = EVERYONE - {ANONYMOUS}
STAFF_ONLY = {roles.STAFF.slug}

# (url name, kwargs, method, who is allowed)
ACCESS_TABLE = [
    ("healthz", {}, "get", EVERYONE),
    ("core:home", {}, "get", EVERYONE),
    ("core:login", {}, "get", EVERYONE),
    ("core:logout", {}, "post", EVERYONE),
    ("core:password_reset", {}, "get", EVERYONE),
    ("core:password_reset_done", {}, "get", EVERYONE),
    ("core:password_reset_confirm", {"uidb64": "MQ", "token": "set-password"}, "get", EVERYONE),
    ("core:password_reset_complete", {}, "get", EVERYONE),
    ("core:second_factor", {}, "get", LOGGED_IN),
    ("core:account", {}, "get", LOGGED_IN),
    ("core:staff_dashboard", {}, "get", STAFF_ONLY),
    ("core:staff_audit", {}, "get", STAFF_ONLY),
    ("admin:index", {}, "get", STAFF_ONLY),
]

# The admin's own pages are guarded by its site as a whole; admin:index stands for them.
COVERED_ELSEWHERE_NAMESPACES = {"admin"}


def _all_url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_the_table_covers_every_named_url():
    in_table = {name for name, *_rest in ACCESS_TABLE}
    everything = {
        name
        for name in _all_url_names()
        if name.split(":")[0] not in COVERED_ELSEWHERE_NAMESPACES or name in in_table
    }
    assert everything == in_table


def _client_for(client, principal: str):
    if principal == ANONYMOUS:
        return client
    role = roles.ROLES_BY_SLUG.get(principal)
    user = make_user(f"user-{principal}", *([role] if role else []))
    if roles.needs_second_factor(user):
        login_verified(client, user)
    else:
        client.force_login(user)
    return client


def _was_allowed(response) -> bool:
    if response.status_code == 200:
        return True
    if response.status_code in (301, 302):
        target = response.headers["Location"]
        refused = (reverse("core:login"), reverse("admin:login"), reverse("core:second_factor"))
        return not target.startswith(refused)
    if response.status_code in (403, 404, 405):
        return False
    raise AssertionError(f"unexpected status {response.status_code}")


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize(
    ("url_name", "kwargs", "method", "allowed"),
    ACCESS_TABLE,
    ids=[row[0] for row in ACCESS_TABLE],
)
def test_access(client, db, principal, url_name, kwargs, method, allowed):
    client = _client_for(client, principal)
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs))
    expected = principal in allowed
    assert _was_allowed(response) is expected, (
        f"{principal} on {url_name}: status {response.status_code}, "
        f"{'expected access' if expected else 'expected refusal'}"
    )


@pytest.mark.parametrize("principal", [p for p in PRINCIPALS if p != roles.STAFF.slug])
def test_denied_users_are_sent_to_login_or_refused(client, db, principal):
    client = _client_for(client, principal)
    response = client.get(reverse("core:staff_dashboard"))
    if principal == ANONYMOUS:
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("core:login"))
    else:
        assert response.status_code == 403
        assert "errors/403.html" in [t.name for t in response.templates]
