"""Proof of use through the services: the organisation reports, the system computes what was not
used, staff accept or ask for more, claims are withheld or repaid; only the organisation's own
members act, and a submitted proof is locked."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from teilhabe.funding import proof_services
from teilhabe.funding.models import PaymentPlan, ProofOfUse, RepaymentClaim
from teilhabe.funding.proof_services import LineData, LinesInvalid
from teilhabe.funding.services import FundingError
from tests.funding.grants import cost_grant, granted, meeting_point_line, paid_in_full

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def grant(vera, treff, period, alice):
    return granted(vera, treff, period, alice)


def report(user, application, *, delivered: int, proven: dict | None = None, text="Gut gelaufen."):
    lines = {}
    for measure in proof_services.funded_measures(application):
        if measure.measure_type.is_flat_rate:
            lines[measure.pk] = LineData(units_delivered=delivered, participants=40)
        else:
            lines[measure.pk] = LineData(proven_cents=(proven or {}).get(measure.pk))
    return proof_services.proof_save(
        user=user, application=application, report=text, participants=80, lines=lines
    )


def test_one_undelivered_meeting_point_becomes_a_provisional_claim_of_2000_euros(
    grant, vera, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    report(vera, grant, delivered=1)

    with django_capture_on_commit_callbacks(execute=True):
        proof = proof_services.proof_submit(user=vera, application=grant)

    claim = RepaymentClaim.objects.get(proof=proof)
    assert (claim.amount_cents, claim.status) == (200_000, RepaymentClaim.Status.PROVISIONAL)
    assert proof.lines.get().shortfall_cents == 200_000
    assert proof.status == ProofOfUse.Status.SUBMITTED
    assert len(mail.outbox) == 1 and "2.000,00" in mail.outbox[0].body


def test_nothing_undelivered_means_no_claim(grant, vera):
    report(vera, grant, delivered=2)

    proof = proof_services.proof_submit(user=vera, application=grant)

    assert not RepaymentClaim.objects.filter(proof=proof).exists()


def test_accepting_asks_back_money_already_paid(grant, vera, alice):
    paid_in_full(grant, alice)
    report(vera, grant, delivered=1)
    proof_services.proof_submit(user=vera, application=grant)

    proof_services.proof_check(
        user=alice, application=grant, outcome="accepted", today=date(2026, 5, 4)
    )

    claim = RepaymentClaim.objects.get(proof__application=grant)
    assert claim.status == RepaymentClaim.Status.OPEN
    assert (claim.withheld_cents, claim.to_repay_cents) == (0, 200_000)
    assert claim.due_on == date(2026, 5, 4) + timedelta(days=proof_services.REPAY_WITHIN_DAYS)


def test_accepting_withholds_money_not_paid_yet_and_settles(grant, vera, alice):
    report(vera, grant, delivered=1)
    proof_services.proof_submit(user=vera, application=grant)

    proof_services.proof_check(user=alice, application=grant, outcome="accepted")

    claim = RepaymentClaim.objects.get(proof__application=grant)
    plan = PaymentPlan.objects.get(decision=grant.decision)
    assert (claim.status, claim.withheld_cents, claim.outstanding_cents) == ("settled", 200_000, 0)
    assert plan.withheld_cents == 200_000
    assert plan.granted_cents - plan.withheld_cents == 200_000  # what is left to pay out


def test_repayments_settle_an_open_claim_and_never_exceed_it(grant, vera, alice):
    paid_in_full(grant, alice)
    report(vera, grant, delivered=0)
    proof_services.proof_submit(user=vera, application=grant)
    proof_services.proof_check(user=alice, application=grant, outcome="accepted")
    claim = RepaymentClaim.objects.get(proof__application=grant)
    assert claim.amount_cents == 400_000

    proof_services.repayment_record(
        user=alice, claim=claim, received_on=date.today(), amount_cents=150_000
    )
    with pytest.raises(FundingError):
        proof_services.repayment_record(
            user=alice, claim=claim, received_on=date.today(), amount_cents=250_001
        )
    proof_services.repayment_record(
        user=alice, claim=claim, received_on=date.today(), amount_cents=250_000
    )

    claim.refresh_from_db()
    assert (claim.status, claim.repaid_cents, claim.outstanding_cents) == ("settled", 400_000, 0)


def test_cost_lines_claim_granted_minus_proven_and_need_receipts(vera, treff, period, alice):
    grant = cost_grant(vera, treff, period, alice, total_cost_cents=300_000)
    cost_line = grant.measures.get(measure_type__slug="information-wissen")
    assert cost_line.granted_cents == 270_000
    report(vera, grant, delivered=1, proven={cost_line.pk: 250_000})

    with pytest.raises(FundingError) as refused, translation.override("en"):
        proof_services.proof_submit(user=vera, application=grant)
    assert any("receipt" in problem for problem in refused.value.problems)

    proof_services.receipt_add(
        user=vera,
        application=grant,
        upload=SimpleUploadedFile("rechnung.pdf", PDF, content_type="application/pdf"),
        kind="invoice",
    )
    proof = proof_services.proof_submit(user=vera, application=grant)

    assert RepaymentClaim.objects.get(proof=proof).amount_cents == 20_000


def test_a_draft_may_be_incomplete_but_is_not_submitted(grant, vera):
    proof_services.proof_save(user=vera, application=grant, report="", participants=0, lines={})

    with pytest.raises(FundingError) as refused:
        proof_services.proof_submit(user=vera, application=grant)

    assert len(refused.value.problems) == 2  # the report and the units
    assert ProofOfUse.objects.get(application=grant).status == ProofOfUse.Status.DRAFT


def test_more_units_than_granted_are_refused_by_field(grant, vera):
    measure = meeting_point_line(grant)

    with pytest.raises(LinesInvalid) as refused:
        proof_services.proof_save(
            user=vera,
            application=grant,
            report="x",
            participants=1,
            lines={measure.pk: LineData(units_delivered=3)},
        )

    assert "units_delivered" in refused.value.errors[measure.pk]


def test_a_submitted_proof_is_locked_until_returned(
    grant, vera, alice, django_capture_on_commit_callbacks
):
    report(vera, grant, delivered=1)
    proof_services.proof_submit(user=vera, application=grant)

    with pytest.raises(FundingError):
        report(vera, grant, delivered=2)
    with pytest.raises(FundingError):
        proof_services.proof_check(user=alice, application=grant, outcome="returned", note="")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proof_services.proof_check(
            user=alice, application=grant, outcome="returned", note="Bitte Teilnehmerliste."
        )
    assert "Bitte Teilnehmerliste." in mail.outbox[0].body

    # The organisation corrects the figures; the provisional claim follows them.
    report(vera, grant, delivered=2)
    proof = proof_services.proof_submit(user=vera, application=grant)
    assert not RepaymentClaim.objects.filter(proof=proof).exists()


def test_another_organisation_cannot_touch_the_proof(grant, otto, alice):
    with pytest.raises(PermissionDenied):
        report(otto, grant, delivered=2)
    with pytest.raises(PermissionDenied):
        proof_services.proof_submit(user=otto, application=grant)
    with pytest.raises(PermissionDenied):
        proof_services.receipt_add(
            user=otto,
            application=grant,
            upload=SimpleUploadedFile("x.pdf", PDF),
            kind="invoice",
        )
    with pytest.raises(PermissionDenied):
        proof_services.proof_check(user=otto, application=grant, outcome="accepted")


def test_no_proof_for_an_application_without_a_grant(vera, treff, period):
    from tests.funding.conftest import submitted_application

    application = submitted_application(vera, treff, period)

    with pytest.raises(FundingError):
        proof_services.proof_save(
            user=vera, application=application, report="x", participants=0, lines={}
        )


def test_receipts_are_checked_by_content(grant, vera):
    with pytest.raises(FundingError):
        proof_services.receipt_add(
            user=vera,
            application=grant,
            upload=SimpleUploadedFile("rechnung.pdf", b"MZ\x90\x00 not a pdf"),
            kind="invoice",
        )
    receipt = proof_services.receipt_add(
        user=vera,
        application=grant,
        upload=SimpleUploadedFile("../../etc/rechnung.pdf", PDF),
        kind="invoice",
    )
    assert receipt.original_name == "rechnung.pdf"
    assert receipt.content_type == "application/pdf"
    assert "etc" not in receipt.file.name


def test_receipts_over_the_size_limit_are_refused(grant, vera, settings):
    settings.FUNDING_UPLOAD_MAX_BYTES = len(PDF) - 1

    with pytest.raises(FundingError):
        proof_services.receipt_add(
            user=vera, application=grant, upload=SimpleUploadedFile("r.pdf", PDF), kind="invoice"
        )


def test_the_due_date_comes_from_the_period_or_follows_the_measures(grant, period):
    period.proof_due_on = date(2027, 3, 31)
    period.save()
    grant.refresh_from_db()
    assert proof_services.due_on(grant) == date(2027, 3, 31)

    period.proof_due_on = None
    period.save()
    grant.period.refresh_from_db()
    grant.measures.update(ends_on=date(2026, 10, 31))
    assert proof_services.due_on(grant) == date(2026, 10, 31) + timedelta(
        days=proof_services.DUE_DAYS_AFTER_END
    )
