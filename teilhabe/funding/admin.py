"""Admin for the funding module. Programmes, periods, measure types and criteria are edited
here; the records of the workflow (applications, reviews, allocations, decisions) are read-only,
because they change only through the services (budget, locking, letters). Bank data is not
shown here: staff open it on its own page, where each read is recorded."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from teilhabe.core.admin_readonly import ReadOnlyAdmin, ReadOnlyInline
from teilhabe.funding.models import (
    Allocation,
    AllocationEntry,
    Application,
    Attachment,
    BankDataRead,
    ConflictOfInterest,
    Decision,
    FormalCheck,
    FundingProfile,
    Measure,
    MeasureType,
    Period,
    Programme,
    Review,
    ReviewCriterion,
    Score,
)


class MeasureTypeInline(admin.TabularInline):
    model = MeasureType
    extra = 0
    fields = [
        "code",
        "slug",
        "name",
        "kind",
        "unit_cents",
        "unit_name",
        "max_units",
        "max_amount_cents",
        "own_share_percent",
        "is_active",
    ]


class CriterionInline(admin.TabularInline):
    model = ReviewCriterion
    extra = 0
    fields = ["slug", "name", "max_points", "weight", "sort_order"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "funder", "is_active", "is_demo"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MeasureTypeInline, CriterionInline]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "budget_cents",
        "approved_cents",
        "applications_open",
        "applications_close",
        "decision_date",
    ]
    list_filter = ["programme"]
    # The running total is kept by the services inside the budget lock.
    readonly_fields = ["approved_cents"]


@admin.register(MeasureType)
class MeasureTypeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "kind", "unit_cents", "max_units", "max_amount_cents"]
    list_filter = ["programme", "kind"]


@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "max_points", "weight"]
    list_filter = ["programme"]


@admin.register(FundingProfile)
class FundingProfileAdmin(admin.ModelAdmin):
    list_display = ["organisation", "legal_form", "contact_name"]
    fields = [
        "organisation",
        "legal_form",
        "register_number",
        "contact_name",
        "contact_email",
        "contact_phone",
        "masked_account",
    ]
    readonly_fields = ["organisation", "masked_account"]
    search_fields = ["organisation__name"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("bank account"))
    def masked_account(self, obj: FundingProfile) -> str:
        return obj.iban_masked or "–"


@admin.register(BankDataRead)
class BankDataReadAdmin(ReadOnlyAdmin):
    list_display = ["read_at", "reader", "organisation", "context"]
    list_filter = ["organisation"]


class MeasureInline(ReadOnlyInline):
    model = Measure
    fields = ["measure_type", "title", "units", "requested_cents", "granted_units", "granted_cents"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "organisation", "period", "status", "requested_cents"]
    list_filter = ["status", "period"]
    search_fields = ["title", "organisation__name"]
    inlines = [MeasureInline]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["title", "application", "measure_type", "units", "requested_cents"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "application", "kind", "content_type", "size"]
    exclude = ["file"]


@admin.register(FormalCheck)
class FormalCheckAdmin(ReadOnlyAdmin):
    list_display = ["application", "outcome", "checked_by", "checked_at"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ["application", "member", "reason", "declared_at"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["application", "reviewer", "recommendation", "score"]
    inlines = [ScoreInline]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["review", "criterion", "points"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["period", "policy", "status", "total_cents", "finalised_at"]


@admin.register(AllocationEntry)
class AllocationEntryAdmin(ReadOnlyAdmin):
    list_display = ["allocation", "application", "granted_cents", "reason_code", "adjusted"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "outcome", "granted_cents", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    exclude = ["letter"]


# The read-only admin of payments and proofs lives in its own module.
from teilhabe.funding import admin_payments  # noqa: E402, F401
