"""Expense statement pages: the mediator's own statements (list, one statement, PDF); staff's
statements of a month (create the month's statements, approve, CSV and PDF for the accounting).

Thin views: writes through expense_services, reads and visibility through expense_queries.
Another mediator's statement answers 404, on the page and the PDF alike.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.core import roles
from teilhabe.core.permissions import role_required, staff_required
from teilhabe.mediation import (
    expense_export,
    expense_queries,
    expense_services,
    expenses,
    queries,
)
from teilhabe.mediation.expense_forms import StatementFilter, StatementsCreateForm
from teilhabe.mediation.expense_models import ExpenseStatement
from teilhabe.mediation.services import MediationError

mediator_required = role_required(roles.MEDIATOR)
mediator_or_staff = role_required(roles.MEDIATOR, roles.STAFF)


@mediator_required
def my_statements(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mediation/expenses/my_statements.html",
        {
            "statements": expense_queries.statements_for_mediator(request.user),
            "has_profile": queries.mediator_of(request.user) is not None,
        },
    )


@mediator_required
def my_statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement = expense_queries.statement_for(request.user, pk)
    if statement.mediator.user_id != request.user.pk:  # staff who are also mediators
        return redirect("mediation:staff_statement", pk=statement.pk)
    return render(
        request,
        "mediation/expenses/my_statement.html",
        {"statement": statement, "rows": expense_queries.line_rows([statement.pk])},
    )


@mediator_or_staff
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    statement = expense_queries.statement_for(request.user, pk)
    response = HttpResponse(expense_export.statement_pdf(statement), content_type="application/pdf")
    filename = expense_export.statement_filename(statement)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _default_month():
    months = expense_queries.statement_months()
    return months[0] if months else expenses.previous_month(timezone.localdate())


@staff_required
def staff_statements(request: HttpRequest) -> HttpResponse:
    filters = StatementFilter(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    month = criteria.get("month") or _default_month()
    statements = expense_queries.staff_statements(month=month, status=criteria.get("status", ""))
    return render(
        request,
        "mediation/expenses/staff_statements.html",
        {
            "filters": filters,
            "month": month,
            "statements": statements,
            "summary": expense_queries.month_summary(month),
            "create_form": StatementsCreateForm(initial={"month": month}),
            "months": expense_queries.statement_months()[:24],
        },
    )


@staff_required
@require_POST
def statements_create(request: HttpRequest) -> HttpResponse:
    form = StatementsCreateForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("month", []):
            messages.error(request, error)
        return redirect("mediation:staff_statements")
    month = form.cleaned_data["month"]
    try:
        result = expense_services.statements_create(month=month)
    except MediationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(statements)s statements created, %(lines)s lines added.")
            % {"statements": result.statements, "lines": result.lines},
        )
    return redirect(f"{reverse('mediation:staff_statements')}?month={month:%Y-%m}")


@staff_required
def staff_statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement = expense_queries.statement_for(request.user, pk)
    return render(
        request,
        "mediation/expenses/staff_statement.html",
        {
            "statement": statement,
            "rows": expense_queries.line_rows([statement.pk]),
            "own": statement.mediator.user_id == request.user.pk,
        },
    )


@staff_required
@require_POST
def statement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    statement = expense_queries.statement_for(request.user, pk)
    try:
        expense_services.statement_approve(statement=statement, user=request.user)
    except MediationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The statement is approved for payment."))
    return redirect("mediation:staff_statement", pk=statement.pk)


@staff_required
def statements_csv(request: HttpRequest) -> HttpResponse:
    """The month's statements for the accounting: approved ones unless ?status=all; one row per
    statement, or per line with ?rows=lines."""
    chosen = StatementsCreateForm(request.GET)  # just the month
    month = chosen.cleaned_data["month"] if chosen.is_valid() else _default_month()
    status = "" if request.GET.get("status") == "all" else ExpenseStatement.Status.APPROVED
    statements = list(expense_queries.staff_statements(month=month, status=status))
    by_line = request.GET.get("rows") == "lines"
    text = (
        expense_export.lines_csv(statements)
        if by_line
        else expense_export.statements_csv(statements)
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"sprachmittlung-{'positionen' if by_line else 'abrechnungen'}-{month:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
