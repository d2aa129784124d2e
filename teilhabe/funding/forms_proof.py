"""Forms of the proof of use: the organisation's figures per funded measure and its receipts;
staff's check and the repayments they record. Rules live in proof_services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teilhabe.funding.forms import DateInput, EuroField
from teilhabe.funding.models import Measure, ProofCheck, ProofReceipt
from teilhabe.funding.proof_services import LineData


class ProofForm(forms.Form):
    """The report, the participants, and one group of fields per funded measure."""

    report = forms.CharField(
        label=_("Short report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was done, when and where, and what came of it."),
    )
    participants = forms.IntegerField(
        label=_("Participants reached in total"), min_value=0, required=False
    )

    def __init__(self, *args, measures: list[Measure], **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        for measure in measures:
            pk = measure.pk
            if measure.measure_type.is_flat_rate:
                granted = measure.granted_units or 0
                self.fields[f"units_{pk}"] = forms.IntegerField(
                    label=_("Units delivered (%(unit)s)")
                    % {"unit": measure.measure_type.unit_label or _("units")},
                    min_value=0,
                    max_value=granted,
                    required=False,
                    help_text=_("Granted: %(units)s.") % {"units": granted},
                )
            else:
                self.fields[f"proven_{pk}"] = EuroField(
                    label=_("Costs proven (€)"),
                    required=False,
                    help_text=_("Eligible costs actually paid, as shown by the receipts."),
                )
            self.fields[f"participants_{pk}"] = forms.IntegerField(
                label=_("Participants"), min_value=0, required=False
            )
            self.fields[f"note_{pk}"] = forms.CharField(
                label=_("Remarks"),
                max_length=500,
                required=False,
                help_text=_("e.g. why a unit could not take place."),
            )

    @classmethod
    def initial_for(cls, proof, lines) -> dict:
        initial = {"report": proof.report, "participants": proof.participants or None}
        for line in lines:
            pk = line.measure_id
            initial[f"units_{pk}"] = line.units_delivered
            initial[f"proven_{pk}"] = line.proven_cents
            initial[f"participants_{pk}"] = line.participants or None
            initial[f"note_{pk}"] = line.note
        return initial

    def groups(self) -> list[tuple[Measure, list]]:
        """Per measure, its bound fields, for the template."""
        result = []
        for measure in self.measures:
            pk = measure.pk
            first = f"units_{pk}" if measure.measure_type.is_flat_rate else f"proven_{pk}"
            result.append((measure, [self[first], self[f"participants_{pk}"], self[f"note_{pk}"]]))
        return result

    def lines(self) -> dict[int, LineData]:
        data = self.cleaned_data
        return {
            m.pk: LineData(
                units_delivered=data.get(f"units_{m.pk}"),
                proven_cents=data.get(f"proven_{m.pk}"),
                participants=data.get(f"participants_{m.pk}") or 0,
                note=data.get(f"note_{m.pk}") or "",
            )
            for m in self.measures
        }

    def add_problems(self, errors: dict[int, dict[str, str]]) -> None:
        names = {
            "units_delivered": "units",
            "proven_cents": "proven",
            "participants": "participants",
        }
        for measure_id, problems in errors.items():
            for name, message in problems.items():
                self.add_error(f"{names.get(name, 'note')}_{measure_id}", message)


class ReceiptForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=ProofReceipt.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class ProofCheckForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ProofCheck.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note to the organisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when more information is needed: say exactly what is missing."),
    )


class RepaymentForm(forms.Form):
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), initial=timezone.localdate
    )
    amount = EuroField(label=_("Amount received (€)"))
    reference = forms.CharField(label=_("Booking reference"), max_length=100, required=False)
