"""Forms of the funding module. Domain rules live in services (measure_problems and friends);
the forms turn what people type into clean values and show the services' messages by field."""

from django import forms
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from teilhabe.core.models import ActionField, District, TargetGroup
from teilhabe.funding import allocation as alloc
from teilhabe.funding.models import (
    Application,
    Attachment,
    Decision,
    FormalCheck,
    LegalForm,
    Measure,
    MeasureType,
    Review,
    ReviewCriterion,
)
from teilhabe.funding.money import AmountError, input_euro, parse_euro
from teilhabe.funding.services import CHECKLIST, MeasureData


class EuroField(forms.Field):
    """An amount in euros as typed ('1.234,56', '1234.56'), cleaned to integer cents."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(inputmode="decimal", autocomplete="off", maxlength="20")

    def prepare_value(self, value):
        return input_euro(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in self.empty_values:
            return None
        try:
            return parse_euro(value)
        except AmountError:
            raise forms.ValidationError(
                _("Enter an amount in euros, for example 1.250,00."), code="invalid"
            ) from None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class Checkboxes(forms.CheckboxSelectMultiple):
    pass


# --- Organisation --------------------------------------------------------------------------


class ProfileForm(forms.Form):
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
    register_number = forms.CharField(
        label=_("Register number"), max_length=50, required=False, help_text=_("e.g. VR 1234")
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=50, required=False)
    account_holder = forms.CharField(label=_("Account holder"), max_length=200, required=False)
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = forms.CharField(
        label=_("BIC"),
        max_length=11,
        required=False,
        help_text=_("Found from a German IBAN when left empty."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, masked_iban: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if masked_iban:
            self.fields["iban"].help_text = _(
                "Stored: %(masked)s. Leave empty to keep it; enter a new IBAN to replace it."
            ) % {"masked": masked_iban}
        self.fields["iban"].widget.attrs["dir"] = "ltr"
        self.fields["bic"].widget.attrs["dir"] = "ltr"

    def clean_iban(self) -> str:
        value = self.cleaned_data["iban"].strip()
        if not value:
            return ""
        try:
            iban = IBAN(value)
        except SchwiftyException:
            raise forms.ValidationError(
                _("This is not a valid IBAN. Please check it against your bank statement.")
            ) from None
        self._iban = iban
        return iban.compact

    def clean_bic(self) -> str:
        value = self.cleaned_data["bic"].strip().upper().replace(" ", "")
        if not value:
            return ""
        try:
            return str(BIC(value))
        except SchwiftyException:
            raise forms.ValidationError(_("This is not a valid BIC.")) from None

    def clean(self):
        cleaned = super().clean()
        iban = getattr(self, "_iban", None)
        if iban is not None and not cleaned.get("bic") and not self.errors.get("bic"):
            try:
                bic = iban.bic
            except SchwiftyException:
                bic = None
            cleaned["bic"] = str(bic) if bic else ""
        return cleaned


class ApplicationStartForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Project title"), max_length=200)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=200)
    summary = forms.CharField(
        label=_("Short description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the project does, for whom, and why it is needed."),
    )
    action_fields = forms.ModelMultipleChoiceField(
        label=_("Fields of action (Handlungsfelder)"),
        queryset=ActionField.objects.all(),
        required=False,
        widget=Checkboxes,
    )


class MeasureForm(forms.Form):
    """One measure of a given type: units for a flat rate, costs for a cost-based type."""

    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("e.g. Sprachcafé im Gemeindehaus")
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    units = forms.IntegerField(label=_("Number of units"), min_value=1, required=False)
    total_cost = EuroField(label=_("Total costs (€)"), required=False)
    own_contribution = EuroField(label=_("Own contribution (€)"), required=False)
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    districts = forms.ModelMultipleChoiceField(
        label=_("City districts"),
        queryset=District.objects.order_by("number"),
        required=False,
        widget=Checkboxes,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=Checkboxes,
    )
    expected_participants = forms.IntegerField(
        label=_("Expected participants"), min_value=0, required=False
    )

    FIELD_FOR_PROBLEM = {"measure_type": None, "total_cost": "total_cost"}

    def __init__(self, *args, measure_type: MeasureType, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure_type = measure_type
        if measure_type.is_flat_rate:
            del self.fields["total_cost"]
            del self.fields["own_contribution"]
            self.fields["units"].required = True
            self.fields["units"].label = _("Number of units (%(unit)s)") % {
                "unit": measure_type.unit_label or _("units")
            }
            if measure_type.max_units:
                self.fields["units"].max_value = measure_type.max_units
                self.fields["units"].widget.attrs["max"] = measure_type.max_units
                self.fields["units"].help_text = _("At most %(max)s per application.") % {
                    "max": measure_type.max_units
                }
        else:
            del self.fields["units"]
            self.fields["total_cost"].required = True
            if measure_type.own_share_percent:
                self.fields["own_contribution"].help_text = _(
                    "At least %(percent)s %% of the total costs."
                ) % {"percent": measure_type.own_share_percent}

    @classmethod
    def initial_for(cls, measure: Measure) -> dict:
        return {
            "title": measure.title,
            "description": measure.description,
            "units": measure.units or None,
            "total_cost": measure.total_cost_cents,
            "own_contribution": measure.own_contribution_cents,
            "starts_on": measure.starts_on,
            "ends_on": measure.ends_on,
            "districts": list(measure.districts.all()),
            "target_groups": list(measure.target_groups.all()),
            "expected_participants": measure.expected_participants,
        }

    def measure_data(self) -> MeasureData:
        data = self.cleaned_data
        return MeasureData(
            measure_type=self.measure_type,
            title=data["title"],
            description=data.get("description") or "",
            units=data.get("units") or 0,
            total_cost_cents=data.get("total_cost") or 0,
            own_contribution_cents=data.get("own_contribution") or 0,
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            expected_participants=data.get("expected_participants") or 0,
            districts=tuple(data.get("districts") or ()),
            target_groups=tuple(data.get("target_groups") or ()),
        )

    def add_problems(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Attachment.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


# --- Staff ---------------------------------------------------------------------------------


class FormalCheckForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=FormalCheck.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note to the organisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when more information is needed: say exactly what is missing."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        checks = {}
        for key, label in CHECKLIST:
            checks[f"check_{key}"] = forms.BooleanField(label=_(label), required=False)
        self.fields = {**checks, **self.fields}

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(f"check_{key}")) for key, _label in CHECKLIST}

    def check_fields(self):
        return [self[f"check_{key}"] for key, _label in CHECKLIST]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Goes into the decision letter (German)."),
    )

    def __init__(self, *args, measures: list[Measure], **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        for measure in measures:
            if measure.measure_type.is_flat_rate:
                self.fields[f"units_{measure.pk}"] = forms.IntegerField(
                    label=_("%(title)s: units granted (of %(units)s)")
                    % {"title": measure.title, "units": measure.units},
                    min_value=0,
                    max_value=measure.units,
                    required=False,
                    initial=measure.units,
                )
            else:
                self.fields[f"amount_{measure.pk}"] = EuroField(
                    label=_("%(title)s: amount granted (€)") % {"title": measure.title},
                    required=False,
                    initial=measure.requested_cents,
                )

    def measure_fields(self):
        return [
            self[f"units_{m.pk}" if m.measure_type.is_flat_rate else f"amount_{m.pk}"]
            for m in self.measures
        ]

    def units(self) -> dict[int, int]:
        return {
            m.pk: self.cleaned_data.get(f"units_{m.pk}") or 0
            for m in self.measures
            if m.measure_type.is_flat_rate
        }

    def amounts(self) -> dict[int, int]:
        return {
            m.pk: self.cleaned_data.get(f"amount_{m.pk}") or 0
            for m in self.measures
            if not m.measure_type.is_flat_rate
        }


# --- Committee -----------------------------------------------------------------------------


class ReviewForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Review.Recommendation.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criteria: list[ReviewCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scored = {}
        for criterion in criteria:
            scored[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.label,
                help_text=criterion.description_label,
                choices=[(n, str(n)) for n in range(criterion.max_points + 1)],
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields = {**scored, **self.fields}

    def criterion_fields(self):
        return [self[f"criterion_{c.pk}"] for c in self.criteria]

    def points(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=300,
        required=False,
        help_text=_("e.g. a relative works for the organisation"),
    )


class CompareForm(forms.Form):
    """Which policies to compare, with their parameters (GET: comparing changes nothing)."""

    by_score = forms.BooleanField(
        label=_("(a) Best score first, each funded in full"), required=False
    )
    threshold = forms.BooleanField(
        label=_("(b) Over a score threshold, the same percentage of every request"), required=False
    )
    threshold_min_score = forms.DecimalField(
        label=_("Threshold: minimum score (0–100)"),
        min_value=0,
        max_value=100,
        required=False,
        initial=50,
    )
    threshold_percent = forms.IntegerField(
        label=_("Threshold: percentage (empty: the largest that fits)"),
        min_value=1,
        max_value=100,
        required=False,
    )
    small_first = forms.BooleanField(
        label=_("(c) Small organisations first up to a floor, then best score first"),
        required=False,
    )
    small_floor = EuroField(label=_("Floor per small organisation (€)"), required=False)
    max_weighted = forms.BooleanField(
        label=_("(d) The best use of the budget (maximum score-weighted amount, proven)"),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in ("by_score", "threshold", "small_first", "max_weighted")]
        if sum(bool(cleaned.get(name)) for name in chosen) < 2:
            raise forms.ValidationError(_("Choose at least two policies to compare."))
        if cleaned.get("small_first") and not cleaned.get("small_floor"):
            self.add_error("small_floor", _("Enter the floor for small organisations."))
        return cleaned

    def policies(self) -> list[tuple[dict, alloc.Policy]]:
        data = self.cleaned_data
        result: list[tuple[dict, alloc.Policy]] = []
        if data.get("by_score"):
            result.append(({"policy": "by_score"}, alloc.ByScore()))
        if data.get("threshold"):
            min_score = float(data.get("threshold_min_score") or 0)
            percent = data.get("threshold_percent")
            result.append(
                (
                    {"policy": "threshold", "min_score": min_score, "percent": percent},
                    alloc.Threshold(min_score=min_score, percent=percent),
                )
            )
        if data.get("small_first"):
            floor = data["small_floor"]
            result.append(
                (
                    {"policy": "small_first", "floor_cents": floor},
                    alloc.SmallFirst(floor_cents=floor, then=alloc.ByScore()),
                )
            )
        if data.get("max_weighted"):
            result.append(({"policy": "max_weighted"}, alloc.MaxWeighted(time_limit_seconds=10)))
        return result


class AdjustForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        help_text=_("Goes into the minutes and the decision letter."),
    )

    def __init__(self, *args, measures: list[Measure], units: dict, amounts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        fields = {}
        for measure in measures:
            if measure.measure_type.is_flat_rate:
                fields[f"units_{measure.pk}"] = forms.IntegerField(
                    label=_("%(title)s: units (of %(units)s)")
                    % {"title": measure.title, "units": measure.units},
                    min_value=0,
                    max_value=measure.units,
                    initial=units.get(str(measure.pk), 0),
                )
            else:
                fields[f"amount_{measure.pk}"] = EuroField(
                    label=_("%(title)s: amount (€)") % {"title": measure.title},
                    initial=amounts.get(str(measure.pk), 0),
                )
        self.fields = {**fields, **self.fields}

    def units(self) -> dict[int, int]:
        return {
            m.pk: self.cleaned_data.get(f"units_{m.pk}") or 0
            for m in self.measures
            if m.measure_type.is_flat_rate
        }

    def amounts(self) -> dict[int, int]:
        return {
            m.pk: self.cleaned_data.get(f"amount_{m.pk}") or 0
            for m in self.measures
            if not m.measure_type.is_flat_rate
        }


class FinaliseForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who took part, what was decided and why (kept with the allocation)."),
    )


STATUS_CHOICES = [("", _("All"))] + [
    (value, label) for value, label in Application.Status.choices if value != "draft"
]
