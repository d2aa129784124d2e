"""Writes of the monthly expense statements (issue 4 §8): create the month's statements from
done appointments and paid late cancellations, approve a statement.

Which month pays an item: the month of the appointment. An item reported (or cancelled) after
its month's statement was approved waits for the mediator's next statement, so nothing is ever
paid twice (one line per assignment or cancellation is unique in the database) and nothing is
lost. Creating statements is idempotent: a second run for the same month finds nothing new.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from teilhabe.core.notifications import notify
from teilhabe.mediation import expenses, queries
from teilhabe.mediation.expense_models import ExpenseLine, ExpenseStatement
from teilhabe.mediation.models import Assignment, Cancellation, MediatorProfile
from teilhabe.mediation.services import MediationError


@dataclass(frozen=True)
class StatementsCreated:
    month: date
    statements: int  # new statements
    lines: int  # lines added (to new statements and to drafts)


def _start_of(month: date) -> datetime:
    return timezone.make_aware(datetime.combine(month, time.min))


def current_rates() -> expenses.Rates:
    return expenses.Rates(
        cents_per_hour=settings.MEDIATION_RATE_CENTS_PER_HOUR,
        cents_per_km=settings.MEDIATION_RATE_CENTS_PER_KM,
        late_cancel_max_minutes=settings.MEDIATION_LATE_CANCEL_MAX_MINUTES,
    )


def _unbilled_done(cutoff: datetime):
    return Assignment.objects.filter(
        status=Assignment.Status.DONE,
        request__starts_at__lt=cutoff,
        expense_line__isnull=True,
    )


def _unbilled_late_cancellations(cutoff: datetime):
    return Cancellation.objects.filter(
        late=True,
        payable_cents__gt=0,
        assignment__isnull=False,
        request__starts_at__lt=cutoff,
        expense_line__isnull=True,
    )


def _items(mediator_id: int, cutoff: datetime) -> list[expenses.Item]:
    done = [
        expenses.Item(
            kind=expenses.DONE,
            ref=assignment.pk,
            day=timezone.localdate(assignment.request.starts_at),
            minutes=assignment.actual_minutes or 0,
            km=assignment.travel_km,
            ticket_cents=assignment.ticket_cents,
        )
        for assignment in _unbilled_done(cutoff)
        .filter(mediator_id=mediator_id)
        .select_related("request")
    ]
    late = [
        expenses.Item(
            kind=expenses.LATE_CANCELLATION,
            ref=cancellation.pk,
            day=timezone.localdate(cancellation.request.starts_at),
            minutes=cancellation.payable_minutes,
            km=cancellation.payable_km,
        )
        for cancellation in _unbilled_late_cancellations(cutoff)
        .filter(assignment__mediator_id=mediator_id)
        .select_related("request")
    ]
    return done + late


def _line_row(statement: ExpenseStatement, line: expenses.Line) -> ExpenseLine:
    return ExpenseLine(
        statement=statement,
        kind=line.kind,
        assignment_id=line.ref if line.kind == expenses.DONE else None,
        cancellation_id=line.ref if line.kind == expenses.LATE_CANCELLATION else None,
        day=line.day,
        minutes=line.minutes,
        paid_minutes=line.paid_minutes,
        km=line.km,
        ticket_cents=line.ticket_cents,
        time_cents=line.time_cents,
        travel_cents=line.travel_cents,
    )


def _totals_refresh(statement: ExpenseStatement) -> None:
    sums = statement.lines.aggregate(
        paid_minutes=Sum("paid_minutes", default=0),
        km=Sum("km", default=0),
        ticket_cents=Sum("ticket_cents", default=0),
        time_cents=Sum("time_cents", default=0),
        travel_cents=Sum("travel_cents", default=0),
    )
    for name, value in sums.items():
        setattr(statement, name, value)
    statement.total_cents = statement.time_cents + statement.travel_cents
    statement.save(update_fields=[*sums, "total_cents", "updated_at"])


def statements_create(*, month: date, now: datetime | None = None) -> StatementsCreated:
    """A statement for every mediator with something unpaid up to the end of `month` (a draft of
    that month gets the new lines). Safe to run again, and at the same time as another run."""
    now = now or timezone.now()
    month = expenses.month_start(month)
    if month > timezone.localdate(now):
        raise MediationError(_("Statements can only be made for a month that has begun."))
    cutoff = _start_of(expenses.next_month(month))
    mediator_ids = set(_unbilled_done(cutoff).values_list("mediator_id", flat=True)) | set(
        _unbilled_late_cancellations(cutoff).values_list("assignment__mediator_id", flat=True)
    )
    created = added = 0
    for mediator_id in sorted(mediator_ids):
        with transaction.atomic():
            # Two runs at once: the mediator's row lock makes the second wait and then find
            # every item already on a line.
            MediatorProfile.objects.select_for_update().get(pk=mediator_id)
            statement = ExpenseStatement.objects.filter(
                mediator_id=mediator_id, month=month
            ).first()
            if statement is not None and not statement.is_draft:
                continue  # approved: the items wait for the mediator's next statement
            items = _items(mediator_id, cutoff)
            if not items:
                continue
            if statement is None:
                rates = current_rates()
                statement = ExpenseStatement.objects.create(
                    mediator_id=mediator_id,
                    month=month,
                    rate_cents_per_hour=rates.cents_per_hour,
                    rate_cents_per_km=rates.cents_per_km,
                    late_cancel_max_minutes=rates.late_cancel_max_minutes,
                )
                created += 1
            ExpenseLine.objects.bulk_create(
                _line_row(statement, line) for line in expenses.lines(items, statement.rates)
            )
            added += len(items)
            _totals_refresh(statement)
    return StatementsCreated(month=month, statements=created, lines=added)


def statement_approve(
    *, statement: ExpenseStatement, user, now: datetime | None = None
) -> ExpenseStatement:
    """Staff approve a draft for payment; it never changes afterwards. Nobody approves their own
    statement."""
    now = now or timezone.now()
    if not queries.is_staff(user):
        raise PermissionDenied
    with transaction.atomic():
        statement = (
            ExpenseStatement.objects.select_for_update(of=("self",))
            .select_related("mediator__user")
            .get(pk=statement.pk)
        )
        if not statement.is_draft:
            raise MediationError(_("This statement has already been approved."))
        if statement.mediator.user_id == user.pk:
            raise MediationError(_("Somebody else has to approve your own statement."))
        statement.status = ExpenseStatement.Status.APPROVED
        statement.approved_at = now
        statement.approved_by = user
        statement.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
        _tell_mediator(statement)
    return statement


def _tell_mediator(statement: ExpenseStatement) -> None:
    user = statement.mediator.user
    if not user.is_active:
        return
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        url = settings.SITE_URL + reverse("mediation:my_statement", kwargs={"pk": statement.pk})
    notify(
        to=[user.email],
        template="mediation/expenses/email/approved",
        context={
            "statement": statement,
            "amount": expenses.euros(statement.total_cents),
            "statement_url": url,
        },
        language=language,
    )
