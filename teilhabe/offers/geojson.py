"""Offers as GeoJSON, for the map and the open-data API. Reads with values() (no model objects)
so the whole city stays cheap to build; the callers cache the bytes by map version.

The map itself asks for what its view needs (map_layer): markers where offers are few, grid
cells with counts where they crowd, so the first load stays small at 100,000 offers."""

import json
from collections.abc import Iterable
from math import cos, radians

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import override

from teilhabe.offers import queries
from teilhabe.offers.models import Offer, OfferTranslation

FIELDS = (
    "id",
    "title",
    "latitude",
    "longitude",
    "is_free",
    "category__slug",
    "category__colour",
    "category__icon",
    "district__name",
    "district__slug",
)


def features(offers: QuerySet[Offer], *, language: str, base_url: str = "") -> list[dict]:
    """One GeoJSON Feature per offer with a place; titles in `language` where translated."""
    rows = list(offers.filter(latitude__isnull=False).values(*FIELDS))
    return _features(rows, language, base_url)


def _features(rows: list[dict], language: str, base_url: str = "") -> list[dict]:
    titles: dict[int, str] = {}
    if language != "de" and rows:
        titles = dict(
            OfferTranslation.objects.filter(
                offer_id__in=[row["id"] for row in rows],
                language=language,
                status="published",
            ).values_list("offer_id", "title")
        )
    with override(language):
        detail = reverse("offers:detail", kwargs={"pk": 0}).replace("/0/", "/{}/")
    return [_feature(row, titles.get(row["id"]), base_url + detail) for row in rows]


def _feature(row: dict, translated_title: str | None, detail_url: str) -> dict:
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": {
            "type": "Point",
            "coordinates": [round(row["longitude"], 6), round(row["latitude"], 6)],
        },
        "properties": {
            "id": row["id"],
            "title": translated_title or row["title"],
            "translated": translated_title is not None,
            "category": row["category__slug"],
            "colour": row["category__colour"],
            "icon": row["category__icon"],
            "district": row["district__name"],
            "district_slug": row["district__slug"],
            "free": row["is_free"],
            "url": detail_url.format(row["id"]),
        },
    }


def feature_collection(items: Iterable[dict], **members) -> dict:
    """A FeatureCollection; `members` are added beside "features" (bbox, count …)."""
    return {"type": "FeatureCollection", "features": list(items), **members}


# --- what the map draws: markers where they are few, grid cells where they crowd --------------

MARKER_LIMIT = 300  # more offers than this in the asked part of the map: grid cells instead
CELL_PIXELS = 60  # a cell's width on the screen
MAX_CELLS = 1500  # a larger grid is made coarser
MAX_ZOOM = 20
WHOLE_MAP_ZOOM = 13  # the finest grid for a request without bbox


def cell_size(zoom: int, latitude: float) -> tuple[float, float]:
    """The grid cell (degrees of longitude, of latitude) that is CELL_PIXELS wide and high on a
    Web Mercator map at `zoom` near `latitude`."""
    lon = CELL_PIXELS * 360 / (256 * 2**zoom)
    return lon, lon * cos(radians(latitude))


def map_layer(
    offers: QuerySet[Offer],
    *,
    zoom: int,
    bbox: tuple[float, float, float, float] | None,
    language: str,
    latitude: float,
) -> dict:
    """What the map shows of these offers (already filtered, bbox included) at `zoom`: every
    offer as a marker when there are at most MARKER_LIMIT, else one feature per grid cell
    (a cluster with its count and extent, or the offer itself when it is alone). The
    collection says which ("aggregated"), how many offers it stands for ("count") and their
    extent ("bbox"), so a map can fit its view to them."""
    # No ORDER BY: the database may stop at the first MARKER_LIMIT + 1 rows it finds.
    rows = list(
        offers.filter(latitude__isnull=False).order_by().values(*FIELDS)[: MARKER_LIMIT + 1]
    )
    if len(rows) <= MARKER_LIMIT:
        rows.sort(key=lambda row: row["id"])
        extent = _extent([(r["longitude"], r["latitude"]) for r in rows])
        return feature_collection(
            _features(rows, language), aggregated=False, count=len(rows), bbox=extent
        )
    if bbox is None:  # everything: a first, overall view, never a fine grid
        zoom = min(zoom, WHOLE_MAP_ZOOM)
    cell_lon, cell_lat = cell_size(zoom, latitude)
    if bbox is not None:
        # Far more cells than a screen can show (a large area at a high zoom): coarser cells.
        west, south, east, north = bbox
        while (east - west) / cell_lon * (north - south) / cell_lat > MAX_CELLS:
            cell_lon, cell_lat = cell_lon * 2, cell_lat * 2
    cells = queries.grid_cells(offers, cell_lon=cell_lon, cell_lat=cell_lat)
    while len(cells) > MAX_CELLS:  # offers spread far and wide
        cells = merged(cells)
    alone = [cell.first_id for cell in cells if cell.count == 1]
    markers = _features(
        list(Offer.objects.filter(pk__in=alone).order_by("pk").values(*FIELDS)), language
    )
    clusters = [_cluster(cell) for cell in cells if cell.count > 1]
    extent = _extent([(c.west, c.south) for c in cells] + [(c.east, c.north) for c in cells])
    return feature_collection(
        markers + clusters,
        aggregated=True,
        count=sum(cell.count for cell in cells),
        bbox=extent,
    )


def merged(cells: list[queries.Cell]) -> list[queries.Cell]:
    """The cells of a grid twice as coarse (two by two cells become one)."""
    groups: dict[tuple[int, int], list[queries.Cell]] = {}
    for cell in cells:
        groups.setdefault((cell.column // 2, cell.row // 2), []).append(cell)
    result = []
    for (column, row), group in groups.items():
        count = sum(cell.count for cell in group)
        result.append(
            queries.Cell(
                column=column,
                row=row,
                count=count,
                latitude=sum(cell.latitude * cell.count for cell in group) / count,
                longitude=sum(cell.longitude * cell.count for cell in group) / count,
                west=min(cell.west for cell in group),
                south=min(cell.south for cell in group),
                east=max(cell.east for cell in group),
                north=max(cell.north for cell in group),
                first_id=min(cell.first_id for cell in group),
            )
        )
    return result


def list_collection(offers: QuerySet[Offer], *, limit: int, language: str) -> dict:
    """The first `limit` offers in list order (title), as features, with how many match
    ("count", up to queries.COUNT_LIMIT; "count_capped" when more do, and then no features:
    a list of that many says nothing, zooming in does): the list beside the map when the map
    shows grid cells."""
    ids = queries.OrderedIds(offers.filter(latitude__isnull=False))
    if ids.capped:
        return feature_collection([], count=ids.count(), count_capped=True)
    shown = ids[:limit]
    by_id = {row["id"]: row for row in Offer.objects.filter(pk__in=shown).values(*FIELDS)}
    rows = [by_id[pk] for pk in shown if pk in by_id]
    return feature_collection(_features(rows, language), count=ids.count(), count_capped=False)


def _cluster(cell: queries.Cell) -> dict:
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [round(cell.longitude, 6), round(cell.latitude, 6)],
        },
        "properties": {
            "cluster": True,
            "count": cell.count,
            "bbox": [round(value, 6) for value in (cell.west, cell.south, cell.east, cell.north)],
        },
    }


def _extent(points: list[tuple[float, float]]) -> list[float] | None:
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [round(value, 6) for value in (min(lons), min(lats), max(lons), max(lats))]


def dumps(collection: dict) -> bytes:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
