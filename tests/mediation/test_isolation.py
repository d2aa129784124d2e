"""Who sees what: requesters only their institution's requests (another's: 404, also by direct
POST), mediators only their own assignments, requesters only the first name and one contact of
the confirmed mediator and only until shortly after the appointment."""

from datetime import timedelta

import pytest
from django.urls import reverse

from teilhabe.mediation import queries, services
from teilhabe.mediation.models import Assignment, MediationRequest
from tests.conftest import login_verified
from tests.mediation import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def otto():
    return factories.requester("otto", factories.institution("Kita Sonnenschein"))


@pytest.fixture
def confirmed(rita, mira):
    request = factories.book(rita)
    services.offer_accept(assignment=request.assignments.get(), user=mira.user)
    request.refresh_from_db()
    return request


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("mediation:request_detail", "get"),
        ("mediation:request_cancel", "get"),
        ("mediation:request_cancel", "post"),
        ("mediation:request_confirm_done", "post"),
    ],
)
def test_another_institutions_request_is_not_found(client, otto, confirmed, name, method):
    client.force_login(otto.user)
    url = reverse(name, kwargs={"pk": confirmed.pk})
    response = getattr(client, method)(url, {"reason": "not mine"})
    assert response.status_code == 404
    confirmed.refresh_from_db()
    assert confirmed.status == MediationRequest.Status.CONFIRMED


def test_my_requests_lists_only_my_institution(client, rita, otto, mira):
    mine = factories.book(rita)
    theirs = factories.book(otto, topic="Elterngespräch Kita")
    client.force_login(rita.user)
    page = client.get("/en/mediation/requests/").content.decode()
    assert f"request-{mine.pk}" in page and f"request-{theirs.pk}" not in page


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("mediation:offer_accept", "post"),
        ("mediation:offer_decline", "post"),
        ("mediation:assignment_report", "get"),
        ("mediation:assignment_report", "post"),
        ("mediation:assignment_cancel", "get"),
        ("mediation:assignment_cancel", "post"),
    ],
)
def test_a_mediator_cannot_touch_another_mediators_assignment(
    client, rita, mira, omar, name, method
):
    request = factories.book(rita)
    offer = request.assignments.get()
    assert offer.mediator == mira
    client.force_login(omar.user)
    response = getattr(client, method)(
        reverse(name, kwargs={"pk": offer.pk}), {"reason": "x", "actual_minutes": 60}
    )
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status == Assignment.Status.OFFERED


def test_a_mediator_sees_only_own_offers_and_appointments(client, rita, mira, omar):
    request = factories.book(rita)
    client.force_login(omar.user)
    assert (
        f"offer-{request.assignments.get().pk}"
        not in client.get("/en/mediation/offers/").content.decode()
    )
    client.force_login(mira.user)
    assert (
        f"offer-{request.assignments.get().pk}"
        in client.get("/en/mediation/offers/").content.decode()
    )


def test_the_requester_sees_first_name_and_contact_only_while_it_matters(confirmed, mira):
    visible = queries.mediator_for_requester(confirmed)
    assert visible.first_name == "Mira" and visible.contact == "0231 111111"
    after = confirmed.ends_at + timedelta(hours=24, minutes=1)
    assert queries.mediator_for_requester(confirmed, now=after) is None


def test_nothing_of_the_mediator_before_confirmation(rita, mira, client):
    request = factories.book(rita)
    assert queries.mediator_for_requester(request) is None
    client.force_login(rita.user)
    page = client.get(f"/en/mediation/requests/{request.pk}/").content.decode()
    assert "Mira" not in page and "0231 111111" not in page


def test_the_requester_page_shows_no_surname_or_email(client, rita, confirmed):
    client.force_login(rita.user)
    page = client.get(f"/en/mediation/requests/{confirmed.pk}/").content.decode()
    assert "Mira" in page and "0231 111111" in page
    assert "Tesfay" not in page and "mira@example.org" not in page


def test_staff_reads_of_a_mediator_record_are_logged(client, alice, mira):
    login_verified(client, alice)
    assert (
        client.get(reverse("mediation:staff_mediator", kwargs={"pk": mira.pk})).status_code == 200
    )
    assert (
        client.get(reverse("admin:mediation_mediatorprofile_change", args=[mira.pk])).status_code
        == 200
    )
    reads = list(mira.record_reads.values_list("actor__username", "view"))
    assert sorted(reads) == [("alice", "admin"), ("alice", "staff_mediator")]


def test_changes_of_mediator_records_are_audited(mira, client):
    from auditlog.models import LogEntry

    client.force_login(mira.user)
    client.post(
        "/en/mediation/me/",
        {
            "profile-phone": "0231 999999",
            "profile-contact_channel": "phone",
            "profile-settings_accepted": ["phone"],
            "profile-areas": ["health"],
            "profile-whole_city": "on",
            "profile-max_per_week": "2",
        },
    )
    mira.refresh_from_db()
    assert mira.phone == "0231 999999"
    entry = LogEntry.objects.get_for_object(mira).latest("timestamp")
    assert "phone" in entry.changes_dict
