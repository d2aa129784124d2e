"""Benchmark of the mediator matching: prints figures, passes or fails nothing.

For each size (requests × mediators, one synthetic week in Dortmund with a fixed seed) it runs
first-come-first-served (`greedy_batch`) and the exact solver (`solve_batch`, SciPy MILP/HiGHS)
and prints: requests filled, total travel (km, one way, district centroid to centroid), the most
new assignments of any mediator, solve time (wall clock, and the CPU time of this process, which
shows how much other programs slowed the run) and the optimality status, plus how many hard
constraints each answer breaks (checked by `violations`; always 0).

Language mix after DOMAIN.md §2: many Arabic, Farsi/Dari, Turkish, Romanian, Bulgarian, Russian,
Ukrainian; few Tigrinya, Pashto, Somali, Sorani. Districts: the 12 Stadtbezirke of
data/dortmund/stadtbezirke.geojson; distances between their centroids computed with shapely.

Usage: .venv/bin/python bench/mediation.py [--seed 2024] [--sizes 150x60,1000x400]
       [--time-limit 10]
"""

import argparse
import json
import math
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from teilhabe.mediation.matching import (  # noqa: E402
    AREAS,
    Booking,
    Config,
    Interval,
    MediatorData,
    RequestData,
    Skill,
    greedy_batch,
    solve_batch,
    violations,
)

BERLIN = ZoneInfo("Europe/Berlin")
WEEK_START = datetime(2026, 3, 9, tzinfo=BERLIN)  # a Monday

# code, share of requests, share of mediators, varieties (Arabic requests sometimes name one)
LANGUAGES = [
    ("ar", 24, 22, ("Levantine", "Iraqi", "Egyptian", "Maghrebi")),
    ("fa", 9, 9, ()),
    ("prs", 6, 5, ()),
    ("tr", 10, 12, ()),
    ("ro", 10, 7, ()),
    ("bg", 9, 7, ()),
    ("ru", 7, 9, ()),
    ("uk", 8, 8, ()),
    ("kmr", 5, 5, ()),
    ("ckb", 2, 1.5, ()),
    ("ti", 3, 1.5, ()),
    ("ps", 2, 1.5, ()),
    ("so", 2, 1, ()),
    ("sq", 1.5, 2, ()),
    ("fr", 1.5, 2.5, ()),
]
# Second languages mediators often have (probability).
ALSO = {
    "ar": [("kmr", 0.15), ("fr", 0.1)],
    "fa": [("prs", 0.6)],
    "prs": [("fa", 0.6), ("ps", 0.3)],
    "ps": [("prs", 0.5)],
    "ru": [("uk", 0.5)],
    "uk": [("ru", 0.7)],
    "tr": [("kmr", 0.2)],
    "bg": [("tr", 0.25)],
    "kmr": [("tr", 0.4), ("ar", 0.3)],
    "ckb": [("ar", 0.4)],
    "so": [("ar", 0.3)],
    "ti": [("ar", 0.2)],
}
AREA_WEIGHTS = {"health": 30, "education": 35, "social": 15, "authorities": 15, "other": 5}


def districts() -> tuple[dict[int, str], dict[int, float], dict[tuple[int, int], float]]:
    """Names, population weights (area as a stand-in: denser centre weighted up) and centroid
    distances in km of the 12 Stadtbezirke."""
    import shapely
    from shapely.geometry import shape

    data = json.loads((ROOT / "data/dortmund/stadtbezirke.geojson").read_text())
    lat0 = math.radians(51.51)

    def to_km(coords):  # equirectangular around Dortmund: plenty for centroid distances
        return coords * [111.32 * math.cos(lat0), 110.57]

    names, weights, centre = {}, {}, {}
    for feature in data["features"]:
        number = int(feature["properties"]["stadtbezirk_nr"])
        names[number] = feature["properties"]["stadtbezirk"]
        centre[number] = shapely.transform(shape(feature["geometry"]), to_km).centroid
        inner = number in (10, 20, 30)
        weights[number] = (3.0 if number == 20 else 2.0 if inner else 1.0) * 10
    distance = {
        (a, b): round(centre[a].distance(centre[b]), 2) for a in centre for b in centre if a < b
    }
    return names, weights, distance


def pick(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def synthetic_week(n_requests: int, n_mediators: int, seed: int, district_weights: dict):
    rng = random.Random(seed)
    district_ids = list(district_weights)
    request_share = {code: share for code, share, _m, _v in LANGUAGES}
    mediator_share = {code: share for code, _r, share, _v in LANGUAGES}
    varieties = {code: v for code, _r, _m, v in LANGUAGES}

    def day(d: int, hour: float) -> datetime:
        return WEEK_START + timedelta(days=d, minutes=round(hour * 60))

    mediators = []
    for mid in range(1, n_mediators + 1):
        first = pick(rng, mediator_share)
        skills = [
            Skill(
                language=first,
                dialect=rng.choice(varieties[first]) if varieties[first] else "",
                level="native",
            )
        ]
        for other, chance in ALSO.get(first, []):
            if rng.random() < chance:
                level = rng.choice(["fluent", "fluent", "basic"])
                skills.append(Skill(language=other, level=level))
        home = pick(rng, district_weights)
        if rng.random() < 0.45:
            reach = None
        else:
            reach = frozenset([home, *rng.sample(district_ids, rng.randint(1, 5))])
        settings = pick(
            rng,
            {
                ("in_person", "phone", "video"): 70,
                ("in_person", "phone"): 20,
                ("phone", "video"): 10,
            },
        )
        areas = frozenset(rng.sample(AREAS, rng.randint(3, 5)))
        windows = []
        for d in sorted(rng.sample(range(5), rng.randint(2, 4))):
            start, end = pick(rng, {(8, 13): 3, (13, 18): 3, (8, 18): 2, (10, 16): 2})
            windows.append(Interval(start=day(d, start), end=day(d, end)))
        bookings = ()
        if rng.random() < 0.2:
            window = rng.choice(windows)
            start = window.start + timedelta(hours=rng.randint(0, 2))
            setting = rng.choice(settings)
            bookings = (
                Booking(
                    start=start,
                    end=start + timedelta(hours=1),
                    setting=setting,
                    district=home if setting == "in_person" else None,
                ),
            )
        mediators.append(
            MediatorData(
                id=mid,
                skills=tuple(skills),
                areas=areas,
                settings=frozenset(settings),
                districts=reach,
                home_district=home,
                available=tuple(windows),
                bookings=bookings,
                max_per_week=pick(rng, {2: 3, 3: 4, 4: 2, 5: 1}),
                recent_assignments=rng.randint(0, 10),
                area_experience={a: rng.randint(0, 15) for a in sorted(areas)},
                gender=pick(rng, {"female": 50, "male": 45, "": 5}),
            )
        )

    requests = []
    for rid in range(1, n_requests + 1):
        language = pick(rng, request_share)
        dialect = ""
        if varieties[language] and rng.random() < 0.15:
            dialect = rng.choice(varieties[language])
        start = day(rng.randrange(5), 8 + rng.randrange(18) / 2)  # 08:00 … 16:30
        setting = pick(rng, {"in_person": 60, "phone": 25, "video": 15})
        requests.append(
            RequestData(
                id=rid,
                language=language,
                dialect=dialect,
                start=start,
                end=start + timedelta(minutes=pick(rng, {60: 5, 90: 3, 120: 2})),
                setting=setting,
                area=pick(rng, AREA_WEIGHTS),
                district=pick(rng, district_weights) if setting == "in_person" else None,
                gender_preference="female" if rng.random() < 0.1 else "",
                received=WEEK_START - timedelta(days=7, minutes=rng.randrange(7 * 24 * 60)),
            )
        )
    return requests, mediators


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--sizes", default="150x60,1000x400", help="requests x mediators, …")
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args()

    _names, weights, distance = districts()
    import scipy.optimize  # noqa: F401  (imported once per server process, not per solve)

    config = Config(distance_km=distance, time_limit_seconds=args.time_limit)
    print(
        f"Mediator matching, one synthetic week, seed {args.seed}, time limit "
        f"{args.time_limit:g} s, {os.cpu_count()} CPUs, 12 Dortmund districts"
    )
    header = (
        f"{'size':>10}  {'solver':<6}  {'filled':>6}  {'unfilled':>8}  {'travel km':>9}  "
        f"{'max load':>8}  {'seconds':>7}  {'cpu s':>7}  {'status':<8}  {'violations':>10}"
    )
    print(header)
    print("-" * len(header))
    notes = []
    for size in args.sizes.split(","):
        n_requests, n_mediators = (int(x) for x in size.lower().split("x"))
        requests, mediators = synthetic_week(n_requests, n_mediators, args.seed, weights)
        label = f"{n_requests}x{n_mediators}"
        cpu: dict[str, float] = {}
        started = time.process_time()
        greedy = greedy_batch(requests, mediators, config)
        cpu["greedy"] = time.process_time() - started
        started = time.process_time()
        exact = solve_batch(requests, mediators, config)
        cpu["exact"] = time.process_time() - started
        for name, result in (("greedy", greedy), ("exact", exact)):
            broken = len(violations(requests, mediators, result.assignments, config))
            print(
                f"{label:>10}  {name:<6}  {result.filled:>6}  {len(result.unfilled):>8}  "
                f"{result.travel_km:>9.1f}  {result.max_load:>8}  {result.solve_seconds:>7.2f}  "
                f"{cpu[name]:>7.2f}  {result.status:<8}  {broken:>10}"
            )
            label = ""
        stats = exact.stats
        notes.append(
            f"{n_requests}x{n_mediators}: {stats['pairs']} eligible pairs in "
            f"{stats['components']} components, {stats['variables']} variables, "
            f"{stats['constraints']} constraints; solves: fill and travel "
            f"{stats['fill_travel_seconds']:.2f} s, load {stats['load_seconds']:.2f} s; "
            f"proven: {stats['proven']}; exact - greedy = {exact.filled - greedy.filled:+d} filled"
        )
    print()
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
