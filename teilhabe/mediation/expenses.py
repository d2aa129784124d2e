"""The expense allowance of a mediator's month as plain data (no Django): what each done
appointment and each paid late cancellation is worth, and the statement's totals.

The published rules of German pools: time in half-hour steps × an hourly rate, travel as km × a
rate or the price of a ticket; a late cancellation by the institution pays the travel and the
planned time up to a maximum (two hours). The half-hour rounding and the cent arithmetic are
rules.py's (the cancellation services use the same functions), so a late cancellation is worth
the same on the statement as the requester was told when cancelling.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from teilhabe.mediation.rules import HALF_HOUR, allowance_cents, half_hour_steps

DONE = "done"
LATE_CANCELLATION = "late_cancellation"
KINDS = (DONE, LATE_CANCELLATION)


@dataclass(frozen=True, kw_only=True)
class Rates:
    cents_per_hour: int
    cents_per_km: int
    late_cancel_max_minutes: int = 120


@dataclass(frozen=True, kw_only=True)
class Item:
    """Something to pay: a done appointment (actual minutes, km driven or a ticket) or a late
    cancellation (planned minutes, round-trip km)."""

    kind: str
    ref: int  # the assignment's or the cancellation's id
    day: date
    minutes: int
    km: Decimal | None = None
    ticket_cents: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.minutes < 0:
            raise ValueError("minutes cannot be negative")
        if self.km is not None and self.km < 0:
            raise ValueError("km cannot be negative")
        if self.ticket_cents is not None and self.ticket_cents < 0:
            raise ValueError("a ticket cannot cost less than nothing")


@dataclass(frozen=True, kw_only=True)
class Line:
    kind: str
    ref: int
    day: date
    minutes: int  # as reported (done) or planned (cancelled)
    paid_minutes: int  # in half-hour steps; for a late cancellation at most the maximum
    km: Decimal | None
    ticket_cents: int | None
    time_cents: int
    travel_cents: int

    @property
    def total_cents(self) -> int:
        return self.time_cents + self.travel_cents


@dataclass(frozen=True, kw_only=True)
class Totals:
    lines: int
    paid_minutes: int
    km: Decimal
    ticket_cents: int
    time_cents: int
    travel_cents: int

    @property
    def total_cents(self) -> int:
        return self.time_cents + self.travel_cents


def paid_minutes(item: Item, rates: Rates) -> int:
    """61 minutes are paid as 90; a late cancellation of a 3-hour appointment as 120."""
    minutes = half_hour_steps(item.minutes) * HALF_HOUR
    if item.kind == LATE_CANCELLATION:
        minutes = min(minutes, rates.late_cancel_max_minutes)
    return minutes


def line(item: Item, rates: Rates) -> Line:
    minutes = paid_minutes(item, rates)
    time_cents = allowance_cents(
        minutes=minutes,
        rate_cents_per_hour=rates.cents_per_hour,
        rate_cents_per_km=rates.cents_per_km,
    )
    # A ticket replaces the kilometres (a report carries one or the other).
    travel_cents = (
        item.ticket_cents
        if item.ticket_cents is not None
        else allowance_cents(
            minutes=0,
            km=item.km or Decimal(0),
            rate_cents_per_hour=rates.cents_per_hour,
            rate_cents_per_km=rates.cents_per_km,
        )
    )
    return Line(
        kind=item.kind,
        ref=item.ref,
        day=item.day,
        minutes=item.minutes,
        paid_minutes=minutes,
        km=None if item.ticket_cents is not None else item.km,
        ticket_cents=item.ticket_cents,
        time_cents=time_cents,
        travel_cents=travel_cents,
    )


def lines(items: Iterable[Item], rates: Rates) -> list[Line]:
    """Every item priced, in date order (then kind, then id, so the order is stable)."""
    priced = [line(item, rates) for item in items]
    return sorted(priced, key=lambda each: (each.day, KINDS.index(each.kind), each.ref))


def totals(priced: Iterable[Line]) -> Totals:
    priced = list(priced)
    return Totals(
        lines=len(priced),
        paid_minutes=sum(each.paid_minutes for each in priced),
        km=sum((each.km or Decimal(0) for each in priced), Decimal(0)),
        ticket_cents=sum(each.ticket_cents or 0 for each in priced),
        time_cents=sum(each.time_cents for each in priced),
        travel_cents=sum(each.travel_cents for each in priced),
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month_start(month) + timedelta(days=32)).replace(day=1)


def previous_month(day: date) -> date:
    return (month_start(day) - timedelta(days=1)).replace(day=1)


def euros(cents: int) -> str:
    """German notation for documents: 1234 → "12,34"."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d}"
