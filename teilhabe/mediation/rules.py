"""The pool's published rules as plain functions (no Django): lead time, late cancellation,
expense allowance. Services pass the configured numbers in; tests and the expense statements use
the same functions, so the rule lives in one place."""

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

HALF_HOUR = 30


def lead_time_ok(*, starts_on: date, today: date, lead_days: int) -> bool:
    """A request needs `lead_days` full calendar days' notice (Monday → the next Saturday for
    five days)."""
    return (starts_on - today).days >= lead_days


def half_hour_steps(minutes: int) -> int:
    """Paid time is rounded up to whole half hours (61 minutes → 3 half hours)."""
    return max(0, math.ceil(minutes / HALF_HOUR))


def allowance_cents(
    *,
    minutes: int,
    km: Decimal = Decimal(0),
    ticket_cents: int = 0,
    rate_cents_per_hour: int,
    rate_cents_per_km: int,
) -> int:
    """Hours in half-hour steps × rate, plus km × rate (or a ticket), in whole cents."""
    time_cents = half_hour_steps(minutes) * rate_cents_per_hour // 2
    travel = (Decimal(km) * rate_cents_per_km).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return time_cents + int(travel) + ticket_cents


@dataclass(frozen=True)
class LateCancellation:
    late: bool
    hours_before_start: Decimal
    payable_minutes: int
    payable_km: Decimal
    payable_cents: int


def late_cancellation(
    *,
    cancelled_at: datetime,
    starts_at: datetime,
    planned_minutes: int,
    by_institution: bool,
    booked: bool,
    round_trip_km: Decimal,
    late_hours: int,
    max_minutes: int,
    rate_cents_per_hour: int,
    rate_cents_per_km: int,
) -> LateCancellation:
    """A confirmed appointment cancelled by the institution (or staff for it) less than
    `late_hours` before the start pays the mediator's travel and the planned time up to
    `max_minutes` (in half-hour steps). A mediator's own cancellation, an open request and a
    cancellation in good time pay nothing."""
    seconds = (starts_at - cancelled_at).total_seconds()
    hours = Decimal(seconds / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    late = booked and by_institution and seconds < late_hours * 3600
    if not late:
        return LateCancellation(False, hours, 0, Decimal(0), 0)
    minutes = min(half_hour_steps(planned_minutes) * HALF_HOUR, max_minutes)
    km = Decimal(round_trip_km).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    cents = allowance_cents(
        minutes=minutes,
        km=km,
        rate_cents_per_hour=rate_cents_per_hour,
        rate_cents_per_km=rate_cents_per_km,
    )
    return LateCancellation(True, hours, minutes, km, cents)
