"""Properties every allocation must have, on generated funding rounds (hypothesis).

- No policy exceeds the budget, splits a flat-rate unit or gives more than requested: the
  independent checker finds nothing.
- (d) MaxWeighted is proven optimal and never worse on the objective than (a)–(c); on tiny rounds
  it equals the optimum found by trying every allocation.
- Under (d), when flat-rate demand exceeds the budget, the money left is less than the price of
  the cheapest unit left unfunded (nothing more fits).
"""

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teilhabe.funding.allocation import (
    COST,
    FLAT_RATE,
    Application,
    ByScore,
    Line,
    MaxWeighted,
    SmallFirst,
    Threshold,
    allocate,
    check,
)

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Committee scores: means of four whole-number criteria, 0–100.
committee_scores = st.integers(0, 400).map(lambda quarters: quarters / 4)
any_scores = st.floats(0, 100, allow_nan=False)
unit_prices = st.one_of(
    st.sampled_from([200_000, 25_000, 50_000, 100_000, 15_000]), st.integers(1, 300_000)
)


unit_counts = st.integers(0, 6)
amounts = st.integers(0, 500_000)


def flat_lines(prices=unit_prices, units=unit_counts):
    return st.builds(
        lambda unit, count: Line(id=0, kind=FLAT_RATE, unit_cents=unit, units=count), prices, units
    )


def cost_lines(amounts=amounts):
    return st.builds(lambda amount: Line(id=0, kind=COST, amount_cents=amount), amounts)


@st.composite
def rounds(draw, lines=None, scores=committee_scores, max_applications=8, max_lines=3):
    """(applications, budget): ids numbered in order, budget anywhere from 0 to above demand."""
    if lines is None:
        lines = st.one_of(flat_lines(), flat_lines(), cost_lines())
    apps, next_line = [], 1
    for number in range(1, draw(st.integers(0, max_applications)) + 1):
        drawn = draw(st.lists(lines, min_size=0, max_size=max_lines))
        numbered = []
        for line in drawn:
            numbered.append(
                Line(
                    id=next_line,
                    kind=line.kind,
                    unit_cents=line.unit_cents,
                    units=line.units,
                    amount_cents=line.amount_cents,
                )
            )
            next_line += 1
        apps.append(
            Application(
                id=number,
                score=draw(scores),
                small_organisation=draw(st.booleans()),
                lines=tuple(numbered),
            )
        )
    demand = sum(app.requested_cents for app in apps)
    budget = draw(st.one_of(st.integers(0, demand + 50_000), st.just(demand // 2)))
    return apps, budget


policies = st.one_of(
    st.just(ByScore()),
    st.builds(
        Threshold,
        min_score=committee_scores,
        percent=st.one_of(st.none(), st.integers(0, 100)),
    ),
    st.builds(
        SmallFirst,
        floor_cents=st.integers(0, 300_000),
        then=st.one_of(
            st.just(ByScore()),
            st.builds(
                Threshold, min_score=committee_scores, percent=st.none() | st.integers(0, 100)
            ),
        ),
        min_score=st.none() | committee_scores,
    ),
    st.just(MaxWeighted()),
)

HEURISTICS = [
    ByScore(),
    Threshold(min_score=0),
    Threshold(min_score=50),
    Threshold(min_score=30, percent=80),
    SmallFirst(floor_cents=100_000, then=ByScore()),
    SmallFirst(floor_cents=50_000, then=Threshold(min_score=40)),
]


def at_least(value: float, other: float) -> bool:
    return value >= other - 1e-9 * max(1.0, abs(other))


@SETTINGS
@given(rounds(), policies)
def test_no_policy_exceeds_the_budget_splits_a_unit_or_gives_more_than_asked(round_, policy):
    apps, budget = round_
    proposal = allocate(apps, budget, policy)
    assert check(apps, budget, proposal) == []
    assert [g.application_id for g in proposal.grants] == [app.id for app in apps]
    assert 0 <= proposal.left_cents <= budget


@SETTINGS
@given(rounds())
def test_max_weighted_is_proven_optimal_and_never_worse_than_the_other_policies(round_):
    apps, budget = round_
    best = allocate(apps, budget, MaxWeighted())
    assert check(apps, budget, best) == []
    assert best.status == "optimal"
    assert best.bound is not None and at_least(best.bound, best.objective)
    for policy in HEURISTICS:
        other = allocate(apps, budget, policy)
        assert at_least(best.objective, other.objective), policy


@SETTINGS
@given(rounds(scores=any_scores))
def test_max_weighted_is_never_worse_with_arbitrary_real_scores(round_):
    apps, budget = round_
    best = allocate(apps, budget, MaxWeighted())
    assert best.status == "optimal"
    for policy in HEURISTICS:
        assert at_least(best.objective, allocate(apps, budget, policy).objective), policy


def brute_force_optimum(apps: list[Application], budget: int) -> float:
    """The best sum(score × granted cents) over every allocation of whole units and cents."""
    lines = [(app.score, line) for app in apps for line in app.lines]
    ranges = [
        range(line.units + 1) if line.kind == FLAT_RATE else range(line.amount_cents + 1)
        for _, line in lines
    ]
    best = 0.0
    for choice in itertools.product(*ranges):
        spent = sum(
            count * line.unit_cents if line.kind == FLAT_RATE else count
            for count, (_, line) in zip(choice, lines, strict=True)
        )
        if spent <= budget:
            value = math.fsum(
                score * (count * line.unit_cents if line.kind == FLAT_RATE else count)
                for count, (score, line) in zip(choice, lines, strict=True)
            )
            best = max(best, value)
    return best


tiny_lines = st.one_of(
    flat_lines(prices=st.integers(1, 9), units=st.integers(0, 3)),
    cost_lines(amounts=st.integers(0, 5)),
)


@SETTINGS
@given(rounds(lines=tiny_lines, max_applications=3, max_lines=2))
def test_on_tiny_rounds_max_weighted_equals_the_brute_force_optimum(round_):
    apps, budget = round_
    best = allocate(apps, budget, MaxWeighted())
    assert best.status == "optimal"
    assert best.objective == pytest.approx(brute_force_optimum(apps, budget), rel=1e-12)


@SETTINGS
@given(rounds(lines=flat_lines(), max_applications=10))
def test_under_max_weighted_the_money_left_buys_no_unfunded_unit(round_):
    apps, budget = round_
    proposal = allocate(apps, budget, MaxWeighted())
    unfunded = [
        line.unit_cents
        for app, grant in zip(apps, proposal.grants, strict=True)
        for line in app.lines
        if grant.units[line.id] < line.units
    ]
    if unfunded:  # demand exceeds the budget
        assert proposal.left_cents < min(unfunded)
    else:
        assert proposal.total_cents == sum(app.requested_cents for app in apps)


@SETTINGS
@given(rounds())
def test_by_score_skips_only_what_no_longer_fits(round_):
    apps, budget = round_
    proposal = allocate(apps, budget, ByScore())
    left = budget
    ranked = sorted(
        zip(apps, proposal.grants, strict=True),
        key=lambda pair: (-pair[0].score, pair[0].requested_cents, pair[0].id),
    )
    for app, grant in ranked:
        assert grant.granted_cents in (0, app.requested_cents)
        if grant.granted_cents == 0 and app.requested_cents:
            assert app.requested_cents > left
            assert grant.reason_code == "none_budget"
        left -= grant.granted_cents


@SETTINGS
@given(rounds(), committee_scores)
def test_the_chosen_percentage_is_the_largest_that_fits(round_, min_score):
    apps, budget = round_
    proposal = allocate(apps, budget, Threshold(min_score=min_score))
    assert "none_budget" not in {g.reason_code for g in proposal.grants}
    if proposal.percent < 100:
        one_more = allocate(
            apps, 10**15, Threshold(min_score=min_score, percent=proposal.percent + 1)
        )
        assert one_more.total_cents > budget
