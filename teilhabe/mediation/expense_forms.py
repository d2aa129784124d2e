"""Forms of the statement and statistics pages: a month, a status, a period of months."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from teilhabe.mediation.expense_models import ExpenseStatement

MONTH_FORMAT = "%Y-%m"


class MonthInput(forms.DateInput):
    """The browser's month picker (YYYY-MM); a plain text field where it has none."""

    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format=MONTH_FORMAT, **kwargs)


class MonthField(forms.DateField):
    """A month as the date of its first day."""

    widget = MonthInput

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter a month as year and month, e.g. 2025-05.")}
        )
        super().__init__(input_formats=[MONTH_FORMAT], **kwargs)

    def to_python(self, value) -> date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class StatementsCreateForm(forms.Form):
    month = MonthField(label=_("Month"))


class StatementFilter(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *ExpenseStatement.Status.choices],
    )


class PeriodForm(forms.Form):
    """A period of whole months for the statistics (both months included)."""

    first_month = MonthField(label=_("From month"), required=False)
    last_month = MonthField(label=_("Until month"), required=False)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_month"), cleaned.get("last_month")
        if first and last and last < first:
            self.add_error("last_month", _("The end of the period must not be before its start."))
        return cleaned
