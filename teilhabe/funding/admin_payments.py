"""Admin (read only) for payments, proofs of use, repayment claims and reminders. They change
only through payment_services and proof_services (locks, running sums, e-mails), so the admin
shows them and changes nothing. Imported by admin.py."""

from django.contrib import admin

from teilhabe.core.admin_readonly import ReadOnlyAdmin, ReadOnlyInline
from teilhabe.funding.models import (
    Instalment,
    Payment,
    PaymentPlan,
    ProofCheck,
    ProofLine,
    ProofOfUse,
    ProofReceipt,
    ProofReminder,
    Repayment,
    RepaymentClaim,
)


class InstalmentInline(ReadOnlyInline):
    model = Instalment
    fields = ["number", "due_on", "amount_cents", "paid_cents", "ordered_at"]


@admin.register(PaymentPlan)
class PaymentPlanAdmin(ReadOnlyAdmin):
    list_display = ["decision", "granted_cents", "scheduled_cents", "paid_cents", "withheld_cents"]
    search_fields = ["decision__application__title", "decision__application__organisation__name"]
    inlines = [InstalmentInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["instalment", "paid_on", "amount_cents", "reference", "recorded_by"]
    date_hierarchy = "paid_on"


class ProofLineInline(ReadOnlyInline):
    model = ProofLine
    fields = ["measure", "units_delivered", "proven_cents", "participants", "shortfall_cents"]


@admin.register(ProofOfUse)
class ProofOfUseAdmin(ReadOnlyAdmin):
    list_display = ["application", "status", "submitted_at", "checked_at", "is_demo"]
    list_filter = ["status", "is_demo", "application__period"]
    search_fields = ["application__title", "application__organisation__name"]
    inlines = [ProofLineInline]


@admin.register(ProofReceipt)
class ProofReceiptAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "proof", "kind", "content_type", "size", "uploaded_at"]
    exclude = ["file"]  # downloaded through the proof page, where access is checked


@admin.register(ProofCheck)
class ProofCheckAdmin(ReadOnlyAdmin):
    list_display = ["proof", "outcome", "checked_by", "checked_at"]


@admin.register(RepaymentClaim)
class RepaymentClaimAdmin(ReadOnlyAdmin):
    list_display = [
        "proof",
        "status",
        "amount_cents",
        "withheld_cents",
        "repaid_cents",
        "due_on",
    ]
    list_filter = ["status"]


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyAdmin):
    list_display = ["claim", "received_on", "amount_cents", "reference", "recorded_by"]


@admin.register(ProofReminder)
class ProofReminderAdmin(ReadOnlyAdmin):
    list_display = ["application", "kind", "due_on", "sent_at"]
    list_filter = ["kind"]
