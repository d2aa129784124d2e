"""Forms for maintaining offers (the offer, its opening hours and dates, translations) and for
reviewing them. Every message says what to do; nothing typed is lost when a value is wrong."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from teilhabe.core.models import Language, Organisation, TargetGroup
from teilhabe.offers.models import Category, Offer, OneOffDate, WeeklySlot


class CoordinateField(forms.FloatField):
    """Decimal degrees; accepts a German decimal comma (51,5136) as well as a dot."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "dir": "ltr"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OfferForm(forms.ModelForm):
    """The offer itself. The organisation choice holds only the user's organisations (staff: all
    active ones)."""

    latitude = CoordinateField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        help_text=_("Decimal degrees, for example 51.5136."),
    )
    longitude = CoordinateField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        help_text=_("Decimal degrees, for example 7.4653."),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )

    class Meta:
        model = Offer
        fields = [
            "organisation",
            "category",
            "title",
            "description",
            "target_groups",
            "languages",
            "is_free",
            "cost_note",
            "wheelchair_access",
            "street",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "by_appointment",
            "hours_note",
            "phone",
            "email",
            "website",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "target_groups": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "dir": "ltr"}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
        }
        help_texts = {
            "title": _("In German, short and plain, for example „Sprachcafé am Nordmarkt“."),
            "description": _(
                "In German: what happens, for whom, what to bring. Translations are added "
                "separately."
            ),
            "cost_note": _("Only if it is not free: what it costs, for example „2 € per visit“."),
            "hours_note": _("For example „not in the school holidays“."),
        }

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.organisation_id:
            organisations = organisations | Organisation.objects.filter(
                pk=self.instance.organisation_id
            )
        self.fields["organisation"].queryset = organisations.distinct().order_by("name")
        if not self.initial.get("organisation") and organisations.count() == 1:
            self.initial["organisation"] = organisations.get().pk
        self.fields["category"].queryset = Category.objects.all()
        self.fields["target_groups"].queryset = TargetGroup.objects.all()
        self.fields["languages"].queryset = Language.objects.all()

    def clean(self) -> dict:
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(missing, _("Enter both latitude and longitude, or neither."))
        if data.get("is_free") is False and not (data.get("cost_note") or "").strip():
            self.add_error("cost_note", _("Say what the offer costs, or tick “free of charge”."))
        return data

    @property
    def lacks_coordinates(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return data.get("latitude") is None or data.get("longitude") is None


class _OpensBeforeClosesMixin:
    start_field = "opens"
    end_field = "closes"
    message = _("The closing time must be later than the opening time.")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get(self.start_field), data.get(self.end_field)
        if start is not None and end is not None and start >= end:
            self.add_error(self.end_field, self.message)
        # With the error on end_field, the model's own check constraint (same rule, less
        # helpful message) is skipped: Django leaves fields with errors out of model validation.
        return data


class WeeklySlotForm(_OpensBeforeClosesMixin, forms.ModelForm):
    class Meta:
        model = WeeklySlot
        fields = ["weekday", "opens", "closes"]
        widgets = {"opens": TimeInput, "closes": TimeInput}


class OneOffDateForm(_OpensBeforeClosesMixin, forms.ModelForm):
    start_field = "starts"
    end_field = "ends"
    message = _("The end must be later than the start.")

    class Meta:
        model = OneOffDate
        fields = ["date", "starts", "ends"]
        widgets = {"date": DateInput, "starts": TimeInput, "ends": TimeInput}


WeeklySlotFormSet = forms.inlineformset_factory(
    Offer, WeeklySlot, form=WeeklySlotForm, extra=2, can_delete=True, max_num=30
)
OneOffDateFormSet = forms.inlineformset_factory(
    Offer, OneOffDate, form=OneOffDateForm, extra=1, can_delete=True, max_num=60
)


class TranslationForm(forms.Form):
    """Title and description in one more language. An empty title removes the translation."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave the title empty to remove this translation."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    machine_translated = forms.BooleanField(
        label=_("Machine-translated"),
        required=False,
        help_text=_(
            "Tick this if a program translated the text and nobody who speaks the language has "
            "checked it yet."
        ),
    )

    def __init__(self, *args, language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
        for name in ("title", "description"):
            self.fields[name].widget.attrs.update({"lang": language, "dir": direction})

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("title") or "").strip() and (data.get("description") or "").strip():
            self.add_error("title", _("A translation needs a title."))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The organisation gets this by e-mail: say what to change."),
        max_length=2000,
        error_messages={"required": _("Write the reason: the organisation needs to know it.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(
                _("Write the reason: the organisation needs to know it."), code="required"
            )
        return reason
