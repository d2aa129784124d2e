"""Admin (read only) for the expense statements. They change only through expense_services
(one line per assignment or cancellation, totals kept in step, approval by somebody else), so
the admin shows them and changes nothing. Imported by admin.py (one line at its end)."""

from django.contrib import admin

from teilhabe.core.admin_readonly import ReadOnlyAdmin, ReadOnlyInline
from teilhabe.mediation.expense_models import ExpenseLine, ExpenseStatement


class ExpenseLineInline(ReadOnlyInline):
    model = ExpenseLine
    fields = [
        "day",
        "kind",
        "assignment",
        "cancellation",
        "minutes",
        "paid_minutes",
        "km",
        "ticket_cents",
        "time_cents",
        "travel_cents",
    ]


@admin.register(ExpenseStatement)
class ExpenseStatementAdmin(ReadOnlyAdmin):
    list_display = ["number", "mediator", "month", "status", "total_cents", "approved_at"]
    list_filter = ["status", "month"]
    search_fields = ["mediator__user__first_name", "mediator__user__last_name"]
    date_hierarchy = "month"
    list_select_related = ["mediator__user"]
    inlines = [ExpenseLineInline]
