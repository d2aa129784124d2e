"""Paying out grants: schedules in full or in instalments, payment records, never more than
granted (service and database), and the CSV export for the city's finance system."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from teilhabe.funding import payment_services
from teilhabe.funding.models import BankDataRead, FundingProfile, Instalment, PaymentPlan
from teilhabe.funding.payment_services import InstalmentData, PaymentError
from tests.funding.grants import granted

TODAY = date(2026, 3, 2)


@pytest.fixture
def grant(vera, treff, period, alice):
    """4,000 € approved: two arrival meeting points."""
    return granted(vera, treff, period, alice)


def test_a_grant_is_scheduled_in_full(grant, alice):
    plan = payment_services.schedule_in_full(
        user=alice, decision=grant.decision, due_on=date(2026, 4, 1)
    )

    assert plan.scheduled_cents == 400_000
    assert [(i.number, i.due_on, i.amount_cents) for i in plan.instalments.all()] == [
        (1, date(2026, 4, 1), 400_000)
    ]


def test_a_grant_is_split_evenly_into_dated_instalments(grant, alice):
    plan = payment_services.schedule_evenly(
        user=alice, decision=grant.decision, dates=[date(2026, 9, 1), date(2026, 4, 1)]
    )

    rows = [(i.number, i.due_on, i.amount_cents) for i in plan.instalments.all()]
    assert rows == [(1, date(2026, 4, 1), 200_000), (2, date(2026, 9, 1), 200_000)]


def test_instalments_beyond_the_grant_are_refused_and_nothing_changes(grant, alice):
    payment_services.schedule_in_full(user=alice, decision=grant.decision, due_on=TODAY)

    with pytest.raises(PaymentError):
        payment_services.schedule_set(
            user=alice,
            decision=grant.decision,
            instalments=[
                InstalmentData(due_on=TODAY, amount_cents=300_000),
                InstalmentData(due_on=TODAY + timedelta(days=90), amount_cents=100_001),
            ],
        )

    plan = PaymentPlan.objects.get(decision=grant.decision)
    assert plan.scheduled_cents == 400_000
    assert [i.amount_cents for i in plan.instalments.all()] == [400_000]


def test_payments_are_recorded_up_to_the_instalment(grant, alice):
    plan = payment_services.schedule_evenly(
        user=alice, decision=grant.decision, dates=[TODAY, TODAY + timedelta(days=180)]
    )
    first = plan.instalments.get(number=1)

    payment_services.payment_record(
        user=alice, instalment=first, paid_on=TODAY, amount_cents=150_000, today=TODAY
    )
    payment_services.payment_record(
        user=alice, instalment=first, paid_on=TODAY, amount_cents=50_000, today=TODAY
    )

    first.refresh_from_db()
    plan.refresh_from_db()
    assert first.is_paid
    assert plan.paid_cents == 200_000
    with pytest.raises(PaymentError):
        payment_services.payment_record(
            user=alice, instalment=first, paid_on=TODAY, amount_cents=1, today=TODAY
        )


def test_a_payment_in_the_future_is_refused(grant, alice):
    plan = payment_services.schedule_in_full(user=alice, decision=grant.decision, due_on=TODAY)

    with pytest.raises(PaymentError):
        payment_services.payment_record(
            user=alice,
            instalment=plan.instalments.get(),
            paid_on=TODAY + timedelta(days=1),
            amount_cents=1_000,
            today=TODAY,
        )


def test_paid_instalments_stay_when_the_schedule_changes(grant, alice):
    plan = payment_services.schedule_evenly(
        user=alice, decision=grant.decision, dates=[TODAY, TODAY + timedelta(days=180)]
    )
    payment_services.payment_record(
        user=alice,
        instalment=plan.instalments.get(number=1),
        paid_on=TODAY,
        amount_cents=200_000,
        today=TODAY,
    )

    plan = payment_services.schedule_evenly(
        user=alice,
        decision=grant.decision,
        dates=[TODAY + timedelta(days=60), TODAY + timedelta(days=120)],
    )

    rows = [(i.number, i.amount_cents, i.paid_cents) for i in plan.instalments.all()]
    assert rows == [(1, 200_000, 200_000), (2, 100_000, 0), (3, 100_000, 0)]
    assert plan.scheduled_cents == 400_000


def test_the_database_refuses_payments_above_the_schedule(grant, alice):
    plan = payment_services.schedule_in_full(user=alice, decision=grant.decision, due_on=TODAY)

    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentPlan.objects.filter(pk=plan.pk).update(paid_cents=400_001)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentPlan.objects.filter(pk=plan.pk).update(scheduled_cents=400_001)
    with pytest.raises(IntegrityError), transaction.atomic():
        Instalment.objects.filter(plan=plan).update(paid_cents=400_001)


def test_only_staff_schedule_and_record(grant, vera, alice):
    with pytest.raises(PermissionDenied):
        payment_services.schedule_in_full(user=vera, decision=grant.decision, due_on=TODAY)
    plan = payment_services.schedule_in_full(user=alice, decision=grant.decision, due_on=TODAY)
    with pytest.raises(PermissionDenied):
        payment_services.payment_record(
            user=vera, instalment=plan.instalments.get(), paid_on=TODAY, amount_cents=1
        )


def test_withholding_takes_the_unscheduled_rest_then_the_latest_open_instalment(grant, alice):
    plan = payment_services.schedule_set(
        user=alice,
        decision=grant.decision,
        instalments=[
            InstalmentData(due_on=TODAY, amount_cents=150_000),
            InstalmentData(due_on=TODAY + timedelta(days=90), amount_cents=150_000),
        ],
    )
    payment_services.payment_record(
        user=alice,
        instalment=plan.instalments.get(number=1),
        paid_on=TODAY,
        amount_cents=150_000,
        today=TODAY,
    )

    with transaction.atomic():
        withheld = payment_services.withhold(grant.decision, 200_000)

    plan.refresh_from_db()
    assert withheld == 200_000
    assert (plan.scheduled_cents, plan.paid_cents, plan.withheld_cents) == (
        200_000,
        150_000,
        200_000,
    )
    assert [i.amount_cents for i in plan.instalments.order_by("number")] == [150_000, 50_000]


def test_withholding_never_takes_money_already_paid(grant, alice):
    from tests.funding.grants import paid_in_full

    paid_in_full(grant, alice)

    with transaction.atomic():
        assert payment_services.withhold(grant.decision, 200_000) == 0


# --- CSV export ------------------------------------------------------------------------------


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_export_lists_due_instalments_in_german_format_and_marks_them(grant, alice, period):
    payment_services.schedule_evenly(
        user=alice, decision=grant.decision, dates=[TODAY, TODAY + timedelta(days=180)]
    )

    export = payment_services.payments_export(user=alice, period=period, due_until=TODAY)

    header, *rows = _rows(export.content)
    assert header[:4] == ["Referenz", "Fällig am", "Betrag EUR", "Empfänger"]
    assert rows == [
        [
            f"{grant.reference}-1",
            TODAY.strftime("%d.%m.%Y"),
            "2000,00",
            "Nachbarschaftstreff Nord",
            "DE89370400440532013000",
            "COBADEFFXXX",
            f"{period} {grant.reference} Rate 1/2",
            "Nachbarschaftstreff Nord",
            grant.reference,
            "KOMM-AN NRW",
            period.name,
            "1/2",
        ]
    ]
    assert (export.count, export.total_cents) == (1, 200_000)
    # The read of the bank data is recorded, without the data itself.
    read = BankDataRead.objects.get(organisation=grant.organisation)
    assert read.reader == alice and "IBAN" not in read.context and "DE89" not in read.context
    # A second export does not order it again …
    assert payment_services.payments_export(user=alice, period=period, due_until=TODAY).count == 0
    # … unless asked to.
    again = payment_services.payments_export(
        user=alice, period=period, due_until=TODAY, include_ordered=True
    )
    assert again.count == 1


def test_instalments_without_a_bank_account_are_left_out_and_named(grant, alice, period):
    payment_services.schedule_in_full(user=alice, decision=grant.decision, due_on=TODAY)
    FundingProfile.objects.filter(organisation=grant.organisation).update(iban="")

    export = payment_services.payments_export(user=alice, period=period, due_until=TODAY)

    assert export.count == 0
    assert export.skipped == [f"{grant.reference}-1 (Nachbarschaftstreff Nord)"]
    assert len(_rows(export.content)) == 1  # the header only
    assert not Instalment.objects.filter(ordered_at__isnull=False).exists()


def test_cells_that_look_like_formulas_are_defused(grant, alice, period, treff):
    treff.name = "=HYPERLINK(1)"
    treff.save()
    payment_services.schedule_in_full(user=alice, decision=grant.decision, due_on=TODAY)

    export = payment_services.payments_export(user=alice, period=period, due_until=TODAY)

    assert _rows(export.content)[1][7] == "'=HYPERLINK(1)"


def test_only_staff_export(grant, vera, period):
    with pytest.raises(PermissionDenied):
        payment_services.payments_export(user=vera, period=period, due_until=TODAY)


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_once_never_pay_more_than_granted(
    transactional_db, vera, treff, period, alice
):
    """Two staff members book 3,000 € each on a 4,000 € instalment at the same moment: one
    succeeds, the other gets the message; the plan never shows more than granted."""
    import threading

    from django.db import connection

    grant = granted(vera, treff, period, alice)
    plan = payment_services.schedule_in_full(user=alice, decision=grant.decision, due_on=TODAY)
    instalment = plan.instalments.get()
    barrier = threading.Barrier(2)
    outcomes = []

    def pay():
        try:
            barrier.wait()
            payment_services.payment_record(
                user=alice, instalment=instalment, paid_on=TODAY, amount_cents=300_000, today=TODAY
            )
            outcomes.append("paid")
        except PaymentError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["paid", "refused"]
    plan.refresh_from_db()
    assert plan.paid_cents == 300_000
