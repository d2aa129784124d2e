"""Allocation proposals for a funding period: plain data in, plain data out, no Django.

The committee compares policies side by side; every policy returns the same `Proposal` shape and
is measured by the same objective, sum(score × granted cents), so the proposals can be ranked.

  ByScore      best first, each fully funded while money lasts; one that does not fit is skipped
  Threshold    every application at or over a score gets the same percentage of every line;
               percent=None picks the largest whole percentage that fits the budget
  SmallFirst   small organisations first, each up to a floor, then ByScore/Threshold for the rest
  MaxWeighted  the allocation with the largest objective, proven by an exact MILP (HiGHS)

Whatever the policy: flat-rate units are funded whole, no line gets more than it asked, the total
never exceeds the budget. `check()` verifies exactly that, independently of how a proposal was made.
Money is integer cents throughout; scores are floats ≥ 0 (committee means).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import reduce

FLAT_RATE = "flat_rate"
COST = "cost"

# Stable codes the Django side may translate; the English `reason` sentence says the same.
REASON_CODES = {
    "full": "funded in full",
    "partial": "funded in part",
    "none_budget": "not funded: the money is used for applications ranked higher / used better",
    "below_threshold": "not funded: score below the threshold",
    "none_rounding": "not funded: the percentage rounds down to no whole flat-rate unit",
    "small_floor": "small organisation: only the floor is funded",
    "nothing_requested": "the application asks for no money",
}


@dataclass(frozen=True, kw_only=True)
class Line:
    """One measure of an application: a flat rate (units × unit price) or costs (an amount)."""

    id: int
    kind: str  # FLAT_RATE | COST
    unit_cents: int = 0
    units: int = 0
    amount_cents: int = 0

    @property
    def requested_cents(self) -> int:
        return self.unit_cents * self.units if self.kind == FLAT_RATE else self.amount_cents


@dataclass(frozen=True, kw_only=True)
class Application:
    id: int
    score: float
    small_organisation: bool = False
    lines: tuple[Line, ...]

    @property
    def requested_cents(self) -> int:
        return sum(line.requested_cents for line in self.lines)


@dataclass(frozen=True, kw_only=True)
class ByScore:
    """(a) Best score first, each funded in full while the money lasts."""


@dataclass(frozen=True, kw_only=True)
class Threshold:
    """(b) At or over `min_score`: the same percentage of every line (None: largest that fits)."""

    min_score: float
    percent: int | None = None


@dataclass(frozen=True, kw_only=True)
class SmallFirst:
    """(c) Small organisations first, each up to `floor_cents`; then `then` for every rest.

    `min_score` (optional) keeps the floor from applications the committee scored below it.
    """

    floor_cents: int
    then: ByScore | Threshold
    min_score: float | None = None


@dataclass(frozen=True, kw_only=True)
class MaxWeighted:
    """(d) Maximise sum(score × granted cents): an exact MILP solved by HiGHS."""

    time_limit_seconds: float = 10.0


Policy = ByScore | Threshold | SmallFirst | MaxWeighted


@dataclass(frozen=True, kw_only=True)
class Grant:
    application_id: int
    granted_cents: int
    units: dict[int, int]  # flat-rate line id -> funded units
    amounts: dict[int, int]  # cost line id -> funded cents
    reason: str
    reason_code: str


@dataclass(frozen=True, kw_only=True)
class Proposal:
    policy: str  # "by_score" | "threshold" | "small_first" | "max_weighted"
    grants: tuple[Grant, ...]  # one per application, in the order given
    budget_cents: int
    total_cents: int
    left_cents: int
    objective: float  # sum(score × granted cents), the same measure for every policy
    status: str  # "optimal" (proven) | "feasible" | "heuristic"
    seconds: float
    # Proven upper bound on the objective (max_weighted only; equals `objective` when optimal).
    bound: float | None = None
    # The percentage Threshold used (given or chosen); None for other policies.
    percent: int | None = None


# --------------------------------------------------------------------------------------------
# Shared helpers


def euros(cents: int) -> str:
    """1234567 -> '12,345.67 €' (English grouping; the Django side formats for its language)."""
    return f"{cents // 100:,}.{cents % 100:02d} €"


def _score_text(score: float) -> str:
    return f"{score:.2f}".rstrip("0").rstrip(".")


def _rank_key(app: Application) -> tuple[float, int, int]:
    # Ties: higher score first, then the smaller request, then the lower id.
    return (-app.score, app.requested_cents, app.id)


def _ranking(applications: Sequence[Application]) -> list[int]:
    """Indices of `applications` in rank order."""
    return sorted(range(len(applications)), key=lambda i: _rank_key(applications[i]))


def _validate(applications: Sequence[Application], budget_cents: int) -> None:
    if not isinstance(budget_cents, int) or budget_cents < 0:
        raise ValueError("budget_cents must be a non-negative integer")
    seen: set[int] = set()
    for app in applications:
        if app.id in seen:
            raise ValueError(f"application id {app.id} appears twice")
        seen.add(app.id)
        if not math.isfinite(app.score) or app.score < 0:
            raise ValueError(f"application {app.id}: score must be a finite number ≥ 0")
        line_ids: set[int] = set()
        for line in app.lines:
            if line.id in line_ids:
                raise ValueError(f"application {app.id}: line id {line.id} appears twice")
            line_ids.add(line.id)
            if line.kind not in (FLAT_RATE, COST):
                raise ValueError(f"line {line.id}: unknown kind {line.kind!r}")
            for name in ("unit_cents", "units", "amount_cents"):
                value = getattr(line, name)
                if not isinstance(value, int) or value < 0:
                    raise ValueError(f"line {line.id}: {name} must be a non-negative integer")


class _Draft:
    """Mutable per-application funding while a policy works; becomes a Grant at the end."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.units = {line.id: 0 for line in app.lines if line.kind == FLAT_RATE}
        self.amounts = {line.id: 0 for line in app.lines if line.kind == COST}
        self.code = ""
        self.reason = ""

    @property
    def granted_cents(self) -> int:
        return sum(
            self.units[line.id] * line.unit_cents
            if line.kind == FLAT_RATE
            else self.amounts[line.id]
            for line in self.app.lines
        )

    def rest(self) -> Application:
        """What is still unfunded, as an application of its own."""
        lines = tuple(
            Line(id=line.id, kind=FLAT_RATE, unit_cents=line.unit_cents,
                 units=line.units - self.units[line.id])
            if line.kind == FLAT_RATE
            else Line(id=line.id, kind=COST, amount_cents=line.amount_cents - self.amounts[line.id])
            for line in self.app.lines
        )  # fmt: skip
        return Application(
            id=self.app.id,
            score=self.app.score,
            small_organisation=self.app.small_organisation,
            lines=lines,
        )

    def add(self, other: _Draft) -> None:
        for key, value in other.units.items():
            self.units[key] += value
        for key, value in other.amounts.items():
            self.amounts[key] += value

    def grant(self) -> Grant:
        return Grant(
            application_id=self.app.id,
            granted_cents=self.granted_cents,
            units=dict(self.units),
            amounts=dict(self.amounts),
            reason=self.reason,
            reason_code=self.code,
        )


def _objective(applications: Sequence[Application], grants: Iterable[Grant]) -> float:
    return math.fsum(
        app.score * g.granted_cents for app, g in zip(applications, grants, strict=True)
    )


def _proposal(
    name: str,
    applications: Sequence[Application],
    budget_cents: int,
    drafts: Sequence[_Draft],
    status: str,
    started: float,
    **extra,
) -> Proposal:
    grants = tuple(draft.grant() for draft in drafts)
    total = sum(g.granted_cents for g in grants)
    return Proposal(
        policy=name,
        grants=grants,
        budget_cents=budget_cents,
        total_cents=total,
        left_cents=budget_cents - total,
        objective=_objective(applications, grants),
        status=status,
        seconds=time.perf_counter() - started,
        **extra,
    )


def _head(app: Application, rank: int) -> str:
    return f"Score {_score_text(app.score)} (rank {rank})"


def _fill_whole(draft: _Draft, app: Application, money: int) -> int:
    """Fund as much of `app` (a rest) as fits into `money`: whole units, costs to the cent.

    Dearer flat rates first so a floor goes to whole meeting points before small offers fill the
    gap; cost lines take the remainder. Returns the cents used.
    """
    used = 0
    flats = sorted(
        (line for line in app.lines if line.kind == FLAT_RATE and line.unit_cents > 0),
        key=lambda line: (-line.unit_cents, line.id),
    )
    for line in flats:
        take = min(line.units, (money - used) // line.unit_cents)
        draft.units[line.id] += take
        used += take * line.unit_cents
    for line in app.lines:
        if line.kind == COST:
            take = min(line.amount_cents, money - used)
            draft.amounts[line.id] += take
            used += take
    return used


# --------------------------------------------------------------------------------------------
# (a) by score


def _by_score(
    applications: Sequence[Application], order: Sequence[int], budget_cents: int
) -> tuple[list[_Draft], int]:
    drafts = [_Draft(app) for app in applications]
    left = budget_cents
    for rank, index in enumerate(order, start=1):
        app, draft = applications[index], drafts[index]
        asked = app.requested_cents
        if asked == 0:
            draft.code, draft.reason = (
                "nothing_requested",
                f"{_head(app, rank)}: nothing requested.",
            )
        elif asked <= left:
            for line in app.lines:
                if line.kind == FLAT_RATE:
                    draft.units[line.id] = line.units
                else:
                    draft.amounts[line.id] = line.amount_cents
            left -= asked
            draft.code, draft.reason = "full", f"{_head(app, rank)}: funded in full."
        else:
            draft.code = "none_budget"
            draft.reason = (
                f"{_head(app, rank)}: not funded – {euros(asked)} requested, "
                f"only {euros(left)} left after higher-ranked applications."
            )
    return drafts, left


# --------------------------------------------------------------------------------------------
# (b) threshold and percentage


def _share(app: Application, percent: int) -> tuple[dict[int, int], dict[int, int], int]:
    """`percent` of every line, flat-rate units rounded down to whole units."""
    units, amounts, cents = {}, {}, 0
    for line in app.lines:
        if line.kind == FLAT_RATE:
            units[line.id] = line.units * percent // 100
            cents += units[line.id] * line.unit_cents
        else:
            amounts[line.id] = line.amount_cents * percent // 100
            cents += amounts[line.id]
    return units, amounts, cents


def _largest_percent(eligible: Sequence[Application], budget_cents: int) -> int:
    # The cost of a percentage only grows with it, so bisect for the largest that fits.
    def cost(p: int) -> int:
        return sum(_share(app, p)[2] for app in eligible)

    low, high = 0, 100
    while low < high:
        middle = (low + high + 1) // 2
        if cost(middle) <= budget_cents:
            low = middle
        else:
            high = middle - 1
    return low


def _threshold(
    applications: Sequence[Application],
    order: Sequence[int],
    budget_cents: int,
    policy: Threshold,
) -> tuple[list[_Draft], int, int]:
    drafts = [_Draft(app) for app in applications]
    eligible = [applications[i] for i in order if applications[i].score >= policy.min_score]
    percent = policy.percent
    if percent is None:
        percent = _largest_percent(eligible, budget_cents)
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValueError("percent must be a whole number between 0 and 100")
    threshold = _score_text(policy.min_score)
    left = budget_cents
    for rank, index in enumerate(order, start=1):
        app, draft = applications[index], drafts[index]
        head = _head(app, rank)
        asked = app.requested_cents
        if app.score < policy.min_score:
            draft.code, draft.reason = (
                "below_threshold",
                f"{head}: below the threshold {threshold}.",
            )
            continue
        if asked == 0:
            draft.code, draft.reason = "nothing_requested", f"{head}: nothing requested."
            continue
        units, amounts, cents = _share(app, percent)
        if cents > left:
            # Only when a fixed percentage is too generous for the budget: rank order decides.
            draft.code = "none_budget"
            draft.reason = (
                f"{head}: not funded – {percent}% of the request is {euros(cents)}, "
                f"only {euros(left)} left after higher-ranked applications."
            )
            continue
        draft.units.update(units)
        draft.amounts.update(amounts)
        left -= cents
        if cents == asked:
            draft.code, draft.reason = "full", f"{head}: at or over {threshold}, funded in full."
        elif cents == 0:
            draft.code = "none_rounding"
            draft.reason = f"{head}: {percent}% of the request rounds down to no whole unit."
        else:
            draft.code = "partial"
            draft.reason = (
                f"{head}: at or over {threshold}, {percent}% of each line funded "
                f"(flat-rate units rounded down): {euros(cents)} of {euros(asked)}."
            )
    return drafts, left, percent


# --------------------------------------------------------------------------------------------
# (c) small organisations first


def _small_first(
    applications: Sequence[Application],
    order: Sequence[int],
    budget_cents: int,
    policy: SmallFirst,
) -> tuple[list[_Draft], int, int | None]:
    if policy.floor_cents < 0:
        raise ValueError("floor_cents must not be negative")
    floors = [_Draft(app) for app in applications]
    left = budget_cents
    for index in order:
        app = applications[index]
        if not app.small_organisation:
            continue
        if policy.min_score is not None and app.score < policy.min_score:
            continue
        left -= _fill_whole(floors[index], app, min(policy.floor_cents, left))

    rests = [floor.rest() for floor in floors]
    if isinstance(policy.then, ByScore):
        drafts, left = _by_score(rests, order, left)
        percent = None
    elif isinstance(policy.then, Threshold):
        drafts, left, percent = _threshold(rests, order, left, policy.then)
    else:
        raise TypeError("SmallFirst.then must be ByScore or Threshold")

    for floor, draft in zip(floors, drafts, strict=True):
        app = floor.app
        floor_cents = floor.granted_cents
        draft.add(floor)
        draft.app = app
        then_code, then_reason = draft.code, draft.reason
        asked = app.requested_cents
        if floor_cents == 0:
            continue  # the `then` policy's code and reason stand as they are
        prefix = f"Small organisation: {euros(floor_cents)} funded first as its floor. Then: "
        if draft.granted_cents == asked:
            draft.code = "full"
        elif then_code in ("none_budget", "below_threshold", "none_rounding", "nothing_requested"):
            draft.code = "small_floor"
        else:
            draft.code = "partial"
        if then_code == "nothing_requested":
            then_reason = "nothing more was requested."
        draft.reason = prefix + then_reason
    return drafts, left, percent


# --------------------------------------------------------------------------------------------
# (d) maximum score-weighted amount: exact MILP


def fractional_bound(applications: Sequence[Application], budget_cents: int) -> float:
    """Upper bound on sum(score × granted cents) for ANY allocation: units may be split.

    Every cent of a request is worth its application's score, so the relaxed optimum funds the
    best scores first and splits one request at the end (the LP bound of the MILP).
    """
    left, total = budget_cents, 0.0
    for app in sorted(applications, key=_rank_key):
        take = min(app.requested_cents, left)
        total += app.score * take
        left -= take
    return total


@dataclass
class _Group:
    """Interchangeable requests: same score and same unit price (or cost lines of one score)."""

    score: float
    unit_cents: int  # 1 for cost lines
    upper: int  # units (or cents) requested in the group
    integral: bool
    members: list[tuple[int, int]] = field(default_factory=list)  # (app index, line id)


def _groups(applications: Sequence[Application], order: Sequence[int]) -> list[_Group]:
    # Identical units of equal-score applications are interchangeable in the objective, so one
    # integer variable per (score, unit price) is an exact reformulation with far fewer columns.
    groups: dict[tuple[float, int, bool], _Group] = {}
    for index in order:
        app = applications[index]
        if app.score == 0:
            continue  # worth nothing to the objective; the completion step spends what is left
        for line in app.lines:
            if line.kind == FLAT_RATE and line.units and line.unit_cents:
                key = (app.score, line.unit_cents, True)
                upper = line.units
            elif line.kind == COST and line.amount_cents:
                key = (app.score, 1, False)
                upper = line.amount_cents
            else:
                continue
            group = groups.setdefault(
                key, _Group(score=app.score, unit_cents=key[1], upper=0, integral=key[2])
            )
            group.upper += upper
            group.members.append((index, line.id))
    return list(groups.values())


class _Knapsack:
    """The MILP of (d) after aggregation: maximise Σ value·x subject to Σ weight·x ≤ capacity,
    0 ≤ x ≤ upper, x whole for flat-rate groups. Value per weight is a group's score (scaled)."""

    def __init__(self, groups: Sequence[_Group], budget_cents: int) -> None:
        self.groups = groups
        self.has_cost = any(not g.integral for g in groups)
        # Dividing the budget row by the gcd of all unit prices keeps it exact and small
        # (2,000 € and 250 € become 8 and 1), which HiGHS handles much better than cents.
        step = 1 if self.has_cost else reduce(math.gcd, (g.unit_cents for g in groups))
        self.weights = [g.unit_cents / step for g in groups]
        self.capacity = budget_cents / step if self.has_cost else budget_cents // step
        # Objective in euros × score, the best score counted as 100 (i.e. cents × score / best):
        # moderate magnitudes whatever the score range, and HiGHS's absolute gap tolerance (1e-6)
        # stays far below what one cent changes. `scale` converts back to score × cents.
        self.scale = max(g.score for g in groups)
        self.values = [g.score * g.unit_cents / self.scale for g in groups]
        self.by_score = sorted(range(len(groups)), key=lambda j: -groups[j].score)
        # The LP relaxation fills by score; λ is the value per weight of the group it splits.
        self.price, used = 0.0, 0.0
        for j in self.by_score:
            used += self.weights[j] * groups[j].upper
            if used > self.capacity:
                self.price = self.values[j] / self.weights[j]
                break
        self.reduced = [v - self.price * w for v, w in zip(self.values, self.weights, strict=True)]
        self.lp_bound = self.price * self.capacity + math.fsum(
            d * g.upper for d, g in zip(self.reduced, groups, strict=True) if d > 0
        )

    def worth(self, x: Sequence[float]) -> float:
        return math.fsum(v * xj for v, xj in zip(self.values, x, strict=True))

    def fits(self, x: Sequence[float]) -> bool:
        """Whole units within the budget (cost lines are filled later, to the cent)."""
        spent = sum(
            w * xj for w, xj, g in zip(self.weights, x, self.groups, strict=True) if g.integral
        )
        return spent <= self.capacity

    def greedy(self) -> list[float]:
        """Best score first, as many units of each group as still fit."""
        left, taken = self.capacity, [0.0] * len(self.groups)
        for j in self.by_score:
            fit = left / self.weights[j]
            taken[j] = min(
                self.groups[j].upper, math.floor(fit) if self.groups[j].integral else fit
            )
            left -= taken[j] * self.weights[j]
        return taken

    def solve(self, lower, upper, capacity, columns, time_limit):
        """HiGHS on `columns` only (the rest stays at `lower`), with `capacity` for them."""
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp

        return milp(
            -np.array([self.values[j] for j in columns]),  # HiGHS minimises
            integrality=np.array([1 if self.groups[j].integral else 0 for j in columns]),
            bounds=Bounds(
                np.array([lower[j] for j in columns]), np.array([upper[j] for j in columns])
            ),
            constraints=LinearConstraint(
                np.array([[self.weights[j] for j in columns]]), -np.inf, capacity
            ),
            options={"mip_rel_gap": 0.0, "time_limit": time_limit, "presolve": True},
        )

    def margin(self, time_limit: float, size: int = 120) -> list[float] | None:
        """A near-optimal start: everything the LP funds in full stays funded, everything it
        leaves out stays out, except the `size` groups whose scores are closest to the margin,
        which a small MILP packs exactly into the rest of the budget."""
        if len(self.groups) <= size:
            return None
        near = sorted(range(len(self.groups)), key=lambda j: abs(self.reduced[j] / self.weights[j]))
        window = set(near[:size])
        x = [0.0] * len(self.groups)
        for j, d in enumerate(self.reduced):
            if j not in window and d > 0:
                x[j] = float(self.groups[j].upper)
        rest = self.capacity - math.fsum(w * xj for w, xj in zip(self.weights, x, strict=True))
        columns = sorted(window)
        lower = [0.0] * len(self.groups)
        upper = [float(g.upper) for g in self.groups]
        result = self.solve(lower, upper, rest, columns, time_limit)
        if result.x is None:
            return None
        for j, value in zip(columns, result.x, strict=True):
            x[j] = round(float(value)) if self.groups[j].integral else float(value)
        used = math.fsum(w * xj for w, xj in zip(self.weights, x, strict=True))
        return x if used <= self.capacity else None

    def fixed_bounds(self, incumbent: float) -> tuple[list[float], list[float]]:
        """Bounds every solution at least as good as `incumbent` obeys (reduced-cost fixing).

        With d_j = value_j − λ·weight_j, every feasible x has objective
        ≤ U − Σ_{d>0} d_j (upper_j − x_j) − Σ_{d<0} |d_j| x_j, where U is the LP bound. So a
        solution worth ≥ incumbent moves group j at most (U − incumbent)/|d_j| away from the
        LP's choice. No optimum is cut off; with a near-optimal incumbent almost every group is
        fixed and HiGHS solves a small core.
        """
        # Slack against rounding in the sums: loosening the bounds is always safe.
        gap = self.lp_bound - incumbent + 1e-6 + 1e-9 * abs(self.lp_bound)
        lower = [0.0] * len(self.groups)
        upper = [float(g.upper) for g in self.groups]
        for j, (g, d) in enumerate(zip(self.groups, self.reduced, strict=True)):
            if abs(d) * g.upper <= gap:
                continue  # may move all the way: nothing to fix (and no overflow below)
            reach = gap / abs(d)  # < g.upper
            reach = math.floor(reach) if g.integral else reach
            if d > 0:
                lower[j] = g.upper - reach
            else:
                upper[j] = reach
        return lower, upper


def _solve_milp(
    groups: Sequence[_Group], budget_cents: int, time_limit: float
) -> tuple[list[int], str, float | None]:
    """Whole units per group, HiGHS's status and its proven upper bound on the objective."""
    if not groups:
        return [], "optimal", 0.0
    started = time.perf_counter()
    model = _Knapsack(groups, budget_cents)
    # The better of two starts decides how much can be fixed before the real solve.
    best = model.greedy()
    margin = model.margin(time_limit=min(1.0, time_limit / 4))
    if margin is not None and model.worth(margin) > model.worth(best):
        best = margin
    lower, upper = model.fixed_bounds(model.worth(best))
    everything = range(len(groups))
    left_time = max(0.1, time_limit - (time.perf_counter() - started))
    result = model.solve(lower, upper, model.capacity, everything, left_time)
    status, bound = "heuristic", None
    if result.x is not None:
        status = "optimal" if result.status == 0 else "feasible"
        if result.mip_dual_bound is not None:
            bound = -result.mip_dual_bound * model.scale
        solution = [
            round(float(x)) if g.integral else float(x)
            for x, g in zip(result.x, groups, strict=True)
        ]
        if not model.fits(solution):
            status, bound = "feasible", None  # rounding within tolerance overshot: never accept
        elif model.worth(solution) >= model.worth(best):
            best = solution  # the start wins only within HiGHS's tolerances or out of time
    elif margin is not None:
        status = "feasible"  # no proof, but better than a rule of thumb
    units = [int(x) if g.integral else 0 for x, g in zip(best, groups, strict=True)]
    return units, status, bound


def _hand_out(
    applications: Sequence[Application],
    groups: Sequence[_Group],
    units: Sequence[int],
    drafts: Sequence[_Draft],
    left: int,
) -> int:
    """Give each group's units to its members in rank order (they are interchangeable)."""
    for group, count in zip(groups, units, strict=True):
        if not group.integral:
            continue  # cost cents are set by the completion step
        for index, line_id in group.members:
            line = next(line for line in applications[index].lines if line.id == line_id)
            take = min(count, line.units)
            drafts[index].units[line_id] = take
            count -= take
            left -= take * line.unit_cents
    return left


def _max_weighted(
    applications: Sequence[Application],
    order: Sequence[int],
    budget_cents: int,
    policy: MaxWeighted,
) -> tuple[list[_Draft], int, str, float | None]:
    drafts = [_Draft(app) for app in applications]
    left = budget_cents
    status: str = "optimal"  # when the whole demand fits, funding everything is the optimum
    bound: float | None = None
    if sum(app.requested_cents for app in applications) > budget_cents:
        groups = _groups(applications, order)
        units, status, bound = _solve_milp(groups, budget_cents, policy.time_limit_seconds)
        left = _hand_out(applications, groups, units, drafts, left)

    # Completion, in rank order: cost lines take what the units leave (this is the exact optimum
    # of the continuous part given the units), then anything that still fits, e.g. zero-score
    # requests or units HiGHS's tolerance left out. It never lowers the objective.
    for index in order:
        for line in applications[index].lines:
            draft = drafts[index]
            if line.kind == COST:
                take = min(line.amount_cents - draft.amounts[line.id], left)
                draft.amounts[line.id] += take
                left -= take
            elif line.unit_cents:
                take = min(line.units - draft.units[line.id], left // line.unit_cents)
                draft.units[line.id] += take
                left -= take * line.unit_cents

    for rank, index in enumerate(order, start=1):
        app, draft = applications[index], drafts[index]
        head, asked, got = _head(app, rank), app.requested_cents, draft.granted_cents
        if asked == 0:
            draft.code, draft.reason = "nothing_requested", f"{head}: nothing requested."
        elif got == asked:
            draft.code, draft.reason = "full", f"{head}: funded in full."
        elif got:
            draft.code = "partial"
            draft.reason = (
                f"{head}: {euros(got)} of {euros(asked)} funded – the split of the budget with "
                f"the highest total of score × amount funds only this part."
            )
        else:
            draft.code = "none_budget"
            draft.reason = (
                f"{head}: not funded – the budget achieves a higher total of score × amount "
                f"on other applications."
            )
    return drafts, left, status, bound


# --------------------------------------------------------------------------------------------
# Public entry points


def allocate(applications: Sequence[Application], budget_cents: int, policy: Policy) -> Proposal:
    """One allocation proposal for `applications` within `budget_cents` under `policy`."""
    started = time.perf_counter()
    applications = list(applications)
    _validate(applications, budget_cents)
    order = _ranking(applications)
    if isinstance(policy, ByScore):
        drafts, _ = _by_score(applications, order, budget_cents)
        return _proposal("by_score", applications, budget_cents, drafts, "heuristic", started)
    if isinstance(policy, Threshold):
        drafts, _, percent = _threshold(applications, order, budget_cents, policy)
        return _proposal(
            "threshold", applications, budget_cents, drafts, "heuristic", started, percent=percent
        )
    if isinstance(policy, SmallFirst):
        drafts, _, percent = _small_first(applications, order, budget_cents, policy)
        return _proposal(
            "small_first", applications, budget_cents, drafts, "heuristic", started, percent=percent
        )
    if isinstance(policy, MaxWeighted):
        drafts, _, status, bound = _max_weighted(applications, order, budget_cents, policy)
        proposal = _proposal(
            "max_weighted", applications, budget_cents, drafts, status, started, bound=bound
        )
        if bound is None and status == "optimal":
            # The whole demand fits: funding everything is the optimum, nothing to prove.
            proposal = replace(proposal, bound=proposal.objective)
        return proposal
    raise TypeError(f"unknown policy {policy!r}")


def compare(
    applications: Sequence[Application], budget_cents: int, policies: Iterable[Policy]
) -> list[Proposal]:
    """The proposals of several policies on the same input, in the order of `policies`."""
    applications = list(applications)
    return [allocate(applications, budget_cents, policy) for policy in policies]


def check(applications: Sequence[Application], budget_cents: int, proposal: Proposal) -> list[str]:
    """Independent checker: total ≤ budget, no grant > request, units whole and ≤ requested,
    cost amounts ≤ requested, grants match units/amounts; [] when valid.

    Missing line ids in `units`/`amounts` count as 0 (so an edited proposal may leave them out).
    """
    problems: list[str] = []
    add: Callable[[str], None] = problems.append
    applications = list(applications)
    if len(proposal.grants) != len(applications):
        return [f"{len(proposal.grants)} grants for {len(applications)} applications"]
    total = 0
    for app, grant in zip(applications, proposal.grants, strict=True):
        where = f"application {app.id}"
        if grant.application_id != app.id:
            add(f"{where}: grant is for application {grant.application_id} (order differs)")
            continue
        flats = {line.id: line for line in app.lines if line.kind == FLAT_RATE}
        costs = {line.id: line for line in app.lines if line.kind == COST}
        for line_id in set(grant.units) - set(flats):
            add(f"{where}: units given for line {line_id}, which is not a flat-rate line")
        for line_id in set(grant.amounts) - set(costs):
            add(f"{where}: amount given for line {line_id}, which is not a cost line")
        cents = 0
        for line_id, line in flats.items():
            units = grant.units.get(line_id, 0)
            if type(units) is not int:
                add(f"{where}, line {line_id}: {units!r} is not a whole number of units")
                continue
            if not 0 <= units <= line.units:
                add(f"{where}, line {line_id}: {units} units funded, {line.units} requested")
            cents += units * line.unit_cents
        for line_id, line in costs.items():
            amount = grant.amounts.get(line_id, 0)
            if type(amount) is not int:
                add(f"{where}, line {line_id}: {amount!r} is not a whole number of cents")
                continue
            if not 0 <= amount <= line.amount_cents:
                add(f"{where}, line {line_id}: {amount} cents funded, {line.amount_cents} asked")
            cents += amount
        if grant.granted_cents != cents:
            add(f"{where}: granted {grant.granted_cents} cents but lines add up to {cents}")
        if grant.granted_cents > app.requested_cents:
            add(f"{where}: granted {grant.granted_cents} cents, requested {app.requested_cents}")
        if grant.reason_code not in REASON_CODES:
            add(f"{where}: unknown reason code {grant.reason_code!r}")
        total += grant.granted_cents
    if proposal.budget_cents != budget_cents:
        add(f"proposal budget {proposal.budget_cents} differs from {budget_cents}")
    if total > budget_cents:
        add(f"grants total {total} cents, more than the budget of {budget_cents}")
    if proposal.total_cents != total:
        add(f"total_cents {proposal.total_cents} but the grants add up to {total}")
    if proposal.left_cents != budget_cents - total:
        add(f"left_cents {proposal.left_cents} but {budget_cents - total} are left")
    objective = _objective(applications, proposal.grants)
    if not math.isclose(proposal.objective, objective, rel_tol=1e-9, abs_tol=1e-6):
        add(f"objective {proposal.objective} but the grants give {objective}")
    return problems
