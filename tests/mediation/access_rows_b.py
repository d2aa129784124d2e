"""Access-table rows of the expense statements, the statistics and the JSON API (added to
ACCESS_ROWS at the end of access_rows.py; same shape as there).

The JSON API refuses with 403 (also when not logged in: see teilhabe/mediation/api.py) and 404
for what is not the user's. An endpoint that needs a JSON body cannot be called by the table's
plain POST, so its row only shows that GET is refused (405); who may POST to it is tested with
real bodies in test_api_access.py.
"""

from teilhabe.core import roles

STAFF = {roles.STAFF.slug}
REQUESTERS = {roles.REQUESTER.slug}
MEDIATORS = {roles.MEDIATOR.slug}
NOBODY: set[str] = set()


def _own_profile(user) -> dict:
    from tests.mediation.access_rows import _own_profile

    return _own_profile(user)


def _request(user) -> dict:
    from tests.mediation.access_rows import _request

    return _request(user)


def _offer(user) -> dict:
    from tests.mediation.access_rows import _assignment

    return {"offer_id": _assignment("offered")(user)["pk"]}


def _request_id(user) -> dict:
    return {"request_id": _request(user)["pk"]}


def _batch(user) -> dict:
    from tests.mediation.access_rows import _batch

    return {"batch_id": _batch(user)["pk"]}


def _statement(user) -> dict:
    """A statement of the user's own mediator profile (someone else's for other roles)."""
    from django.utils import timezone

    from teilhabe.mediation import expenses
    from teilhabe.mediation.expense_models import ExpenseStatement
    from tests.mediation.access_rows import _mediator

    statement = ExpenseStatement.objects.create(
        mediator=_mediator(user),
        month=expenses.previous_month(timezone.localdate()),
        rate_cents_per_hour=1500,
        rate_cents_per_km=30,
        late_cancel_max_minutes=120,
    )
    return {"pk": statement.pk}


ROWS_B: list[tuple] = [
    ("mediation:my_statements", _own_profile, "get", MEDIATORS),
    ("mediation:my_statement", _statement, "get", MEDIATORS),
    ("mediation:statement_pdf", _statement, "get", MEDIATORS | STAFF),
    ("mediation:staff_statements", {}, "get", STAFF),
    ("mediation:statements_create", {}, "post", STAFF),
    ("mediation:statements_csv", {}, "get", STAFF),
    ("mediation:staff_statement", _statement, "get", STAFF),
    ("mediation:statement_approve", _statement, "post", STAFF),
    ("mediation:statistics", {}, "get", STAFF),
    ("mediation:statistics_csv", {"table": "gaps"}, "get", STAFF),
    ("api:mediation_requests", _own_profile, "get", REQUESTERS),
    ("api:mediation_request", lambda user: {"request_id": _request(user)["pk"]}, "get", REQUESTERS),
    ("api:mediation_offers", _own_profile, "get", MEDIATORS),
    ("api:mediation_offer_accept", _offer, "post", MEDIATORS),
    ("api:mediation_offer_decline", _offer, "post", MEDIATORS),
    ("api:mediation_staff_requests", {}, "get", STAFF),
    ("api:mediation_candidates", _request_id, "get", STAFF),
    ("api:mediation_offer_send", _request_id, "get", NOBODY),  # POST only: test_api_access.py
    ("api:mediation_batches", {}, "get", STAFF),
    ("api:mediation_batch", _batch, "get", STAFF),
    ("api:mediation_batch_send", _batch, "post", STAFF),
]
