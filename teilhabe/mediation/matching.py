"""Matching requests for a language mediator to mediators: a pure module.

Plain dataclasses in, plain results out; no Django, no database. The services of the mediation
module build `RequestData`/`MediatorData` from their rows, call these functions and store the
answer. docs/mediation-matching.md explains the model; bench/mediation.py measures it.

- `rank_candidates`: every mediator who speaks the language of one request, eligible ones first,
  best first, with the reasons staff see.
- `solve_batch`: the exact assignment for many requests (SciPy's MILP, i.e. HiGHS): fill the most
  requests, then travel the least, then even out the load, each proven optimal in turn.
- `greedy_batch`: first come, first served — today's practice, the baseline the solver must beat.
- `violations`: an independent check of any assignment against every hard constraint.

Hard constraints (a pair request/mediator is *eligible* when all hold):
  language (+ the dialect when the request names one), setting, area, reach (an in-person place in
  one of the mediator's districts, or a whole-city mediator), availability (the whole request
  inside one availability window; touching windows count as one), no clash with a booking
  (blocked intervals, see `blocked_interval`), the weekly maximum per ISO week (bookings
  included).
Soft (score and reasons only): language level, area experience, travel, fairness (recent
assignments), load this week, gender preference.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

SETTINGS = ("in_person", "phone", "video")
AREAS = ("health", "education", "social", "authorities", "other")
LEVELS = ("native", "fluent", "basic")  # better first

# Score weights of `rank_candidates` (higher score = better). Gender preference weighs most among
# the soft criteria; a kilometre of travel weighs about as much as half a recent assignment.
LEVEL_POINTS = {"native": 2.0, "fluent": 1.0, "basic": -1.0}
EXPERIENCE_POINTS_PER_ASSIGNMENT = 0.2  # up to EXPERIENCE_CAP assignments count
EXPERIENCE_CAP = 10
TRAVEL_POINTS_PER_KM = -0.15
RECENT_POINTS_PER_ASSIGNMENT = -0.25  # up to RECENT_CAP assignments count
RECENT_CAP = 12
WEEK_LOAD_POINTS_PER_BOOKING = -0.5
GENDER_POINTS = 3.0  # + when the preference is met, - when it is not


@dataclass(frozen=True, kw_only=True)
class Interval:
    """Half-open [start, end), timezone-aware datetimes."""

    start: datetime
    end: datetime


@dataclass(frozen=True, kw_only=True)
class Skill:
    language: str  # ISO 639 code, e.g. "ar", "ti", "ku"
    dialect: str = ""  # free variety label, e.g. "Levantine", "Kurmanji"; "" = unspecified
    level: str = "fluent"


@dataclass(frozen=True, kw_only=True)
class Booking:
    """An appointment the mediator already holds (confirmed or offered)."""

    start: datetime
    end: datetime
    setting: str
    district: int | None = None
    # The request this booking belongs to, if known. A booking of a request that is itself being
    # matched (e.g. its earlier, unanswered offer) is ignored, so it neither blocks nor counts.
    request_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class MediatorData:
    id: int
    skills: tuple[Skill, ...]
    areas: frozenset[str]
    settings: frozenset[str]
    districts: frozenset[int] | None  # where they go in person; None = whole city
    home_district: int | None
    # Concrete windows in the period (weekly windows already expanded to dates, absences
    # already removed).
    available: tuple[Interval, ...]
    bookings: tuple[Booking, ...] = ()
    max_per_week: int = 3
    recent_assignments: int = 0  # e.g. last 8 weeks, for fairness
    area_experience: dict[str, int] = field(default_factory=dict)  # area -> done assignments
    gender: str = ""  # "", "female", "male", "diverse"


@dataclass(frozen=True, kw_only=True)
class RequestData:
    id: int
    language: str
    dialect: str = ""  # "" = any variety is fine
    start: datetime
    end: datetime
    setting: str
    area: str
    district: int | None = None  # place of an in-person appointment
    gender_preference: str = ""  # "" = none
    received: datetime | None = None  # for first-come-first-served order


@dataclass(frozen=True, kw_only=True)
class Config:
    travel_buffer: timedelta = timedelta(minutes=30)
    # District centroid distances; symmetric lookup; a missing pair -> default_km, a missing
    # (d, d) -> 0 km.
    distance_km: dict[tuple[int, int], float] = field(default_factory=dict)
    default_km: float = 8.0
    time_limit_seconds: float = 10.0
    # ISO weeks (for the weekly maximum) and the times in reasons are read in this time zone.
    timezone: str = "Europe/Berlin"


@dataclass(frozen=True, kw_only=True)
class Reason:
    code: str  # language, level, setting, area, district, travel, available, booked,
    #            weekly_max, fairness, gender
    ok: bool
    detail: str  # short English text with codes and numbers; the UI translates by `code`/`params`
    hard: bool = False  # a hard constraint: `ok=False` makes the mediator ineligible
    params: dict[str, object] = field(default_factory=dict)  # the values in `detail`


@dataclass(frozen=True, kw_only=True)
class Candidate:
    mediator_id: int
    eligible: bool  # all hard constraints hold
    score: float  # higher is better; only meaningful among eligible
    reasons: tuple[Reason, ...]
    travel_km: float


@dataclass(frozen=True, kw_only=True)
class BatchResult:
    assignments: dict[int, int]  # request id -> mediator id
    unfilled: tuple[int, ...]
    filled: int
    travel_km: float
    max_load: int  # most NEW assignments of any mediator in this result (bookings not counted)
    status: str  # "optimal" | "feasible" (time limit) | "greedy"
    solve_seconds: float
    # Figures for benchmarks and logs: pairs, variables, constraints, components, stage times.
    stats: dict[str, object] = field(default_factory=dict)


# --------------------------------------------------------------------------- shared rules


def blocked_interval(start: datetime, end: datetime, setting: str, buffer: timedelta) -> Interval:
    """The time an appointment blocks in the mediator's calendar: in person, half the travel
    buffer on each side ([start - b/2, end + b/2)); phone/video exactly [start, end). Two
    appointments of one mediator are compatible iff their blocked intervals do not overlap.
    The Django side uses THIS function for its database constraint too — keep it exactly so."""
    if setting == "in_person":
        half = buffer / 2
        return Interval(start=start - half, end=end + half)
    return Interval(start=start, end=end)


def overlaps(a: Interval, b: Interval) -> bool:
    """Half-open intervals: touching ones ([9, 10) and [10, 11)) do not overlap."""
    return a.start < b.end and b.start < a.end


def distance_km(a: int | None, b: int | None, config: Config) -> float:
    """Centroid distance between two districts; unknown district -> default_km."""
    if a is None or b is None:
        return config.default_km
    known = config.distance_km.get((a, b))
    if known is None:
        known = config.distance_km.get((b, a))
    if known is None:
        return 0.0 if a == b else config.default_km
    return float(known)


def travel_km(request: RequestData, mediator: MediatorData, config: Config = Config()) -> float:
    """One way, home district to the place; phone and video need no travel."""
    if request.setting != "in_person":
        return 0.0
    return distance_km(mediator.home_district, request.district, config)


def iso_week(moment: datetime, config: Config = Config()) -> tuple[int, int]:
    """(ISO year, ISO week) of a moment, read in the configured time zone."""
    local = moment.astimezone(ZoneInfo(config.timezone)) if moment.tzinfo else moment
    year, week, _day = local.isocalendar()
    return year, week


def _same_dialect(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def matching_skill(request: RequestData, mediator: MediatorData) -> Skill | None:
    """The mediator's best skill that serves the request: same language and, if the request
    names a dialect, that dialect (a skill without a dialect does not count then)."""
    fitting = [
        s
        for s in mediator.skills
        if s.language == request.language
        and (not request.dialect or _same_dialect(s.dialect, request.dialect))
    ]
    if not fitting:
        return None
    return min(fitting, key=_level_rank)


def _level_rank(skill: Skill) -> int:
    return LEVELS.index(skill.level) if skill.level in LEVELS else len(LEVELS)


def reaches(request: RequestData, mediator: MediatorData) -> bool:
    """In person only where the mediator goes; an unknown place only for whole-city mediators."""
    if request.setting != "in_person" or mediator.districts is None:
        return True
    return request.district is not None and request.district in mediator.districts


def merged_windows(windows: Iterable[Interval]) -> list[Interval]:
    """Availability windows with touching or overlapping ones joined: 09–11 and 11–13 let a
    request 10–12 through, as a person free from 9 to 13 would expect."""
    merged: list[Interval] = []
    for window in sorted(windows, key=lambda w: (w.start, w.end)):
        if merged and window.start <= merged[-1].end:
            if window.end > merged[-1].end:
                merged[-1] = Interval(start=merged[-1].start, end=window.end)
        else:
            merged.append(window)
    return merged


def availability_window(request: RequestData, mediator: MediatorData) -> Interval | None:
    """The (merged) availability window that holds the whole request, if any."""
    for window in merged_windows(mediator.available):
        if window.start <= request.start and request.end <= window.end:
            return window
    return None


def relevant_bookings(mediator: MediatorData, matched_ids: Iterable[int]) -> tuple[Booking, ...]:
    """The mediator's bookings without those of requests that are being matched now."""
    ignore = set(matched_ids)
    if not ignore:
        return mediator.bookings
    return tuple(b for b in mediator.bookings if b.request_id is None or b.request_id not in ignore)


def _request_blocked(request: RequestData, config: Config) -> Interval:
    return blocked_interval(request.start, request.end, request.setting, config.travel_buffer)


def _booking_blocked(booking: Booking, config: Config) -> Interval:
    return blocked_interval(booking.start, booking.end, booking.setting, config.travel_buffer)


# --------------------------------------------------------------------------- one request


def rank_candidates(
    request: RequestData, mediators: Sequence[MediatorData], config: Config = Config()
) -> list[Candidate]:
    """All mediators who speak the language, eligible first, best first, with reasons for staff:
    language & dialect, level, available, not already booked, setting, area (+experience), in
    their districts / travel km from home district, weekly maximum, fairness (fewer recent
    first), gender preference (soft: it moves the score, never excludes)."""
    ranked = []
    for m in mediators:
        if any(s.language == request.language for s in m.skills):
            fit = _evaluate(request, m, config, relevant_bookings(m, [request.id]))
            ranked.append((fit, m))
    ranked.sort(key=lambda pair: pair[0].order)
    return [
        Candidate(
            mediator_id=m.id,
            eligible=fit.eligible,
            score=fit.score,
            reasons=_reasons(request, m, fit, config),
            travel_km=fit.km,
        )
        for fit, m in ranked
    ]


@dataclass(frozen=True, kw_only=True)
class _Fit:
    """Every criterion of one pair as plain values (what `_reasons` puts into words)."""

    skill: Skill | None  # the best skill serving the request; None = wrong variety
    level: str
    setting_ok: bool
    area_ok: bool
    experience: int
    reach_ok: bool
    km: float
    window: Interval | None
    clash: Booking | None
    in_week: int
    recent: int
    gender_met: bool | None  # None = no preference
    score: float
    eligible: bool
    order: tuple  # eligible first, best score, fewer recent assignments, lower id


def _evaluate(
    request: RequestData,
    mediator: MediatorData,
    config: Config,
    bookings: Sequence[Booking],
    *,
    extra_recent: int = 0,
) -> _Fit:
    """All criteria of a pair whose mediator speaks the language; `bookings` already filtered.
    `extra_recent` counts assignments made since (greedy_batch's own picks)."""
    skill = matching_skill(request, mediator)
    level = (
        skill.level
        if skill is not None
        else min(
            (s for s in mediator.skills if s.language == request.language), key=_level_rank
        ).level
    )
    setting_ok = request.setting in mediator.settings
    area_ok = request.area in mediator.areas
    experience = mediator.area_experience.get(request.area, 0)
    reach_ok = reaches(request, mediator)
    km = travel_km(request, mediator, config)
    window = availability_window(request, mediator)
    blocked = _request_blocked(request, config)
    clash = next((b for b in bookings if overlaps(blocked, _booking_blocked(b, config))), None)
    week = iso_week(request.start, config)
    in_week = sum(1 for b in bookings if iso_week(b.start, config) == week)
    recent = mediator.recent_assignments + extra_recent
    gender_met = mediator.gender == request.gender_preference if request.gender_preference else None
    score = (
        LEVEL_POINTS.get(level, 0.0)
        + EXPERIENCE_POINTS_PER_ASSIGNMENT * min(experience, EXPERIENCE_CAP)
        + TRAVEL_POINTS_PER_KM * km
        + RECENT_POINTS_PER_ASSIGNMENT * min(recent, RECENT_CAP)
        + WEEK_LOAD_POINTS_PER_BOOKING * in_week
        + (0.0 if gender_met is None else GENDER_POINTS if gender_met else -GENDER_POINTS)
    )
    score = round(score, 6)
    eligible = (
        skill is not None
        and setting_ok
        and area_ok
        and reach_ok
        and window is not None
        and clash is None
        and in_week < mediator.max_per_week
    )
    return _Fit(
        skill=skill,
        level=level,
        setting_ok=setting_ok,
        area_ok=area_ok,
        experience=experience,
        reach_ok=reach_ok,
        km=km,
        window=window,
        clash=clash,
        in_week=in_week,
        recent=recent,
        gender_met=gender_met,
        score=score,
        eligible=eligible,
        order=(not eligible, -score, recent, mediator.id),
    )


def _hhmm(moment: datetime, config: Config) -> str:
    local = moment.astimezone(ZoneInfo(config.timezone)) if moment.tzinfo else moment
    return local.strftime("%H:%M")


def _reasons(
    request: RequestData, mediator: MediatorData, fit: _Fit, config: Config
) -> tuple[Reason, ...]:
    """The criteria of `fit` in short English sentences with their values, in a fixed order."""
    skill = fit.skill
    if skill is not None:
        variety = f" – {skill.dialect}" if skill.dialect else ""
        language = Reason(
            code="language",
            ok=True,
            hard=True,
            detail=f"{request.language}{variety}, {skill.level}",
            params={"language": request.language, "dialect": skill.dialect, "level": skill.level},
        )
    else:
        varieties = sorted(
            {s.dialect for s in mediator.skills if s.language == request.language and s.dialect}
        )
        only = f" (only {', '.join(varieties)})" if varieties else ""
        language = Reason(
            code="language",
            ok=False,
            hard=True,
            detail=f"speaks {request.language} but not the {request.dialect} variety{only}",
            params={
                "language": request.language,
                "dialect": request.dialect,
                "varieties": varieties,
            },
        )

    if request.setting != "in_person":
        reach = "no travel"
    elif mediator.districts is None:
        reach = "goes anywhere in the city"
    elif fit.reach_ok:
        reach = f"goes to district {request.district}"
    elif request.district is None:
        reach = "place without district, mediator goes only to some districts"
    else:
        reach = f"does not go to district {request.district}"

    window, clash = fit.window, fit.clash
    reasons = [
        language,
        Reason(
            code="level", ok=fit.level != "basic", detail=fit.level, params={"level": fit.level}
        ),
        Reason(
            code="setting",
            ok=fit.setting_ok,
            hard=True,
            detail=f"accepts {request.setting}" if fit.setting_ok else f"no {request.setting}",
            params={"setting": request.setting},
        ),
        Reason(
            code="area",
            ok=fit.area_ok,
            hard=True,
            detail=(
                f"works in {request.area}, {fit.experience} done"
                if fit.area_ok
                else f"does not work in {request.area}"
            ),
            params={"area": request.area, "experience": fit.experience},
        ),
        Reason(
            code="district",
            ok=fit.reach_ok,
            hard=True,
            detail=reach,
            params={"district": request.district, "whole_city": mediator.districts is None},
        ),
        Reason(
            code="travel",
            ok=True,
            detail=(
                f"{fit.km:.1f} km from home district {mediator.home_district}"
                if request.setting == "in_person"
                else f"no travel ({request.setting})"
            ),
            params={"km": round(fit.km, 1), "home_district": mediator.home_district},
        ),
        Reason(
            code="available",
            ok=window is not None,
            hard=True,
            detail=(
                f"available {_hhmm(window.start, config)}–{_hhmm(window.end, config)}"
                if window
                else "not available at that time"
            ),
            params={"window": (window.start, window.end) if window else None},
        ),
        Reason(
            code="booked",
            ok=clash is None,
            hard=True,
            detail=(
                "free then (travel buffer included)"
                if clash is None
                else f"already booked {_hhmm(clash.start, config)}–{_hhmm(clash.end, config)}"
            ),
            params={"clash": (clash.start, clash.end) if clash else None},
        ),
        Reason(
            code="weekly_max",
            ok=fit.in_week < mediator.max_per_week,
            hard=True,
            detail=f"{fit.in_week} of {mediator.max_per_week} this week",
            params={"booked": fit.in_week, "maximum": mediator.max_per_week},
        ),
        Reason(
            code="fairness",
            ok=True,
            detail=f"{fit.recent} recent assignments",
            params={"recent": fit.recent},
        ),
    ]
    if fit.gender_met is not None:
        met = "met" if fit.gender_met else f"not met ({mediator.gender or 'not stated'})"
        reasons.append(
            Reason(
                code="gender",
                ok=fit.gender_met,
                detail=f"preference {request.gender_preference} {met}",
                params={"preference": request.gender_preference, "gender": mediator.gender},
            )
        )
    return tuple(reasons)


# --------------------------------------------------------------------------- eligibility


@dataclass(frozen=True, kw_only=True)
class _Instance:
    """The eligible pairs of a batch and what the constraints need, in plain numbers."""

    requests: tuple[RequestData, ...]
    mediators: tuple[MediatorData, ...]
    pairs: tuple[tuple[int, int], ...]  # (request index, mediator index)
    metres: tuple[int, ...]  # travel per pair, whole metres
    blocked: tuple[tuple[float, float], ...]  # per request: blocked interval as timestamps
    week: tuple[tuple[int, int], ...]  # per request: ISO week
    room: dict[tuple[int, tuple[int, int]], int]  # (mediator index, week) -> places left


def _eligible_pairs(
    requests: Sequence[RequestData], mediators: Sequence[MediatorData], config: Config
) -> _Instance:
    """Every (request, mediator) pair that meets all hard constraints on its own. Only the
    constraints between pairs (overlaps, weekly maximum) are left to the solver."""
    tz = ZoneInfo(config.timezone)

    def week_of(moment: datetime) -> tuple[int, int]:
        local = moment.astimezone(tz) if moment.tzinfo else moment
        year, week, _day = local.isocalendar()
        return year, week

    matched = [r.id for r in requests]
    blocked = tuple(
        (iv.start.timestamp(), iv.end.timestamp())
        for iv in (_request_blocked(r, config) for r in requests)
    )
    weeks = tuple(week_of(r.start) for r in requests)

    by_language: dict[str, list[int]] = defaultdict(list)
    for j, m in enumerate(mediators):
        for language in {s.language for s in m.skills}:
            by_language[language].append(j)

    room: dict[tuple[int, tuple[int, int]], int] = {}
    booked: list[list[tuple[float, float]]] = []
    for j, m in enumerate(mediators):
        own = relevant_bookings(m, matched)
        booked.append(
            [
                (iv.start.timestamp(), iv.end.timestamp())
                for iv in (_booking_blocked(b, config) for b in own)
            ]
        )
        counts: dict[tuple[int, int], int] = defaultdict(int)
        for b in own:
            counts[week_of(b.start)] += 1
        for week in set(weeks):
            room[(j, week)] = m.max_per_week - counts.get(week, 0)

    free = [
        [(w.start.timestamp(), w.end.timestamp()) for w in merged_windows(m.available)]
        for m in mediators
    ]
    pairs: list[tuple[int, int]] = []
    metres: list[int] = []
    for i, r in enumerate(requests):
        start, end = blocked[i]
        r_start, r_end = r.start.timestamp(), r.end.timestamp()
        for j in by_language.get(r.language, ()):
            m = mediators[j]
            if (
                r.setting not in m.settings
                or r.area not in m.areas
                or room[(j, weeks[i])] <= 0
                or not reaches(r, m)
                or matching_skill(r, m) is None
                or not any(w_start <= r_start and r_end <= w_end for w_start, w_end in free[j])
                or any(start < b_end and b_start < end for b_start, b_end in booked[j])
            ):
                continue
            pairs.append((i, j))
            metres.append(round(travel_km(r, m, config) * 1000))
    return _Instance(
        requests=tuple(requests),
        mediators=tuple(mediators),
        pairs=tuple(pairs),
        metres=tuple(metres),
        blocked=blocked,
        week=weeks,
        room=room,
    )


def _components(instance: _Instance) -> list[list[int]]:
    """Pair indices grouped by connected component of the request–mediator graph. Components
    share no request and no mediator, and every objective term is per request or per mediator,
    so solving each on its own is exact."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j in instance.pairs:
        a, b = find(("r", i)), find(("m", j))
        if a != b:
            parent[a] = b
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for p, (i, _j) in enumerate(instance.pairs):
        groups[find(("r", i))].append(p)
    return sorted(groups.values(), key=len)


def _maximal_cliques(intervals: Sequence[tuple[float, float, int]]) -> list[list[int]]:
    """Maximal sets of pairwise overlapping half-open intervals (start, end, key), by a sweep:
    an interval graph's maximal cliques are the active sets just before an interval ends after
    at least one started. Sizes below 2 are left out (nothing to forbid)."""
    events = []
    for start, end, key in intervals:
        events.append((start, 1, key))
        events.append((end, 0, key))  # at equal times ends come first: [9,10) and [10,11) touch
    events.sort()
    active: set[int] = set()
    cliques: list[list[int]] = []
    grown = False
    for _moment, is_start, key in events:
        if is_start:
            active.add(key)
            grown = True
        else:
            if grown and len(active) >= 2:
                cliques.append(sorted(active))
            grown = False
            active.discard(key)
    return cliques


# --------------------------------------------------------------------------- exact solver


@dataclass(frozen=True, kw_only=True)
class _Solved:
    proven: bool  # HiGHS proved optimality (zero gap)
    chosen: list[int] | None  # pair positions within the component; None = time ran out first
    seconds: float


def _milp(
    cost,
    matrix,
    lower,
    upper,
    deadline: float,
    n_pairs: int,
    *,
    presolve: bool = True,
    integral: int | None = None,
    bounds=None,
) -> _Solved:
    """Minimise cost·x with lower <= matrix·x <= upper; the first `integral` columns (default
    all) binary, the rest continuous in [0, bounds]. The first n_pairs columns are the pairs."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    started = time.perf_counter()
    left = deadline - started
    if left <= 0.01:
        return _Solved(proven=False, chosen=None, seconds=0.0)
    integrality = np.zeros(len(cost))
    integrality[: len(cost) if integral is None else integral] = 1
    result = milp(
        cost,
        integrality=integrality,
        bounds=Bounds(0, 1 if bounds is None else bounds),
        constraints=[LinearConstraint(matrix, lower, upper)],
        # Zero gap: "optimal" must mean proven optimal, not HiGHS's default 0.01 % gap.
        options={"time_limit": left, "mip_rel_gap": 0.0, "presolve": presolve},
    )
    return _Solved(
        proven=result.status == 0 and result.x is not None,
        chosen=None if result.x is None else [k for k in range(n_pairs) if result.x[k] > 0.5],
        seconds=time.perf_counter() - started,
    )


@dataclass(frozen=True, kw_only=True)
class _Answer:
    chosen: list[int]  # pair positions within the component
    fill_proven: bool  # most filled and, among those, least travel: proven
    load_proven: bool  # and the evenest load among those: proven
    times: dict[str, float]


def _solve_component(
    instance: _Instance, pair_ids: Sequence[int], deadline: float, stats: dict
) -> _Answer:
    """Lexicographic optimum of one component: (1) most filled, (2) least travel with that many
    filled, (3) least sum of squared new loads (= least variance, the total being fixed) with
    that fill and travel."""
    import numpy as np
    from scipy.sparse import coo_matrix, csr_matrix, vstack

    n = len(pair_ids)
    pairs = [instance.pairs[p] for p in pair_ids]
    metres = np.array([instance.metres[p] for p in pair_ids], dtype=float)

    rows: list[list[int]] = []  # each: pair positions whose sum is bounded by `caps`
    caps: list[float] = []
    by_request: dict[int, list[int]] = defaultdict(list)
    by_mediator: dict[int, list[int]] = defaultdict(list)
    for k, (i, j) in enumerate(pairs):
        by_request[i].append(k)
        by_mediator[j].append(k)
    for ks in by_request.values():
        if len(ks) > 1:
            rows.append(ks)  # each request at most once
            caps.append(1)
    max_load: dict[int, int] = {}
    for j, ks in by_mediator.items():
        spans = [(*instance.blocked[pairs[k][0]], k) for k in ks]
        for clique in _maximal_cliques(spans):
            rows.append(clique)  # no two overlapping appointments (travel buffer included)
            caps.append(1)
        per_week: dict[tuple[int, int], list[int]] = defaultdict(list)
        for k in ks:
            per_week[instance.week[pairs[k][0]]].append(k)
        max_load[j] = 0
        for week, members in per_week.items():
            room = instance.room[(j, week)]
            if len(members) > room:
                rows.append(members)  # weekly maximum, bookings included
                caps.append(room)
            max_load[j] += min(len(members), room)
    stats["variables"] = stats.get("variables", 0) + n
    stats["constraints"] = stats.get("constraints", 0) + len(rows)
    times = {"fill_travel": 0.0, "load": 0.0}
    if not rows:
        # No two pairs compete (each request has one mediator, and no mediator has a conflict):
        # taking every pair is optimal in all three respects, no solver needed.
        return _Answer(chosen=list(range(n)), fill_proven=True, load_proven=True, times=times)

    def matrix(width: int) -> csr_matrix:
        r = [row for row, members in enumerate(rows) for _ in members]
        c = [k for members in rows for k in members]
        return coo_matrix((np.ones(len(c)), (r, c)), shape=(len(rows), width)).tocsr()

    low = np.full(len(rows), -np.inf)
    high = np.array(caps, dtype=float)

    # Solve 1: most filled, then least travel, as one objective: minimise
    # sum(metres - B) over the chosen pairs. B exceeds the most travel any answer can have
    # (every request at its farthest mediator), so one more filled request always outweighs
    # any travel saving: the order is exact, not approximate. (A constraint "filled >= F*" in
    # a second solve is equivalent but makes HiGHS many times slower.)
    farthest: dict[int, float] = defaultdict(float)
    for k, (i, _j) in enumerate(pairs):
        farthest[i] = max(farthest[i], metres[k])
    weight = sum(farthest.values()) + 1
    first = _milp(metres - weight, matrix(n), low, high, deadline, n, presolve=False)
    times["fill_travel"] = first.seconds
    if first.chosen is None or not first.proven:
        return _Answer(chosen=first.chosen or [], fill_proven=False, load_proven=False, times=times)
    best = first.chosen
    filled, least_travel = len(best), float(metres[best].sum())

    # Solve 2: even out the load with that fill and travel. load_j = y[j,1] + … + y[j,K_j]
    # where step t costs 2t-1, so the cheapest steps sum to load_j² (convex: the solver takes
    # the steps in order).
    if all(bound <= 1 for bound in max_load.values()):
        # Nobody can take two: every load is 0 or 1 already.
        return _Answer(chosen=best, fill_proven=True, load_proven=True, times=times)
    steps = [(j, t) for j, bound in sorted(max_load.items()) for t in range(1, bound + 1)]
    # Columns: x (pairs) | y (load steps) | f, t per request (filled 0/1, metres travelled).
    # Fill and travel are fixed through f and t: rows "sum f >= F*" and "sum t <= T*" over a
    # few hundred request columns instead of thousands of pair columns make the LP of this
    # solve two to four times faster; the model is the same.
    order = sorted(by_request)
    n_steps, n_requests = len(steps), len(order)
    f0 = n + n_steps
    t0 = f0 + n_requests
    width = t0 + n_requests
    line = {j: row for row, j in enumerate(sorted(max_load))}
    place = {i: row for row, i in enumerate(order)}
    r_rows: list[int] = []
    r_cols: list[int] = []
    r_vals: list[float] = []

    def put(row: int, col: int, value: float) -> None:
        r_rows.append(row)
        r_cols.append(col)
        r_vals.append(value)

    requests_at = len(line)  # rows: loads first, then fill per request, then travel per request
    for k, (i, j) in enumerate(pairs):
        put(line[j], k, 1.0)
        put(requests_at + place[i], k, 1.0)
        put(requests_at + n_requests + place[i], k, float(metres[k]))
    for s_, (j, _t) in enumerate(steps):
        put(line[j], n + s_, -1.0)
    for row in range(n_requests):
        put(requests_at + row, f0 + row, -1.0)
        put(requests_at + n_requests + row, t0 + row, -1.0)
    links = coo_matrix((r_vals, (r_rows, r_cols)), shape=(requests_at + 2 * n_requests, width))
    totals = coo_matrix(
        (
            [1.0] * n_requests + [1.0] * n_requests,
            ([0] * n_requests + [1] * n_requests, list(range(f0, width))),
        ),
        shape=(2, width),
    )
    zeros = np.zeros(requests_at + 2 * n_requests)
    # HiGHS's presolve spends seconds probing the travel rows (large coefficients) and gains
    # little here: off.
    even = _milp(
        np.concatenate([np.zeros(n), [2.0 * t - 1 for _j, t in steps], np.zeros(2 * n_requests)]),
        vstack([matrix(width), links, totals]),
        np.concatenate([low, zeros, [filled, -np.inf]]),
        np.concatenate([high, zeros, [np.inf, least_travel]]),
        deadline,
        n,
        presolve=False,
        integral=f0,
        bounds=np.concatenate([np.ones(f0 + n_requests), [farthest[i] for i in order]]),
    )
    times["load"] = even.seconds
    if even.chosen is None:
        return _Answer(chosen=best, fill_proven=True, load_proven=False, times=times)
    return _Answer(chosen=even.chosen, fill_proven=True, load_proven=even.proven, times=times)


def solve_batch(
    requests: Sequence[RequestData],
    mediators: Sequence[MediatorData],
    config: Config = Config(),
) -> BatchResult:
    """Exact: maximise filled requests; then minimise travel; then even out the load (sum of
    squared new assignments per mediator). Per connected component two MILP solves
    (SciPy/HiGHS): fill and travel in one objective whose weights provably keep the order, then
    the load with fill and travel fixed at their optimum. Hard constraints as in the module
    docstring. Status "optimal" only when HiGHS proved every solve optimal with a zero gap;
    "feasible" when the time limit cut one short — `stats["proven"]` then says which levels
    still are, and the answer never fills fewer requests than `greedy_batch`."""
    started = time.perf_counter()
    deadline = started + config.time_limit_seconds
    instance = _eligible_pairs(requests, mediators, config)
    components = _components(instance)
    stats: dict[str, object] = {
        "pairs": len(instance.pairs),
        "components": len(components),
        "variables": 0,
        "constraints": 0,
    }
    stage_times = {"fill_travel": 0.0, "load": 0.0}
    chosen: list[int] = []
    fill_proven = load_proven = True
    greedy: BatchResult | None = None
    for pair_ids in components:
        answer = _solve_component(instance, pair_ids, deadline, stats)
        for stage, seconds in answer.times.items():
            stage_times[stage] += seconds
        picked = [pair_ids[k] for k in answer.chosen]
        load_proven = load_proven and answer.load_proven
        if not answer.fill_proven:
            fill_proven = False
            # Never worse than first come, first served: on a component the solver could not
            # finish, keep the greedy answer when it fills more.
            greedy = greedy or greedy_batch(requests, mediators, config)
            own = {instance.requests[instance.pairs[p][0]].id for p in pair_ids}
            by_ids = {
                (instance.requests[i].id, instance.mediators[j].id): p
                for p, (i, j) in ((p, instance.pairs[p]) for p in pair_ids)
            }
            theirs = [by_ids[(r, m)] for r, m in greedy.assignments.items() if r in own]
            if len(theirs) > len(picked):
                picked = theirs
        chosen.extend(picked)
    stats.update({f"{stage}_seconds": round(s, 3) for stage, s in stage_times.items()})
    # Which levels of the objective are proven even when the whole is not ("feasible").
    stats["proven"] = (
        "fill, travel, load"
        if fill_proven and load_proven
        else "fill, travel"
        if fill_proven
        else "none"
    )
    status = "optimal" if fill_proven and load_proven else "feasible"
    return _result(instance, chosen, status, started, config, stats)


def _result(
    instance: _Instance,
    chosen: Iterable[int],
    status: str,
    started: float,
    config: Config,
    stats: dict[str, object] | None = None,
) -> BatchResult:
    assignments: dict[int, int] = {}
    km = 0.0
    load: dict[int, int] = defaultdict(int)
    for p in chosen:
        i, j = instance.pairs[p]
        request, mediator = instance.requests[i], instance.mediators[j]
        assignments[request.id] = mediator.id
        km += travel_km(request, mediator, config)
        load[mediator.id] += 1
    return BatchResult(
        assignments=dict(sorted(assignments.items())),
        unfilled=tuple(sorted(r.id for r in instance.requests if r.id not in assignments)),
        filled=len(assignments),
        travel_km=round(km, 3),
        max_load=max(load.values(), default=0),
        status=status,
        solve_seconds=time.perf_counter() - started,
        stats=stats or {},
    )


# --------------------------------------------------------------------------- greedy baseline


def _fcfs_key(request: RequestData) -> tuple:
    # Requests without a receipt time queue behind those with one.
    received = request.received
    return (received is None, received.timestamp() if received else 0.0, request.start, request.id)


def greedy_batch(
    requests: Sequence[RequestData],
    mediators: Sequence[MediatorData],
    config: Config = Config(),
) -> BatchResult:
    """First come, first served: requests by `received` (then start, id); each gets the
    best-ranked eligible candidate (as `rank_candidates` orders them) still free, its earlier
    picks counting as bookings and as recent assignments."""
    started = time.perf_counter()
    instance = _eligible_pairs(requests, mediators, config)
    pairs_of: dict[int, list[int]] = defaultdict(list)
    for p, (i, _j) in enumerate(instance.pairs):
        pairs_of[i].append(p)
    index = {id(r): i for i, r in enumerate(instance.requests)}
    matched = [r.id for r in requests]
    bookings = [list(relevant_bookings(m, matched)) for m in instance.mediators]
    taken = [0] * len(instance.mediators)
    chosen: list[int] = []
    for request in sorted(instance.requests, key=_fcfs_key):
        i = index[id(request)]
        best: tuple[tuple, int] | None = None
        for p in pairs_of.get(i, ()):
            j = instance.pairs[p][1]
            fit = _evaluate(
                request, instance.mediators[j], config, bookings[j], extra_recent=taken[j]
            )
            if fit.eligible and (best is None or fit.order < best[0]):
                best = (fit.order, p)
        if best is None:
            continue
        p = best[1]
        j = instance.pairs[p][1]
        bookings[j].append(
            Booking(
                start=request.start,
                end=request.end,
                setting=request.setting,
                district=request.district,
            )
        )
        taken[j] += 1
        chosen.append(p)
    return _result(instance, chosen, "greedy", started, config, {"pairs": len(instance.pairs)})


# --------------------------------------------------------------------------- checker


def violations(
    requests: Sequence[RequestData],
    mediators: Sequence[MediatorData],
    assignments: Mapping[int, int],
    config: Config = Config(),
) -> list[str]:
    """Independent checker used by tests and by the Django side: every broken hard constraint
    as a readable sentence; [] when the assignment is valid. Written plainly and apart from the
    solver's pair filter on purpose, so the two can check each other."""
    found: list[str] = []
    request_by_id = {r.id: r for r in requests}
    mediator_by_id = {m.id: m for m in mediators}
    matched = set(request_by_id)
    new: dict[int, list[RequestData]] = defaultdict(list)

    for request_id, mediator_id in assignments.items():
        r = request_by_id.get(request_id)
        m = mediator_by_id.get(mediator_id)
        if r is None:
            found.append(f"Request {request_id} is not among the requests.")
            continue
        if m is None:
            found.append(f"Request {request_id}: mediator {mediator_id} is unknown.")
            continue
        who = f"Request {r.id} → mediator {m.id}"
        speaks = [s for s in m.skills if s.language == r.language]
        if not speaks:
            found.append(f"{who}: does not speak {r.language}.")
        elif r.dialect and not any(
            s.dialect.strip().casefold() == r.dialect.strip().casefold() for s in speaks
        ):
            found.append(f"{who}: does not speak the {r.dialect} variety of {r.language}.")
        if r.setting not in m.settings:
            found.append(f"{who}: does not accept the setting {r.setting}.")
        if r.area not in m.areas:
            found.append(f"{who}: does not work in the area {r.area}.")
        if (
            r.setting == "in_person"
            and m.districts is not None
            and (r.district is None or r.district not in m.districts)
        ):
            found.append(f"{who}: does not go to district {r.district}.")
        if not _covered(r.start, r.end, m.available):
            found.append(f"{who}: not available for the whole appointment.")
        new[m.id].append(r)

    for mediator_id, taken in new.items():
        m = mediator_by_id[mediator_id]
        # Conflicts among the bookings alone are not this assignment's fault: only pairs with
        # at least one new appointment, and only weeks with one, are checked.
        held = [
            (b.start, b.end, b.setting, f"the booking at {b.start.isoformat()}")
            for b in m.bookings
            if b.request_id is None or b.request_id not in matched
        ]
        fresh = [(r.start, r.end, r.setting, f"request {r.id}") for r in taken]
        for a, first in enumerate(fresh):
            one = blocked_interval(first[0], first[1], first[2], config.travel_buffer)
            for second in fresh[a + 1 :] + held:
                other = blocked_interval(second[0], second[1], second[2], config.travel_buffer)
                if one.start < other.end and other.start < one.end:
                    found.append(
                        f"Mediator {m.id}: {first[3]} and {second[3]} overlap "
                        "(travel buffer included)."
                    )
        per_week: dict[tuple[int, int], int] = defaultdict(int)
        for start, *_rest in fresh + held:
            per_week[iso_week(start, config)] += 1
        for year, week in sorted({iso_week(r.start, config) for r in taken}):
            if per_week[(year, week)] > m.max_per_week:
                found.append(
                    f"Mediator {m.id}: {per_week[(year, week)]} appointments in week "
                    f"{year}-W{week:02d} (maximum {m.max_per_week})."
                )
    return found


def _covered(start: datetime, end: datetime, windows: Sequence[Interval]) -> bool:
    """Whether the windows together cover [start, end) without a gap (the checker's own way,
    not `merged_windows`)."""
    reached = start
    progress = True
    while reached < end and progress:
        progress = False
        for w in windows:
            if w.start <= reached < w.end:
                reached, progress = w.end, True
    return reached >= end


def load_by_mediator(assignments: Mapping[int, int]) -> dict[int, int]:
    """New assignments per mediator id."""
    load: dict[int, int] = defaultdict(int)
    for mediator_id in assignments.values():
        load[mediator_id] += 1
    return dict(load)


__all__ = [
    "AREAS",
    "LEVELS",
    "SETTINGS",
    "BatchResult",
    "Booking",
    "Candidate",
    "Config",
    "Interval",
    "MediatorData",
    "Reason",
    "RequestData",
    "Skill",
    "availability_window",
    "blocked_interval",
    "distance_km",
    "greedy_batch",
    "iso_week",
    "load_by_mediator",
    "matching_skill",
    "merged_windows",
    "rank_candidates",
    "reaches",
    "solve_batch",
    "travel_km",
    "violations",
]
