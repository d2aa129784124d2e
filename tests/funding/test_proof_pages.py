"""The proof-of-use pages: the organisation files its proof (and nothing typed is lost on bad
input), another organisation gets 404 on GET and POST, staff check it and record repayments."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from teilhabe.funding.models import ProofOfUse, ProofReceipt, RepaymentClaim
from tests.conftest import login_verified
from tests.funding.grants import granted, meeting_point_line, paid_in_full, url

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def grant(vera, treff, period, alice):
    return granted(vera, treff, period, alice)


def proof_url(application, language="en") -> str:
    return url("proof", language, pk=application.pk)


def form_data(application, *, units="1", report="Ein Treffpunkt lief, einer nicht.", **extra):
    measure = meeting_point_line(application)
    return {
        "report": report,
        "participants": "55",
        f"units_{measure.pk}": units,
        f"participants_{measure.pk}": "55",
        f"note_{measure.pk}": "Der Raum in Eving fiel weg.",
        **extra,
    }


def test_the_association_sees_its_grants_and_files_a_proof_with_a_claim(client, vera, grant):
    client.force_login(vera)

    grants = client.get(url("grants"))
    assert grants.status_code == 200
    assert grant.title in grants.content.decode()

    page = client.get(proof_url(grant))
    assert page.status_code == 200
    assert 'id="proof-form"' in page.content.decode()

    response = client.post(proof_url(grant), {**form_data(grant), "submit": "1"}, follow=True)

    html = response.content.decode()
    assert ProofOfUse.objects.get(application=grant).status == "submitted"
    assert 'id="repayment-claim"' in html
    assert "2,000.00" in html  # English number format on /en/
    assert 'id="proof-form"' not in html  # locked now


def test_bad_figures_come_back_with_a_message_and_everything_typed(client, vera, grant):
    client.force_login(vera)

    response = client.post(proof_url(grant), form_data(grant, units="3"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Ein Treffpunkt lief, einer nicht." in html
    assert "Der Raum in Eving fiel weg." in html
    assert not ProofOfUse.objects.filter(application=grant).exists()


def test_submitting_an_incomplete_proof_saves_it_and_says_what_is_missing(client, vera, grant):
    client.force_login(vera)

    response = client.post(
        proof_url(grant), {**form_data(grant, report=""), "submit": "1"}, follow=True
    )

    proof = ProofOfUse.objects.get(application=grant)
    assert proof.status == "draft"
    assert proof.lines.get().units_delivered == 1
    assert "Describe in a few sentences what was done." in response.content.decode()


def test_receipts_are_uploaded_downloaded_and_removed(client, vera, grant, alice):
    client.force_login(vera)
    upload = url("proof_receipt_upload", pk=grant.pk)

    client.post(upload, {"kind": "invoice", "file": SimpleUploadedFile("beleg.pdf", PDF)})
    client.post(upload, {"kind": "invoice", "file": SimpleUploadedFile("x.pdf", b"not a pdf")})

    receipt = ProofReceipt.objects.get()
    download = url("proof_receipt", receipt_pk=receipt.pk)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    login_verified(client, alice)
    assert client.get(download).status_code == 200

    client.force_login(vera)
    client.post(url("proof_receipt_delete", receipt_pk=receipt.pk))
    assert not ProofReceipt.objects.exists()


def test_another_organisation_gets_404_on_every_proof_page(client, otto, grant, vera):
    client.force_login(vera)
    client.post(
        url("proof_receipt_upload", pk=grant.pk),
        {"kind": "invoice", "file": SimpleUploadedFile("beleg.pdf", PDF)},
    )
    receipt = ProofReceipt.objects.get()
    client.force_login(otto)

    assert client.get(proof_url(grant)).status_code == 404
    assert client.post(proof_url(grant), {**form_data(grant), "submit": "1"}).status_code == 404
    assert (
        client.post(
            url("proof_receipt_upload", pk=grant.pk),
            {"kind": "invoice", "file": SimpleUploadedFile("b.pdf", PDF)},
        ).status_code
        == 404
    )
    assert client.post(url("proof_receipt_delete", receipt_pk=receipt.pk)).status_code == 404
    assert client.get(url("proof_receipt", receipt_pk=receipt.pk)).status_code == 404
    assert grant.title not in client.get(url("grants")).content.decode()
    assert ProofReceipt.objects.count() == 1
    assert ProofOfUse.objects.get(application=grant).status == "draft"


def test_an_application_without_a_grant_has_no_proof_page(client, vera, treff, period):
    from tests.funding.conftest import submitted_application

    application = submitted_application(vera, treff, period)
    client.force_login(vera)

    assert client.get(proof_url(application)).status_code == 404


def test_staff_accept_the_proof_and_record_the_repayment(client, vera, grant, alice):
    paid_in_full(grant, alice)
    client.force_login(vera)
    client.post(proof_url(grant), {**form_data(grant), "submit": "1"})
    login_verified(client, alice)
    staff_url = url("staff_proof", pk=grant.pk)

    listing = client.get(url("staff_proofs"))
    assert grant.title in listing.content.decode()
    page = client.get(staff_url)
    assert 'id="repayment-claim"' in page.content.decode()

    assert client.post(staff_url, {"outcome": "returned", "note": ""}).status_code == 400
    client.post(staff_url, {"outcome": "accepted", "note": ""})
    claim = RepaymentClaim.objects.get(proof__application=grant)
    assert (claim.status, claim.outstanding_cents) == ("open", 200_000)

    client.post(
        url("claim_repayment", claim_pk=claim.pk),
        {"received_on": "2026-06-01", "amount": "2.000,00", "reference": "K-1"},
    )
    claim.refresh_from_db()
    assert claim.status == "settled"
    assert "Settled" in client.get(staff_url).content.decode()


def test_the_proof_form_in_arabic_is_right_to_left(client, vera, grant):
    client.force_login(vera)

    response = client.get(proof_url(grant, "ar"))

    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
