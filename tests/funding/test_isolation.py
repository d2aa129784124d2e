"""An organisation sees and changes only its own applications — also by direct POST — and a
committee member cannot score an application of their own organisation, not even by POST."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from teilhabe.core.services import membership_add
from teilhabe.funding.models import Application, Attachment, Review
from tests.conftest import login_verified
from tests.funding.conftest import (
    checked_application,
    draft_application,
    low_threshold,
    submitted_application,
)


@pytest.fixture
def veras_draft(vera, treff, period):
    return draft_application(vera, treff, period)


def test_the_list_shows_only_the_own_organisations_applications(
    client, vera, treff, otto, other_org, period
):
    draft_application(vera, treff, period, title="Veras Antrag")
    draft_application(otto, other_org, period, title="Ottos Antrag")
    client.force_login(otto)

    page = client.get(reverse("funding:mine")).content.decode()

    assert "Ottos Antrag" in page
    assert "Veras Antrag" not in page


@pytest.mark.parametrize(
    ("name", "method", "extra"),
    [
        ("funding:application", "get", {}),
        ("funding:application", "post", {"title": "Übernommen", "summary": "x"}),
        ("funding:submit", "post", {}),
        ("funding:withdraw", "post", {}),
        ("funding:summary_pdf", "get", {}),
        ("funding:letter_pdf", "get", {}),
        ("funding:attachment_upload", "post", {"kind": "other"}),
    ],
)
def test_another_organisations_application_answers_404(
    client, veras_draft, otto, name, method, extra
):
    client.force_login(otto)
    response = getattr(client, method)(reverse(name, kwargs={"pk": veras_draft.pk}), extra)
    assert response.status_code == 404
    veras_draft.refresh_from_db()
    assert veras_draft.title == "Ankommen im Norden"
    assert veras_draft.status == Application.Status.DRAFT


def test_another_organisations_measures_and_documents_answer_404(client, veras_draft, otto):
    measure = veras_draft.measures.get()
    attachment = Attachment(
        application=veras_draft, original_name="p.pdf", content_type="application/pdf", size=9
    )
    attachment.file.save("p.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    type_pk = low_threshold(veras_draft.period.programme).pk
    client.force_login(otto)
    kwargs = {"pk": veras_draft.pk, "measure_pk": measure.pk}
    assert client.get(reverse("funding:measure_edit", kwargs=kwargs)).status_code == 404
    assert (
        client.post(
            reverse("funding:measure_edit", kwargs=kwargs), {"title": "x", "units": 1}
        ).status_code
        == 404
    )
    assert client.post(reverse("funding:measure_delete", kwargs=kwargs)).status_code == 404
    new = {"pk": veras_draft.pk, "type_pk": type_pk}
    assert (
        client.post(
            reverse("funding:measure_create", kwargs=new), {"title": "x", "units": 1}
        ).status_code
        == 404
    )
    at = {"attachment_pk": attachment.pk}
    assert client.get(reverse("funding:attachment", kwargs=at)).status_code == 404
    assert client.post(reverse("funding:attachment_delete", kwargs=at)).status_code == 404
    assert veras_draft.measures.count() == 1
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_another_organisations_profile_answers_404(client, treff, otto):
    client.force_login(otto)
    url = reverse("funding:profile", kwargs={"organisation_pk": treff.pk})
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"legal_form": "ev", "iban": "DE02120300000000202051"}).status_code == 404
    )
    assert treff.funding_profile.iban == "DE89370400440532013000"


def test_a_committee_member_cannot_score_their_own_organisations_application(
    client, vera, treff, period, alice, gerd
):
    application = checked_application(vera, treff, period, alice)
    membership_add(user=gerd, organisation=treff)
    login_verified(client, gerd)
    url = reverse("funding:review", kwargs={"pk": application.pk})

    assert client.get(url).status_code == 403
    points = {f"criterion_{c.pk}": 5 for c in period.programme.criteria.all()}
    response = client.post(url, {**points, "recommendation": "fund"})

    assert response.status_code == 403
    assert not Review.objects.exists()
    # The period overview offers him no score link for it.
    overview = client.get(
        reverse("funding:committee_period", kwargs={"period_pk": period.pk})
    ).content.decode()
    assert url not in overview


def test_committee_members_do_not_see_drafts(client, veras_draft, gerd):
    login_verified(client, gerd)
    assert (
        client.get(reverse("funding:summary_pdf", kwargs={"pk": veras_draft.pk})).status_code == 404
    )
    assert client.get(reverse("funding:review", kwargs={"pk": veras_draft.pk})).status_code == 404


def test_submitted_applications_cannot_be_changed_by_a_direct_post(client, vera, treff, period):
    application = submitted_application(vera, treff, period)
    measure = application.measures.get()
    client.force_login(vera)

    client.post(
        reverse("funding:application", kwargs={"pk": application.pk}),
        {"title": "Geändert", "summary": "neu"},
    )
    client.post(
        reverse("funding:measure_edit", kwargs={"pk": application.pk, "measure_pk": measure.pk}),
        {"title": "x", "units": 3},
    )
    client.post(
        reverse("funding:measure_delete", kwargs={"pk": application.pk, "measure_pk": measure.pk})
    )

    application.refresh_from_db()
    measure.refresh_from_db()
    assert application.title == "Ankommen im Norden"
    assert (measure.units, application.requested_cents) == (2, 400_000)
