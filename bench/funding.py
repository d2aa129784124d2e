"""Benchmark of the allocation policies (teilhabe/funding/allocation.py): prints figures only.

A synthetic funding round: `--applications` applications (default 2,000) asking for `--units`
flat-rate units in total (default 10,000) from the flat-rate catalogue below, scored like a
committee would (mean of four criteria, 0–100), 45 % of them small organisations, against a budget
of half the demand. For every policy: time, budget used, money left, the objective
sum(score × granted cents) and its share of the LP bound (no allocation can do better than that
bound); for (d) MaxWeighted its proven status and HiGHS's dual bound, and the check that the money
left is less than the cheapest flat-rate unit still unfunded. Every proposal also goes through the
independent checker `check()`.

The headline run is flat rates only; a second run adds a cost-based line (funded to the cent) to
`--cost-share` of the applications (0 skips it).

Usage: .venv/bin/python bench/funding.py [--seed 20261121] [--applications 2000] [--units 10000]
       [--cost-share 0.25] [--repeat 3] [--scores committee|real]
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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
    fractional_bound,
)

# (name, cents per unit, units one application may ask for, weight among the lines)
FLAT_RATES = [
    ("arrival meeting point", 200_000, 2, 15),
    ("low-threshold offer", 25_000, 40, 55),
    ("volunteer training", 50_000, 6, 15),
    ("information event", 100_000, 3, 10),
    ("print and translation", 15_000, 10, 5),
]

POLICIES = [
    ("(a) by score", ByScore()),
    ("(b) score ≥ 50, largest % that fits", Threshold(min_score=50)),
    ("(c) small first 1,000 €, then (a)", SmallFirst(floor_cents=100_000, then=ByScore())),
    (
        "(c) small first 1,000 €, then (b)",
        SmallFirst(floor_cents=100_000, then=Threshold(min_score=50)),
    ),
    ("(d) max score × amount (MILP)", MaxWeighted()),
]


def synthetic_round(
    seed: int, applications: int, units: int, cost_share: float, real_scores: bool = False
) -> tuple[list[Application], int]:
    """Applications with exactly `units` flat-rate units in total, and half the demand as budget."""
    rng = random.Random(seed)
    if units < applications:
        raise SystemExit("--units must be at least --applications (one unit each)")
    plans = []  # per application: list of [unit_cents, units, cap]
    for _ in range(applications):
        count = rng.choices([1, 2, 3], weights=[50, 35, 15])[0]
        kinds = rng.choices(FLAT_RATES, weights=[k[3] for k in FLAT_RATES], k=count)
        plans.append([[cents, 0, cap, weight] for _, cents, cap, weight in kinds])
    lines = [line for plan in plans for line in plan]
    for plan in plans:  # every application asks for at least one unit
        plan[0][1] = 1
    remaining = units - applications
    open_lines = [line for line in lines if line[1] < line[2]]
    while remaining:
        line = rng.choices(open_lines, weights=[line[3] for line in open_lines])[0]
        line[1] += 1
        remaining -= 1
        if line[1] >= line[2]:
            open_lines.remove(line)
    result, line_id = [], 0
    for number, plan in enumerate(plans, start=1):
        app_lines = []
        for cents, count, _, _ in plan:
            if count:
                line_id += 1
                app_lines.append(Line(id=line_id, kind=FLAT_RATE, unit_cents=cents, units=count))
        if rng.random() < cost_share:
            line_id += 1
            amount = rng.randint(500_00, 8_000_00) + rng.randint(0, 99)
            app_lines.append(Line(id=line_id, kind=COST, amount_cents=amount))
        criteria = [min(100, max(0, round(rng.gauss(62, 18)))) for _ in range(4)]
        score = sum(criteria) / 4
        if real_scores:  # no ties, no common denominator: the hard case for the MILP
            score = min(100.0, max(0.0, rng.gauss(62, 18)))
        result.append(
            Application(
                id=number,
                score=score,
                small_organisation=rng.random() < 0.45,
                lines=tuple(app_lines),
            )
        )
    demand = sum(app.requested_cents for app in result)
    return result, demand // 2


def eur(cents: float) -> str:
    return f"{cents / 100:,.2f}"


def cheapest_unfunded_unit(applications, proposal) -> int | None:
    prices = [
        line.unit_cents
        for app, grant in zip(applications, proposal.grants, strict=True)
        for line in app.lines
        if line.kind == FLAT_RATE and grant.units.get(line.id, 0) < line.units
    ]
    return min(prices) if prices else None


def run(title: str, applications: list[Application], budget: int, repeat: int) -> bool:
    demand = sum(app.requested_cents for app in applications)
    flat_units = sum(
        line.units for app in applications for line in app.lines if line.kind == FLAT_RATE
    )
    cost_lines = sum(1 for app in applications for line in app.lines if line.kind == COST)
    bound = fractional_bound(applications, budget)
    print(f"\n== {title}")
    print(
        f"{len(applications):,} applications, {flat_units:,} flat-rate units, {cost_lines:,} cost "
        f"lines; demand {eur(demand)} €, budget {eur(budget)} € (half); "
        f"LP bound on the objective {eur(bound)} score·€"
    )
    header = (
        f"{'policy':<42} {'time s':>7} {'cpu s':>6} {'used €':>15} {'used':>6} {'left €':>13} "
        f"{'objective score·€':>19} {'of LP bound':>11} {'status':>9} {'check':>6}"
    )
    print(header)
    print("-" * len(header))
    proposals, all_ok = {}, True
    for label, policy in POLICIES:
        times, cpu = [], []
        for _ in range(repeat):
            cpu_started = time.process_time()
            proposal = allocate(applications, budget, policy)
            cpu.append(time.process_time() - cpu_started)
            times.append(proposal.seconds)
        problems = check(applications, budget, proposal)
        all_ok &= not problems and statistics.median(times) < 1.0
        proposals[label] = proposal
        name = label + (f" → {proposal.percent} %" if proposal.percent is not None else "")
        print(
            f"{name:<42} {statistics.median(times):>7.3f} {statistics.median(cpu):>6.3f} "
            f"{eur(proposal.total_cents):>15} "
            f"{proposal.total_cents / budget:>6.1%} {eur(proposal.left_cents):>13} "
            f"{eur(proposal.objective):>19} {proposal.objective / bound:>11.4%} "
            f"{proposal.status:>9} {'ok' if not problems else 'FAILED':>6}"
        )
        for problem in problems[:5]:
            print(f"    {problem}")

    best = proposals[POLICIES[-1][0]]
    others = [p for label, p in proposals.items() if p is not best]
    cheapest = cheapest_unfunded_unit(applications, best)
    fits = cheapest is None or best.left_cents < cheapest
    not_worse = all(best.objective >= p.objective for p in others)
    print(
        f"(d) status: {best.status}; HiGHS dual bound {eur(best.bound or 0)} score·€ "
        f"(objective {eur(best.objective)}); times: median of {repeat} runs, wall clock and CPU"
    )
    print(
        f"(d) money left {eur(best.left_cents)} € < cheapest unfunded flat-rate unit "
        f"{eur(cheapest) if cheapest is not None else '–'} €: {'yes' if fits else 'NO'}"
    )
    print(f"(d) objective ≥ every other policy's: {'yes' if not_worse else 'NO'}")
    return all_ok and fits and not_worse and best.status == "optimal"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--cost-share", type=float, default=0.25)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--scores",
        choices=["committee", "real"],
        default="committee",
        help="committee: means of four whole-number criteria (default); real: any real number",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    import scipy.optimize  # noqa: F401  (imported once per process; not part of a policy's time)

    print(
        f"seed {args.seed}, scores: {args.scores}; scipy.optimize import (once per process) "
        f"{time.perf_counter() - started:.2f} s"
    )
    real = args.scores == "real"
    applications, budget = synthetic_round(args.seed, args.applications, args.units, 0.0, real)
    ok = run("headline: flat rates only", applications, budget, args.repeat)
    if args.cost_share > 0:
        applications, budget = synthetic_round(
            args.seed, args.applications, args.units, args.cost_share, real
        )
        ok &= run(
            f"with cost lines: {args.cost_share:.0%} of applications add one",
            applications,
            budget,
            args.repeat,
        )
    print(
        f"\ntargets (every policy < 1 s, (d) proven optimal, nothing more fits under (d)): "
        f"{'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
