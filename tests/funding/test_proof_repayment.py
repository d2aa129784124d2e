"""The pure repayment computation: units short × flat rate, granted − proven costs (not below
zero), and how a claim is split between money withheld and money to repay."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teilhabe.funding.repayment import (
    COST,
    FLAT_RATE,
    FundedLine,
    ProvenLine,
    settle,
    shortfall,
    split_evenly,
)

MEETING_POINT = 200_000
OFFER = 25_000


def flat(line_id: int, units: int, unit_cents: int = MEETING_POINT) -> FundedLine:
    return FundedLine(
        id=line_id,
        kind=FLAT_RATE,
        unit_cents=unit_cents,
        granted_units=units,
        granted_cents=units * unit_cents,
    )


def cost(line_id: int, granted_cents: int) -> FundedLine:
    return FundedLine(id=line_id, kind=COST, granted_cents=granted_cents)


def test_one_undelivered_meeting_point_is_2000_euros():
    result = shortfall([flat(1, 2)], [ProvenLine(id=1, units_delivered=1)])

    assert result.total_cents == 200_000
    assert result.lines[0].units_short == 1


def test_everything_delivered_leaves_nothing():
    result = shortfall(
        [flat(1, 2), flat(2, 12, OFFER), cost(3, 150_000)],
        [
            ProvenLine(id=1, units_delivered=2),
            ProvenLine(id=2, units_delivered=12),
            ProvenLine(id=3, proven_cents=150_000),
        ],
    )

    assert result.total_cents == 0


def test_cost_line_is_granted_minus_proven_and_never_negative():
    result = shortfall(
        [cost(1, 150_000), cost(2, 100_000)],
        [ProvenLine(id=1, proven_cents=120_050), ProvenLine(id=2, proven_cents=180_000)],
    )

    assert [line.shortfall_cents for line in result.lines] == [29_950, 0]


def test_more_than_granted_on_one_line_does_not_offset_another():
    result = shortfall(
        [flat(1, 2), flat(2, 10, OFFER)],
        [ProvenLine(id=1, units_delivered=5), ProvenLine(id=2, units_delivered=6)],
    )

    assert result.total_cents == 4 * OFFER


def test_a_line_not_reported_counts_as_nothing_delivered():
    result = shortfall([flat(1, 2), cost(2, 50_000)], [])

    assert result.total_cents == 2 * MEETING_POINT + 50_000


def test_lines_reported_but_not_funded_are_ignored():
    result = shortfall([flat(1, 1)], [ProvenLine(id=1, units_delivered=1), ProvenLine(id=9)])

    assert [line.id for line in result.lines] == [1]
    assert result.total_cents == 0


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        shortfall([FundedLine(id=1, kind="gift", granted_cents=1)], [])


def test_settle_withholds_what_is_not_paid_yet_and_asks_back_the_rest():
    assert settle(
        claim_cents=200_000, granted_cents=400_000, paid_cents=400_000
    ).to_repay_cents == (200_000)
    half_paid = settle(claim_cents=300_000, granted_cents=400_000, paid_cents=200_000)
    assert (half_paid.withheld_cents, half_paid.to_repay_cents) == (200_000, 100_000)
    unpaid = settle(claim_cents=200_000, granted_cents=400_000, paid_cents=0)
    assert (unpaid.withheld_cents, unpaid.to_repay_cents) == (200_000, 0)


def test_split_evenly_keeps_every_cent():
    assert split_evenly(100_001, 3) == [33_334, 33_334, 33_333]
    assert split_evenly(400_000, 2) == [200_000, 200_000]
    with pytest.raises(ValueError):
        split_evenly(100, 0)


line_inputs = st.lists(
    st.tuples(
        st.sampled_from([FLAT_RATE, COST]),
        st.integers(min_value=0, max_value=40),  # granted units
        st.sampled_from([MEETING_POINT, OFFER, 5_000]),
        st.integers(min_value=0, max_value=1_000_000),  # granted cents of a cost line
        st.one_of(st.none(), st.integers(min_value=0, max_value=60)),  # delivered
        st.one_of(st.none(), st.integers(min_value=0, max_value=2_000_000)),  # proven
    ),
    max_size=8,
)


@given(line_inputs)
def test_the_shortfall_is_never_negative_nor_more_than_granted(rows):
    funded, proven = [], []
    for index, (kind, units, unit, cents, delivered, proven_cents) in enumerate(rows):
        if kind == FLAT_RATE:
            funded.append(flat(index, units, unit))
        else:
            funded.append(cost(index, cents))
        proven.append(ProvenLine(id=index, units_delivered=delivered, proven_cents=proven_cents))

    result = shortfall(funded, proven)

    for line, grant in zip(result.lines, funded, strict=True):
        assert 0 <= line.shortfall_cents <= grant.granted_cents
        if grant.kind == FLAT_RATE:
            assert line.shortfall_cents == line.units_short * grant.unit_cents
    assert 0 <= result.total_cents <= sum(line.granted_cents for line in funded)


@given(
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=0, max_value=10**7),
)
def test_settle_adds_up_and_never_withholds_paid_money(claim, granted, paid):
    paid = min(paid, granted)
    result = settle(claim_cents=claim, granted_cents=granted, paid_cents=paid)

    assert result.withheld_cents + result.to_repay_cents == claim
    assert 0 <= result.withheld_cents <= granted - paid
    assert result.to_repay_cents >= 0


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=12))
def test_split_evenly_sums_exactly_and_differs_by_at_most_a_cent(total, parts):
    amounts = split_evenly(total, parts)

    assert sum(amounts) == total
    assert max(amounts) - min(amounts) <= 1
