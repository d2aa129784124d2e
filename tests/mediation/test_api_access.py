"""Who may call the API's writes that take a JSON body (the access table in test_access.py can
only send empty bodies): every principal once, with a valid body. Allowed: the answer is a
success; everyone else: 403 with a reason, and nothing changes."""

import json

import pytest
from django.test import Client

from teilhabe.core import roles
from teilhabe.mediation.models import Assignment, BatchProposal, MediationRequest
from tests.conftest import login_verified, make_user
from tests.mediation import factories

BASE = "/api/v1/mediation"
PRINCIPALS = ["anonymous", "no_role", *(role.slug for role in roles.ROLES)]


def _client(principal: str) -> tuple[Client, object]:
    client = Client()
    if principal == "anonymous":
        return client, None
    role = roles.ROLES_BY_SLUG.get(principal)
    user = make_user(f"user-{principal}", *([role] if role else []))
    if roles.needs_second_factor(user):
        login_verified(client, user)
    else:
        client.force_login(user)
    return client, user


def _request_create(user) -> tuple[str, dict]:
    """A requester's own institution; for others some institution's place."""
    school = factories.institution()
    if user is not None and roles.has_role(user, roles.REQUESTER):
        from teilhabe.mediation.models import RequesterProfile

        RequesterProfile.objects.create(user=user, institution=school)
    factories.mediator("mira")
    return "/requests", {
        "language": "ti",
        "starts_at": factories.next_week_at(10).isoformat(),
        "duration_minutes": 60,
        "setting": "in_person",
        "place_id": school.places.first().pk,
        "area": "education",
        "topic": "Parents' evening",
        "terms_accepted": True,
    }


def _offer_send(user) -> tuple[str, dict]:
    request = factories.request(factories.institution())
    factories.mediator("mira")
    return f"/staff/requests/{request.pk}/offer", {}


def _batch(user) -> tuple[str, dict]:
    day = factories.next_week_at(10).date().isoformat()
    return "/staff/batches", {"first_day": day, "last_day": day}


def _changed() -> tuple[int, int, int]:
    return (
        MediationRequest.objects.count(),
        Assignment.objects.count(),
        BatchProposal.objects.count(),
    )


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize(
    ("make", "allowed", "success"),
    [
        (_request_create, {roles.REQUESTER.slug}, 201),
        (_offer_send, {roles.STAFF.slug}, 200),
        (_batch, {roles.STAFF.slug}, 201),
    ],
    ids=["request_create", "offer_send", "batch_propose"],
)
def test_api_writes(db, principal, make, allowed, success):
    client, user = _client(principal)
    path, body = make(user)
    before = _changed()

    response = client.post(f"{BASE}{path}", json.dumps(body), content_type="application/json")

    if principal in allowed:
        assert response.status_code == success, response.content
        assert _changed() != before
    else:
        assert response.status_code == 403, (principal, response.status_code)
        assert response.json()["detail"]
        assert _changed() == before
