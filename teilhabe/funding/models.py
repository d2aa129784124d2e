"""Funding programmes (Fördermittel): programmes and periods with a budget, measure types with flat
rates, applications by organisations, formal check, committee review, allocation and decisions.

Money is stored in integer cents. Payments, proof of use and reports build on these models
(`Decision`, `Measure.granted_units`/`granted_cents`, `Period.proof_due_on`).
"""

import os
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from teilhabe.core.models import (
    ActionField,
    District,
    Organisation,
    TargetGroup,
    TimeStamped,
)


class PrivateStorage(FileSystemStorage):
    """Files under settings.FUNDING_PRIVATE_ROOT, read at each use (tests point it elsewhere).

    No URL serves this folder: uploads and letters reach only those allowed, through views."""

    @property
    def base_location(self):
        return settings.FUNDING_PRIVATE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


_PRIVATE_STORAGE = PrivateStorage()


def private_storage() -> FileSystemStorage:
    # A callable, so the migration does not freeze a path.
    return _PRIVATE_STORAGE


class LegalForm(models.TextChoices):
    REGISTERED_ASSOCIATION = "ev", _("Registered association (e.V.)")
    NONPROFIT_COMPANY = "ggmbh", _("Non-profit company (gGmbH)")
    FOUNDATION = "foundation", _("Foundation")
    CHURCH_BODY = "church", _("Church or religious body under public law")
    PUBLIC_BODY = "public", _("Public body")
    UNREGISTERED = "unregistered", _("Group or initiative without legal form")
    OTHER = "other", _("Other")


class FundingProfile(TimeStamped):
    """What an organisation needs to receive grants: legal form, bank account, contact.

    Bank data is shown to centre staff only; every read is recorded in BankDataRead.
    """

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="funding_profile",
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.OTHER
    )
    register_number = models.CharField(
        _("register number"), max_length=50, blank=True, help_text=_("e.g. VR 1234")
    )
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("funding profile")
        verbose_name_plural = _("funding profiles")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def iban_masked(self) -> str:
        """Enough to recognise the account, not enough to use it (shown to the organisation)."""
        return f"{self.iban[:2]}•• •••• {self.iban[-4:]}" if self.iban else ""

    @property
    def has_bank_account(self) -> bool:
        return bool(self.iban and self.account_holder)


class BankDataRead(models.Model):
    """Who looked at an organisation's bank data, when and where (never the IBAN itself)."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)
    context = models.CharField(_("where"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bank data read")
        verbose_name_plural = _("bank data reads")
        ordering = ["-read_at"]

    def __str__(self) -> str:
        return f"{self.reader} – {self.organisation} – {self.read_at:%Y-%m-%d %H:%M}"


class Programme(TimeStamped):
    """A funding programme (KOMM-AN NRW, Masterplan Migration/Integration, …)."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("funded by"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def description_label(self) -> str:
        return gettext(self.description) if self.description else ""


class Period(TimeStamped):
    """A funding period (usually a year) with its budget, application window and decision date.

    `approved_cents` is the running sum of every approval in the period. The services update it
    in the same transaction as the decision, with this row locked; the check constraint makes the
    database itself refuse a total above the budget, whatever the timing.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="periods"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. 2018"))
    budget_cents = models.BigIntegerField(_("budget (cents)"))
    approved_cents = models.BigIntegerField(_("approved so far (cents)"), default=0)
    applications_open = models.DateTimeField(_("applications from"))
    applications_close = models.DateTimeField(_("applications until"))
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    starts_on = models.DateField(_("measures from"), null=True, blank=True)
    ends_on = models.DateField(_("measures until"), null=True, blank=True)
    proof_due_on = models.DateField(_("proof of use due"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("funding period")
        verbose_name_plural = _("funding periods")
        ordering = ["-applications_open"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="period_unique_name"),
            models.CheckConstraint(condition=Q(budget_cents__gte=0), name="period_budget_positive"),
            models.CheckConstraint(
                condition=Q(approved_cents__gte=0) & Q(approved_cents__lte=F("budget_cents")),
                name="period_approved_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(applications_close__gt=F("applications_open")),
                name="period_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.name}"

    @property
    def left_cents(self) -> int:
        return self.budget_cents - self.approved_cents

    def is_open(self, now) -> bool:
        return self.applications_open <= now < self.applications_close


class MeasureType(models.Model):
    """A fundable measure type (Fördertatbestand): a flat rate per unit or cost-based."""

    class Kind(models.TextChoices):
        FLAT_RATE = "flat_rate", _("Flat rate per unit")
        COST = "cost", _("Cost-based")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="measure_types",
    )
    slug = models.SlugField(_("short name"), max_length=60)
    code = models.CharField(_("code"), max_length=10, blank=True, help_text=_("e.g. a, b"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit_cents = models.PositiveIntegerField(_("flat rate per unit (cents)"), default=0)
    unit_name = models.CharField(_("unit"), max_length=100, blank=True)
    max_units = models.PositiveIntegerField(
        _("maximum units per application"), null=True, blank=True
    )
    max_amount_cents = models.PositiveBigIntegerField(
        _("maximum amount (cents)"), null=True, blank=True
    )
    own_share_percent = models.PositiveSmallIntegerField(
        _("minimum own contribution (%)"), default=0
    )
    eligible_kinds = models.JSONField(
        _("eligible organisation kinds"),
        default=list,
        blank=True,
        help_text=_("Organisation kinds that may apply; empty means every kind."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("measure type")
        verbose_name_plural = _("measure types")
        ordering = ["programme", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="measuretype_unique_slug"),
            models.CheckConstraint(
                condition=~Q(kind="flat_rate") | Q(unit_cents__gt=0),
                name="measuretype_flat_rate_has_price",
            ),
            models.CheckConstraint(
                condition=Q(own_share_percent__lte=100), name="measuretype_own_share_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}) {self.label}" if self.code else self.label

    @property
    def label(self) -> str:
        """Seeded names are English msgids, shown in the visitor's language."""
        return gettext(self.name)

    @property
    def unit_label(self) -> str:
        return gettext(self.unit_name) if self.unit_name else ""

    @property
    def description_label(self) -> str:
        return gettext(self.description) if self.description else ""

    @property
    def is_flat_rate(self) -> bool:
        return self.kind == self.Kind.FLAT_RATE

    def is_eligible(self, organisation_kind: str) -> bool:
        return not self.eligible_kinds or organisation_kind in self.eligible_kinds


class ReviewCriterion(models.Model):
    """A criterion committee members score (per programme), e.g. "need in the district"."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="criteria"
    )
    slug = models.SlugField(_("short name"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    max_points = models.PositiveSmallIntegerField(_("maximum points"), default=5)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["programme", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="criterion_unique_slug"),
            models.CheckConstraint(condition=Q(max_points__gte=1), name="criterion_max_points"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return gettext(self.name)

    @property
    def description_label(self) -> str:
        return gettext(self.description) if self.description else ""


class Application(TimeStamped):
    """An organisation's application (Antrag) for one period.

    Draft → submitted → (more information requested → submitted again) → checked → decided
    (approved, partly approved, rejected); withdrawn at any time before the decision. Only a
    draft or an application sent back for more information can be edited by the organisation.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        INFO_REQUESTED = "info_requested", _("More information needed")
        CHECKED = "checked", _("Formally checked")
        APPROVED = "approved", _("Approved")
        PARTIALLY_APPROVED = "partially_approved", _("Partly approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    EDITABLE = (Status.DRAFT, Status.INFO_REQUESTED)
    DECIDED = (Status.APPROVED, Status.PARTIALLY_APPROVED, Status.REJECTED)
    OPEN = (Status.SUBMITTED, Status.INFO_REQUESTED, Status.CHECKED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="funding_applications",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("short description"), blank=True)
    action_fields = models.ManyToManyField(
        ActionField,
        verbose_name=_("fields of action (Handlungsfelder)"),
        blank=True,
        related_name="funding_applications",
    )
    # Sum of the measures' requests, kept by the services whenever a measure changes.
    requested_cents = models.BigIntegerField(_("requested (cents)"), default=0)
    # Snapshot at submission: the allocation's small-organisation floor uses it.
    small_organisation = models.BooleanField(_("small organisation"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    info_request = models.TextField(_("information requested"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_cents__gte=0), name="application_requested_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """The number the organisation quotes in letters and e-mails."""
        return f"A-{self.pk:05d}" if self.pk else "A-new"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED


class Measure(models.Model):
    """One measure of an application: a measure type with units (flat rate) or costs.

    The price per unit is copied from the measure type when the measure is saved, so a later
    change of the flat rate does not alter an application already made. `granted_units` and
    `granted_cents` are set by the decision (None until then).
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="measures",
    )
    measure_type = models.ForeignKey(
        MeasureType,
        verbose_name=_("measure type"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    units = models.PositiveIntegerField(_("units"), default=0)
    unit_cents = models.PositiveIntegerField(_("flat rate per unit (cents)"), default=0)
    total_cost_cents = models.PositiveBigIntegerField(_("total costs (cents)"), default=0)
    own_contribution_cents = models.PositiveBigIntegerField(
        _("own contribution (cents)"), default=0
    )
    requested_cents = models.PositiveBigIntegerField(_("requested (cents)"), default=0)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    districts = models.ManyToManyField(
        District, verbose_name=_("districts"), blank=True, related_name="funding_measures"
    )
    target_groups = models.ManyToManyField(
        TargetGroup,
        verbose_name=_("target groups"),
        blank=True,
        related_name="funding_measures",
    )
    expected_participants = models.PositiveIntegerField(_("expected participants"), default=0)
    granted_units = models.PositiveIntegerField(_("granted units"), null=True, blank=True)
    granted_cents = models.PositiveBigIntegerField(_("granted (cents)"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["application", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_units__isnull=True) | Q(granted_units__lte=F("units")),
                name="measure_granted_units_within_request",
            ),
            models.CheckConstraint(
                condition=Q(granted_cents__isnull=True)
                | Q(granted_cents__lte=F("requested_cents")),
                name="measure_granted_within_request",
            ),
            models.CheckConstraint(
                condition=Q(own_contribution_cents__lte=F("total_cost_cents")),
                name="measure_own_contribution_within_costs",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="measure_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: the original one is kept in a field and never becomes a path.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"applications/{instance.application.uuid}/{uuid.uuid4().hex}{suffix}"


class PrivateUpload(models.Model):
    """What every uploaded file keeps beside itself: its original name, checked type and size,
    who uploaded it and when. The file lives in private storage under a random name."""

    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class Attachment(PrivateUpload):
    """A document attached to an application (PDF, PNG, JPEG), checked by content and size."""

    class Kind(models.TextChoices):
        COST_PLAN = "cost_plan", _("Cost and financing plan")
        CONCEPT = "concept", _("Concept or description")
        STATUTES = "statutes", _("Statutes or register extract")
        OTHER = "other", _("Other document")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]


class FormalCheck(models.Model):
    """Staff's formal check of a submitted application: the checklist and its outcome.

    One row per check, so the history of "more information needed" rounds stays visible.
    """

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Formally complete")
        INFO_REQUESTED = "info_requested", _("More information needed")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="formal_checks",
    )
    checklist = models.JSONField(_("checklist"), default=dict)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note to the organisation"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked"), auto_now_add=True)

    class Meta:
        verbose_name = _("formal check")
        verbose_name_plural = _("formal checks")
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.get_outcome_display()}"


class ConflictOfInterest(models.Model):
    """A committee member does not score an application: declared by them, or recorded by the
    system because they act for the applying organisation."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committee member"),
        on_delete=models.CASCADE,
        related_name="funding_conflicts",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member"], name="conflict_unique_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.application.reference}"


class Review(TimeStamped):
    """One committee member's scores and recommendation for one application."""

    class Recommendation(models.TextChoices):
        FUND = "fund", _("Fund in full")
        FUND_PARTLY = "fund_partly", _("Fund in part")
        REJECT = "reject", _("Do not fund")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committee member"),
        on_delete=models.CASCADE,
        related_name="funding_reviews",
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices
    )
    comment = models.TextField(_("comment"), blank=True)
    # Weighted share of the points reached, 0..100 (kept by the service with the scores).
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="review_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.application.reference}"


class Score(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        ReviewCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class Allocation(TimeStamped):
    """The committee's split of a period's budget: proposed by a policy, adjusted, finalised.

    `comparison` keeps the proposals the committee compared (policy, totals, per application),
    so the minutes can show why the chosen split was chosen.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="allocations"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    policy = models.CharField(_("policy"), max_length=30)
    policy_parameters = models.JSONField(_("policy parameters"), default=dict, blank=True)
    comparison = models.JSONField(_("compared proposals"), default=list, blank=True)
    total_cents = models.BigIntegerField(_("total (cents)"), default=0)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-created_at"]
        constraints = [
            # At most one allocation per period is final.
            models.UniqueConstraint(
                fields=["period"], condition=Q(status="final"), name="allocation_one_final"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} – {self.policy} ({self.get_status_display()})"


class AllocationEntry(models.Model):
    """What one application gets in an allocation, per measure, and why."""

    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), on_delete=models.CASCADE, related_name="entries"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="allocation_entries",
    )
    granted_cents = models.BigIntegerField(_("granted (cents)"), default=0)
    # measure id (as text) -> funded units / funded cents
    units = models.JSONField(_("funded units"), default=dict, blank=True)
    amounts = models.JSONField(_("funded amounts"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reason_code = models.CharField(_("reason code"), max_length=30, blank=True)
    adjusted = models.BooleanField(_("adjusted by the committee"), default=False)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("allocation entry")
        verbose_name_plural = _("allocation entries")
        ordering = ["allocation", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "application"], name="allocation_entry_unique"
            ),
            models.CheckConstraint(
                condition=Q(granted_cents__gte=0), name="allocation_entry_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.granted_cents}"


def letter_path(instance: "Decision", filename: str) -> str:
    return f"letters/{instance.application.uuid}/{uuid.uuid4().hex}.pdf"


class Decision(models.Model):
    """The decision on an application (Bewilligung, Teilbewilligung, Ablehnung) with its reason
    and letter. An approval's amount is counted in its period's `approved_cents`."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approval")
        PARTIALLY_APPROVED = "partially_approved", _("Partial approval")
        REJECTED = "rejected", _("Rejection")

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    granted_cents = models.BigIntegerField(_("granted (cents)"), default=0)
    reason = models.TextField(_("reason"))
    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("allocation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    letter = models.FileField(
        _("decision letter"), upload_to=letter_path, storage=private_storage, blank=True
    )
    letter_sent_at = models.DateTimeField(_("letter sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(condition=Q(granted_cents__gte=0), name="decision_positive"),
            models.CheckConstraint(
                condition=~Q(outcome="rejected") | Q(granted_cents=0),
                name="decision_rejection_grants_nothing",
            ),
            models.CheckConstraint(
                condition=Q(outcome="rejected") | Q(granted_cents__gt=0),
                name="decision_approval_grants_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.get_outcome_display()}"


# --- Payments, proof of use and repayment claims (issue 5 §7–§8; payment_services.py and
# proof_services.py change these rows, reports.py reads them) --------------------------------


class PaymentPlan(TimeStamped):
    """How a grant is paid: in full or in instalments, with running sums.

    `scheduled_cents`, `paid_cents` and `withheld_cents` are kept by payment_services in the same
    transaction as the instalment or payment that changes them, with this row locked; the check
    constraints make the database itself refuse a schedule or payments above the grant.
    """

    decision = models.OneToOneField(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="payment_plan"
    )
    # A copy of the decision's grant: decisions are final, and the constraints need it here.
    granted_cents = models.BigIntegerField(_("granted (cents)"))
    scheduled_cents = models.BigIntegerField(_("scheduled (cents)"), default=0)
    paid_cents = models.BigIntegerField(_("paid (cents)"), default=0)
    # Not to be paid any more: kept back against a repayment claim (never paid, never repaid).
    withheld_cents = models.BigIntegerField(_("withheld (cents)"), default=0)

    class Meta:
        verbose_name = _("payment plan")
        verbose_name_plural = _("payment plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_cents__gte=0) & Q(paid_cents__lte=F("scheduled_cents")),
                name="paymentplan_paid_within_schedule",
            ),
            models.CheckConstraint(
                condition=Q(withheld_cents__gte=0)
                & Q(scheduled_cents__lte=F("granted_cents") - F("withheld_cents")),
                name="paymentplan_schedule_within_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision.application.reference}: {self.paid_cents}/{self.granted_cents}"

    @property
    def open_cents(self) -> int:
        """Scheduled but not yet paid."""
        return self.scheduled_cents - self.paid_cents

    @property
    def unscheduled_cents(self) -> int:
        return self.granted_cents - self.withheld_cents - self.scheduled_cents


class Instalment(models.Model):
    """One planned payment of a grant (Rate): due date and amount; paid by one or more payments.

    `ordered_at` is set when the instalment went to the city's finance system in a CSV export.
    """

    plan = models.ForeignKey(
        PaymentPlan,
        verbose_name=_("payment plan"),
        on_delete=models.CASCADE,
        related_name="instalments",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    paid_cents = models.BigIntegerField(_("paid (cents)"), default=0)
    ordered_at = models.DateTimeField(_("sent to the finance system"), null=True, blank=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="instalment_unique_number"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="instalment_positive"),
            models.CheckConstraint(
                condition=Q(paid_cents__gte=0) & Q(paid_cents__lte=F("amount_cents")),
                name="instalment_paid_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.number}: {self.amount_cents}"

    @property
    def open_cents(self) -> int:
        return self.amount_cents - self.paid_cents

    @property
    def is_paid(self) -> bool:
        return self.paid_cents >= self.amount_cents


class Payment(models.Model):
    """A payment made (paid on, amount), booked against an instalment."""

    instalment = models.ForeignKey(
        Instalment, verbose_name=_("instalment"), on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField(_("paid on"))
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    reference = models.CharField(
        _("booking reference"), max_length=100, blank=True, help_text=_("e.g. the cash office's")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on}: {self.amount_cents}"


class ProofOfUse(TimeStamped):
    """The organisation's proof of use (Verwendungsnachweis) of one grant.

    Draft → submitted → accepted, or → returned ("more information needed") → submitted again.
    Only a draft or a returned proof can be changed by the organisation.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("More information needed")
        ACCEPTED = "accepted", _("Accepted")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="proof"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    report = models.TextField(_("short report"), blank=True)
    participants = models.PositiveIntegerField(_("participants reached"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff_note = models.TextField(_("note from the integration centre"), blank=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("proof of use")
        verbose_name_plural = _("proofs of use")

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.get_status_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class ProofLine(models.Model):
    """What was done for one funded measure: units delivered (flat rate) or costs proven (cost
    line), participants. `shortfall_cents` is what the system computed at submission."""

    proof = models.ForeignKey(
        ProofOfUse, verbose_name=_("proof of use"), on_delete=models.CASCADE, related_name="lines"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="proof_lines"
    )
    units_delivered = models.PositiveIntegerField(_("units delivered"), null=True, blank=True)
    proven_cents = models.PositiveBigIntegerField(_("costs proven (cents)"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    shortfall_cents = models.PositiveBigIntegerField(_("not used (cents)"), default=0)

    class Meta:
        verbose_name = _("proof line")
        verbose_name_plural = _("proof lines")
        ordering = ["proof", "measure__sort_order", "measure_id"]
        constraints = [
            models.UniqueConstraint(fields=["proof", "measure"], name="proofline_unique_measure"),
        ]

    def __str__(self) -> str:
        return f"{self.proof_id}/{self.measure_id}"


def proof_receipt_path(instance: "ProofReceipt", filename: str) -> str:
    # A random name: the original one is kept in a field and never becomes a path.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"proofs/{instance.proof.application.uuid}/{uuid.uuid4().hex}{suffix}"


class ProofReceipt(PrivateUpload):
    """A receipt or other evidence for a proof of use (PDF, PNG, JPEG), checked by content."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice or receipt")
        ATTENDANCE = "attendance", _("Attendance list")
        PHOTO = "photo", _("Photo documentation")
        OTHER = "other", _("Other document")

    proof = models.ForeignKey(
        ProofOfUse,
        verbose_name=_("proof of use"),
        on_delete=models.CASCADE,
        related_name="receipts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INVOICE)
    file = models.FileField(_("file"), upload_to=proof_receipt_path, storage=private_storage)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["uploaded_at", "pk"]


class ProofCheck(models.Model):
    """Staff's check of a submitted proof; one row per round, so the history stays visible."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("More information needed")

    proof = models.ForeignKey(
        ProofOfUse, verbose_name=_("proof of use"), on_delete=models.CASCADE, related_name="checks"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note to the organisation"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked"), auto_now_add=True)

    class Meta:
        verbose_name = _("proof check")
        verbose_name_plural = _("proof checks")
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.proof_id}: {self.get_outcome_display()}"


class RepaymentClaim(TimeStamped):
    """Money of a grant not used as granted (undelivered flat-rate units, costs not proven).

    Computed by the system when the proof is submitted (provisional), confirmed when staff accept
    the proof (open): the part not yet paid out is withheld, the rest is to be repaid; settled
    once withheld + repaid reach the amount.
    """

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional (proof not checked yet)")
        OPEN = "open", _("Open")
        SETTLED = "settled", _("Settled")

    proof = models.OneToOneField(
        ProofOfUse,
        verbose_name=_("proof of use"),
        on_delete=models.PROTECT,
        related_name="claim",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROVISIONAL
    )
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    withheld_cents = models.BigIntegerField(_("withheld from payments (cents)"), default=0)
    repaid_cents = models.BigIntegerField(_("repaid (cents)"), default=0)
    due_on = models.DateField(_("to be repaid by"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    class Meta:
        verbose_name = _("repayment claim")
        verbose_name_plural = _("repayment claims")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="claim_positive"),
            models.CheckConstraint(
                condition=Q(withheld_cents__gte=0)
                & Q(repaid_cents__gte=0)
                & Q(repaid_cents__lte=F("amount_cents") - F("withheld_cents")),
                name="claim_settled_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proof.application.reference}: {self.amount_cents}"

    @property
    def to_repay_cents(self) -> int:
        return self.amount_cents - self.withheld_cents

    @property
    def outstanding_cents(self) -> int:
        return self.amount_cents - self.withheld_cents - self.repaid_cents


class Repayment(models.Model):
    """Money the organisation paid back against a claim."""

    claim = models.ForeignKey(
        RepaymentClaim,
        verbose_name=_("repayment claim"),
        on_delete=models.PROTECT,
        related_name="repayments",
    )
    received_on = models.DateField(_("received on"))
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    reference = models.CharField(_("booking reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="repayment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on}: {self.amount_cents}"


class ProofReminder(models.Model):
    """A reminder e-mail sent about a due or overdue proof of use. The unique constraint is what
    keeps an hourly job (or two at once) from sending the same reminder twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        OVERDUE_AGAIN = "overdue_again", _("Still overdue")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="proof_reminders",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("proof due on"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("proof reminder")
        verbose_name_plural = _("proof reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "due_on"], name="proofreminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.kind} ({self.due_on})"
