"""Cancellations: by the requester (late ones are paid), by staff, by the mediator (unpaid; the
request goes to the next candidate)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from teilhabe.mediation import services
from teilhabe.mediation.models import Assignment, Cancellation, MediationRequest
from tests.mediation import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _confirmed(rita, mira, **fields) -> MediationRequest:
    request = factories.book(rita, **fields)
    offer = request.assignments.get(status="offered")
    services.offer_accept(assignment=offer, user=mira.user)
    request.refresh_from_db()
    return request


def test_a_late_cancellation_pays_travel_and_up_to_two_hours(rita, mira):
    request = _confirmed(rita, mira, duration_minutes=180)
    Assignment.objects.filter(request=request).update(estimated_km=Decimal("6.2"))
    mail.outbox.clear()
    cancellation = services.request_cancel(
        request=request,
        user=rita.user,
        reason="Parents cannot come",
        now=request.starts_at - timedelta(hours=10),
    )
    assert cancellation.late and cancellation.by == Cancellation.By.REQUESTER
    assert cancellation.payable_minutes == 120
    assert cancellation.payable_km == Decimal("12.4")  # there and back
    assert cancellation.payable_cents == 3000 + 372
    request.refresh_from_db()
    assert request.status == MediationRequest.Status.CANCELLED
    assert request.assignments.get().status == Assignment.Status.CANCELLED
    (to_mira,) = [m for m in mail.outbox if m.to == ["mira@example.org"]]
    assert "120" in to_mira.body
    assert "METHOD:CANCEL" in to_mira.attachments[0][1]


def test_a_cancellation_in_good_time_pays_nothing(rita, mira):
    request = _confirmed(rita, mira)
    cancellation = services.request_cancel(
        request=request, user=rita.user, reason="Moved", now=request.starts_at - timedelta(days=2)
    )
    assert not cancellation.late and cancellation.payable_cents == 0


def test_cancelling_an_open_offer_withdraws_it_unpaid(rita, mira):
    request = factories.book(rita)
    cancellation = services.request_cancel(
        request=request,
        user=rita.user,
        reason="Not needed",
        now=request.starts_at - timedelta(hours=2),
    )
    assert not cancellation.late
    assert request.assignments.get().status == Assignment.Status.CANCELLED


def test_staff_cancel_for_the_institution_and_late_is_paid(rita, mira, alice):
    request = _confirmed(rita, mira)
    cancellation = services.request_cancel(
        request=request,
        user=alice,
        reason="School closed",
        now=request.starts_at - timedelta(hours=3),
    )
    assert cancellation.by == Cancellation.By.STAFF and cancellation.late
    assert cancellation.payable_minutes == 60


def test_a_mediator_gives_back_an_appointment_unpaid_and_the_next_one_is_asked(rita, mira, omar):
    request = _confirmed(rita, mira)
    mail.outbox.clear()
    cancellation = services.assignment_cancel_by_mediator(
        assignment=request.assignments.get(),
        user=mira.user,
        reason="Ill",
        now=request.starts_at - timedelta(hours=3),
    )
    assert cancellation.by == Cancellation.By.MEDIATOR
    assert not cancellation.late and cancellation.payable_cents == 0
    request.refresh_from_db()
    assert request.status == MediationRequest.Status.OFFERED
    assert request.assignments.get(status="offered").mediator == omar
    assert any("had to cancel" in m.body for m in mail.outbox if m.to == ["rita@example.org"])


def test_what_cannot_be_cancelled(rita, mira, omar, charlie, school):
    request = _confirmed(rita, mira)
    with pytest.raises(services.MediationError, match="reason"):
        services.request_cancel(request=request, user=rita.user, reason="  ")
    with pytest.raises(services.MediationError):  # over
        services.request_cancel(
            request=request, user=rita.user, reason="late", now=request.ends_at + timedelta(1)
        )
    other = factories.requester("otto", factories.institution("Kita Sonnenschein"))
    with pytest.raises(PermissionDenied):
        services.request_cancel(request=request, user=other.user, reason="not mine")
    with pytest.raises(PermissionDenied):
        services.assignment_cancel_by_mediator(
            assignment=request.assignments.get(), user=omar.user, reason="not mine"
        )
    services.request_cancel(request=request, user=rita.user, reason="first")
    with pytest.raises(services.MediationError):
        services.request_cancel(request=request, user=rita.user, reason="twice")
