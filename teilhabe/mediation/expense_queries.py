"""Reads of the expense statements, with who may see what in one place: a mediator sees their
own statements, staff all of them; anything else is "not found" (404)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from teilhabe.mediation import queries
from teilhabe.mediation.expense_models import ExpenseLine, ExpenseStatement
from teilhabe.mediation.models import MediationRequest


def statements_for_mediator(user) -> QuerySet[ExpenseStatement]:
    mediator = queries.mediator_of(user)
    if mediator is None:
        return ExpenseStatement.objects.none()
    return ExpenseStatement.objects.filter(mediator=mediator).order_by("-month")


def statement_for(user, pk: int) -> ExpenseStatement:
    """A statement the user may see: their own, or any for staff."""
    statements = (
        ExpenseStatement.objects.all() if queries.is_staff(user) else statements_for_mediator(user)
    )
    try:
        return statements.select_related("mediator__user", "approved_by").get(pk=pk)
    except ExpenseStatement.DoesNotExist:
        raise Http404 from None


def staff_statements(*, month: date | None = None, status: str = "") -> QuerySet:
    statements = ExpenseStatement.objects.select_related("mediator__user").annotate(
        appointments=Count("lines", filter=Q(lines__kind=ExpenseLine.Kind.DONE)),
        late_cancellations=Count("lines", filter=Q(lines__kind=ExpenseLine.Kind.LATE_CANCELLATION)),
    )
    if month is not None:
        statements = statements.filter(month=month)
    if status:
        statements = statements.filter(status=status)
    return statements.order_by("-month", "mediator__user__last_name", "mediator_id")


def statement_months() -> list[date]:
    """Months that have statements, newest first (for the month filter)."""
    return list(
        ExpenseStatement.objects.order_by("-month").values_list("month", flat=True).distinct()
    )


def month_summary(month: date) -> dict:
    return ExpenseStatement.objects.filter(month=month).aggregate(
        statements=Count("id"),
        drafts=Count("id", filter=Q(status=ExpenseStatement.Status.DRAFT)),
        approved=Count("id", filter=Q(status=ExpenseStatement.Status.APPROVED)),
        amount_cents=Sum("total_cents", default=0),
        approved_cents=Sum(
            "total_cents", filter=Q(status=ExpenseStatement.Status.APPROVED), default=0
        ),
    )


@dataclass(frozen=True)
class LineRow:
    line: ExpenseLine
    request: MediationRequest

    @property
    def language(self) -> str:
        label = self.request.language.label
        return f"{label} – {self.request.dialect}" if self.request.dialect else label


def line_rows(statement_ids: Iterable[int]) -> list[LineRow]:
    """The lines of the statements, each with its appointment, in one query."""
    lines = ExpenseLine.objects.filter(statement_id__in=list(statement_ids)).select_related(
        "assignment__request__language",
        "assignment__request__institution",
        "cancellation__request__language",
        "cancellation__request__institution",
    )
    return [
        LineRow(line=line, request=(line.assignment or line.cancellation).request)
        for line in lines.order_by("statement_id", "day", "kind", "id")
    ]
