"""The pages, through the test client: forms keep what was typed and explain errors; the e-mailed
answer link changes nothing on GET; staff review candidates, batch proposals and send offers."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from teilhabe.mediation import services
from teilhabe.mediation.models import (
    Assignment,
    AvailabilityWindow,
    BatchProposal,
    MediationRequest,
)
from tests.conftest import login_verified
from tests.mediation import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _form(school, day, **extra):
    data = {
        "language": factories.language().pk,
        "dialect": "",
        "date": day.isoformat(),
        "start": "10:00",
        "duration_minutes": "60",
        "setting": "in_person",
        "place": school.places.first().pk,
        "area": "education",
        "topic": "Zeugnisgespräch Klasse 3",
        "gender_preference": "",
        "notes": "",
        "terms": "on",
    }
    data.update(extra)
    return data


def test_a_requester_books_through_the_form(client, rita, mira, school):
    client.force_login(rita.user)
    assert client.get("/en/mediation/requests/new/").status_code == 200
    day = factories.next_week_at().date()
    response = client.post("/en/mediation/requests/new/", _form(school, day))
    request = MediationRequest.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/mediation/requests/{request.pk}/")
    assert request.status == MediationRequest.Status.OFFERED
    assert request.topic == "Zeugnisgespräch Klasse 3"


def test_a_too_short_lead_time_keeps_the_input_and_says_why(client, rita, mira, school):
    client.force_login(rita.user)
    day = factories.next_week_at(days=2).date()
    response = client.post("/en/mediation/requests/new/", _form(school, day))
    page = response.content.decode()
    assert response.status_code == 200
    assert "days&#x27; notice" in page or "days' notice" in page
    assert "Zeugnisgespräch Klasse 3" in page
    assert not MediationRequest.objects.exists()


def test_missing_terms_and_place_are_explained(client, rita, mira, school):
    client.force_login(rita.user)
    day = factories.next_week_at().date()
    data = _form(school, day, place="")
    del data["terms"]
    page = client.post("/en/mediation/requests/new/", data).content.decode()
    assert "Please accept the terms" in page
    assert "Please choose the place" in page
    assert not MediationRequest.objects.exists()


def test_the_emailed_link_answers_only_on_post(client, rita, mira):
    request = factories.book(rita)
    offer = request.assignments.get()
    url = reverse(
        "mediation:offer_answer",
        kwargs={"token": services.offer_token(offer), "answer": "accept"},
    )
    assert client.get(url).status_code == 200
    offer.refresh_from_db()
    assert offer.status == Assignment.Status.OFFERED
    response = client.post(url)
    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.status == Assignment.Status.CONFIRMED
    assert client.post(url).status_code == 410  # answered already
    assert client.get(url.replace("accept", "maybe")).status_code == 404


def test_a_tampered_or_renewed_token_is_refused(client, rita, mira):
    offer = factories.book(rita).assignments.get()
    token = services.offer_token(offer)
    bad = reverse("mediation:offer_answer", kwargs={"token": token + "x", "answer": "accept"})
    assert client.get(bad).status_code == 400
    Assignment.objects.filter(pk=offer.pk).update(token_nonce="renewed")
    old = reverse("mediation:offer_answer", kwargs={"token": token, "answer": "accept"})
    assert client.post(old).status_code == 400


def test_declining_by_link_asks_the_next_mediator(client, rita, mira, omar):
    request = factories.book(rita)
    offer = request.assignments.get()
    url = reverse(
        "mediation:offer_answer",
        kwargs={"token": services.offer_token(offer), "answer": "decline"},
    )
    client.post(url)
    assert request.assignments.get(status="offered").mediator == omar


def test_the_mediator_reports_done(client, rita, mira):
    request = factories.book(rita, starts_at=factories.next_week_at(10), duration_minutes=60)
    offer = request.assignments.get()
    services.offer_accept(assignment=offer, user=mira.user)
    MediationRequest.objects.filter(pk=request.pk).update(
        starts_at=request.starts_at - timedelta(days=8), ends_at=request.ends_at - timedelta(days=8)
    )
    client.force_login(mira.user)
    url = reverse("mediation:assignment_report", kwargs={"pk": offer.pk})
    page = client.post(url, {"actual_minutes": "70", "travel_km": "4", "ticket_euros": "2.5"})
    assert "not both" in page.content.decode()
    response = client.post(url, {"actual_minutes": "70", "ticket_euros": "3.20"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.status, offer.actual_minutes, offer.ticket_cents) == ("done", 70, 320)


def test_the_mediator_keeps_availability_and_absences(client, mira):
    client.force_login(mira.user)
    AvailabilityWindow.objects.filter(mediator=mira).delete()
    data = {
        "windows-TOTAL_FORMS": "1",
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "21",
        "windows-0-weekday": "1",
        "windows-0-start_time": "13:00",
        "windows-0-end_time": "09:00",
        "absences-TOTAL_FORMS": "1",
        "absences-INITIAL_FORMS": "0",
        "absences-MIN_NUM_FORMS": "0",
        "absences-MAX_NUM_FORMS": "30",
        "absences-0-first_day": "2026-12-20",
        "absences-0-last_day": "2027-01-03",
    }
    page = client.post("/en/mediation/me/availability/", data).content.decode()
    assert "The end must be after the start" in page
    assert not mira.windows.exists() and not mira.absences.exists()
    data["windows-0-start_time"], data["windows-0-end_time"] = "09:00", "13:00"
    assert client.post("/en/mediation/me/availability/", data).status_code == 302
    assert mira.windows.get().weekday == 1
    assert mira.absences.count() == 1


def test_staff_see_ranked_candidates_with_reasons_and_send_an_offer(
    client, alice, rita, mira, omar, settings
):
    settings.MEDIATION_AUTO_OFFER = False
    request = factories.book(rita)
    login_verified(client, alice)
    url = f"/en/mediation/staff/requests/{request.pk}/"
    page = client.get(url).content.decode()
    assert page.index("Mira Tesfay") < page.index("Omar Tesfay")
    assert "Availability" in page and "Calendar" in page
    response = client.post(url, {"mediator": str(omar.pk)})
    assert response.status_code == 302
    assert request.assignments.get().mediator == omar
    assert any(m.to == ["omar@example.org"] for m in mail.outbox)


def test_staff_create_a_short_notice_request(client, alice, school, mira):
    login_verified(client, alice)
    day = factories.next_week_at(days=2).date()
    data = _form(school, day, institution=school.pk)
    page = client.post("/en/mediation/staff/requests/new/", data).content.decode()
    assert "notice" in page and not MediationRequest.objects.exists()
    data["lead_time_override"] = "on"
    assert client.post("/en/mediation/staff/requests/new/", data).status_code == 302
    assert MediationRequest.objects.get().lead_time_override


def test_staff_filter_requests(client, alice, rita, mira):
    factories.book(rita)
    login_verified(client, alice)
    assert (
        "1 request" in client.get("/en/mediation/staff/requests/?status=offered").content.decode()
    )
    assert "0 requests" in client.get("/en/mediation/staff/requests/?status=done").content.decode()


def test_batch_proposal_then_send_all_offers_in_one_action(
    client, alice, rita, mira, omar, settings
):
    settings.MEDIATION_AUTO_OFFER = False
    first = factories.book(rita, starts_at=factories.next_week_at(10))
    second = factories.book(rita, starts_at=factories.next_week_at(10, 30))  # overlaps
    login_verified(client, alice)
    day = first.starts_at.date()
    response = client.post(
        "/en/mediation/staff/batch/",
        {
            "first_day": (day - timedelta(days=1)).isoformat(),
            "last_day": (day + timedelta(days=1)).isoformat(),
        },
    )
    proposal = BatchProposal.objects.get()
    assert response.status_code == 302
    assert proposal.filled == 2 and proposal.solver_status == "optimal"
    assert {item.mediator_id for item in proposal.items.all()} == {mira.pk, omar.pk}
    page = client.get(f"/en/mediation/staff/batch/{proposal.pk}/").content.decode()
    assert "proven optimal" in page
    client.post(f"/en/mediation/staff/batch/{proposal.pk}/")
    for request in (first, second):
        request.refresh_from_db()
        assert request.status == MediationRequest.Status.OFFERED
    proposal.refresh_from_db()
    assert proposal.status == BatchProposal.Status.SENT
    client.post(f"/en/mediation/staff/batch/{proposal.pk}/")  # twice: nothing more
    assert Assignment.objects.count() == 2


def test_staff_cancel_and_mark_a_mediator_as_left(client, alice, rita, mira, omar):
    request = factories.book(rita)
    login_verified(client, alice)
    client.post(f"/en/mediation/staff/mediators/{mira.pk}/leave/")
    mira.refresh_from_db()
    assert mira.status == "left"
    assert request.assignments.get(status="offered").mediator == omar
    client.post(f"/en/mediation/staff/requests/{request.pk}/cancel/", {"reason": "Closed"})
    request.refresh_from_db()
    assert request.status == MediationRequest.Status.CANCELLED
