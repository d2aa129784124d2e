"""Rows → the plain data of matching.py. Reads only; the services decide what to do with the
answer. Districts are identified by their primary key throughout."""

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from threading import Lock

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from shapely.geometry import shape

from teilhabe.core.models import District
from teilhabe.mediation import matching
from teilhabe.mediation.models import Assignment, MediationRequest, MediatorProfile

_distance_lock = Lock()
_distance_cache: dict[tuple, dict[tuple[int, int], float]] = {}
EARTH_RADIUS_KM = 6371.0


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def district_distances() -> dict[tuple[int, int], float]:
    """Distances between district centroids (km), keyed by district pk pairs; cached until the
    districts change (same idea as core.queries' district index)."""
    state = District.objects.aggregate(count=Count("id"), changed=Max("updated_at"))
    key = (state["count"], state["changed"])
    with _distance_lock:
        cached = _distance_cache.get(key)
        if cached is None:
            centroids = {}
            for district in District.objects.only("pk", "geometry"):
                point = shape(district.geometry).centroid
                centroids[district.pk] = (point.x, point.y)
            cached = {
                (a, b): round(_haversine_km(pa, pb), 1)
                for a, pa in centroids.items()
                for b, pb in centroids.items()
                if a < b
            }
            _distance_cache.clear()
            _distance_cache[key] = cached
    return cached


def config() -> matching.Config:
    return matching.Config(
        travel_buffer=timedelta(minutes=settings.MEDIATION_TRAVEL_BUFFER_MINUTES),
        distance_km=district_distances(),
        timezone=settings.TIME_ZONE,
    )


def blocked_interval(request: MediationRequest) -> matching.Interval:
    return matching.blocked_interval(
        request.starts_at,
        request.ends_at,
        request.setting,
        timedelta(minutes=settings.MEDIATION_TRAVEL_BUFFER_MINUTES),
    )


def request_data(request: MediationRequest) -> matching.RequestData:
    return matching.RequestData(
        id=request.pk,
        language=request.language.code,
        dialect=request.dialect,
        start=request.starts_at,
        end=request.ends_at,
        setting=request.setting,
        area=request.area,
        district=request.place.district_id if request.place_id else None,
        gender_preference=request.gender_preference,
        received=request.created_at,
    )


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _available(profile: MediatorProfile, first: date, last: date) -> tuple[matching.Interval, ...]:
    """Weekly windows expanded to the days of the period, absent days left out."""
    absences = list(profile.absences.all())
    windows_by_day = defaultdict(list)
    for window in profile.windows.all():
        windows_by_day[window.weekday].append(window)
    intervals = []
    for day in _days(first, last):
        if any(absence.covers(day) for absence in absences):
            continue
        for window in windows_by_day[day.weekday()]:
            intervals.append(
                matching.Interval(
                    start=_aware(day, window.start_time), end=_aware(day, window.end_time)
                )
            )
    return tuple(intervals)


def _week_bounds(moment: datetime) -> tuple[date, date]:
    day = timezone.localdate(moment)
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def mediators_data(
    requests: list[MediationRequest],
    *,
    mediators: Iterable[MediatorProfile] | None = None,
    now: datetime | None = None,
) -> list[matching.MediatorData]:
    """MediatorData of every assignable mediator who speaks one of the requests' languages, for
    the days and ISO weeks the requests fall in."""
    if not requests:
        return []
    now = now or timezone.now()
    first = min(_week_bounds(r.starts_at)[0] for r in requests)
    last = max(_week_bounds(r.starts_at)[1] for r in requests)
    languages = {r.language_id for r in requests}
    if mediators is None:
        mediators = MediatorProfile.objects.assignable().filter(
            languages__language_id__in=languages
        )
    profiles = list(
        MediatorProfile.objects.filter(pk__in=[m.pk for m in mediators])
        .select_related("user")
        .prefetch_related("languages__language", "windows", "absences", "districts")
    )
    ids = [p.pk for p in profiles]
    period_start = _aware(first, time.min)
    period_end = _aware(last + timedelta(days=1), time.min)
    bookings = defaultdict(list)
    for a in Assignment.objects.filter(
        mediator_id__in=ids,
        status__in=[
            Assignment.Status.OFFERED,
            Assignment.Status.ACCEPTED,
            Assignment.Status.CONFIRMED,
            Assignment.Status.DONE,
        ],
        request__ends_at__gt=period_start,
        request__starts_at__lt=period_end,
    ).select_related("request__place"):
        r = a.request
        bookings[a.mediator_id].append(
            matching.Booking(
                start=r.starts_at,
                end=r.ends_at,
                setting=r.setting,
                district=r.place.district_id if r.place_id else None,
                request_id=r.pk,
            )
        )
    since = now - timedelta(weeks=settings.MEDIATION_RECENT_WEEKS)
    recent = dict(
        Assignment.objects.filter(
            mediator_id__in=ids,
            status__in=Assignment.BOOKED_STATUSES,
            request__starts_at__gte=since,
            request__starts_at__lt=now,
        )
        .order_by()
        .values_list("mediator_id")
        .annotate(n=Count("id"))
    )
    experience: dict[int, dict[str, int]] = defaultdict(dict)
    for mediator_id, area, n in (
        Assignment.objects.filter(mediator_id__in=ids, status=Assignment.Status.DONE)
        .order_by()
        .values_list("mediator_id", "request__area")
        .annotate(n=Count("id"))
    ):
        experience[mediator_id][area] = n
    return [
        matching.MediatorData(
            id=p.pk,
            skills=tuple(
                matching.Skill(language=s.language.code, dialect=s.dialect, level=s.level)
                for s in p.languages.all()
            ),
            areas=frozenset(p.areas),
            settings=frozenset(p.settings_accepted),
            districts=None if p.whole_city else frozenset(d.pk for d in p.districts.all()),
            home_district=p.home_district_id,
            available=_available(p, first, last),
            bookings=tuple(bookings[p.pk]),
            max_per_week=p.max_per_week,
            recent_assignments=recent.get(p.pk, 0),
            area_experience=experience[p.pk],
            gender=p.gender,
        )
        for p in profiles
    ]
