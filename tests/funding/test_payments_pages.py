"""The staff payment pages: set a schedule (in full, evenly, with amounts), record payments,
download the CSV for the finance system; refusals come back as messages, never a 500."""

from datetime import date

import pytest

from teilhabe.funding.models import Instalment, Payment, PaymentPlan
from tests.conftest import login_verified
from tests.funding.grants import granted, url


@pytest.fixture
def grant(vera, treff, period, alice):
    return granted(vera, treff, period, alice)


@pytest.fixture
def staff(client, alice):
    login_verified(client, alice)
    return client


def plan_url(application) -> str:
    return url("payment_plan", pk=application.pk)


def test_staff_schedule_a_grant_in_full(staff, grant):
    response = staff.post(plan_url(grant), {"mode": "full", "due_1": "2026-04-01"})

    assert response.status_code == 302
    plan = PaymentPlan.objects.get(decision=grant.decision)
    assert [(i.due_on, i.amount_cents) for i in plan.instalments.all()] == [
        (date(2026, 4, 1), 400_000)
    ]


def test_staff_split_a_grant_evenly_or_with_amounts(staff, grant):
    staff.post(
        plan_url(grant), {"mode": "instalments", "due_1": "2026-04-01", "due_2": "2026-09-01"}
    )
    assert list(Instalment.objects.values_list("amount_cents", flat=True)) == [200_000, 200_000]

    staff.post(
        plan_url(grant),
        {
            "mode": "instalments",
            "due_1": "2026-04-01",
            "amount_1": "1.000,00",
            "due_2": "2026-09-01",
            "amount_2": "3000",
        },
    )
    assert list(Instalment.objects.values_list("amount_cents", flat=True)) == [100_000, 300_000]


def test_a_schedule_above_the_grant_comes_back_with_the_message(staff, grant):
    response = staff.post(
        plan_url(grant),
        {
            "mode": "instalments",
            "due_1": "2026-04-01",
            "amount_1": "3.000,00",
            "due_2": "2026-09-01",
            "amount_2": "1.000,01",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "only" in html and "1.000,01" in html  # the typed amount is kept
    assert not PaymentPlan.objects.filter(scheduled_cents__gt=0).exists()


def test_half_given_amounts_and_missing_dates_are_refused(staff, grant):
    assert (
        staff.post(
            plan_url(grant),
            {
                "mode": "instalments",
                "due_1": "2026-04-01",
                "amount_1": "100",
                "due_2": "2026-05-01",
            },
        ).status_code
        == 400
    )
    assert staff.post(plan_url(grant), {"mode": "full"}).status_code == 400
    assert not Instalment.objects.exists()


def test_staff_record_a_payment_and_over_payment_is_refused(staff, grant):
    staff.post(plan_url(grant), {"mode": "full", "due_1": "2026-04-01"})
    instalment = Instalment.objects.get()
    record = url("payment_record", instalment_pk=instalment.pk)

    staff.post(record, {"paid_on": "2026-04-02", "amount": "4.000,01"})
    assert not Payment.objects.exists()
    staff.post(record, {"paid_on": "2026-04-02", "amount": "4.000,00", "reference": "KA-77"})

    payment = Payment.objects.get()
    assert (payment.amount_cents, payment.reference) == (400_000, "KA-77")
    assert "4,000.00" in staff.get(plan_url(grant)).content.decode()


def test_the_export_downloads_a_german_csv(staff, grant, period):
    staff.post(plan_url(grant), {"mode": "full", "due_1": "2026-04-01"})

    response = staff.post(url("payments_export"), {"period": period.pk, "due_until": "2026-12-31"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert ";4000,00;" in response.content.decode("utf-8-sig")


def test_an_export_with_nothing_due_says_so(staff, grant):
    response = staff.post(url("payments_export"), {"due_until": "2026-12-31"}, follow=True)

    assert response.redirect_chain
    assert "No instalment is due" in response.content.decode()


def test_the_payments_list_shows_grants_and_what_is_due(staff, grant, period):
    response = staff.get(url("payments") + f"?period={period.pk}")

    assert response.status_code == 200
    assert grant.title in response.content.decode()
