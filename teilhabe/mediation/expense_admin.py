"""Admin (read only) for the expense statements. They change only through expense_services
(one line per assignment or cancellation, totals kept in step, approval by somebody else), so
the admin shows them and changes nothing. Imported by admin.py (one line at its end)."""

from django.contrib import admin

from teilhabe.mediation.expense_models import ExpenseLine, ExpenseStatement


class ExpenseLineInline(admin.TabularInline):
    model = ExpenseLine
    extra = 0
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
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExpenseStatement)
class ExpenseStatementAdmin(admin.ModelAdmin):
    list_display = ["number", "mediator", "month", "status", "total_cents", "approved_at"]
    list_filter = ["status", "month"]
    search_fields = ["mediator__user__first_name", "mediator__user__last_name"]
    date_hierarchy = "month"
    list_select_related = ["mediator__user"]
    inlines = [ExpenseLineInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
