"""The pure matching module: each hard constraint, the reasons and order of candidates, and the
batch solver against small cases whose best answer is known by hand. No database."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from teilhabe.mediation.matching import (
    Booking,
    Config,
    Interval,
    MediatorData,
    RequestData,
    Skill,
    blocked_interval,
    distance_km,
    greedy_batch,
    iso_week,
    merged_windows,
    rank_candidates,
    solve_batch,
    travel_km,
    violations,
)

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 3, 9, tzinfo=BERLIN)
CONFIG = Config(distance_km={(10, 20): 2.5, (10, 5): 9.0, (20, 5): 8.0})


def at(day: int, hour: float) -> datetime:
    """A moment in the test week: day 0 = Monday 9 March 2026, Berlin time."""
    return MONDAY + timedelta(days=day, minutes=round(hour * 60))


def window(day: int, start: float, end: float) -> Interval:
    return Interval(start=at(day, start), end=at(day, end))


def mediator(id: int = 1, **changes) -> MediatorData:
    """A mediator who can take the default request: Arabic (Levantine, native), every area and
    setting, the whole city, free all week 8–18."""
    values = {
        "id": id,
        "skills": (Skill(language="ar", dialect="Levantine", level="native"),),
        "areas": frozenset({"health", "education", "social", "authorities", "other"}),
        "settings": frozenset({"in_person", "phone", "video"}),
        "districts": None,
        "home_district": 10,
        "available": tuple(window(d, 8, 18) for d in range(5)),
        "max_per_week": 3,
    }
    values.update(changes)
    return MediatorData(**values)


def request(id: int = 1, day: int = 1, hour: float = 10, minutes: int = 60, **changes):
    """Arabic, in person at a school in Innenstadt-Nord (20), Tuesday 10:00–11:00."""
    values = {
        "id": id,
        "language": "ar",
        "start": at(day, hour),
        "end": at(day, hour) + timedelta(minutes=minutes),
        "setting": "in_person",
        "area": "education",
        "district": 20,
    }
    values.update(changes)
    return RequestData(**values)


def booking(day: int, start: float, end: float, setting="in_person", **changes) -> Booking:
    return Booking(start=at(day, start), end=at(day, end), setting=setting, **changes)


def only(candidates, mediator_id=1):
    (found,) = [c for c in candidates if c.mediator_id == mediator_id]
    return found


def reason(candidate, code):
    (found,) = [r for r in candidate.reasons if r.code == code]
    return found


# --------------------------------------------------------------------------- shared rules


def test_it_blocks_half_the_travel_buffer_on_each_side_of_an_in_person_appointment():
    blocked = blocked_interval(at(0, 10), at(0, 11), "in_person", timedelta(minutes=30))
    assert blocked == Interval(start=at(0, 9.75), end=at(0, 11.25))


@pytest.mark.parametrize("setting", ["phone", "video"])
def test_it_blocks_exactly_the_appointment_by_phone_or_video(setting):
    blocked = blocked_interval(at(0, 10), at(0, 11), setting, timedelta(minutes=30))
    assert blocked == Interval(start=at(0, 10), end=at(0, 11))


def test_it_looks_distances_up_both_ways_with_defaults():
    assert distance_km(10, 20, CONFIG) == 2.5
    assert distance_km(20, 10, CONFIG) == 2.5
    assert distance_km(7, 8, CONFIG) == CONFIG.default_km
    assert distance_km(7, 7, CONFIG) == 0.0
    assert distance_km(None, 7, CONFIG) == CONFIG.default_km


def test_it_counts_travel_only_in_person():
    assert travel_km(request(district=5), mediator(home_district=10), CONFIG) == 9.0
    assert travel_km(request(setting="phone", district=None), mediator(), CONFIG) == 0.0


def test_it_reads_iso_weeks_in_berlin_time():
    # Monday 00:30 in Berlin is still Sunday in UTC: the Berlin week counts.
    monday_night = datetime(2026, 3, 16, 0, 30, tzinfo=BERLIN)
    assert iso_week(monday_night) == (2026, 12)
    assert iso_week(monday_night.astimezone(ZoneInfo("UTC"))) == (2026, 12)


def test_it_joins_touching_windows():
    assert merged_windows([window(0, 11, 13), window(0, 9, 11), window(0, 14, 15)]) == [
        window(0, 9, 13),
        window(0, 14, 15),
    ]


# --------------------------------------------------------------------------- hard constraints


def test_it_lists_only_mediators_who_speak_the_language():
    turkish = mediator(2, skills=(Skill(language="tr", level="native"),))
    ranked = rank_candidates(request(), [mediator(1), turkish], CONFIG)
    assert [c.mediator_id for c in ranked] == [1]
    assert ranked[0].eligible


def test_it_requires_the_requested_dialect_but_not_its_spelling():
    iraqi = mediator(1, skills=(Skill(language="ar", dialect="Iraqi"),))
    unspecified = mediator(2, skills=(Skill(language="ar"),))
    levantine = mediator(3, skills=(Skill(language="ar", dialect=" levantine "),))
    ranked = rank_candidates(request(dialect="Levantine"), [iraqi, unspecified, levantine], CONFIG)
    assert [(c.mediator_id, c.eligible) for c in ranked] == [(3, True), (1, False), (2, False)]
    language = reason(only(ranked, 1), "language")
    assert not language.ok and language.hard
    assert "Iraqi" in language.detail


def test_it_takes_any_variety_when_the_request_names_none():
    iraqi = mediator(1, skills=(Skill(language="ar", dialect="Iraqi"),))
    assert only(rank_candidates(request(), [iraqi], CONFIG)).eligible


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"settings": frozenset({"phone", "video"})}, "setting"),
        ({"areas": frozenset({"health"})}, "area"),
        ({"districts": frozenset({5, 10})}, "district"),
        ({"available": (window(1, 10.5, 18),)}, "available"),
        ({"available": (window(1, 8, 10.5),)}, "available"),
        ({"bookings": (booking(1, 9, 10.25),)}, "booked"),
        ({"max_per_week": 1, "bookings": (booking(3, 9, 10),)}, "weekly_max"),
    ],
)
def test_each_hard_constraint_makes_a_mediator_ineligible_with_its_reason(changes, code):
    candidate = only(rank_candidates(request(), [mediator(**changes)], CONFIG))
    assert not candidate.eligible
    failing = [r.code for r in candidate.reasons if not r.ok]
    assert failing == [code]
    assert reason(candidate, code).hard
    # The independent checker agrees.
    assert violations([request()], [mediator(**changes)], {1: 1}, CONFIG) != []


def test_a_district_list_does_not_matter_by_phone_or_for_whole_city_mediators():
    by_phone = request(setting="phone", district=None)
    assert only(rank_candidates(by_phone, [mediator(districts=frozenset({5}))], CONFIG)).eligible
    assert only(rank_candidates(request(district=5), [mediator(districts=None)], CONFIG)).eligible
    assert only(rank_candidates(request(district=5), [mediator(districts=frozenset({5}))])).eligible


def test_a_place_without_district_goes_only_to_whole_city_mediators():
    unknown = request(district=None)
    assert only(rank_candidates(unknown, [mediator(districts=None)], CONFIG)).eligible
    assert not only(rank_candidates(unknown, [mediator(districts=frozenset({20}))])).eligible


def test_a_request_across_two_touching_windows_is_available():
    split = mediator(available=(window(1, 8, 10.5), window(1, 10.5, 12)))
    assert only(rank_candidates(request(), [split], CONFIG)).eligible
    assert violations([request()], [split], {1: 1}, CONFIG) == []


@pytest.mark.parametrize(
    ("held", "asked", "free"),
    [
        # in person after in person: the full 30-minute buffer between them
        (booking(1, 9, 10), request(hour=10.5), True),
        (booking(1, 9, 10), request(hour=10.25), False),
        # phone after in person: half the buffer
        (booking(1, 9, 10), request(hour=10.25, setting="phone", district=None), True),
        (booking(1, 9, 10), request(hour=10.2, setting="phone", district=None), False),
        # phone after phone: back to back is fine, overlap is not
        (booking(1, 9, 10, "phone"), request(hour=10, setting="phone", district=None), True),
        (booking(1, 9, 10.5, "video"), request(hour=10, setting="phone", district=None), False),
    ],
)
def test_it_keeps_the_travel_buffer_to_existing_bookings(held, asked, free):
    candidate = only(rank_candidates(asked, [mediator(bookings=(held,))], CONFIG))
    assert candidate.eligible is free
    assert reason(candidate, "booked").ok is free
    assert (violations([asked], [mediator(bookings=(held,))], {1: 1}, CONFIG) == []) is free


def test_the_requests_own_earlier_offer_does_not_block_it():
    own = booking(1, 10, 11, request_id=1)
    candidate = only(rank_candidates(request(), [mediator(bookings=(own,))], CONFIG))
    assert candidate.eligible
    assert violations([request()], [mediator(bookings=(own,))], {1: 1}, CONFIG) == []


def test_the_weekly_maximum_counts_bookings_of_the_same_iso_week_only():
    last_week = booking(-3, 9, 10)  # Friday before
    this_week = booking(3, 9, 10)
    full = mediator(max_per_week=2, bookings=(last_week, this_week, booking(4, 9, 10)))
    roomy = mediator(max_per_week=2, bookings=(last_week, this_week))
    assert not only(rank_candidates(request(), [full], CONFIG)).eligible
    candidate = only(rank_candidates(request(), [roomy], CONFIG))
    assert candidate.eligible
    assert reason(candidate, "weekly_max").params == {"booked": 1, "maximum": 2}


# --------------------------------------------------------------------------- reasons and order


def test_every_candidate_carries_every_reason():
    codes = [r.code for r in only(rank_candidates(request(), [mediator()], CONFIG)).reasons]
    assert codes == [
        "language",
        "level",
        "setting",
        "area",
        "district",
        "travel",
        "available",
        "booked",
        "weekly_max",
        "fairness",
    ]
    with_preference = only(rank_candidates(request(gender_preference="female"), [mediator()]))
    assert with_preference.reasons[-1].code == "gender"


def test_reasons_explain_in_numbers():
    m = mediator(home_district=5, area_experience={"education": 4}, recent_assignments=2)
    candidate = only(rank_candidates(request(), [m], CONFIG))
    assert candidate.travel_km == 8.0
    assert reason(candidate, "travel").detail == "8.0 km from home district 5"
    assert reason(candidate, "area").detail == "works in education, 4 done"
    assert reason(candidate, "language").detail == "ar – Levantine, native"
    assert reason(candidate, "available").detail == "available 08:00–18:00"
    assert reason(candidate, "fairness").params == {"recent": 2}


def test_eligible_mediators_come_before_better_scored_ineligible_ones():
    star = mediator(1, area_experience={"education": 10}, settings=frozenset({"phone"}))
    plain = mediator(2, skills=(Skill(language="ar", level="basic"),), home_district=5)
    ranked = rank_candidates(request(), [star, plain], CONFIG)
    assert ranked[1].score > ranked[0].score
    assert [(c.mediator_id, c.eligible) for c in ranked] == [(2, True), (1, False)]


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        ({"gender": "female"}, {"gender": "male"}),
        ({"recent_assignments": 1}, {"recent_assignments": 6}),
        ({"home_district": 20}, {"home_district": 5}),
        ({}, {"skills": (Skill(language="ar", level="basic"),)}),
        ({"area_experience": {"education": 8}}, {}),
        ({}, {"bookings": (booking(3, 9, 10),)}),
    ],
)
def test_soft_criteria_order_the_eligible(better, worse):
    asked = request(gender_preference="female")
    # Listed worse first, so the order comes from the score and not from the input.
    ranked = rank_candidates(asked, [mediator(2, **worse), mediator(1, **better)], CONFIG)
    assert [c.mediator_id for c in ranked] == [1, 2]
    assert all(c.eligible for c in ranked)
    assert ranked[0].score > ranked[1].score


def test_a_gender_preference_is_soft():
    ranked = rank_candidates(request(gender_preference="female"), [mediator(gender="male")])
    assert ranked[0].eligible
    assert not reason(ranked[0], "gender").ok
    assert not reason(ranked[0], "gender").hard


def test_equal_candidates_go_by_fewer_recent_assignments_then_id():
    ranked = rank_candidates(request(), [mediator(3), mediator(2), mediator(1)], CONFIG)
    assert [c.mediator_id for c in ranked] == [1, 2, 3]


# --------------------------------------------------------------------------- batch


def test_the_solver_fills_what_first_come_first_served_leaves_open():
    # Request 1 came first and the (better-scored) mediator 1 gets it; only mediator 1 speaks
    # the Levantine variety that request 2 needs. The exact answer fills both.
    requests = [
        request(1, received=at(-7, 9)),
        request(2, dialect="Levantine", received=at(-7, 10)),
    ]
    mediators = [
        mediator(1),
        mediator(2, skills=(Skill(language="ar", dialect="Iraqi", level="basic"),)),
    ]
    greedy = greedy_batch(requests, mediators, CONFIG)
    assert greedy.assignments == {1: 1}
    assert greedy.status == "greedy"
    exact = solve_batch(requests, mediators, CONFIG)
    assert exact.assignments == {1: 2, 2: 1}
    assert (exact.filled, exact.unfilled, exact.status) == (2, (), "optimal")
    assert exact.stats["proven"] == "fill, travel, load"
    assert violations(requests, mediators, exact.assignments, CONFIG) == []


def test_the_solver_travels_least_among_the_fullest_answers():
    requests = [request(1, district=20), request(2, day=2, district=5)]
    mediators = [mediator(1, home_district=20), mediator(2, home_district=5)]
    exact = solve_batch(requests, mediators, CONFIG)
    assert exact.assignments == {1: 1, 2: 2}
    assert exact.travel_km == 0.0


def test_filling_one_more_request_beats_any_travel_saving():
    # Mediator 1 lives next door to both places but the two overlap; mediator 2 lives far.
    requests = [request(1, district=20), request(2, hour=10.5, district=20)]
    mediators = [mediator(1, home_district=20), mediator(2, home_district=5)]
    exact = solve_batch(requests, mediators, CONFIG)
    assert exact.filled == 2
    assert exact.travel_km == 8.0


def test_the_solver_evens_out_the_load():
    requests = [request(i, day=i % 5, district=20) for i in range(1, 5)]
    mediators = [mediator(1, home_district=20), mediator(2, home_district=20)]
    exact = solve_batch(requests, mediators, CONFIG)
    assert exact.filled == 4
    assert exact.max_load == 2
    assert sorted(exact.assignments.values()) == [1, 1, 2, 2]


def test_the_solver_never_double_books_or_exceeds_the_week():
    overlapping = [request(1), request(2, hour=10.5), request(3, hour=11.1)]
    exact = solve_batch(overlapping, [mediator()], CONFIG)
    assert exact.filled == 1  # 11:06 is inside 11:00 + 30 minutes of buffer
    week = [request(i, day=i - 1) for i in range(1, 5)]
    busy = mediator(max_per_week=3, bookings=(booking(0, 16, 17),))
    exact = solve_batch(week, [busy], CONFIG)
    assert exact.filled == 2
    assert violations(week, [busy], exact.assignments, CONFIG) == []


def test_a_batch_ignores_the_earlier_offers_of_its_own_requests():
    offered = mediator(max_per_week=1, bookings=(booking(1, 10, 11, request_id=1),))
    exact = solve_batch([request(1)], [offered], CONFIG)
    assert exact.assignments == {1: 1}


def test_an_empty_batch_is_trivially_optimal():
    result = solve_batch([], [mediator()], CONFIG)
    assert (result.filled, result.assignments, result.status, result.max_load) == (
        0,
        {},
        "optimal",
        0,
    )
    unreachable = solve_batch([request(language="ti")], [mediator()], CONFIG)
    assert unreachable.unfilled == (1,)
    assert unreachable.status == "optimal"


def test_out_of_time_it_says_so_and_still_fills_as_many_as_greedy():
    requests = [request(i, day=i % 5, hour=8 + i % 9) for i in range(1, 30)]
    mediators = [mediator(j, home_district=j % 3 * 10 or 5) for j in range(1, 6)]
    hurried = Config(distance_km=CONFIG.distance_km, time_limit_seconds=0)
    result = solve_batch(requests, mediators, hurried)
    assert result.status == "feasible"
    assert result.stats["proven"] == "none"
    assert result.filled >= greedy_batch(requests, mediators, hurried).filled
    assert violations(requests, mediators, result.assignments, hurried) == []


def test_it_reports_the_size_of_the_model():
    result = solve_batch([request(1), request(2, hour=10.5)], [mediator(1), mediator(2)])
    assert result.stats["pairs"] == 4
    assert result.stats["components"] == 1
    assert result.stats["variables"] == 4
    assert result.stats["constraints"] >= 2  # two requests, one clique per mediator


def test_greedy_serves_in_order_of_receipt():
    late = request(1, received=at(-1, 9))
    early = request(2, hour=10.25, received=at(-2, 9))
    unknown = request(3, hour=10.5, received=None)
    result = greedy_batch([late, early, unknown], [mediator()], CONFIG)
    assert result.assignments == {2: 1}


# --------------------------------------------------------------------------- checker


def test_the_checker_names_every_broken_rule():
    m = mediator(
        skills=(Skill(language="ar", dialect="Iraqi"),),
        settings=frozenset({"phone"}),
        areas=frozenset({"health"}),
        districts=frozenset({5}),
        available=(window(0, 8, 9),),
        max_per_week=1,
        bookings=(booking(1, 10, 11),),
    )
    found = violations([request(dialect="Levantine")], [m], {1: 1}, CONFIG)
    assert found == [
        "Request 1 → mediator 1: does not speak the Levantine variety of ar.",
        "Request 1 → mediator 1: does not accept the setting in_person.",
        "Request 1 → mediator 1: does not work in the area education.",
        "Request 1 → mediator 1: does not go to district 20.",
        "Request 1 → mediator 1: not available for the whole appointment.",
        "Mediator 1: request 1 and the booking at 2026-03-10T10:00:00+01:00 overlap "
        "(travel buffer included).",
        "Mediator 1: 2 appointments in week 2026-W11 (maximum 1).",
    ]


def test_the_checker_finds_overlaps_among_new_assignments_and_unknown_ids():
    requests = [request(1), request(2, hour=10.75)]
    found = violations(requests, [mediator()], {1: 1, 2: 1, 3: 1}, CONFIG)
    assert found == [
        "Request 3 is not among the requests.",
        "Mediator 1: request 1 and request 2 overlap (travel buffer included).",
    ]
    assert violations(requests, [mediator()], {1: 9}, CONFIG) == [
        "Request 1: mediator 9 is unknown."
    ]


def test_the_checker_leaves_old_conflicts_between_bookings_alone():
    clashing = (booking(0, 9, 10), booking(0, 9.5, 10.5), booking(2, 9, 10), booking(3, 9, 10))
    m = mediator(max_per_week=3, bookings=clashing, available=(window(7, 8, 18),))
    assert violations([request(1, day=7)], [m], {1: 1}, CONFIG) == []
