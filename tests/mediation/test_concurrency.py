"""No double booking, ever: 50 simultaneous confirmations of overlapping appointments for one
mediator, each a real POST through URL routing, middleware, view and service in its own thread
and database connection, leave exactly one confirmed. The others get a clear message, not a
500. Runs on SQLite and PostgreSQL alike (make test runs both)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from teilhabe.mediation.models import Assignment, MediationRequest
from tests.mediation import factories

ATTEMPTS = 50


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_confirmations_leave_exactly_one(settings):
    settings.MEDIATION_AUTO_OFFER = False
    mira = factories.mediator("mira", max_per_week=20)
    school = factories.institution()
    start = factories.next_week_at(10)
    offers = []
    for i in range(ATTEMPTS):
        # Every appointment overlaps every other one (a minute apart, an hour long).
        request = factories.request(school, starts_at=start + timedelta(minutes=i))
        MediationRequest.objects.filter(pk=request.pk).update(status="offered")
        offers.append(factories.assignment(request, mira))
    clients = []
    for _offer in offers:
        client = Client()
        client.force_login(mira.user)
        clients.append(client)

    barrier = threading.Barrier(ATTEMPTS)
    results: list[tuple[int, str]] = [(0, "")] * ATTEMPTS

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            response = clients[index].post(
                f"/en/mediation/offers/{offers[index].pk}/accept/", follow=True
            )
            results[index] = (response.status_code, response.content.decode())
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    confirmed = Assignment.objects.filter(mediator=mira, status=Assignment.Status.CONFIRMED)
    assert confirmed.count() == 1
    assert MediationRequest.objects.filter(status="confirmed").count() == 1
    assert all(status == 200 for status, _page in results), [s for s, _p in results]
    winners = [page for _status, page in results if "The appointment is confirmed" in page]
    losers = [page for _status, page in results if "already have an appointment" in page]
    assert (len(winners), len(losers)) == (1, ATTEMPTS - 1)
    # The losers' offers are untouched: still open, to be declined or to expire.
    assert Assignment.objects.filter(status=Assignment.Status.OFFERED).count() == ATTEMPTS - 1
