"""Admin for every model of the pool. Staff manage mediators (languages, training dates),
institutions with their places and requesters here. Opening a mediator's record is logged."""

from django.contrib import admin

from teilhabe.core.admin_readonly import ReadOnlyInline
from teilhabe.mediation import services
from teilhabe.mediation.models import (
    Absence,
    Assignment,
    AvailabilityWindow,
    BatchItem,
    BatchProposal,
    Cancellation,
    Institution,
    InstitutionPlace,
    MediationRequest,
    MediatorLanguage,
    MediatorProfile,
    MediatorRecordAccess,
    RequesterProfile,
)


class MediatorLanguageInline(admin.TabularInline):
    model = MediatorLanguage
    extra = 1


class WindowInline(admin.TabularInline):
    model = AvailabilityWindow
    extra = 0


class AbsenceInline(admin.TabularInline):
    model = Absence
    extra = 0


@admin.register(MediatorProfile)
class MediatorProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "training_date", "confidentiality_date", "max_per_week"]
    list_filter = ["status", "languages__language", "whole_city"]
    search_fields = ["user__first_name", "user__last_name", "user__username"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["districts"]
    readonly_fields = ["left_at", "anonymised_at"]
    inlines = [MediatorLanguageInline, WindowInline, AbsenceInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        mediator = self.get_object(request, object_id)
        if mediator is not None:
            services.mediator_record_read(actor=request.user, mediator=mediator, view="admin")
        return super().change_view(request, object_id, form_url, extra_context)


class PlaceInline(admin.StackedInline):
    model = InstitutionPlace
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "is_active"]
    list_filter = ["kind", "district", "is_active"]
    search_fields = ["name"]
    inlines = [PlaceInline]


@admin.register(InstitutionPlace)
class InstitutionPlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "institution", "street", "district"]
    list_filter = ["district"]
    search_fields = ["name", "institution__name", "street"]


@admin.register(RequesterProfile)
class RequesterProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "institution"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "institution__name"]
    autocomplete_fields = ["user", "institution"]


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["mediator", "status", "offered_at", "answer_deadline", "actual_minutes"]


@admin.register(MediationRequest)
class MediationRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "setting", "area", "lead_time_override"]
    list_filter = ["status", "language", "area", "setting"]
    search_fields = ["institution__name", "topic"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["institution", "place", "requested_by", "institution_confirmed_by"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Status changes go through the pages (services); here staff correct reports."""

    list_display = ["__str__", "status", "actual_minutes", "travel_km", "ticket_cents"]
    list_filter = ["status"]
    raw_id_fields = ["request", "mediator", "batch"]
    readonly_fields = ["status", "blocked_start", "blocked_end", "token_nonce", "confirmed_at"]


@admin.register(Cancellation)
class CancellationAdmin(admin.ModelAdmin):
    list_display = ["request", "by", "at", "late", "payable_minutes", "payable_km", "payable_cents"]
    list_filter = ["by", "late"]
    raw_id_fields = ["request", "assignment", "by_user"]


class BatchItemInline(admin.TabularInline):
    model = BatchItem
    extra = 0
    raw_id_fields = ["request", "mediator"]


@admin.register(BatchProposal)
class BatchProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "solver_status", "filled", "open_requests", "created_by"]
    inlines = [BatchItemInline]


@admin.register(MediatorRecordAccess)
class MediatorRecordAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "mediator", "view"]
    list_filter = ["view"]
    readonly_fields = ["at", "actor", "mediator", "view"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The read-only admin of expense statements lives in its own module.
from teilhabe.mediation import expense_admin  # noqa: E402, F401
