"""Approvals never sum to more than the period's budget, whatever the timing: many staff approve
at the same moment through the real request path (logged-in, second-factor-verified sessions,
one thread each); the winners fill the budget, the others get a clear message, nobody a 500.
And the database itself refuses a running total above the budget."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.test import Client
from django.urls import reverse

from teilhabe.core import roles
from teilhabe.funding.models import Application, Decision, Measure, Period
from tests.conftest import login_verified, make_user
from tests.funding.conftest import make_organisation, make_period, meeting_point


def _checked_application(period: Period, number: int) -> Application:
    """A formally checked application for two arrival meeting points (4,000 €), made directly."""
    organisation = make_organisation(f"verein-{number}", f"Verein {number}")
    application = Application.objects.create(
        period=period,
        organisation=organisation,
        title=f"Treffpunkte {number}",
        status=Application.Status.CHECKED,
        requested_cents=400_000,
    )
    measure_type = meeting_point(period.programme)
    Measure.objects.create(
        application=application,
        measure_type=measure_type,
        title="Treffpunkt",
        units=2,
        unit_cents=measure_type.unit_cents,
        requested_cents=400_000,
    )
    return application


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_never_exceed_the_budget(komm_an):
    period = make_period(komm_an, budget_cents=1_000_000)  # 10,000 €: room for two approvals
    applications = [_checked_application(period, number) for number in range(10)]
    clients = []
    for number in range(len(applications)):
        staff = make_user(f"staff-{number}", roles.STAFF)
        client = Client()
        login_verified(client, staff)
        clients.append(client)
    start = threading.Barrier(len(applications))
    results: list[tuple[int, str]] = []
    failures: list[BaseException] = []

    def approve(client: Client, application: Application) -> None:
        try:
            url = "/en" + reverse("funding:decide", kwargs={"pk": application.pk})
            start.wait()
            response = client.post(url, {"outcome": "approved", "reason": "Förderfähig."})
            results.append((response.status_code, response.content.decode()))
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=pair)
        for pair in zip(clients, applications, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures
    statuses = sorted(status for status, _body in results)
    assert statuses == [302, 302] + [409] * 8
    for status, body in results:
        if status == 409:
            assert "Not approved: only" in body
    period.refresh_from_db()
    approved = Decision.objects.filter(application__period=period).aggregate(
        total=Sum("granted_cents")
    )["total"]
    assert approved == period.approved_cents == 800_000
    assert Application.objects.filter(status=Application.Status.APPROVED).count() == 2
    assert Application.objects.filter(status=Application.Status.CHECKED).count() == 8


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_running_total_above_the_budget(komm_an):
    period = make_period(komm_an, budget_cents=500_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.filter(pk=period.pk).update(approved_cents=F("budget_cents") + 1)
    period.refresh_from_db()
    assert period.approved_cents == 0
