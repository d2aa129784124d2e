"""The pure expense computation: half-hour steps × rate, km × rate or a ticket, late
cancellations (travel + up to two hours), totals, month arithmetic and the German amounts."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teilhabe.mediation import expenses, rules

RATES = expenses.Rates(cents_per_hour=1500, cents_per_km=30, late_cancel_max_minutes=120)
DAY = date(2025, 5, 12)


def done(minutes: int, km: str | None = None, ticket: int | None = None, ref: int = 1):
    return expenses.Item(
        kind=expenses.DONE,
        ref=ref,
        day=DAY,
        minutes=minutes,
        km=Decimal(km) if km is not None else None,
        ticket_cents=ticket,
    )


@pytest.mark.parametrize(
    ("minutes", "paid", "cents"),
    [
        (0, 0, 0),
        (1, 30, 750),
        (30, 30, 750),
        (31, 60, 1500),
        (60, 60, 1500),
        (61, 90, 2250),
        (89, 90, 2250),
        (90, 90, 2250),
        (125, 150, 3750),
    ],
)
def test_time_is_paid_in_half_hour_steps_rounded_up(minutes, paid, cents):
    line = expenses.line(done(minutes), RATES)

    assert line.paid_minutes == paid
    assert line.time_cents == cents
    assert line.travel_cents == 0


def test_kilometres_are_paid_at_the_km_rate_rounded_to_the_cent():
    assert expenses.line(done(60, km="12.0"), RATES).travel_cents == 360
    assert expenses.line(done(60, km="0.5"), RATES).travel_cents == 15
    # 0.3 km × 25 ct = 7.5 ct → 8 ct (half up)
    rates = expenses.Rates(cents_per_hour=1500, cents_per_km=25)
    assert expenses.line(done(60, km="0.3"), rates).travel_cents == 8


def test_a_ticket_is_paid_as_it_cost_instead_of_kilometres():
    line = expenses.line(done(45, ticket=340), RATES)

    assert line.travel_cents == 340
    assert line.km is None
    assert line.total_cents == 1500 + 340


def test_a_late_cancellation_pays_the_travel_and_at_most_two_hours():
    short = expenses.Item(
        kind=expenses.LATE_CANCELLATION, ref=7, day=DAY, minutes=45, km=Decimal("10.0")
    )
    long = expenses.Item(
        kind=expenses.LATE_CANCELLATION, ref=8, day=DAY, minutes=180, km=Decimal("10.0")
    )

    assert expenses.line(short, RATES).paid_minutes == 60
    assert expenses.line(short, RATES).total_cents == 1500 + 300
    assert expenses.line(long, RATES).paid_minutes == 120
    assert expenses.line(long, RATES).total_cents == 3000 + 300
    # A done appointment of three hours is paid in full.
    assert expenses.line(done(180), RATES).paid_minutes == 180


def test_a_late_cancellation_is_worth_what_the_cancellation_rule_computed():
    outcome = rules.late_cancellation(
        cancelled_at=datetime(2025, 5, 12, 8, 0),
        starts_at=datetime(2025, 5, 12, 18, 0),
        planned_minutes=150,
        by_institution=True,
        booked=True,
        round_trip_km=Decimal("14.2"),
        late_hours=24,
        max_minutes=120,
        rate_cents_per_hour=1500,
        rate_cents_per_km=30,
    )
    item = expenses.Item(
        kind=expenses.LATE_CANCELLATION,
        ref=1,
        day=DAY,
        minutes=outcome.payable_minutes,
        km=outcome.payable_km,
    )

    assert expenses.line(item, RATES).total_cents == outcome.payable_cents


def test_totals_add_up_the_lines_in_date_order():
    items = [
        done(61, km="10.0", ref=3),
        expenses.Item(
            kind=expenses.DONE, ref=2, day=date(2025, 5, 2), minutes=30, ticket_cents=290
        ),
        expenses.Item(
            kind=expenses.LATE_CANCELLATION, ref=9, day=date(2025, 5, 2), minutes=60, km=Decimal(4)
        ),
    ]
    priced = expenses.lines(items, RATES)
    total = expenses.totals(priced)

    assert [(each.day.day, each.kind) for each in priced] == [
        (2, "done"),
        (2, "late_cancellation"),
        (12, "done"),
    ]
    assert total.lines == 3
    assert total.paid_minutes == 30 + 60 + 90
    assert total.km == Decimal("14.0")
    assert total.ticket_cents == 290
    assert total.time_cents == 750 + 1500 + 2250
    assert total.travel_cents == 290 + 120 + 300
    assert total.total_cents == 4500 + 710


@given(
    minutes=st.integers(min_value=0, max_value=720),
    km=st.decimals(min_value=0, max_value=500, places=1, allow_nan=False),
)
def test_the_parts_of_a_line_add_up_to_the_rule_allowance(minutes, km):
    line = expenses.line(done(minutes, km=str(km)), RATES)

    assert line.paid_minutes % 30 == 0
    assert 0 <= line.paid_minutes - minutes < 30
    assert line.total_cents == rules.allowance_cents(
        minutes=minutes, km=km, rate_cents_per_hour=1500, rate_cents_per_km=30
    )


def test_bad_items_are_refused():
    with pytest.raises(ValueError):
        expenses.Item(kind="gift", ref=1, day=DAY, minutes=10)
    with pytest.raises(ValueError):
        done(-1)
    with pytest.raises(ValueError):
        done(10, km="-1")
    with pytest.raises(ValueError):
        done(10, ticket=-5)


def test_months():
    assert expenses.month_start(date(2025, 5, 31)) == date(2025, 5, 1)
    assert expenses.next_month(date(2025, 12, 1)) == date(2026, 1, 1)
    assert expenses.next_month(date(2025, 1, 31)) == date(2025, 2, 1)
    assert expenses.previous_month(date(2025, 1, 15)) == date(2024, 12, 1)


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "0,00"), (5, "0,05"), (1250, "12,50"), (123456, "1.234,56"), (-300, "-3,00")],
)
def test_euros_in_german_notation(cents, text):
    assert expenses.euros(cents) == text
