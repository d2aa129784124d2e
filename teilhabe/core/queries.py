"""Reusable reads of the shared vocabulary."""

from threading import Lock

from django.db.models import Count, Max

from teilhabe.core.geo import Area, AreaIndex
from teilhabe.core.models import District

_index_lock = Lock()
_index_cache: dict[tuple, AreaIndex] = {}


def _district_index() -> AreaIndex:
    # Rebuilt only when the districts change; the key costs one small aggregate query, so every
    # process notices a reload without a restart.
    state = District.objects.aggregate(count=Count("id"), changed=Max("updated_at"))
    key = (state["count"], state["changed"])
    with _index_lock:
        index = _index_cache.get(key)
        if index is None:
            areas = [
                Area(key=d.pk, geometry=d.geometry, order=d.number)
                for d in District.objects.only("pk", "geometry", "number")
            ]
            index = AreaIndex(areas)
            _index_cache.clear()
            _index_cache[key] = index
    return index


def district_for_point(lat: float, lon: float) -> District | None:
    """The district that contains the point, or None outside the city.

    A point exactly on the border between two districts belongs to the one with the lower number.
    """
    district_id = _district_index().locate(lat, lon)
    return None if district_id is None else District.objects.get(pk=district_id)
