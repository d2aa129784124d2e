"""The published rules as numbers: lead time, half-hour steps, late cancellation."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from teilhabe.mediation import rules

RATES = {"rate_cents_per_hour": 1500, "rate_cents_per_km": 30}
START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def _late(hours_before: float, *, by_institution=True, booked=True, minutes=90, km="12.4"):
    return rules.late_cancellation(
        cancelled_at=START - timedelta(hours=hours_before),
        starts_at=START,
        planned_minutes=minutes,
        by_institution=by_institution,
        booked=booked,
        round_trip_km=Decimal(km),
        late_hours=24,
        max_minutes=120,
        **RATES,
    )


def test_it_counts_lead_time_in_calendar_days():
    monday = date(2026, 3, 2)
    assert rules.lead_time_ok(starts_on=date(2026, 3, 7), today=monday, lead_days=5)
    assert not rules.lead_time_ok(starts_on=date(2026, 3, 6), today=monday, lead_days=5)


def test_it_pays_time_in_half_hour_steps_rounded_up():
    assert rules.half_hour_steps(1) == 1
    assert rules.half_hour_steps(30) == 1
    assert rules.half_hour_steps(61) == 3
    assert rules.allowance_cents(minutes=61, **RATES) == 2250  # 1.5 h × 15 €
    assert rules.allowance_cents(minutes=60, km=Decimal("10.5"), **RATES) == 1500 + 315
    assert rules.allowance_cents(minutes=60, ticket_cents=320, **RATES) == 1820


def test_a_late_cancellation_by_the_institution_pays_travel_and_the_planned_time():
    outcome = _late(5, minutes=90)
    assert outcome.late
    assert outcome.payable_minutes == 90
    assert outcome.payable_km == Decimal("12.4")
    assert outcome.payable_cents == 2250 + 372  # 1.5 h × 15 € + 12.4 km × 0.30 €


def test_it_pays_at_most_two_hours():
    outcome = _late(1, minutes=240)
    assert outcome.payable_minutes == 120
    assert outcome.payable_cents == 3000 + 372


def test_nothing_is_paid_in_good_time_by_the_mediator_or_without_a_booking():
    assert not _late(24).late  # exactly 24 hours before is in time
    assert _late(23.99).late
    assert _late(5, by_institution=False).payable_cents == 0
    assert _late(5, booked=False).payable_cents == 0
    assert _late(30).hours_before_start == Decimal("30.00")
