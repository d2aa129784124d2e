"""Rows of the access table (tests/core/test_access.py) for the mediation module's URLs.

Same shape as there: (url name, kwargs or callable(user) -> kwargs, method, allowed principals).
The callables make what the URL needs and give it to the user where their role makes it theirs:
a requester's request is of their institution, a mediator's assignment is theirs (someone
else's answers 404: test_isolation.py).
"""

from teilhabe.core import roles

STAFF = {roles.STAFF.slug}
REQUESTERS = {roles.REQUESTER.slug}
REQUESTERS_AND_STAFF = REQUESTERS | STAFF
MEDIATORS = {roles.MEDIATOR.slug}
EVERYONE = {"anonymous", "no_role", *(role.slug for role in roles.ROLES)}


def _has(user, role) -> bool:
    return user is not None and roles.has_role(user, role)


def _institution(user):
    from teilhabe.mediation.models import RequesterProfile
    from tests.mediation import factories

    if _has(user, roles.REQUESTER):
        profile = RequesterProfile.objects.filter(user=user).first()
        if profile is None:
            profile = RequesterProfile.objects.create(
                user=user, institution=factories.institution()
            )
        return profile.institution
    return factories.institution("Kita Regenbogen")


def _mediator(user):
    from teilhabe.mediation.models import MediatorProfile
    from tests.mediation import factories

    if _has(user, roles.MEDIATOR):
        existing = MediatorProfile.objects.filter(user=user).first()
        return existing or MediatorProfile.objects.create(
            user=user,
            status="active",
            training_date="2024-01-01",
            confidentiality_date="2024-01-01",
        )
    return factories.mediator("someone-else")


def _own_profile(user) -> dict:
    """No kwargs; makes the requester's or mediator's profile the page needs."""
    if _has(user, roles.REQUESTER):
        _institution(user)
    if _has(user, roles.MEDIATOR):
        _mediator(user)
    return {}


def _request(user) -> dict:
    from tests.mediation import factories

    return {"pk": factories.request(_institution(user)).pk}


def _assignment(status: str):
    def make(user) -> dict:
        from tests.mediation import factories

        request = factories.request(_institution(None))
        request.status = {"offered": "offered", "confirmed": "confirmed"}[status]
        request.save()
        return {"pk": factories.assignment(request, _mediator(user), status=status).pk}

    return make


def _offer_token(user) -> dict:
    from teilhabe.mediation.models import Assignment
    from teilhabe.mediation.services import offer_token

    pk = _assignment("offered")(user)["pk"]
    return {"token": offer_token(Assignment.objects.get(pk=pk)), "answer": "accept"}


def _batch(user) -> dict:
    from django.utils import timezone

    from teilhabe.mediation.models import BatchProposal

    today = timezone.localdate()
    proposal = BatchProposal.objects.create(
        period_start=today, period_end=today, solver_status="optimal"
    )
    return {"pk": proposal.pk}


def _mediator_pk(user) -> dict:
    from tests.mediation import factories

    return {"pk": factories.mediator("mediator-record").pk}


ACCESS_ROWS: list[tuple] = [
    ("mediation:my_requests", _own_profile, "get", REQUESTERS),
    ("mediation:request_create", _own_profile, "get", REQUESTERS),
    ("mediation:request_detail", _request, "get", REQUESTERS_AND_STAFF),
    ("mediation:request_cancel", _request, "get", REQUESTERS_AND_STAFF),
    ("mediation:request_confirm_done", _request, "post", REQUESTERS_AND_STAFF),
    ("mediation:my_profile", _own_profile, "get", MEDIATORS),
    ("mediation:my_availability", _own_profile, "get", MEDIATORS),
    ("mediation:my_offers", _own_profile, "get", MEDIATORS),
    ("mediation:offer_accept", _assignment("offered"), "post", MEDIATORS),
    ("mediation:offer_decline", _assignment("offered"), "post", MEDIATORS),
    # The e-mailed link: the signed token is the key, so anyone holding it may answer.
    ("mediation:offer_answer", _offer_token, "get", EVERYONE),
    ("mediation:my_assignments", _own_profile, "get", MEDIATORS),
    ("mediation:assignment_report", _assignment("confirmed"), "get", MEDIATORS),
    ("mediation:assignment_cancel", _assignment("confirmed"), "get", MEDIATORS),
    ("mediation:staff_requests", {}, "get", STAFF),
    ("mediation:staff_request_create", {}, "get", STAFF),
    ("mediation:staff_request", _request, "get", STAFF),
    ("mediation:staff_request_cancel", _request, "post", STAFF),
    ("mediation:batch", {}, "get", STAFF),
    ("mediation:batch_detail", _batch, "get", STAFF),
    ("mediation:staff_mediators", {}, "get", STAFF),
    ("mediation:staff_mediator", _mediator_pk, "get", STAFF),
    ("mediation:staff_mediator_leave", _mediator_pk, "post", STAFF),
]

# Part B: expense statements, statistics and the JSON API (rows in access_rows_b.py).
from tests.mediation.access_rows_b import ROWS_B  # noqa: E402

ACCESS_ROWS += ROWS_B
