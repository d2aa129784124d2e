"""Rows of the access table (tests/core/test_access.py) for the funding module's URLs.

Same shape as there: (url name, kwargs or callable(user) -> kwargs, method, allowed principals).
The callables make what the URL needs: an application of an organisation the user acts for if
they hold the organisation-member role (another organisation's answers 404: test_isolation.py).
"""

import atexit
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone

from teilhabe.core import roles

MEMBERS = {roles.ORGANISATION_MEMBER.slug}
STAFF = {roles.STAFF.slug}
COMMITTEE = {roles.COMMITTEE_MEMBER.slug}
COMMITTEE_AND_STAFF = COMMITTEE | STAFF
READERS = MEMBERS | COMMITTEE_AND_STAFF  # of a submitted application's documents
EVERYONE = {
    "anonymous",
    "no_role",
    *(role.slug for role in roles.ROLES),
}

_private_root: Path | None = None


def _private_files() -> None:
    """Files these rows make go to a temporary folder for the rest of the test process (the
    core access test has no fixture of ours to point the setting elsewhere)."""
    global _private_root
    if _private_root is None:
        _private_root = Path(tempfile.mkdtemp(prefix="teilhabe-funding-access-"))
        atexit.register(shutil.rmtree, _private_root, True)
        override_settings(FUNDING_PRIVATE_ROOT=_private_root).enable()


def _application(user, status: str = "draft", *, decided: bool = False):
    from teilhabe.core.models import Organisation
    from teilhabe.core.services import membership_add
    from teilhabe.funding.models import (
        Application,
        Decision,
        FundingProfile,
        Measure,
        Period,
        Programme,
    )
    from teilhabe.funding.reference import programmes_load

    programmes_load()
    programme = Programme.objects.get(slug="komm-an-nrw")
    now = timezone.now()
    period, _created = Period.objects.get_or_create(
        programme=programme,
        name="2026",
        defaults={
            "budget_cents": 1_000_000,
            "applications_open": now - timedelta(days=1),
            "applications_close": now + timedelta(days=30),
        },
    )
    organisation, _created = Organisation.objects.get_or_create(
        slug="treff-access", defaults={"name": "Treff"}
    )
    FundingProfile.objects.get_or_create(organisation=organisation)
    if user is not None and roles.has_role(user, roles.ORGANISATION_MEMBER):
        membership_add(user=user, organisation=organisation)
    application = Application.objects.create(
        period=period, organisation=organisation, title="Treffpunkt", status=status
    )
    measure_type = programme.measure_types.get(slug="ankommenstreffpunkt")
    Measure.objects.create(
        application=application,
        measure_type=measure_type,
        title="Treffpunkt",
        units=1,
        unit_cents=measure_type.unit_cents,
        requested_cents=measure_type.unit_cents,
    )
    if decided:
        Decision.objects.create(
            application=application, outcome="rejected", granted_cents=0, reason="Test"
        )
    return application


def _pk(status: str = "draft", **options):
    return lambda user: {"pk": _application(user, status, **options).pk}


def _measure(user) -> dict:
    application = _application(user)
    return {"pk": application.pk, "measure_pk": application.measures.get().pk}


def _new_measure(user) -> dict:
    application = _application(user)
    type_pk = application.period.programme.measure_types.get(slug="ankommenstreffpunkt").pk
    return {"pk": application.pk, "type_pk": type_pk}


def _attachment(status: str):
    def make(user) -> dict:
        from teilhabe.funding.models import Attachment

        _private_files()
        attachment = Attachment(
            application=_application(user, status),
            original_name="plan.pdf",
            content_type="application/pdf",
            size=9,
        )
        attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        return {"attachment_pk": attachment.pk}

    return make


def _period(user) -> dict:
    return {"period_pk": _application(user).period_id}


def _organisation(user) -> dict:
    return {"organisation_pk": _application(user).organisation_id}


def _letter(user) -> dict:
    _private_files()
    return {"pk": _application(user, "rejected", decided=True).pk}


def _allocation(user):
    from teilhabe.funding.models import Allocation, AllocationEntry

    application = _application(user, "checked")
    allocation = Allocation.objects.create(period=application.period, policy="by_score")
    entry = AllocationEntry.objects.create(allocation=allocation, application=application)
    return allocation, entry


ACCESS_ROWS: list[tuple] = [
    ("funding:programmes", {}, "get", EVERYONE),
    ("funding:mine", {}, "get", MEMBERS),
    ("funding:profile", _organisation, "get", MEMBERS),
    ("funding:apply", _period, "get", MEMBERS),
    ("funding:application", _pk(), "get", MEMBERS),
    ("funding:measure_create", _new_measure, "get", MEMBERS),
    ("funding:measure_edit", _measure, "get", MEMBERS),
    ("funding:measure_delete", _measure, "post", MEMBERS),
    ("funding:attachment_upload", _pk(), "post", MEMBERS),
    ("funding:attachment_delete", _attachment("draft"), "post", MEMBERS),
    ("funding:submit", _pk(), "post", MEMBERS),
    ("funding:withdraw", _pk(), "post", MEMBERS),
    ("funding:attachment", _attachment("submitted"), "get", READERS),
    ("funding:summary_pdf", _pk("submitted"), "get", READERS),
    ("funding:letter_pdf", _letter, "get", MEMBERS | STAFF),
    ("funding:staff_applications", {}, "get", STAFF),
    ("funding:staff_application", _pk("submitted"), "get", STAFF),
    ("funding:decide", _pk("checked"), "get", STAFF),
    ("funding:bank_details", _organisation, "get", STAFF),
    ("funding:committee", {}, "get", COMMITTEE_AND_STAFF),
    ("funding:committee_period", _period, "get", COMMITTEE_AND_STAFF),
    ("funding:review", _pk("checked"), "get", COMMITTEE),
    ("funding:conflict", _pk("checked"), "post", COMMITTEE),
    ("funding:allocation", _period, "get", COMMITTEE_AND_STAFF),
    (
        "funding:allocation_draft",
        lambda user: {"pk": _allocation(user)[0].pk},
        "get",
        COMMITTEE_AND_STAFF,
    ),
    (
        "funding:allocation_adjust",
        lambda user: (lambda pair: {"pk": pair[0].pk, "entry_pk": pair[1].pk})(_allocation(user)),
        "get",
        COMMITTEE_AND_STAFF,
    ),
]


# --- Part B: payments, proof of use, reports -------------------------------------------------


def _grant(user):
    """An approved grant (one arrival meeting point, 2,000 €) of an organisation the user acts
    for if they hold the organisation-member role."""
    from teilhabe.funding.models import Decision

    application = _application(user, "approved")
    measure = application.measures.get()
    measure.granted_units = measure.units
    measure.granted_cents = measure.requested_cents
    measure.save()
    Decision.objects.create(
        application=application,
        outcome="approved",
        granted_cents=measure.granted_cents,
        reason="Test",
    )
    return application


def _grant_pk(user) -> dict:
    return {"pk": _grant(user).pk}


def _receipt(user) -> dict:
    from teilhabe.funding.models import ProofOfUse, ProofReceipt

    _private_files()
    proof = ProofOfUse.objects.create(application=_grant(user))
    receipt = ProofReceipt(
        proof=proof, original_name="beleg.pdf", content_type="application/pdf", size=9
    )
    receipt.file.save("beleg.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {"receipt_pk": receipt.pk}


def _claim(user) -> dict:
    from teilhabe.funding.models import ProofOfUse, RepaymentClaim

    proof = ProofOfUse.objects.create(application=_grant(user), status="accepted")
    claim = RepaymentClaim.objects.create(proof=proof, amount_cents=200_000, status="open")
    return {"claim_pk": claim.pk}


def _instalment(user) -> dict:
    from teilhabe.funding.models import Instalment, PaymentPlan

    decision = _grant(user).decision
    plan = PaymentPlan.objects.create(
        decision=decision, granted_cents=decision.granted_cents, scheduled_cents=200_000
    )
    instalment = Instalment.objects.create(
        plan=plan, number=1, due_on=timezone.localdate(), amount_cents=200_000
    )
    return {"instalment_pk": instalment.pk}


ACCESS_ROWS += [
    ("funding:grants", {}, "get", MEMBERS),
    ("funding:proof", _grant_pk, "get", MEMBERS),
    ("funding:proof_receipt_upload", _grant_pk, "post", MEMBERS),
    ("funding:proof_receipt_delete", _receipt, "post", MEMBERS),
    ("funding:proof_receipt", _receipt, "get", MEMBERS | STAFF),
    ("funding:staff_proofs", {}, "get", STAFF),
    ("funding:staff_proof", _grant_pk, "get", STAFF),
    ("funding:claim_repayment", _claim, "post", STAFF),
    ("funding:payments", {}, "get", STAFF),
    ("funding:payments_export", {}, "post", STAFF),
    ("funding:payment_plan", _grant_pk, "get", STAFF),
    ("funding:payment_record", _instalment, "post", STAFF),
    ("funding:reports", {}, "get", STAFF),
    ("funding:report_csv", _period, "get", STAFF),
]
