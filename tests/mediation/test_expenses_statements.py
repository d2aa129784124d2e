"""Monthly statements: made from done appointments and paid late cancellations, once (a second
run writes nothing), late reports land on the draft or, after approval, on the next statement;
staff approve, the mediator is told; the management command."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from teilhabe.mediation import expense_services, services
from teilhabe.mediation.expense_models import ExpenseLine, ExpenseStatement
from teilhabe.mediation.services import MediationError
from tests.mediation import expense_factories as ef
from tests.mediation import factories

MAY = date(2025, 5, 1)
JUNE = date(2025, 6, 1)
IN_JUNE = ef.at(2025, 6, 15)


@pytest.fixture
def may(db, school, mira, omar):
    """mira: 61 minutes with 12 km, 30 minutes with a 2,90 € ticket; omar: 45 minutes.
    Not for May: mira's appointment of 1 June and a confirmed one not yet reported."""
    first = ef.done(mira, school, ef.at(2025, 5, 6, 9), actual=61, km="12.0")
    second = ef.done(mira, school, ef.at(2025, 5, 20, 14), actual=30, ticket=290)
    third = ef.done(omar, school, ef.at(2025, 5, 7, 9), actual=45)
    ef.done(mira, school, ef.at(2025, 6, 1, 9), actual=60)
    unreported = factories.request(school, starts_at=ef.at(2025, 5, 28), status="confirmed")
    factories.assignment(unreported, mira, status="confirmed")
    return first, second, third


def test_it_makes_a_statement_per_mediator_with_the_months_appointments(may, mira, omar):
    result = expense_services.statements_create(month=MAY, now=IN_JUNE)

    assert (result.statements, result.lines) == (2, 3)
    statement = ExpenseStatement.objects.get(mediator=mira)
    assert statement.month == MAY
    assert statement.status == ExpenseStatement.Status.DRAFT
    assert statement.number == f"SM-2025-05-{mira.pk:05d}"
    assert [line.assignment_id for line in statement.lines.all()] == [may[0].pk, may[1].pk]
    assert statement.paid_minutes == 90 + 30
    assert statement.km == Decimal("12.0")
    assert statement.ticket_cents == 290
    assert statement.time_cents == 2250 + 750
    assert statement.travel_cents == 360 + 290
    assert statement.total_cents == 3650
    assert ExpenseStatement.objects.get(mediator=omar).total_cents == 1500


def test_a_second_run_writes_nothing(may):
    expense_services.statements_create(month=MAY, now=IN_JUNE)
    before = list(ExpenseStatement.objects.values())

    again = expense_services.statements_create(month=MAY, now=IN_JUNE)

    assert (again.statements, again.lines) == (0, 0)
    assert list(ExpenseStatement.objects.values()) == before
    assert ExpenseLine.objects.count() == 3


def test_a_late_report_goes_onto_the_draft_of_its_month(may, school, mira):
    expense_services.statements_create(month=MAY, now=IN_JUNE)
    ef.done(mira, school, ef.at(2025, 5, 28, 16), actual=90, km="4.0")

    result = expense_services.statements_create(month=MAY, now=IN_JUNE)

    assert (result.statements, result.lines) == (0, 1)
    statement = ExpenseStatement.objects.get(mediator=mira)
    assert statement.lines.count() == 3
    assert statement.total_cents == 3650 + 2250 + 120


def test_after_approval_a_late_report_waits_for_the_next_statement(may, school, mira, alice):
    expense_services.statements_create(month=MAY, now=IN_JUNE)
    may_statement = ExpenseStatement.objects.get(mediator=mira)
    expense_services.statement_approve(statement=may_statement, user=alice)
    late = ef.done(mira, school, ef.at(2025, 5, 29, 10), actual=60)

    assert expense_services.statements_create(month=MAY, now=IN_JUNE).lines == 0
    may_statement.refresh_from_db()
    assert may_statement.total_cents == 3650  # an approved statement never changes

    expense_services.statements_create(month=JUNE, now=ef.at(2025, 7, 2))
    june = ExpenseStatement.objects.get(mediator=mira, month=JUNE)
    # The late May appointment and the one of 1 June.
    assert late.pk in set(june.lines.values_list("assignment_id", flat=True))
    assert june.lines.count() == 2


def test_a_late_cancellation_is_paid_as_the_cancellation_computed(rita, mira):
    """Through the real path: booked, accepted, cancelled by the school ten hours before."""
    request = factories.book(rita, duration_minutes=180)
    offer = request.assignments.get(status="offered")
    services.offer_accept(assignment=offer, user=mira.user)
    offer.refresh_from_db()
    type(offer).objects.filter(pk=offer.pk).update(estimated_km=Decimal("6.2"))
    cancellation = services.request_cancel(
        request=request,
        user=rita.user,
        reason="Parents cannot come",
        now=request.starts_at - timedelta(hours=10),
    )
    assert cancellation.late

    month = timezone.localdate(request.starts_at).replace(day=1)
    expense_services.statements_create(month=month, now=request.starts_at + timedelta(days=40))

    line = ExpenseLine.objects.get(cancellation=cancellation)
    assert line.kind == ExpenseLine.Kind.LATE_CANCELLATION
    assert line.paid_minutes == 120
    assert line.km == Decimal("12.4")
    assert line.total_cents == cancellation.payable_cents == 3000 + 372
    assert line.statement.mediator == mira


def test_cancellations_that_pay_nothing_are_not_on_a_statement(rita, mira):
    request = factories.book(rita)
    offer = request.assignments.get(status="offered")
    services.offer_accept(assignment=offer, user=mira.user)
    services.request_cancel(
        request=request, user=rita.user, reason="Moved", now=request.starts_at - timedelta(days=2)
    )
    month = timezone.localdate(request.starts_at).replace(day=1)

    result = expense_services.statements_create(
        month=month, now=request.starts_at + timedelta(days=40)
    )

    assert result.statements == 0
    assert not ExpenseStatement.objects.exists()


def test_a_month_that_has_not_begun_is_refused(db):
    with pytest.raises(MediationError):
        expense_services.statements_create(month=JUNE, now=ef.at(2025, 5, 31, 23, 59))


def test_the_statement_keeps_its_rates(may, school, mira, settings):
    expense_services.statements_create(month=MAY, now=IN_JUNE)
    settings.MEDIATION_RATE_CENTS_PER_HOUR = 2000
    ef.done(mira, school, ef.at(2025, 5, 30, 9), actual=60)

    expense_services.statements_create(month=MAY, now=IN_JUNE)

    statement = ExpenseStatement.objects.get(mediator=mira)
    assert statement.rate_cents_per_hour == 1500
    assert statement.lines.order_by("-day").first().time_cents == 1500


def test_staff_approve_and_the_mediator_is_told(may, mira, alice):
    expense_services.statements_create(month=MAY, now=IN_JUNE)
    statement = ExpenseStatement.objects.get(mediator=mira)
    mail.outbox.clear()

    expense_services.statement_approve(statement=statement, user=alice, now=IN_JUNE)

    statement.refresh_from_db()
    assert statement.status == ExpenseStatement.Status.APPROVED
    assert statement.approved_by == alice
    assert statement.approved_at == IN_JUNE
    (message,) = mail.outbox
    assert message.to == ["mira@example.org"]
    assert "36,50" in message.body
    assert f"/mediation/statements/{statement.pk}/" in message.body
    with pytest.raises(MediationError):
        expense_services.statement_approve(statement=statement, user=alice)


def test_only_staff_approve_and_never_their_own_statement(may, mira, omar, alice):
    expense_services.statements_create(month=MAY, now=IN_JUNE)
    statement = ExpenseStatement.objects.get(mediator=mira)
    with pytest.raises(PermissionDenied):
        expense_services.statement_approve(statement=statement, user=omar.user)
    mira.user.groups.add(*alice.groups.all())  # mira is staff too

    with pytest.raises(MediationError):
        expense_services.statement_approve(
            statement=statement, user=type(mira.user).objects.get(pk=mira.user.pk)
        )
    assert ExpenseStatement.objects.get(pk=statement.pk).is_draft


def test_the_command_makes_the_previous_months_statements(may, capsys):
    call_command("mediation_statements", "--month", "2025-05")
    assert "Statements for 2025-05: 2 created, 3 lines added." in capsys.readouterr().out

    call_command("mediation_statements", "--month", "2025-05")
    assert "0 created, 0 lines added." in capsys.readouterr().out

    # Without --month: the previous month, which takes the backlog (mira's 1 June).
    call_command("mediation_statements")
    assert "1 created, 1 lines added." in capsys.readouterr().out
    assert ExpenseStatement.objects.count() == 3


def test_the_command_explains_a_bad_month(db):
    with pytest.raises(CommandError, match="2025-05"):
        call_command("mediation_statements", "--month", "May")
    with pytest.raises(CommandError):
        call_command("mediation_statements", "--month", "2999-01")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_runs_at_the_same_time_pay_nothing_twice(school, mira, omar):
    for day in range(1, 9):
        ef.done(mira if day % 2 else omar, school, ef.at(2025, 5, day, 9), actual=60)
    errors = []

    def run():
        try:
            expense_services.statements_create(month=MAY, now=IN_JUNE)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert ExpenseStatement.objects.count() == 2
    assert ExpenseLine.objects.count() == 8
    assert sum(ExpenseStatement.objects.values_list("total_cents", flat=True)) == 8 * 1500
