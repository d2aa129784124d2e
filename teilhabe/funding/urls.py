from django.urls import path

from teilhabe.funding import committee_views, staff_views, views

app_name = "funding"

urlpatterns = [
    # Public: the programmes and their application windows.
    path("funding/", views.programmes, name="programmes"),
    # Organisations (views.py): profile, applications, measures, documents.
    path("my/funding/", views.my_applications, name="mine"),
    path(
        "my/funding/organisations/<int:organisation_pk>/profile/",
        views.profile_edit,
        name="profile",
    ),
    path("my/funding/periods/<int:period_pk>/apply/", views.application_start, name="apply"),
    path("my/funding/applications/<int:pk>/", views.application_edit, name="application"),
    path(
        "my/funding/applications/<int:pk>/measures/new/<int:type_pk>/",
        views.measure_create,
        name="measure_create",
    ),
    path(
        "my/funding/applications/<int:pk>/measures/<int:measure_pk>/",
        views.measure_edit,
        name="measure_edit",
    ),
    path(
        "my/funding/applications/<int:pk>/measures/<int:measure_pk>/delete/",
        views.measure_delete,
        name="measure_delete",
    ),
    path(
        "my/funding/applications/<int:pk>/documents/",
        views.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "my/funding/documents/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("my/funding/applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("my/funding/applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    # Documents and PDFs, for those allowed only.
    path("funding/documents/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("funding/applications/<int:pk>/antrag.pdf", views.summary_pdf, name="summary_pdf"),
    path("funding/applications/<int:pk>/bescheid.pdf", views.letter_pdf, name="letter_pdf"),
    # Centre staff (staff_views.py).
    path("staff/funding/", staff_views.applications, name="staff_applications"),
    path(
        "staff/funding/applications/<int:pk>/",
        staff_views.application,
        name="staff_application",
    ),
    path("staff/funding/applications/<int:pk>/decide/", staff_views.decide, name="decide"),
    path(
        "staff/funding/organisations/<int:organisation_pk>/bank/",
        staff_views.bank_details,
        name="bank_details",
    ),
    # The decision committee (committee_views.py).
    path("committee/funding/", committee_views.periods, name="committee"),
    path(
        "committee/funding/periods/<int:period_pk>/",
        committee_views.period,
        name="committee_period",
    ),
    path(
        "committee/funding/applications/<int:pk>/review/",
        committee_views.review,
        name="review",
    ),
    path(
        "committee/funding/applications/<int:pk>/conflict/",
        committee_views.conflict,
        name="conflict",
    ),
    path(
        "committee/funding/periods/<int:period_pk>/allocation/",
        committee_views.allocation_compare,
        name="allocation",
    ),
    path(
        "committee/funding/allocations/<int:pk>/",
        committee_views.allocation_draft,
        name="allocation_draft",
    ),
    path(
        "committee/funding/allocations/<int:pk>/entries/<int:entry_pk>/",
        committee_views.allocation_adjust,
        name="allocation_adjust",
    ),
]

# --- Payments, proof of use and reports (part B: views_payments, views_proof, views_reports) ---
from teilhabe.funding import views_payments, views_proof, views_reports  # noqa: E402

urlpatterns += [
    # Organisations: their grants, the proof of use and its receipts.
    path("my/funding/grants/", views_proof.my_grants, name="grants"),
    path("my/funding/applications/<int:pk>/proof/", views_proof.proof, name="proof"),
    path(
        "my/funding/applications/<int:pk>/proof/receipts/",
        views_proof.receipt_upload,
        name="proof_receipt_upload",
    ),
    path(
        "my/funding/proof-receipts/<int:receipt_pk>/delete/",
        views_proof.receipt_delete,
        name="proof_receipt_delete",
    ),
    path(
        "funding/proof-receipts/<int:receipt_pk>/",
        views_proof.receipt_download,
        name="proof_receipt",
    ),
    # Staff: proofs, claims and repayments; payments and the finance export; reports.
    path("staff/funding/proofs/", views_proof.staff_proofs, name="staff_proofs"),
    path(
        "staff/funding/applications/<int:pk>/proof/",
        views_proof.staff_proof,
        name="staff_proof",
    ),
    path(
        "staff/funding/claims/<int:claim_pk>/repayments/",
        views_proof.claim_repayment,
        name="claim_repayment",
    ),
    path("staff/funding/payments/", views_payments.payments, name="payments"),
    path(
        "staff/funding/payments/export/",
        views_payments.payments_export,
        name="payments_export",
    ),
    path(
        "staff/funding/applications/<int:pk>/payments/",
        views_payments.payment_plan,
        name="payment_plan",
    ),
    path(
        "staff/funding/instalments/<int:instalment_pk>/payments/",
        views_payments.payment_record,
        name="payment_record",
    ),
    path("staff/funding/reports/", views_reports.report, name="reports"),
    path(
        "staff/funding/reports/<int:period_pk>.csv",
        views_reports.report_csv,
        name="report_csv",
    ),
]
