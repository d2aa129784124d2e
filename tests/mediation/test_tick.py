"""`mediation_tick`: expiry moves an offer on, the fill deadline makes a request unfilled, the day
before brings a reminder — each once, however often the tick runs."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from teilhabe.mediation import services
from teilhabe.mediation.models import Assignment, MediationRequest
from tests.mediation import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_an_unanswered_offer_expires_and_goes_to_the_next_candidate(rita, mira, omar):
    request = factories.book(rita)
    first = request.assignments.get()
    later = first.answer_deadline + timedelta(minutes=1)
    result = services.tick(now=later)
    assert result.expired == 1
    first.refresh_from_db()
    assert first.status == Assignment.Status.EXPIRED
    assert request.assignments.get(status="offered").mediator == omar
    assert services.tick(now=later).expired == 0  # nothing twice


def test_expiry_with_nobody_left_makes_the_request_unfilled_and_tells_once(rita, mira):
    request = factories.book(rita)
    later = request.assignments.get().answer_deadline + timedelta(minutes=1)
    mail.outbox.clear()
    services.tick(now=later)
    services.tick(now=later + timedelta(hours=1))
    request.refresh_from_db()
    assert request.status == MediationRequest.Status.UNFILLED
    told = [m for m in mail.outbox if m.to == ["rita@example.org"]]
    assert len(told) == 1


def test_the_fill_deadline_makes_a_waiting_request_unfilled(rita, mira, settings):
    settings.MEDIATION_AUTO_OFFER = False  # waits for staff
    request = factories.book(rita)
    assert request.status == MediationRequest.Status.REQUESTED
    deadline = request.starts_at - timedelta(hours=48)
    assert services.tick(now=deadline - timedelta(minutes=1)).unfilled == 0
    mail.outbox.clear()
    assert services.tick(now=deadline + timedelta(minutes=1)).unfilled == 1
    assert services.tick(now=deadline + timedelta(minutes=2)).unfilled == 0
    request.refresh_from_db()
    assert request.status == MediationRequest.Status.UNFILLED
    assert [m.to for m in mail.outbox if m.to == ["rita@example.org"]] == [["rita@example.org"]]


def test_an_open_offer_never_outlives_the_fill_deadline(rita, mira, omar, settings):
    settings.MEDIATION_OFFER_ANSWER_HOURS = 24 * 10
    request = factories.book(rita)
    offer = request.assignments.get()
    assert offer.answer_deadline == request.starts_at - timedelta(hours=48)
    services.tick(now=offer.answer_deadline + timedelta(minutes=1))
    request.refresh_from_db()
    offer.refresh_from_db()
    assert offer.status == Assignment.Status.EXPIRED
    assert request.status == MediationRequest.Status.UNFILLED  # too late to ask omar


def test_the_reminder_goes_out_the_day_before_once(rita, mira):
    request = factories.book(rita)
    services.offer_accept(assignment=request.assignments.get(), user=mira.user)
    day_before = request.starts_at - timedelta(days=1)
    mail.outbox.clear()
    assert services.tick(now=day_before - timedelta(days=1)).reminded == 0
    assert services.tick(now=day_before).reminded == 1
    assert services.tick(now=day_before + timedelta(hours=1)).reminded == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["mira@example.org", "rita@example.org"]


def test_the_command_runs_and_reports(rita, mira):
    factories.book(rita)
    call_command("mediation_tick", stdout=(out := __import__("io").StringIO()))
    assert "Offers expired: 0" in out.getvalue()
