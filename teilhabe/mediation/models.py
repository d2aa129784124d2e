"""The language-mediator pool (Sprachmittlerpool): mediators, institutions and their requesters,
requests for a mediator, offers/assignments and cancellations.

Lifecycle (services.py): a request is `requested` → `offered` (one open offer at a time) →
`confirmed` → `done` (the mediator reports time and travel; the institution confirms) — or
`cancelled`, or `unfilled` (no mediator found in time). No client personal data is stored anywhere.

Double booking is impossible in the database: a PostgreSQL exclusion constraint and a SQLite
trigger (migration 0001, see `no_overlap.py`) refuse two confirmed/done assignments of one mediator
whose blocked intervals (appointment plus travel buffer, `matching.blocked_interval`) overlap.
"""

import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teilhabe.core.models import District, Language, TimeStamped, Weekday


class Area(models.TextChoices):
    """Areas of life a request belongs to (codes as in matching.AREAS)."""

    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education, school, Kita")
    SOCIAL = "social", _("Social services")
    AUTHORITIES = "authorities", _("Authorities")
    OTHER = "other", _("Other")


class Setting(models.TextChoices):
    """How the conversation takes place (codes as in matching.SETTINGS)."""

    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    DIVERSE = "diverse", _("Diverse")


class LanguageLevel(models.TextChoices):
    """Better first, as matching.LEVELS."""

    NATIVE = "native", _("Native")
    FLUENT = "fluent", _("Fluent")
    BASIC = "basic", _("Basic")


class GermanLevel(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("Native speaker")


def _codes(choices: type[models.TextChoices]) -> list[str]:
    return [value for value, _label in choices.choices]


def validate_areas(value: list) -> None:
    if not isinstance(value, list) or any(item not in _codes(Area) for item in value):
        raise ValidationError(_("Choose areas from the list."))


def validate_settings(value: list) -> None:
    if not isinstance(value, list) or any(item not in _codes(Setting) for item in value):
        raise ValidationError(_("Choose settings from the list."))


# --- Mediators ----------------------------------------------------------------------------------


class MediatorQuerySet(models.QuerySet):
    def assignable(self) -> "MediatorQuerySet":
        """Who may receive offers: active, trained, confidentiality declaration signed."""
        return self.filter(
            status=MediatorProfile.Status.ACTIVE,
            training_date__isnull=False,
            confidentiality_date__isnull=False,
        )


class MediatorProfile(TimeStamped):
    """A volunteer language mediator (Sprachmittler*in) with a log-in."""

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        LEFT = "left", _("Left")

    class ContactChannel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="mediator_profile",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLICANT
    )
    german_level = models.CharField(
        _("German level (CEFR)"), max_length=6, choices=GermanLevel.choices, blank=True
    )
    areas = models.JSONField(
        _("areas"), default=list, blank=True, validators=[validate_areas]
    )  # list of Area codes
    settings_accepted = models.JSONField(
        _("settings accepted"), default=list, blank=True, validators=[validate_settings]
    )  # list of Setting codes
    whole_city = models.BooleanField(
        _("goes anywhere in the city"),
        default=True,
        help_text=_("Otherwise only to the districts chosen below (for in-person appointments)."),
    )
    districts = models.ManyToManyField(
        District, verbose_name=_("districts"), blank=True, related_name="mediators"
    )
    home_district = models.ForeignKey(
        District,
        verbose_name=_("home district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_mediators",
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    max_per_week = models.PositiveSmallIntegerField(_("most assignments per week"), default=3)
    training_date = models.DateField(_("basic training on"), null=True, blank=True)
    confidentiality_date = models.DateField(
        _("confidentiality declaration signed on"), null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    contact_channel = models.CharField(
        _("contact channel shown to requesters"),
        max_length=10,
        choices=ContactChannel.choices,
        default=ContactChannel.PHONE,
    )
    staff_notes = models.TextField(_("staff notes"), blank=True)
    left_at = models.DateTimeField(_("left on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True)

    objects = MediatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("language mediator")
        verbose_name_plural = _("language mediators")
        ordering = ["user__first_name", "user__last_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_per_week__gte=1, max_per_week__lte=20),
                name="mediator_max_per_week_range",
            ),
        ]

    def __str__(self) -> str:
        if self.anonymised_at:
            return f"{_('Former mediator')} #{self.pk}"
        return self.user.get_full_name() or self.user.username

    @property
    def first_name(self) -> str:
        return self.user.first_name or self.user.username

    @property
    def may_be_assigned(self) -> bool:
        """Both the basic training and the confidentiality declaration before ANY assignment."""
        return (
            self.status == self.Status.ACTIVE
            and self.training_date is not None
            and self.confidentiality_date is not None
        )

    def contact(self) -> str:
        """The one contact channel requesters may see."""
        if self.contact_channel == self.ContactChannel.PHONE and self.phone:
            return self.phone
        return self.user.email or self.phone


class MediatorLanguage(models.Model):
    """A language a mediator speaks, with level and dialect or variety."""

    mediator = models.ForeignKey(
        MediatorProfile, on_delete=models.CASCADE, related_name="languages"
    )
    language = models.ForeignKey(
        Language, verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    dialect = models.CharField(
        _("dialect or variety"),
        max_length=60,
        blank=True,
        help_text=_("For example Levantine (Arabic) or Kurmanji (Kurdish)."),
    )
    level = models.CharField(
        _("level"), max_length=10, choices=LanguageLevel.choices, default=LanguageLevel.FLUENT
    )

    class Meta:
        verbose_name = _("language of a mediator")
        verbose_name_plural = _("languages of mediators")
        ordering = ["language__sort_order", "language__name_en", "dialect"]
        constraints = [
            models.UniqueConstraint(
                fields=["mediator", "language", "dialect"], name="mediator_language_unique"
            ),
        ]

    def __str__(self) -> str:
        dialect = f" – {self.dialect}" if self.dialect else ""
        return f"{self.language.label}{dialect} ({self.get_level_display()})"


class AvailabilityWindow(models.Model):
    """A weekly window in which the mediator can take appointments (local time)."""

    mediator = models.ForeignKey(MediatorProfile, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="window_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="window_weekday_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class Absence(models.Model):
    """Days on which the mediator is away (both days included)."""

    mediator = models.ForeignKey(MediatorProfile, on_delete=models.CASCADE, related_name="absences")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="absence_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_day:%d.%m.%Y}–{self.last_day:%d.%m.%Y}"

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


# --- Institutions and requesters ------------------------------------------------------------


class Institution(TimeStamped):
    """A school, Kita, counselling centre, health or social service or authority that requests
    mediators."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        KITA = "kita", _("Kita (day care)")
        COUNSELLING = "counselling", _("Counselling centre")
        HEALTH = "health", _("Health service")
        SOCIAL = "social", _("Social service")
        AUTHORITY = "authority", _("Authority")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediation_institutions",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InstitutionPlace(TimeStamped):
    """A place of an institution where in-person appointments happen."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, default="Dortmund")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediation_places",
    )

    class Meta:
        verbose_name = _("place of an institution")
        verbose_name_plural = _("places of institutions")
        ordering = ["institution__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="institution_place_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.street}" if self.street else self.name


class RequesterProfile(TimeStamped):
    """A professional (Fachkraft) who requests mediators for an institution."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="requester_profile",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="requesters",
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("requester")
        verbose_name_plural = _("requesters")
        ordering = ["institution__name", "user__last_name"]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.institution})"


# --- Requests, assignments, cancellations ---------------------------------------------------


class MediationRequest(TimeStamped):
    """A request for a mediator at one date and time. Holds no personal data of the client."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        OFFERED = "offered", _("Offered to a mediator")
        CONFIRMED = "confirmed", _("Confirmed")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        UNFILLED = "unfilled", _("Unfilled")

    OPEN_STATUSES = (Status.REQUESTED, Status.OFFERED)

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediation_requests",
    )
    language = models.ForeignKey(
        Language, verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    dialect = models.CharField(_("dialect or variety"), max_length=60, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("expected duration (minutes)"))
    ends_at = models.DateTimeField(_("ends at"))
    setting = models.CharField(_("setting"), max_length=10, choices=Setting.choices)
    place = models.ForeignKey(
        InstitutionPlace,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    area = models.CharField(_("area"), max_length=12, choices=Area.choices)
    topic = models.CharField(
        _("topic"),
        max_length=120,
        help_text=_("A short topic only. No names or other personal data of the client."),
    )
    gender_preference = models.CharField(
        _("preferred gender of the mediator"), max_length=10, choices=Gender.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    terms_accepted_at = models.DateTimeField(_("terms accepted at"))
    lead_time_override = models.BooleanField(_("short lead time allowed by staff"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    done_at = models.DateTimeField(_("reported done at"), null=True, blank=True)
    institution_confirmed_at = models.DateTimeField(
        _("confirmed by the institution at"), null=True, blank=True
    )
    institution_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    unfilled_at = models.DateTimeField(_("unfilled since"), null=True, blank=True)
    # The requester is told once, early, when no candidate is left (or the deadline passed).
    unfilled_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("request for a mediator")
        verbose_name_plural = _("requests for a mediator")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="mediation_request_status"),
            models.Index(fields=["institution", "starts_at"], name="mediation_request_inst"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="request_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="request_duration_range",
            ),
            models.CheckConstraint(
                condition=~Q(setting="in_person") | Q(place__isnull=False),
                name="request_in_person_has_place",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.language.label} {local:%d.%m.%Y %H:%M} – {self.institution}"

    @property
    def district_id_for_matching(self) -> int | None:
        return self.place.district_id if self.place_id and self.place else None

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class BatchProposal(TimeStamped):
    """A proposed assignment of all open requests of a period (solve_batch), reviewed by staff
    before the offers go out in one action."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SENT = "sent", _("Offers sent")
        DISCARDED = "discarded", _("Discarded")

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    solver_status = models.CharField(_("solver status"), max_length=12)
    open_requests = models.PositiveIntegerField(_("open requests"), default=0)
    filled = models.PositiveIntegerField(_("filled"), default=0)
    travel_km = models.DecimalField(_("travel (km)"), max_digits=9, decimal_places=1, default=0)
    max_load = models.PositiveIntegerField(_("most assignments of one mediator"), default=0)
    solve_seconds = models.DecimalField(max_digits=8, decimal_places=3, default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("batch proposal")
        verbose_name_plural = _("batch proposals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="batch_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y} ({self.status})"


class BatchItem(models.Model):
    proposal = models.ForeignKey(BatchProposal, on_delete=models.CASCADE, related_name="items")
    request = models.ForeignKey(MediationRequest, on_delete=models.CASCADE, related_name="+")
    mediator = models.ForeignKey(MediatorProfile, on_delete=models.CASCADE, related_name="+")
    travel_km = models.DecimalField(max_digits=7, decimal_places=1, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "request"], name="batch_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.mediator_id}"


def new_token_nonce() -> str:
    return secrets.token_urlsafe(12)


class Assignment(TimeStamped):
    """A request offered to one mediator, and what became of it."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Done")

    # The statuses in which the mediator's time is booked (the database constraint covers these).
    BOOKED_STATUSES = (Status.CONFIRMED, Status.DONE)
    # The statuses that hold a request (one at a time per request).
    HOLDING_STATUSES = (Status.OFFERED, Status.ACCEPTED, Status.CONFIRMED, Status.DONE)

    request = models.ForeignKey(
        MediationRequest, on_delete=models.CASCADE, related_name="assignments"
    )
    mediator = models.ForeignKey(
        MediatorProfile, on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OFFERED
    )
    # The time this appointment blocks in the mediator's calendar (matching.blocked_interval).
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    offered_at = models.DateTimeField(_("offered at"), default=timezone.now)
    answer_deadline = models.DateTimeField(_("answer by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # Changing the nonce invalidates every e-mailed link of this offer.
    token_nonce = models.CharField(max_length=24, default=new_token_nonce)
    batch = models.ForeignKey(
        BatchProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    estimated_km = models.DecimalField(
        _("estimated travel (km, one way)"), max_digits=6, decimal_places=1, default=0
    )
    # Report of the mediator after the appointment.
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    actual_minutes = models.PositiveSmallIntegerField(_("actual minutes"), null=True, blank=True)
    travel_km = models.DecimalField(
        _("travel (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    ticket_cents = models.PositiveIntegerField(_("ticket (cents)"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["blocked_start", "id"]
        indexes = [
            models.Index(fields=["mediator", "status", "blocked_start"], name="assignment_cal"),
            models.Index(fields=["status", "answer_deadline"], name="assignment_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(blocked_end__gt=models.F("blocked_start")),
                name="assignment_blocked_valid",
            ),
            # One offer/booking holds a request at a time.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=["offered", "accepted", "confirmed", "done"]),
                name="assignment_one_holder_per_request",
            ),
            models.CheckConstraint(
                condition=Q(actual_minutes__isnull=True) | Q(actual_minutes__lte=720),
                name="assignment_actual_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} → {self.mediator} ({self.status})"

    @property
    def is_booked(self) -> bool:
        return self.status in self.BOOKED_STATUSES


class Cancellation(TimeStamped):
    """Who cancelled a request or an assignment, when, why, and what is still paid."""

    class By(models.TextChoices):
        REQUESTER = "requester", _("Requester")
        MEDIATOR = "mediator", _("Mediator")
        STAFF = "staff", _("Staff")

    request = models.ForeignKey(
        MediationRequest, on_delete=models.CASCADE, related_name="cancellations"
    )
    assignment = models.ForeignKey(
        Assignment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cancellations",
    )
    by = models.CharField(_("cancelled by"), max_length=10, choices=By.choices)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("cancelled at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300)
    hours_before_start = models.DecimalField(max_digits=8, decimal_places=2)
    late = models.BooleanField(_("late cancellation (paid)"), default=False)
    payable_minutes = models.PositiveSmallIntegerField(_("payable minutes"), default=0)
    payable_km = models.DecimalField(
        _("payable travel (km)"), max_digits=6, decimal_places=1, default=0
    )
    payable_cents = models.PositiveIntegerField(_("payable amount (cents)"), default=0)

    class Meta:
        verbose_name = _("cancellation")
        verbose_name_plural = _("cancellations")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.request} ({self.get_by_display()})"

    @property
    def payable_euros(self) -> Decimal:
        return Decimal(self.payable_cents) / 100


class MediatorRecordAccess(models.Model):
    """That a staff member read a mediator's record (reads are audited; changes go to auditlog).

    Holds ids and the view name only, no personal data.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    mediator = models.ForeignKey(
        MediatorProfile, on_delete=models.CASCADE, related_name="record_reads"
    )
    at = models.DateTimeField(default=timezone.now)
    view = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("read of a mediator record")
        verbose_name_plural = _("reads of mediator records")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.view} #{self.mediator_id}"


# The monthly expense statements live in their own module (part B of the issue); imported here
# so that Django registers them as models of this app.
from teilhabe.mediation.expense_models import ExpenseLine, ExpenseStatement  # noqa: E402, F401
