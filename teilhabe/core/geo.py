"""Point-in-district lookup. Pure: GeoJSON geometries in, district keys out, no Django."""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from shapely import Point, prepared
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Area:
    key: Hashable
    geometry: dict  # a GeoJSON geometry (Polygon or MultiPolygon) in WGS84 lon/lat
    order: int = 0  # lower wins where a point lies on the border between two areas


def bounds_of(geometry: dict) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a GeoJSON geometry."""
    return shape(geometry).bounds


def validate_area_geometry(geometry: dict) -> BaseGeometry:
    """The geometry as shapely, or ValueError with a reason a person can act on."""
    try:
        geom = shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed GeoJSON
        raise ValueError(f"not a GeoJSON geometry: {exc}") from exc
    if geom.geom_type not in {"Polygon", "MultiPolygon"}:
        raise ValueError(f"expected a Polygon or MultiPolygon, got {geom.geom_type}")
    if geom.is_empty or not geom.is_valid:
        raise ValueError("the polygon is empty or invalid (self-intersecting ring?)")
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValueError("coordinates are not WGS84 longitude/latitude")
    return geom


class AreaIndex:
    """Finds the area that covers a point; points on a shared border go to the lowest order."""

    def __init__(self, areas: Iterable[Area]) -> None:
        self._areas = sorted(
            ((area.order, area.key, prepared.prep(shape(area.geometry))) for area in areas),
            key=lambda item: item[0],
        )

    def locate(self, lat: float, lon: float) -> Hashable | None:
        point = Point(lon, lat)
        for _order, key, geom in self._areas:
            if geom.covers(point):
                return key
        return None
