"""Allocation policies on hand-made funding rounds (DOMAIN.md §3: 2,000 € arrival meeting points,
250 € low-threshold offers, cost-based measures). Pure: no database."""

import dataclasses

import pytest

from teilhabe.funding import allocation
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
    compare,
)

MEETING_POINT = 200_000  # 2,000 € per arrival meeting point
OFFER = 25_000  # 250 € per low-threshold offer

_ids = iter(range(1, 10_000))


def flat(unit_cents: int, units: int) -> Line:
    return Line(id=next(_ids), kind=FLAT_RATE, unit_cents=unit_cents, units=units)


def cost(amount_cents: int) -> Line:
    return Line(id=next(_ids), kind=COST, amount_cents=amount_cents)


def app(id: int, score: float, *lines: Line, small: bool = False) -> Application:
    return Application(id=id, score=score, small_organisation=small, lines=lines)


def granted(proposal) -> dict[int, int]:
    return {g.application_id: g.granted_cents for g in proposal.grants}


def codes(proposal) -> dict[int, str]:
    return {g.application_id: g.reason_code for g in proposal.grants}


def valid(applications, budget, proposal):
    assert check(applications, budget, proposal) == []
    return proposal


# --- (a) by score -----------------------------------------------------------------------------


def test_it_funds_the_best_first_and_skips_a_request_that_no_longer_fits():
    apps = [
        app(1, 90, flat(MEETING_POINT, 2)),  # 4,000 €
        app(2, 80, flat(OFFER, 4)),  # 1,000 €: only 500 € left, skipped
        app(3, 70, flat(OFFER, 2)),  # 500 €: still fits
    ]
    proposal = valid(apps, 450_000, allocate(apps, 450_000, ByScore()))
    assert granted(proposal) == {1: 400_000, 2: 0, 3: 50_000}
    assert codes(proposal) == {1: "full", 2: "none_budget", 3: "full"}
    assert proposal.left_cents == 0
    assert proposal.policy == "by_score"
    assert proposal.status == "heuristic"
    assert proposal.grants[0].reason == "Score 90 (rank 1): funded in full."
    assert "1,000.00 € requested, only 500.00 € left" in proposal.grants[1].reason
    assert proposal.objective == 90 * 400_000 + 70 * 50_000


def test_it_breaks_ties_by_the_smaller_request_then_the_lower_id():
    apps = [
        app(7, 50, flat(OFFER, 4)),
        app(3, 50, flat(OFFER, 4)),
        app(5, 50, flat(OFFER, 2)),
    ]
    proposal = valid(apps, 150_000, allocate(apps, 150_000, ByScore()))
    assert granted(proposal) == {7: 0, 3: 100_000, 5: 50_000}
    assert [g.application_id for g in proposal.grants] == [7, 3, 5]  # order as given
    assert "(rank 1)" in proposal.grants[2].reason
    assert "(rank 2)" in proposal.grants[1].reason


def test_it_funds_a_cost_line_in_full_or_not_at_all():
    apps = [app(1, 60, cost(123_456)), app(2, 50, cost(100_000))]
    proposal = valid(apps, 200_000, allocate(apps, 200_000, ByScore()))
    assert granted(proposal) == {1: 123_456, 2: 0}
    assert proposal.grants[0].amounts == {apps[0].lines[0].id: 123_456}


def test_an_empty_request_is_named_as_such():
    apps = [app(1, 60, flat(OFFER, 0)), app(2, 40)]
    proposal = valid(apps, 0, allocate(apps, 0, ByScore()))
    assert codes(proposal) == {1: "nothing_requested", 2: "nothing_requested"}


# --- (b) threshold and percentage ----------------------------------------------------------


def test_a_fixed_percentage_rounds_flat_rate_units_down_and_cost_lines_to_the_cent():
    apps = [
        app(1, 90, flat(MEETING_POINT, 3), cost(123_457)),
        app(2, 60, flat(OFFER, 5)),
        app(3, 40, flat(OFFER, 8)),
    ]
    proposal = valid(
        apps, 1_000_000, allocate(apps, 1_000_000, Threshold(min_score=50, percent=50))
    )
    first = proposal.grants[0]
    assert first.units == {apps[0].lines[0].id: 1}  # 1.5 meeting points -> 1
    assert first.amounts == {apps[0].lines[1].id: 61_728}  # 617.285 € -> 617.28 €
    assert granted(proposal) == {1: 261_728, 2: 50_000, 3: 0}
    assert codes(proposal) == {1: "partial", 2: "partial", 3: "below_threshold"}
    assert proposal.percent == 50
    assert "50% of each line" in proposal.grants[1].reason


def test_without_a_percentage_it_takes_the_largest_whole_one_that_fits():
    apps = [app(1, 80, flat(OFFER, 10)), app(2, 70, flat(OFFER, 20)), app(3, 10, flat(OFFER, 9))]
    budget = 500_000  # 20 offers of 30 above the threshold
    proposal = valid(apps, budget, allocate(apps, budget, Threshold(min_score=50)))
    assert proposal.percent == 69  # 6.9 + 13.8 -> 6 + 13 = 19 offers
    assert proposal.total_cents == 19 * OFFER
    assert proposal.left_cents == OFFER
    # 70 % would be 7 + 14 = 21 offers, too many.
    tighter = allocate(apps, budget, Threshold(min_score=50, percent=70))
    assert tighter.total_cents < 21 * OFFER  # rank order decides once a fixed % overshoots
    assert codes(tighter) == {1: "partial", 2: "none_budget", 3: "below_threshold"}


def test_the_largest_percentage_is_largest():
    apps = [
        app(1, 80, flat(OFFER, 7), cost(33_333)),
        app(2, 70, flat(MEETING_POINT, 2)),
        app(3, 60, cost(250_001)),
    ]
    budget = 400_000
    chosen = allocate(apps, budget, Threshold(min_score=0))
    assert chosen.percent is not None and chosen.percent < 100
    bigger = allocate(apps, budget, Threshold(min_score=0, percent=chosen.percent + 1))
    assert sum(allocation._share(a, chosen.percent + 1)[2] for a in apps) > budget
    assert "none_budget" in codes(bigger).values()


def test_a_share_below_one_unit_is_explained():
    apps = [app(1, 90, flat(MEETING_POINT, 1))]
    proposal = valid(apps, 100_000, allocate(apps, 100_000, Threshold(min_score=0)))
    assert proposal.percent == 99
    assert codes(proposal) == {1: "none_rounding"}
    assert proposal.left_cents == 100_000


def test_everything_over_the_threshold_is_funded_in_full_when_money_suffices():
    apps = [app(1, 90, flat(OFFER, 3)), app(2, 20, flat(OFFER, 3))]
    proposal = valid(apps, 1_000_000, allocate(apps, 1_000_000, Threshold(min_score=50)))
    assert proposal.percent == 100
    assert codes(proposal) == {1: "full", 2: "below_threshold"}


# --- (c) small organisations first ------------------------------------------------------------


def test_small_organisations_get_their_floor_before_the_ranking_decides():
    apps = [
        app(1, 95, flat(MEETING_POINT, 2)),  # 4,000 €, a big provider
        app(2, 50, flat(MEETING_POINT, 1), flat(OFFER, 4), small=True),  # 3,000 €
        app(3, 40, cost(60_000), small=True),  # 600 €
    ]
    budget = 500_000
    proposal = valid(
        apps, budget, allocate(apps, budget, SmallFirst(floor_cents=100_000, then=ByScore()))
    )
    # Floors: 4 offers (the meeting point does not fit 1,000 €) and the 600 € costs; 3,400 € are
    # left, too little for the big request, enough for the small one's meeting point.
    assert granted(proposal) == {1: 0, 2: 300_000, 3: 60_000}
    assert codes(proposal) == {1: "none_budget", 2: "full", 3: "full"}
    assert proposal.grants[1].reason.startswith("Small organisation: 1,000.00 € funded first")
    by_score = valid(apps, budget, allocate(apps, budget, ByScore()))
    assert granted(by_score) == {1: 400_000, 2: 0, 3: 60_000}


def test_only_the_floor_when_the_rest_does_not_fit():
    apps = [app(1, 95, flat(MEETING_POINT, 1)), app(2, 30, flat(OFFER, 8), small=True)]
    policy = SmallFirst(floor_cents=50_000, then=ByScore())
    proposal = valid(apps, 250_000, allocate(apps, 250_000, policy))
    assert granted(proposal) == {1: 200_000, 2: 50_000}
    assert codes(proposal) == {1: "full", 2: "small_floor"}


def test_the_floor_is_never_more_than_the_money():
    apps = [app(i, 90 - i, flat(OFFER, 4), small=True) for i in range(1, 5)]
    proposal = valid(
        apps, 130_000, allocate(apps, 130_000, SmallFirst(floor_cents=50_000, then=ByScore()))
    )
    assert granted(proposal) == {1: 50_000, 2: 50_000, 3: 25_000, 4: 0}
    assert proposal.left_cents == 5_000


def test_a_floor_too_small_for_a_whole_unit_funds_nothing_first():
    apps = [app(1, 50, flat(MEETING_POINT, 1), small=True), app(2, 60, flat(MEETING_POINT, 1))]
    proposal = valid(
        apps, 200_000, allocate(apps, 200_000, SmallFirst(floor_cents=100_000, then=ByScore()))
    )
    assert granted(proposal) == {1: 0, 2: 200_000}
    assert codes(proposal) == {1: "none_budget", 2: "full"}


def test_the_floor_can_require_a_minimum_score():
    apps = [app(1, 20, flat(OFFER, 2), small=True), app(2, 60, flat(OFFER, 2), small=True)]
    policy = SmallFirst(floor_cents=25_000, then=Threshold(min_score=50, percent=100), min_score=50)
    proposal = valid(apps, 1_000_000, allocate(apps, 1_000_000, policy))
    assert granted(proposal) == {1: 0, 2: 50_000}
    assert codes(proposal) == {1: "below_threshold", 2: "full"}


def test_then_a_percentage_of_every_rest():
    apps = [
        app(1, 90, flat(OFFER, 10)),
        app(2, 40, flat(OFFER, 6), small=True),
    ]
    policy = SmallFirst(floor_cents=50_000, then=Threshold(min_score=30, percent=50))
    proposal = valid(apps, 1_000_000, allocate(apps, 1_000_000, policy))
    # Floor 2 offers; then half of the rests: 5 of 10 and 2 of 4.
    assert granted(proposal) == {1: 5 * OFFER, 2: 4 * OFFER}
    assert codes(proposal) == {1: "partial", 2: "partial"}
    assert proposal.percent == 50


# --- (d) maximum score-weighted amount -----------------------------------------------------


def test_it_finds_a_better_split_than_best_first():
    apps = [
        app(1, 90, flat(MEETING_POINT, 1), flat(OFFER, 4)),  # 3,000 €
        app(2, 85, flat(MEETING_POINT, 1)),  # 2,000 €
        app(3, 10, flat(OFFER, 4)),  # 1,000 €
    ]
    budget = 400_000
    best = valid(apps, budget, allocate(apps, budget, MaxWeighted()))
    first = valid(apps, budget, allocate(apps, budget, ByScore()))
    assert granted(first) == {1: 300_000, 2: 0, 3: 100_000}
    assert granted(best) == {1: 200_000, 2: 200_000, 3: 0}
    assert best.grants[0].units == {apps[0].lines[0].id: 1, apps[0].lines[1].id: 0}
    assert codes(best) == {1: "partial", 2: "full", 3: "none_budget"}
    assert best.status == "optimal"
    assert best.objective == (90 + 85) * 200_000
    assert best.bound == pytest.approx(best.objective)
    assert best.objective > first.objective


def test_cost_lines_are_funded_to_the_cent():
    apps = [app(1, 70, flat(MEETING_POINT, 1)), app(2, 60, cost(200_000)), app(3, 50, cost(5))]
    budget = 300_001
    proposal = valid(apps, budget, allocate(apps, budget, MaxWeighted()))
    assert granted(proposal) == {1: 200_000, 2: 100_001, 3: 0}
    assert proposal.left_cents == 0
    assert proposal.status == "optimal"


def test_everything_is_funded_when_the_demand_fits():
    apps = [app(1, 70, flat(MEETING_POINT, 1)), app(2, 0, cost(100))]
    proposal = valid(apps, 1_000_000, allocate(apps, 1_000_000, MaxWeighted()))
    assert codes(proposal) == {1: "full", 2: "full"}
    assert proposal.status == "optimal"
    assert proposal.bound == proposal.objective


def test_money_nobody_values_still_goes_to_zero_scores_when_it_fits():
    apps = [app(1, 0, flat(OFFER, 3)), app(2, 40, flat(MEETING_POINT, 1))]
    proposal = valid(apps, 260_000, allocate(apps, 260_000, MaxWeighted()))
    assert granted(proposal) == {1: 50_000, 2: 200_000}
    assert proposal.left_cents == 10_000


def test_without_a_solution_in_time_it_says_heuristic(monkeypatch):
    import scipy.optimize

    def no_solution(c, **kwargs):
        return scipy.optimize.OptimizeResult(x=None, status=1, fun=None, mip_dual_bound=None)

    monkeypatch.setattr(scipy.optimize, "milp", no_solution)
    apps = [app(1, 90, flat(OFFER, 5)), app(2, 80, flat(MEETING_POINT, 1))]
    proposal = valid(apps, 200_000, allocate(apps, 200_000, MaxWeighted()))
    assert proposal.status == "heuristic"
    assert proposal.bound is None
    assert granted(proposal) == {1: 125_000, 2: 0}  # best score first, as much as fits


# --- comparing and checking -----------------------------------------------------------------


def test_compare_runs_every_policy_on_the_same_round():
    apps = [app(1, 90, flat(MEETING_POINT, 2)), app(2, 55, flat(OFFER, 6), small=True)]
    policies = [
        ByScore(),
        Threshold(min_score=50),
        SmallFirst(floor_cents=50_000, then=ByScore()),
        MaxWeighted(),
    ]
    proposals = compare(apps, 300_000, policies)
    assert [p.policy for p in proposals] == ["by_score", "threshold", "small_first", "max_weighted"]
    for proposal in proposals:
        assert check(apps, 300_000, proposal) == []
        assert proposal.budget_cents == 300_000
        assert proposal.seconds >= 0
    assert max(p.objective for p in proposals) == proposals[-1].objective


def _broken(proposal, index=0, **changes):
    grants = list(proposal.grants)
    grants[index] = dataclasses.replace(grants[index], **changes)
    return dataclasses.replace(proposal, grants=tuple(grants))


def test_the_checker_finds_every_kind_of_mistake():
    apps = [app(1, 90, flat(OFFER, 4), cost(10_000)), app(2, 50, flat(MEETING_POINT, 1))]
    good = allocate(apps, 300_000, ByScore())
    assert check(apps, 300_000, good) == []
    offers, costs = apps[0].lines[0].id, apps[0].lines[1].id

    too_many = _broken(good, units={offers: 5}, granted_cents=135_000)
    assert any("5 units funded, 4 requested" in p for p in check(apps, 300_000, too_many))
    half = _broken(good, units={offers: 3.5}, granted_cents=97_500)
    assert any("not a whole number of units" in p for p in check(apps, 300_000, half))
    more_costs = _broken(good, amounts={costs: 10_001}, granted_cents=110_001)
    assert any("10001 cents funded" in p for p in check(apps, 300_000, more_costs))
    mismatch = _broken(good, granted_cents=1)
    assert any("lines add up to" in p for p in check(apps, 300_000, mismatch))
    stranger = _broken(good, units={offers: 4, 999: 1})
    assert any("line 999" in p for p in check(apps, 300_000, stranger))
    assert any("more than the budget" in p for p in check(apps, 100_000, good))
    swapped = dataclasses.replace(good, grants=good.grants[::-1])
    assert any("order differs" in p for p in check(apps, 300_000, swapped))
    assert check(apps, 300_000, dataclasses.replace(good, grants=good.grants[:1]))
    assert any(
        "objective" in p for p in check(apps, 300_000, dataclasses.replace(good, objective=1))
    )
    assert any(
        "left_cents" in p for p in check(apps, 300_000, dataclasses.replace(good, left_cents=0))
    )
    assert any("reason code" in p for p in check(apps, 300_000, _broken(good, reason_code="x")))
    # Left-out lines count as nothing funded (an edited proposal may omit them).
    edited = _broken(good, amounts={}, granted_cents=100_000)
    edited = dataclasses.replace(
        edited, total_cents=100_000, left_cents=200_000, objective=90 * 100_000
    )
    assert check(apps, 300_000, edited) == []


@pytest.mark.parametrize(
    "apps, budget",
    [
        ([app(1, 50, flat(OFFER, 1)), app(1, 40, flat(OFFER, 1))], 0),
        ([app(1, -1, flat(OFFER, 1))], 0),
        ([app(1, float("nan"), flat(OFFER, 1))], 0),
        ([app(1, 50, Line(id=1, kind="grant", amount_cents=5))], 0),
        ([app(1, 50, Line(id=1, kind=COST, amount_cents=-5))], 0),
        ([app(1, 50, Line(id=1, kind=COST, amount_cents=5), Line(id=1, kind=COST))], 0),
        ([app(1, 50, flat(OFFER, 1))], -1),
    ],
)
def test_it_refuses_nonsense(apps, budget):
    with pytest.raises(ValueError):
        allocate(apps, budget, ByScore())


def test_euros_formats_cents_for_the_reasons():
    assert allocation.euros(21_635_159) == "216,351.59 €"
    assert allocation.euros(5) == "0.05 €"


def test_tiny_scores_are_optimised_as_carefully_as_large_ones():
    # Found by hypothesis: with scores near 0 the objective once fell below HiGHS's tolerance.
    apps = [app(1, 1e-9, cost(7), flat(6, 2)), app(2, 0.0)]
    proposal = valid(apps, 9, allocate(apps, 9, MaxWeighted()))
    assert granted(proposal) == {1: 9, 2: 0}
    assert proposal.status == "optimal"


def test_a_solver_answer_above_the_budget_is_never_taken(monkeypatch):
    import scipy.optimize

    def everything(c, *, bounds, **kwargs):  # as if tolerances had rounded every unit up
        return scipy.optimize.OptimizeResult(
            x=bounds.ub, status=0, fun=float(c @ bounds.ub), mip_dual_bound=float(c @ bounds.ub)
        )

    monkeypatch.setattr(scipy.optimize, "milp", everything)
    apps = [app(1, 90, flat(OFFER, 5)), app(2, 80, flat(MEETING_POINT, 1))]
    proposal = valid(apps, 200_000, allocate(apps, 200_000, MaxWeighted()))
    assert proposal.status == "feasible"
    assert proposal.bound is None
    assert granted(proposal) == {1: 125_000, 2: 0}
