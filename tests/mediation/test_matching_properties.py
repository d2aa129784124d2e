"""Property tests of the matching on random small instances (hypothesis): the solver's and the
greedy answers never break a hard constraint, the solver fills at least as many as greedy and
proves it optimal, and on tiny instances its answer is the true lexicographic optimum found by
trying every assignment. The checker `violations` is the referee throughout; it shares no code
with the solver's pair filter."""

from datetime import datetime, timedelta
from itertools import product
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teilhabe.mediation.matching import (
    Booking,
    Config,
    Interval,
    MediatorData,
    RequestData,
    Skill,
    _maximal_cliques,
    greedy_batch,
    rank_candidates,
    solve_batch,
    travel_km,
    violations,
)

BERLIN = ZoneInfo("Europe/Berlin")
# Thursday: the 6 days of an instance run over an ISO week boundary and the DST change
# (Sunday 29 March 2026), so weekly maxima and local times are tested across both.
FIRST_DAY = datetime(2026, 3, 26, tzinfo=BERLIN)
CONFIG = Config(
    distance_km={(1, 2): 3.0, (1, 3): 7.5, (2, 3): 5.25, (3, 4): 2.0, (1, 4): 9.0},
    default_km=6.0,
)
LANGUAGES = ("ar", "ar", "ar", "ar", "ti")  # one common, one rare language
DIALECTS = ("", "Levantine", "Levantine", "Iraqi")
ALL_SETTINGS = frozenset({"in_person", "phone", "video"})
CHECK = settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def moment(day: int, half_hour: int) -> datetime:
    # Built from the local date, so "08:00" stays 08:00 on both sides of the DST change.
    local = FIRST_DAY.replace(tzinfo=None) + timedelta(days=day, minutes=30 * half_hour)
    return local.replace(tzinfo=BERLIN)


DAYS = st.integers(0, 5)  # Thursday … Tuesday
START = st.integers(16, 34)  # 08:00 … 17:00, in half hours


@st.composite
def availability(draw) -> tuple[Interval, ...]:
    """Whole working days (08–18) on most days, some shorter windows, some days off."""
    found = []
    for day in range(6):
        if draw(st.integers(0, 3)) == 3:
            continue  # a day off now and then
        start, end = draw(st.sampled_from([(16, 36)] * 3 + [(16, 26), (26, 36), (20, 30)]))
        found.append(Interval(start=moment(day, start), end=moment(day, end)))
    return tuple(found)


@st.composite
def mediators(draw, id: int) -> MediatorData:
    languages = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=2, unique=True))
    skills = tuple(
        Skill(
            language=language,
            dialect=draw(st.sampled_from(DIALECTS)),
            level=draw(st.sampled_from(("native", "fluent", "basic"))),
        )
        for language in languages
    )
    bookings = []
    for _ in range(draw(st.integers(0, 2))):
        day, start = draw(DAYS), draw(START)
        bookings.append(
            Booking(
                start=moment(day, start),
                end=moment(day, start + draw(st.integers(1, 4))),
                setting=draw(st.sampled_from(("in_person", "phone"))),
                request_id=draw(st.sampled_from((None, None, 1))),
            )
        )
    return MediatorData(
        id=id,
        skills=skills,
        areas=draw(
            st.sampled_from(
                [frozenset({"health", "education"})] * 4
                + [frozenset({"health"}), frozenset({"education"})]
            )
        ),
        settings=draw(
            st.sampled_from([ALL_SETTINGS] * 4 + [frozenset({"phone"}), frozenset({"in_person"})])
        ),
        districts=draw(st.none() | st.frozensets(st.integers(1, 4), min_size=2)),
        home_district=draw(st.none() | st.integers(1, 4)),
        available=draw(availability()),
        bookings=tuple(bookings),
        max_per_week=draw(st.integers(1, 3)),
        recent_assignments=draw(st.integers(0, 5)),
        area_experience={"health": draw(st.integers(0, 5))},
        gender=draw(st.sampled_from(("", "female", "male"))),
    )


@st.composite
def requests(draw, id: int) -> RequestData:
    day, start = draw(DAYS), draw(START)
    setting = draw(st.sampled_from(("in_person", "in_person", "phone", "video")))
    return RequestData(
        id=id,
        language=draw(st.sampled_from(LANGUAGES)),
        dialect=draw(st.sampled_from(("", "", "", "", "Levantine"))),
        start=moment(day, start),
        end=moment(day, start + draw(st.integers(1, 4))),
        setting=setting,
        area=draw(st.sampled_from(("health", "education"))),
        district=draw(st.none() | st.integers(1, 4)) if setting == "in_person" else None,
        gender_preference=draw(st.sampled_from(("", "", "female"))),
        received=draw(st.none() | st.builds(moment, st.integers(-7, -1), st.integers(0, 47))),
    )


@st.composite
def instances(draw, max_requests: int, max_mediators: int):
    n_mediators = draw(st.integers(1, max_mediators))
    n_requests = draw(st.integers(0, max_requests))
    return (
        [draw(requests(i)) for i in range(1, n_requests + 1)],
        [draw(mediators(j)) for j in range(1, n_mediators + 1)],
    )


def key(requests, mediators, assignments) -> tuple[int, int, int]:
    """The solver's objective in its order, as numbers to compare: (-filled, travel in whole
    metres per appointment, sum of squared loads)."""
    request_by_id = {r.id: r for r in requests}
    mediator_by_id = {m.id: m for m in mediators}
    metres = sum(
        round(travel_km(request_by_id[r], mediator_by_id[m], CONFIG) * 1000)
        for r, m in assignments.items()
    )
    loads: dict[int, int] = {}
    for m in assignments.values():
        loads[m] = loads.get(m, 0) + 1
    return -len(assignments), metres, sum(n * n for n in loads.values())


def brute_force(requests, mediators) -> tuple[int, int, int]:
    """The best key over every assignment the checker accepts."""
    options = []
    for r in requests:
        alone = [
            m.id for m in mediators if not violations(requests, mediators, {r.id: m.id}, CONFIG)
        ]
        options.append([None, *alone])
    best = (0, 0, 0)  # nothing assigned is always valid
    for choice in product(*options):
        assignments = {r.id: m for r, m in zip(requests, choice, strict=True) if m is not None}
        if not assignments:
            continue
        candidate = key(requests, mediators, assignments)
        if candidate < best and not violations(requests, mediators, assignments, CONFIG):
            best = candidate
    return best


@settings(CHECK, max_examples=50)
@given(instances(max_requests=12, max_mediators=8))
def test_answers_are_valid_and_the_solver_fills_at_least_as_many_as_greedy(instance):
    requests, mediators = instance
    exact = solve_batch(requests, mediators, CONFIG)
    greedy = greedy_batch(requests, mediators, CONFIG)
    assert violations(requests, mediators, exact.assignments, CONFIG) == []
    assert violations(requests, mediators, greedy.assignments, CONFIG) == []
    assert exact.status == "optimal"
    assert exact.filled >= greedy.filled
    # At equal fill the solver never travels more either.
    if exact.filled == greedy.filled:
        assert (
            key(requests, mediators, exact.assignments)[1]
            <= (key(requests, mediators, greedy.assignments)[1])
        )
    for result in (exact, greedy):
        assert result.filled == len(result.assignments)
        assert sorted([*result.assignments, *result.unfilled]) == sorted(r.id for r in requests)


@settings(CHECK, max_examples=60)
@given(instances(max_requests=6, max_mediators=3))
def test_the_solver_finds_the_true_optimum_of_tiny_instances(instance):
    requests, mediators = instance
    exact = solve_batch(requests, mediators, CONFIG)
    assert exact.status == "optimal"
    assert key(requests, mediators, exact.assignments) == brute_force(requests, mediators)


@settings(CHECK, max_examples=40)
@given(instances(max_requests=3, max_mediators=8))
def test_candidates_are_eligible_exactly_when_the_checker_accepts_them(instance):
    requests, mediators = instance
    for r in requests:
        ranked = rank_candidates(r, mediators, CONFIG)
        speaking = {m.id for m in mediators if any(s.language == r.language for s in m.skills)}
        assert {c.mediator_id for c in ranked} == speaking
        for c in ranked:
            accepted = violations([r], mediators, {r.id: c.mediator_id}, CONFIG) == []
            assert c.eligible == accepted
        flags = [c.eligible for c in ranked]
        assert flags == sorted(flags, reverse=True)  # eligible first
        scores = [c.score for c in ranked if c.eligible]
        assert scores == sorted(scores, reverse=True)


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 6)), max_size=12))
def test_the_clique_rows_forbid_exactly_the_overlapping_pairs(spans):
    intervals = [(start, start + length, key) for key, (start, length) in enumerate(spans)]
    cliques = _maximal_cliques(intervals)
    covered = {(a, b) for clique in cliques for a in clique for b in clique if a < b}
    overlapping = {
        (a, b)
        for a, (s1, e1, _k) in enumerate(intervals)
        for b, (s2, e2, _k) in enumerate(intervals)
        if a < b and s1 < e2 and s2 < e1
    }
    assert covered == overlapping
    # Maximal: no clique is inside another.
    assert not any(set(x) < set(y) for x in cliques for y in cliques)
