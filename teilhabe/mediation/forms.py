"""Forms of the pool's pages. Checks that need the rules (lead time) call the same functions as
the services, so the form can point at the field; the services check again."""

from datetime import datetime, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teilhabe.core.models import District, Language
from teilhabe.mediation import rules
from teilhabe.mediation.models import (
    Absence,
    Area,
    AvailabilityWindow,
    Gender,
    Institution,
    InstitutionPlace,
    MediationRequest,
    MediatorProfile,
    Setting,
)
from teilhabe.mediation.services import RequestInput

DURATIONS = [(m, _("%(minutes)s minutes") % {"minutes": m}) for m in (30, 45, 60, 90, 120)] + [
    (m, _("%(hours)s hours") % {"hours": m // 60}) for m in (180, 240)
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class RequestForm(forms.Form):
    """A requester's request. No personal data of the client: the topic says so."""

    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.all(), empty_label=_("Choose a language")
    )
    dialect = forms.CharField(
        label=_("Dialect or variety (optional)"),
        max_length=60,
        required=False,
        help_text=_(
            "For example Levantine (Arabic) or Kurmanji (Kurdish). Leave empty if any will do."
        ),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("Start time"), widget=TimeInput())
    duration_minutes = forms.TypedChoiceField(
        label=_("Expected duration"), choices=DURATIONS, coerce=int, initial=60
    )
    setting = forms.ChoiceField(
        label=_("How"), choices=Setting.choices, widget=forms.RadioSelect, initial=Setting.IN_PERSON
    )
    place = forms.ModelChoiceField(
        label=_("Place (for an appointment in person)"),
        queryset=InstitutionPlace.objects.none(),
        required=False,
        empty_label=_("Choose a place"),
    )
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices)
    topic = forms.CharField(
        label=_("Topic"),
        max_length=120,
        help_text=_(
            "A few words, e.g. “parents' evening, class 3”. Please do not enter names or other "
            "personal data of the client."
        ),
    )
    gender_preference = forms.ChoiceField(
        label=_("Preferred gender of the mediator (optional)"),
        choices=[("", _("No preference")), *Gender.choices],
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes for the mediator (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No personal data of the client."),
    )
    terms = forms.BooleanField(
        label=_(
            "I accept the terms: the service is voluntary and there is no legal claim to it; "
            "mediators are not sworn interpreters and take part in no conversations with legal "
            "consequences; requests need the lead time."
        ),
        error_messages={"required": _("Please accept the terms of the mediator pool.")},
    )

    def __init__(
        self, *args, institution: Institution | None = None, allow_short_notice=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.allow_short_notice = allow_short_notice
        places = InstitutionPlace.objects.select_related("institution")
        self.fields["place"].queryset = (
            places.filter(institution=institution) if institution is not None else places
        )
        self.fields["date"].help_text = _(
            "Mediators need %(days)s days' notice: the earliest date is %(date)s."
        ) % {
            "days": settings.MEDIATION_LEAD_TIME_DAYS,
            "date": self.earliest().strftime("%d.%m.%Y"),
        }

    @staticmethod
    def earliest():
        return timezone.localdate() + timedelta(days=settings.MEDIATION_LEAD_TIME_DAYS)

    def clean(self):
        data = super().clean()
        day, start = data.get("date"), data.get("start")
        if day and start:
            data["starts_at"] = timezone.make_aware(datetime.combine(day, start))
            if data["starts_at"] <= timezone.now():
                self.add_error("date", _("The appointment must be in the future."))
            elif not self._short_notice_allowed() and not rules.lead_time_ok(
                starts_on=day,
                today=timezone.localdate(),
                lead_days=settings.MEDIATION_LEAD_TIME_DAYS,
            ):
                self.add_error(
                    "date",
                    _(
                        "Mediators need %(days)s days' notice: the earliest possible date is "
                        "%(date)s. For urgent cases please call the integration centre."
                    )
                    % {
                        "days": settings.MEDIATION_LEAD_TIME_DAYS,
                        "date": self.earliest().strftime("%d.%m.%Y"),
                    },
                )
        if data.get("setting") == Setting.IN_PERSON and not data.get("place"):
            self.add_error("place", _("Please choose the place of the appointment."))
        return data

    def _short_notice_allowed(self) -> bool:
        return self.allow_short_notice

    def request_input(self) -> RequestInput:
        data = self.cleaned_data
        return RequestInput(
            language=data["language"],
            dialect=data["dialect"],
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            setting=data["setting"],
            place=data.get("place"),
            area=data["area"],
            topic=data["topic"],
            gender_preference=data["gender_preference"],
            notes=data["notes"],
            terms_accepted=data["terms"],
        )


class StaffRequestForm(RequestForm):
    """Staff request for an institution, and may allow a shorter lead time."""

    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.filter(is_active=True)
    )
    lead_time_override = forms.BooleanField(
        label=_("Allow a shorter lead time for this request"), required=False
    )
    field_order = ["institution", "lead_time_override"]

    def _short_notice_allowed(self) -> bool:
        return bool(self.cleaned_data.get("lead_time_override"))

    def clean(self):
        data = super().clean()
        place, institution = data.get("place"), data.get("institution")
        if place and institution and place.institution_id != institution.pk:
            self.add_error("place", _("This place belongs to another institution."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No personal data of the client."),
    )


class ReportForm(forms.Form):
    actual_minutes = forms.IntegerField(
        label=_("Actual time (minutes)"), min_value=1, max_value=720
    )
    travel_km = forms.DecimalField(
        label=_("Kilometres travelled (optional)"),
        min_value=Decimal(0),
        max_value=Decimal(500),
        decimal_places=1,
        required=False,
        help_text=_("There and back, if you went by car or bicycle."),
    )
    ticket_euros = forms.DecimalField(
        label=_("Ticket price in euros (optional)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        required=False,
        help_text=_("If you went by bus or train. Enter either kilometres or a ticket."),
    )

    def clean(self):
        data = super().clean()
        if data.get("travel_km") is not None and data.get("ticket_euros") is not None:
            raise forms.ValidationError(_("Please enter either kilometres or a ticket, not both."))
        return data

    @property
    def ticket_cents(self) -> int | None:
        euros = self.cleaned_data.get("ticket_euros")
        return None if euros is None else int((euros * 100).to_integral_value())


class MediatorProfileForm(forms.ModelForm):
    """What a mediator keeps up to date themselves (languages and dates are kept by staff)."""

    settings_accepted = forms.MultipleChoiceField(
        label=_("Settings I accept"),
        choices=Setting.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas I work in"),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts I go to"),
        queryset=District.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only if you do not go anywhere in the city."),
    )

    class Meta:
        model = MediatorProfile
        fields = [
            "phone",
            "contact_channel",
            "settings_accepted",
            "areas",
            "whole_city",
            "districts",
            "home_district",
            "max_per_week",
        ]
        widgets = {"contact_channel": forms.RadioSelect}

    def clean_max_per_week(self):
        value = self.cleaned_data["max_per_week"]
        if not 1 <= value <= 20:
            raise forms.ValidationError(_("Please enter a number from 1 to 20."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("contact_channel") == MediatorProfile.ContactChannel.PHONE and not data.get(
            "phone"
        ):
            self.add_error("phone", _("Please enter a phone number or choose e-mail."))
        if not data.get("whole_city") and not data.get("districts"):
            self.add_error("districts", _("Please choose districts, or the whole city."))
        return data


class WindowForm(forms.ModelForm):
    class Meta:
        model = AvailabilityWindow
        fields = ["weekday", "start_time", "end_time"]
        widgets = {"start_time": TimeInput(), "end_time": TimeInput()}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return data


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["first_day", "last_day"]
        widgets = {"first_day": DateInput(), "last_day": DateInput()}

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day must not be before the first day."))
        return data


WindowFormSet = inlineformset_factory(
    MediatorProfile, AvailabilityWindow, form=WindowForm, extra=2, can_delete=True, max_num=21
)
AbsenceFormSet = inlineformset_factory(
    MediatorProfile, Absence, form=AbsenceForm, extra=1, can_delete=True, max_num=30
)


class BatchForm(forms.Form):
    first_day = forms.DateField(label=_("From"), widget=DateInput())
    last_day = forms.DateField(label=_("Until"), widget=DateInput())

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", _("The end of the period must not be before its start."))
            elif (last - first).days > 31:
                self.add_error("last_day", _("Please choose a period of at most 31 days."))
        return data


class StaffRequestFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *MediationRequest.Status.choices],
        required=False,
    )
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.all(), required=False, empty_label=_("All")
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    first_day = forms.DateField(label=_("From"), required=False, widget=DateInput())
    last_day = forms.DateField(label=_("Until"), required=False, widget=DateInput())


class StaffMediatorFilter(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *MediatorProfile.Status.choices],
        required=False,
    )
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.all(), required=False, empty_label=_("All")
    )
