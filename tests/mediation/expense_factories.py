"""Builders for the expense and statistics tests: appointments that are done, late
cancellations, at given local times (Europe/Berlin)."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from teilhabe.mediation.models import (
    Assignment,
    Cancellation,
    Institution,
    MediationRequest,
    MediatorProfile,
)
from tests.mediation import factories


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A local (Berlin) time."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def done(
    mediator: MediatorProfile,
    inst: Institution,
    starts_at: datetime,
    *,
    minutes: int = 60,
    actual: int | None = None,
    km: str | None = None,
    ticket: int | None = None,
    **fields,
) -> Assignment:
    """A request done by the mediator, with their report."""
    request = factories.request(
        inst, starts_at=starts_at, minutes=minutes, status=MediationRequest.Status.DONE, **fields
    )
    return factories.assignment(
        request,
        mediator,
        status=Assignment.Status.DONE,
        confirmed_at=starts_at - timedelta(days=3),
        reported_at=request.ends_at,
        actual_minutes=actual if actual is not None else minutes,
        travel_km=Decimal(km) if km is not None else None,
        ticket_cents=ticket,
    )


def late_cancellation(
    mediator: MediatorProfile,
    inst: Institution,
    starts_at: datetime,
    *,
    minutes: int = 120,
    km: str = "10.0",
    cents: int = 3300,
) -> Cancellation:
    """A confirmed appointment the institution cancelled at short notice (paid)."""
    request = factories.request(inst, starts_at=starts_at, status=MediationRequest.Status.CANCELLED)
    assignment = factories.assignment(request, mediator, status=Assignment.Status.CANCELLED)
    return Cancellation.objects.create(
        request=request,
        assignment=assignment,
        by=Cancellation.By.REQUESTER,
        at=starts_at - timedelta(hours=5),
        reason="Parents ill",
        hours_before_start=Decimal(5),
        late=True,
        payable_minutes=minutes,
        payable_km=Decimal(km),
        payable_cents=cents,
    )
