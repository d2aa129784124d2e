"""Who may open what: every URL name × every role and anonymous → allowed or denied.

Staff-like roles are logged in with their second factor passed; that a missing second factor
blocks them is tested in test_second_factor.py.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from teilhabe.core import roles
from teilhabe.core.models import Organisation, User
from tests.conftest import login_verified, make_user
from tests.funding.access_rows import ACCESS_ROWS as FUNDING_ROWS
from tests.mediation.access_rows import ACCESS_ROWS as MEDIATION_ROWS

ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
PRINCIPALS = [ANONYMOUS, NO_ROLE, *(role.slug for role in roles.ROLES)]
EVERYONE = set(PRINCIPALS)
LOGGED_IN = EVERYONE - {ANONYMOUS}
STAFF_ONLY = {roles.STAFF.slug}

MAINTAINERS = {roles.ORGANISATION_MEMBER.slug, roles.STAFF.slug}


def _offer_of_own_organisation(user, **fields):
    """An offer of an organisation that the user acts for if they hold the organisation-member
    role (an offer of another organisation is refused: tests/offers/test_manage_isolation.py)."""
    from teilhabe.core.services import membership_add
    from teilhabe.offers.models import Category, Offer

    organisation = Organisation.objects.create(name="Sprachcafé Süd", slug="sprachcafe-sued")
    if user is not None and roles.has_role(user, roles.ORGANISATION_MEMBER):
        membership_add(user=user, organisation=organisation)
    category = Category.objects.create(slug="treffpunkte", name="Treffpunkte")
    return Offer.objects.create(
        organisation=organisation, category=category, title="Sprachcafé", **fields
    )


def _offer(**fields):
    """kwargs for a URL with an offer's pk, made when the row is tested (see test_access)."""
    place = {"latitude": 51.51, "longitude": 7.46}
    return lambda user: {"pk": _offer_of_own_organisation(user, **place, **fields).pk}


def _confirm_token(user) -> dict:
    from teilhabe.offers.services import confirmation_token

    offer = _offer_of_own_organisation(user, status="published", latitude=51.51, longitude=7.46)
    return {"token": confirmation_token(offer)}


def _about_public_offer(to_kwargs):
    """kwargs for a URL of the public API about a published offer (made when tested)."""
    place = {"latitude": 51.51, "longitude": 7.46}
    return lambda user: to_kwargs(_offer_of_own_organisation(user, status="published", **place))


def _hsds_id(kind: str):
    from teilhabe.offers.hsds import sub_id

    return _about_public_offer(lambda offer: {"id": sub_id(offer.uuid, kind)})


# (url name, kwargs, method, who is allowed). kwargs may be a callable taking the logged-in
# user (None for anonymous) that creates what the URL needs, e.g. an offer, and returns kwargs.
ACCESS_TABLE = [
    ("healthz", {}, "get", EVERYONE),
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
    ("offers:map", {}, "get", EVERYONE),
    ("offers:geojson", {}, "get", EVERYONE),
    ("offers:detail", _offer(status="published"), "get", EVERYONE),
    ("offers:print", _offer(status="published"), "get", EVERYONE),
    ("offers:embed", {}, "get", EVERYONE),
    ("offers:mine", {}, "get", MAINTAINERS),
    ("offers:create", {}, "get", MAINTAINERS),
    ("offers:edit", _offer(), "get", MAINTAINERS),
    ("offers:submit", _offer(), "post", MAINTAINERS),
    ("offers:archive", _offer(), "post", MAINTAINERS),
    (
        "offers:translation_edit",
        lambda user: {**_offer()(user), "language": "en"},
        "get",
        MAINTAINERS,
    ),
    ("offers:confirm", _confirm_token, "get", EVERYONE),
    ("offers:review_queue", {}, "get", STAFF_ONLY),
    ("offers:review", _offer(status="review"), "get", STAFF_ONLY),
    ("offers:stale", {}, "get", STAFF_ONLY),
    ("offers:statistics", {}, "get", STAFF_ONLY),
    # The open-data API is public and read-only (tests/offers/test_api*.py, test_hsds*.py).
    ("api:api-root", {}, "get", EVERYONE),
    ("api:index", {}, "get", EVERYONE),
    ("api:openapi-json", {}, "get", EVERYONE),
    ("api:openapi-view", {}, "get", EVERYONE),
    ("api:offers", {}, "get", EVERYONE),
    ("api:offers_geojson", {}, "get", EVERYONE),
    ("api:offer", _about_public_offer(lambda offer: {"id": offer.pk}), "get", EVERYONE),
    ("api:hsds_root", {}, "get", EVERYONE),
    ("api:hsds_services", {}, "get", EVERYONE),
    ("api:hsds_service", _about_public_offer(lambda o: {"id": str(o.uuid)}), "get", EVERYONE),
    ("api:hsds_organizations", {}, "get", EVERYONE),
    (
        "api:hsds_organization",
        _about_public_offer(lambda offer: {"id": str(offer.organisation.uuid)}),
        "get",
        EVERYONE,
    ),
    ("api:hsds_service_at_locations", {}, "get", EVERYONE),
    ("api:hsds_service_at_location", _hsds_id("service_at_location"), "get", EVERYONE),
    ("api:hsds_taxonomies", {}, "get", EVERYONE),
    ("api:hsds_taxonomy", {"id": "efc58c31-5183-540c-88d7-6b1663a9e21e"}, "get", EVERYONE),
    ("api:hsds_taxonomy_terms", {}, "get", EVERYONE),
    (
        "api:hsds_taxonomy_term",
        _about_public_offer(lambda offer: {"id": str(offer.category.uuid)}),
        "get",
        EVERYONE,
    ),
    *MEDIATION_ROWS,
    *FUNDING_ROWS,
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
    if callable(kwargs):
        kwargs = kwargs(User.objects.filter(username=f"user-{principal}").first())
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
