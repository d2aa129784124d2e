"""The JSON API (/api/v1/mediation/) in stories: rita requests for her school, mira and omar
answer their offers, alice (staff) lists, ranks, offers and proposes batches. The same services
as the pages, the same isolation: another institution's request or another mediator's offer is
404; errors are JSON {"detail": …}."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from teilhabe.core.models import District
from teilhabe.mediation.models import Assignment, MediationRequest
from tests.conftest import login_verified
from tests.mediation import factories

BASE = "/api/v1/mediation"


def in_site_language(message: str) -> str:
    """The API speaks the site's default language (/api/ has no language prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def post(client, path: str, body: dict | None = None, **extra):
    return client.post(
        f"{BASE}{path}",
        data=json.dumps(body or {}),
        content_type="application/json",
        **extra,
    )


def request_body(school, **fields) -> dict:
    body = {
        "language": "ti",
        "starts_at": factories.next_week_at(10).isoformat(),
        "duration_minutes": 60,
        "setting": "in_person",
        "place_id": school.places.first().pk,
        "area": "education",
        "topic": "Parents' evening, class 3",
        "terms_accepted": True,
    }
    body.update(fields)
    return body


@pytest.fixture
def as_rita(client, rita):
    client.force_login(rita.user)
    return client


@pytest.fixture
def as_alice(alice):
    client = Client()
    login_verified(client, alice)
    return client


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Requesters ------------------------------------------------------------------------------


def test_a_requester_books_a_mediator_and_lists_the_request(as_rita, school, mira, omar):
    created = post(as_rita, "/requests", request_body(school))

    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "offered"  # to the best candidate at once, as on the pages
    assert data["institution"] == school.name
    assert data["language"] == "ti" and data["language_name"]
    assert data["place"]["id"] == school.places.first().pk
    assert data["mediator"] is None
    request = MediationRequest.objects.get(pk=data["id"])
    assert request.requested_by.username == "rita"
    assert request.assignments.get().mediator == mira

    listing = as_rita.get(f"{BASE}/requests").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == data["id"]
    assert as_rita.get(f"{BASE}/requests", {"status": "done"}).json()["count"] == 0
    assert as_rita.get(f"{BASE}/requests/{data['id']}").json()["topic"] == (
        "Parents' evening, class 3"
    )


def test_a_time_without_offset_is_berlin_time(as_rita, school, mira):
    local = factories.next_week_at(9, 30)
    body = request_body(school, starts_at=local.replace(tzinfo=None).isoformat())

    data = post(as_rita, "/requests", body).json()

    assert MediationRequest.objects.get(pk=data["id"]).starts_at == local


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"starts_at": "soon"}, 422, ""),
        ({"duration_minutes": 5}, 422, ""),
        ({"setting": "by pigeon"}, 422, ""),
        ({"topic": "x" * 121}, 422, ""),
        ({"language": "xx"}, 400, "xx"),
        ({"terms_accepted": False}, 400, ""),
        ({"place_id": None}, 400, ""),
        ({"starts_at": "__tomorrow__"}, 400, ""),
    ],
    ids=["time", "duration", "setting", "topic", "language", "terms", "place", "lead-time"],
)
def test_bad_requests_get_a_reason_and_change_nothing(as_rita, school, mira, fields, status, says):
    if fields.get("starts_at") == "__tomorrow__":
        fields = {"starts_at": (timezone.now() + timedelta(days=1)).isoformat()}

    response = post(as_rita, "/requests", request_body(school, **fields))

    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert says in json.dumps(response.json())
    assert not MediationRequest.objects.exists()


def test_the_lead_time_refusal_names_the_earliest_date(as_rita, school, mira):
    body = request_body(school, starts_at=(timezone.now() + timedelta(days=1)).isoformat())

    detail = post(as_rita, "/requests", body).json()["detail"]

    earliest = (timezone.localdate() + timedelta(days=5)).strftime("%d.%m.%Y")
    assert earliest in detail


def test_a_place_of_another_institution_is_refused(as_rita, school):
    elsewhere = factories.institution("Kita Regenbogen")

    response = post(
        as_rita, "/requests", request_body(school, place_id=elsewhere.places.first().pk)
    )

    assert response.status_code == 400
    assert not MediationRequest.objects.exists()


def test_a_requester_sees_only_their_institutions_requests(as_rita, rita, school):
    own = factories.request(school)
    elsewhere = factories.request(factories.institution("Kita Regenbogen"))

    listing = as_rita.get(f"{BASE}/requests").json()
    other = as_rita.get(f"{BASE}/requests/{elsewhere.pk}")

    assert [item["id"] for item in listing["items"]] == [own.pk]
    assert other.status_code == 404
    assert other.json()["detail"]


def test_the_requester_sees_the_mediators_first_name_once_confirmed(as_rita, school, mira):
    data = post(as_rita, "/requests", request_body(school)).json()
    offer = Assignment.objects.get(request_id=data["id"])

    accepted = post(as_user(mira.user), f"/offers/{offer.pk}/accept")

    assert accepted.status_code == 200
    mediator = as_rita.get(f"{BASE}/requests/{data['id']}").json()["mediator"]
    assert mediator == {"first_name": "Mira", "contact": "0231 111111"}


# --- Mediators -------------------------------------------------------------------------------


def test_a_mediator_lists_and_answers_only_their_own_offers(rita, mira, omar):
    request = factories.book(rita)
    offer = request.assignments.get()
    as_mira, as_omar = as_user(mira.user), as_user(omar.user)

    assert [o["id"] for o in as_mira.get(f"{BASE}/offers").json()] == [offer.pk]
    assert as_omar.get(f"{BASE}/offers").json() == []
    assert post(as_omar, f"/offers/{offer.pk}/accept").status_code == 404
    assert post(as_omar, f"/offers/{offer.pk}/decline").status_code == 404

    accepted = post(as_mira, f"/offers/{offer.pk}/accept")

    assert accepted.status_code == 200
    assert accepted.json()["status"] == "confirmed"
    assert accepted.json()["request"]["topic"] == "Parents' evening"
    again = post(as_mira, f"/offers/{offer.pk}/accept")
    assert again.status_code == 409
    assert again.json()["detail"]
    assert as_mira.get(f"{BASE}/offers").json() == []


def test_declining_moves_the_offer_to_the_next_candidate(rita, mira, omar):
    request = factories.book(rita)
    offer = request.assignments.get()

    declined = post(as_user(mira.user), f"/offers/{offer.pk}/decline")

    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    (next_offer,) = as_user(omar.user).get(f"{BASE}/offers").json()
    assert next_offer["request"]["id"] == request.pk


def test_a_double_booking_is_refused_with_409(school, mira):
    at = factories.next_week_at(10)
    booked = factories.request(school, starts_at=at, status="confirmed")
    factories.assignment(booked, mira, status="confirmed")
    clash = factories.request(school, starts_at=at + timedelta(minutes=30), status="offered")
    offer = factories.assignment(clash, mira)

    response = post(as_user(mira.user), f"/offers/{offer.pk}/accept")

    assert response.status_code == 409
    assert response.json()["detail"]
    offer.refresh_from_db()
    assert offer.status == "offered"


# --- Staff -----------------------------------------------------------------------------------


def test_staff_list_every_request_with_filters(as_alice, rita, school, mira):
    offered = factories.book(rita)
    kita = factories.institution("Kita Regenbogen")
    arabic = factories.request(kita, language=factories.language("ar", "Arabic"))

    everything = as_alice.get(f"{BASE}/staff/requests").json()
    only_offered = as_alice.get(f"{BASE}/staff/requests", {"status": "offered"}).json()
    only_arabic = as_alice.get(f"{BASE}/staff/requests", {"language": "ar"}).json()
    unknown = as_alice.get(f"{BASE}/staff/requests", {"language": "zz"}).json()
    of_kita = as_alice.get(f"{BASE}/staff/requests", {"institution": kita.pk}).json()

    assert everything["count"] == 2
    assert [r["id"] for r in only_offered["items"]] == [offered.pk]
    assert only_offered["items"][0]["holder"]["mediator_id"] == mira.pk
    assert [r["id"] for r in only_arabic["items"]] == [arabic.pk]
    assert unknown["count"] == 0
    assert [r["id"] for r in of_kita["items"]] == [arabic.pk]


def test_staff_see_the_ranked_candidates_with_reasons(as_alice, rita, mira, omar):
    request = factories.book(rita)

    candidates = as_alice.get(f"{BASE}/staff/requests/{request.pk}/candidates").json()

    assert [c["mediator_id"] for c in candidates] == [mira.pk, omar.pk]  # native first
    first = candidates[0]
    assert first["eligible"] and first["asked_before"]
    assert not candidates[1]["asked_before"]
    codes = {reason["code"] for reason in first["reasons"]}
    assert {"language", "available", "booked"} <= codes
    assert all(reason["text"] for reason in first["reasons"])
    assert as_alice.get(f"{BASE}/staff/requests/999999/candidates").status_code == 404


def test_staff_offer_to_the_best_or_a_chosen_mediator(as_alice, settings, rita, mira, omar):
    settings.MEDIATION_AUTO_OFFER = False
    request = factories.book(rita)
    assert request.status == "requested"

    chosen = post(as_alice, f"/staff/requests/{request.pk}/offer", {"mediator_id": omar.pk})

    assert chosen.status_code == 200, chosen.content
    assert chosen.json()["mediator_id"] == omar.pk
    assert chosen.json()["status"] == "offered"
    # One open offer per request at a time.
    assert post(as_alice, f"/staff/requests/{request.pk}/offer").status_code == 409

    other = factories.book(rita, starts_at=factories.next_week_at(15))
    best = post(as_alice, f"/staff/requests/{other.pk}/offer", {})
    assert best.status_code == 200
    assert best.json()["mediator_id"] == mira.pk


def test_staff_are_told_when_nobody_is_left(as_alice, settings, rita):
    settings.MEDIATION_AUTO_OFFER = False
    request = factories.book(rita, language=factories.language("so", "Somali"))

    response = post(as_alice, f"/staff/requests/{request.pk}/offer")

    assert response.status_code == 409
    assert response.json()["detail"] == in_site_language(
        "No eligible candidate is left for this request."
    )


def test_staff_propose_a_batch_and_send_all_offers(as_alice, settings, rita, mira, omar):
    settings.MEDIATION_AUTO_OFFER = False
    first = factories.book(rita, starts_at=factories.next_week_at(10))
    second = factories.book(rita, starts_at=factories.next_week_at(10, 15))
    day = timezone.localdate(first.starts_at).isoformat()

    proposed = post(as_alice, "/staff/batches", {"first_day": day, "last_day": day})

    assert proposed.status_code == 201, proposed.content
    batch = proposed.json()
    assert batch["solver_status"] == "optimal"
    assert batch["open_requests"] == 2 and batch["filled"] == 2
    assert {item["request_id"] for item in batch["items"]} == {first.pk, second.pk}
    assert {item["mediator_id"] for item in batch["items"]} == {mira.pk, omar.pk}
    assert as_alice.get(f"{BASE}/staff/batches/{batch['id']}").json()["status"] == "proposed"
    assert [b["id"] for b in as_alice.get(f"{BASE}/staff/batches").json()] == [batch["id"]]

    sent = post(as_alice, f"/staff/batches/{batch['id']}/send")

    assert sent.status_code == 200
    assert sent.json() == {"sent": 2, "skipped": 0}
    assert post(as_alice, f"/staff/batches/{batch['id']}/send").status_code == 409
    backwards = post(as_alice, "/staff/batches", {"first_day": day, "last_day": "2000-01-01"})
    assert backwards.status_code == 400


# --- Authentication --------------------------------------------------------------------------


def test_not_logged_in_is_refused_with_a_reason(client, db):
    for path in ("/requests", "/offers", "/staff/requests"):
        response = client.get(f"{BASE}{path}")
        assert response.status_code == 403
        assert response.json()["detail"] == in_site_language(
            "Log in first: this API uses the session of the web pages."
        )


def test_staff_without_their_second_factor_are_refused(client, alice):
    client.force_login(alice)

    response = client.get(f"{BASE}/staff/requests")

    assert response.status_code == 403
    assert response.json()["detail"] == in_site_language(
        "Pass the second factor (log in on the web pages) first."
    )


def test_writes_need_the_csrf_token(rita, school, mira):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rita.user)

    refused = post(client, "/requests", request_body(school))
    client.get("/mediation/requests/new/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    allowed = post(client, "/requests", request_body(school), HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert refused.json()["detail"] == "CSRF check Failed"
    assert allowed.status_code == 201


def test_the_openapi_description_shows_the_session_authentication(client, db):
    schema = client.get("/api/openapi.json").json()

    paths = [path for path in schema["paths"] if path.startswith(BASE)]
    assert len(paths) == 11
    operation = schema["paths"][f"{BASE}/requests"]["post"]
    assert operation["security"]
    (scheme,) = [
        scheme
        for scheme in schema["components"]["securitySchemes"].values()
        if scheme.get("in") == "cookie"
    ]
    assert scheme["type"] == "apiKey"


def test_a_list_costs_the_same_queries_however_long(as_rita, school, districts):
    place = school.places.get()
    place.district = District.objects.get(number=20)
    place.save()

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            answer = as_rita.get(f"{BASE}/requests").json()
        assert answer["items"][0]["place"]["district"] == "Innenstadt-Nord"
        # No district boundary is read for an answer.
        assert not any("geometry" in query["sql"] for query in captured.captured_queries)
        return len(captured.captured_queries)

    for day in range(3):
        factories.request(school, starts_at=factories.next_week_at(9, days=7 + day))
    few = queries_for_list()
    for day in range(6):
        factories.request(school, starts_at=factories.next_week_at(9, days=12 + day))
    assert queries_for_list() == few
