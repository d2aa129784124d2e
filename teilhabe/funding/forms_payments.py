"""Forms of the payment pages: the schedule of a grant, a payment record, the CSV export."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teilhabe.funding.forms import DateInput, EuroField
from teilhabe.funding.models import Period
from teilhabe.funding.payment_services import InstalmentData

ROWS = 4  # instalments one form can set at once


class ScheduleForm(forms.Form):
    """In full on one date, or in up to ROWS instalments: with amounts, or split evenly when the
    amounts are left empty."""

    FULL = "full"
    INSTALMENTS = "instalments"

    mode = forms.ChoiceField(
        label=_("How is the grant paid?"),
        choices=[(FULL, _("In full")), (INSTALMENTS, _("In instalments"))],
        widget=forms.RadioSelect,
        initial=FULL,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, ROWS + 1):
            self.fields[f"due_{row}"] = forms.DateField(
                label=_("Instalment %(n)s: due on") % {"n": row},
                required=False,
                widget=DateInput(),
            )
            self.fields[f"amount_{row}"] = EuroField(
                label=_("Instalment %(n)s: amount (€)") % {"n": row},
                required=False,
                help_text=_("Leave every amount empty to split evenly.") if row == 1 else "",
            )
        self.fields["due_1"].label = _("Due on (in full: the only date)")

    def rows(self) -> list[tuple]:
        return [(self[f"due_{row}"], self[f"amount_{row}"]) for row in range(1, ROWS + 1)]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        pairs = [
            (cleaned.get(f"due_{row}"), cleaned.get(f"amount_{row}")) for row in range(1, ROWS + 1)
        ]
        if cleaned.get("mode") == self.FULL:
            if not pairs[0][0]:
                self.add_error("due_1", _("Enter the date of the payment."))
            return cleaned
        used = [(due, amount) for due, amount in pairs if due or amount]
        for row, (due, amount) in enumerate(pairs, start=1):
            if amount is not None and not due:
                self.add_error(f"due_{row}", _("Enter a due date for this amount."))
        if len(used) < 2:
            self.add_error("due_2", _("Give at least two instalments."))
        given = [amount for _due, amount in used if amount is not None]
        if given and len(given) != len(used):
            self.add_error(None, _("Give an amount for every instalment, or for none."))
        return cleaned

    @property
    def in_full(self) -> bool:
        return self.cleaned_data["mode"] == self.FULL

    def dates(self) -> list:
        return [
            self.cleaned_data[f"due_{row}"]
            for row in range(1, ROWS + 1)
            if self.cleaned_data.get(f"due_{row}")
        ]

    def instalments(self) -> list[InstalmentData] | None:
        """The instalments with their amounts; None when the amounts are to be split evenly."""
        data = self.cleaned_data
        rows = [
            InstalmentData(due_on=data[f"due_{row}"], amount_cents=data[f"amount_{row}"])
            for row in range(1, ROWS + 1)
            if data.get(f"due_{row}") and data.get(f"amount_{row}") is not None
        ]
        return rows or None


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), initial=timezone.localdate)
    amount = EuroField(label=_("Amount paid (€)"))
    reference = forms.CharField(label=_("Booking reference"), max_length=100, required=False)

    def __init__(self, *args, prefix_id: int | None = None, **kwargs):
        # Several of these forms on one page: each instalment's fields get their own ids.
        super().__init__(*args, auto_id=f"id_{prefix_id}_%s" if prefix_id else "id_%s", **kwargs)


class ExportForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Funding period"),
        queryset=Period.objects.select_related("programme"),
        required=False,
        empty_label=_("All periods"),
    )
    due_until = forms.DateField(
        label=_("Instalments due until"), widget=DateInput(), initial=timezone.localdate
    )
    include_ordered = forms.BooleanField(
        label=_("Also instalments already exported (not yet paid)"), required=False
    )
