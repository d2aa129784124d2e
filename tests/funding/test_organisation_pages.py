"""What an organisation does on its pages: the profile with a checked IBAN, a new application,
measures typed in German number format, documents checked by content and size, submission."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from teilhabe.funding.models import Application, Attachment, FundingProfile, Period
from tests.funding.conftest import (
    IBAN,
    draft_application,
    information,
    make_period,
    meeting_point,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%%EOF\n"


def en(name: str, **kwargs) -> str:
    """The English page (tests read English text until the German catalogue is filled)."""
    with translation.override("de"):
        return "/en" + reverse(name, kwargs=kwargs)


@pytest.fixture
def member(client, vera):
    client.force_login(vera)
    return client


def test_the_profile_checks_the_iban_and_keeps_what_was_typed(member, treff):
    url = en("funding:profile", organisation_pk=treff.pk)
    response = member.post(
        url,
        {
            "legal_form": "ev",
            "contact_name": "Vera Vorstand",
            "contact_email": "vera@treff.example.org",
            "account_holder": "Treff e.V.",
            "iban": "DE89 3704 0044 0532 0130 01",  # wrong check digits
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "not a valid IBAN" in page
    assert "Vera Vorstand" in page  # nothing lost
    assert FundingProfile.objects.get(organisation=treff).iban == IBAN  # unchanged


def test_a_valid_iban_is_stored_compact_and_the_bic_derived(member, treff):
    url = en("funding:profile", organisation_pk=treff.pk)
    response = member.post(
        url,
        {
            "legal_form": "ev",
            "contact_name": "Vera",
            "contact_email": "vera@treff.example.org",
            "account_holder": "Treff e.V.",
            "iban": "de02 1203 0000 0000 2020 51",
            "bic": "",
        },
    )
    assert response.status_code == 302
    profile = FundingProfile.objects.get(organisation=treff)
    assert profile.iban == "DE02120300000000202051"
    assert profile.bic.startswith("BYLADEM1")


def test_the_organisation_sees_its_iban_only_masked(member, treff):
    page = member.get(en("funding:profile", organisation_pk=treff.pk)).content.decode()
    assert IBAN not in page
    assert treff.funding_profile.iban_masked in page
    # Leaving the field empty keeps the stored IBAN.
    member.post(
        en("funding:profile", organisation_pk=treff.pk),
        {"legal_form": "ev", "account_holder": "Treff", "iban": ""},
    )
    assert FundingProfile.objects.get(organisation=treff).iban == IBAN
    assert IBAN not in member.get(en("funding:mine")).content.decode()


def test_a_closed_window_gives_a_clear_message(member, komm_an):
    closed = make_period(
        komm_an,
        name="2019",
        applications_open=timezone.now() - timezone.timedelta(days=90),
        applications_close=timezone.now() - timezone.timedelta(days=30),
    )
    url = en("funding:apply", period_pk=closed.pk)
    for response in (member.get(url), member.post(url, {"title": "Zu spät"})):
        assert response.status_code == 200
        assert "closed on" in response.content.decode()
    assert not Application.objects.exists()


def test_an_application_is_started_and_measures_added_in_german_number_format(
    member, treff, period
):
    response = member.post(
        en("funding:apply", period_pk=period.pk),
        {"organisation": treff.pk, "title": "Ankommen im Norden"},
    )
    application = Application.objects.get()
    assert response.headers["Location"].endswith(f"/my/funding/applications/{application.pk}/")

    member.post(
        reverse(
            "funding:measure_create",
            kwargs={"pk": application.pk, "type_pk": meeting_point(period.programme).pk},
        ),
        {"title": "Treffpunkt Nordmarkt", "units": "2", "expected_participants": "30"},
    )
    response = member.post(
        reverse(
            "funding:measure_create",
            kwargs={"pk": application.pk, "type_pk": information(period.programme).pk},
        ),
        {"title": "Infoabend", "total_cost": "1.250,00", "own_contribution": "125"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.requested_cents == 400_000 + 112_500


def test_a_measure_that_breaks_a_rule_comes_back_with_the_message(member, vera, treff, period):
    application = draft_application(vera, treff, period, meeting_points=0)
    url = en(
        "funding:measure_create",
        pk=application.pk,
        type_pk=information(period.programme).pk,
    )
    response = member.post(url, {"title": "Flyer", "total_cost": "1000", "own_contribution": "10"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "at least 10 %" in page
    assert 'value="Flyer"' in page
    assert application.measures.count() == 0


def _upload(member, application, name, content, kind="cost_plan"):
    return member.post(
        en("funding:attachment_upload", pk=application.pk),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_documents_are_checked_by_content_and_stored_privately(
    member, vera, treff, period, settings
):
    application = draft_application(vera, treff, period)

    assert _upload(member, application, "Kostenplan.pdf", PDF).status_code == 302
    assert _upload(member, application, "foto.PNG", PNG, kind="other").status_code == 302
    fake = _upload(member, application, "virus.pdf", b"MZ\x90\x00 not a pdf")
    assert fake.status_code == 200
    assert "Only PDF, PNG and JPEG" in fake.content.decode()

    settings.FUNDING_UPLOAD_MAX_BYTES = 100
    big = _upload(member, application, "gross.pdf", PDF + b"x" * 200)
    assert "too large" in big.content.decode()

    stored = list(Attachment.objects.order_by("pk"))
    assert [(a.original_name, a.content_type) for a in stored] == [
        ("Kostenplan.pdf", "application/pdf"),
        ("foto.PNG", "image/png"),
    ]
    # Stored under the private folder with a random name, not under a public media URL.
    assert str(settings.FUNDING_PRIVATE_ROOT) in stored[0].file.path
    assert "Kostenplan" not in stored[0].file.name
    download = member.get(reverse("funding:attachment", kwargs={"attachment_pk": stored[0].pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download.headers["Content-Disposition"]


def test_submitting_sends_the_receipt_and_locks_the_form(
    member, vera, treff, period, django_capture_on_commit_callbacks
):
    application = draft_application(vera, treff, period)
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(reverse("funding:submit", kwargs={"pk": application.pk}))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    page = member.get(en("funding:application", pk=application.pk)).content.decode()
    assert 'name="summary"' not in page  # no form any more
    assert "Application summary (PDF)" in page
    pdf = member.get(reverse("funding:summary_pdf", kwargs={"pk": application.pk}))
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_an_incomplete_submission_lists_what_is_missing(member, vera, treff, period):
    application = draft_application(vera, treff, period, meeting_points=0)
    response = member.post(en("funding:submit", pk=application.pk), follow=True)
    page = response.content.decode()
    assert "Add at least one measure." in page
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_the_public_programme_page_lists_the_flat_rates(client, period):
    page = client.get(en("funding:programmes")).content.decode()
    assert "KOMM-AN NRW" in page
    assert "2,000.00" in page and "250.00" in page
    assert Period.objects.count() == 1


def test_the_measure_form_works_in_arabic(member, vera, treff, period):
    application = draft_application(vera, treff, period, meeting_points=0)
    url = "/ar" + reverse(
        "funding:measure_create",
        kwargs={"pk": application.pk, "type_pk": meeting_point(period.programme).pk},
    )
    response = member.get(url)
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
    assert 'name="units"' in response.content.decode()
