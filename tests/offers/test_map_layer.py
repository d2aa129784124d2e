"""What the map loads at 100,000 offers: offers.geojson with zoom (and bbox) answers with every
offer as a marker where they are few, and with grid cells and their counts where they crowd;
with limit it answers with the first offers of the list beside the map and their number."""

import json

import pytest

from teilhabe.offers import geojson, queries
from teilhabe.offers.models import Category, Offer, OfferTranslation
from teilhabe.offers.reference import categories_load

URL = "/offers.geojson"
# Three groups of offers: six near the Nordmarkt, three in Hörde, one alone in Eving.
PLACES = (
    [(51.525 + n * 0.0004, 7.470 + n * 0.0004) for n in range(6)]
    + [(51.480 + n * 0.0004, 7.500) for n in range(3)]
    + [(51.555, 7.480)]
)


@pytest.fixture
def offers(db, organisation):
    categories_load()  # the six categories (all the reference data these tests need)
    made = []
    for number, (lat, lon) in enumerate(PLACES):
        made.append(
            Offer.objects.create(
                organisation=organisation,
                category=Category.objects.get(slug="bildung" if number % 2 else "beratung"),
                title=f"Angebot {number:02d}",
                latitude=lat,
                longitude=lon,
                status=Offer.Status.PUBLISHED,
            )
        )
    Offer.objects.create(
        organisation=organisation,
        category=Category.objects.get(slug="beratung"),
        title="Entwurf",
        latitude=51.525,
        longitude=7.47,
    )
    OfferTranslation.objects.create(offer=made[-1], language="ar", title="عرض وحيد")
    return made


@pytest.fixture
def few_markers(monkeypatch):
    """As if the city had thousands of offers: more than two in view makes grid cells."""
    monkeypatch.setattr(geojson, "MARKER_LIMIT", 2)


def get(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def clusters(collection) -> list[dict]:
    return [f for f in collection["features"] if f["properties"].get("cluster")]


def markers(collection) -> list[dict]:
    return [f for f in collection["features"] if not f["properties"].get("cluster")]


def test_few_offers_come_as_markers_with_their_extent(client, offers):
    collection = get(client, zoom=12)

    assert collection["aggregated"] is False
    assert collection["count"] == len(markers(collection)) == 10
    assert not clusters(collection)
    assert collection["bbox"] == [7.47, 51.48, 7.5, 51.555]
    assert {f["properties"]["title"] for f in collection["features"]} == {
        f"Angebot {n:02d}" for n in range(10)
    }


def test_crowded_offers_come_as_grid_cells_with_counts(client, offers, few_markers):
    collection = get(client, zoom=12, lang="ar")

    assert collection["aggregated"] is True
    assert collection["count"] == 10
    counted = sum(f["properties"]["count"] for f in clusters(collection))
    assert counted + len(markers(collection)) == 10
    # The offer alone in Eving is a marker with everything a marker shows, in Arabic.
    [alone] = markers(collection)
    assert alone["properties"]["title"] == "عرض وحيد"
    assert alone["properties"]["url"].startswith("/ar/offers/")
    for cluster in clusters(collection):
        west, south, east, north = cluster["properties"]["bbox"]
        lon, lat = cluster["geometry"]["coordinates"]
        assert west <= lon <= east and south <= lat <= north
        assert cluster["properties"]["count"] > 1


def test_zooming_in_splits_the_cells(client, offers, few_markers):
    far = get(client, zoom=10)
    near = get(client, zoom=18, bbox="7.469,51.524,7.473,51.528")

    assert clusters(far) and len(markers(far)) <= 1  # Nordmarkt and Hörde are one cell each
    assert near["count"] == 6
    assert len(markers(near)) == 6 and not clusters(near)  # 30 m apart: a cell each


def test_the_filters_and_the_bbox_apply_to_the_cells(client, offers, few_markers):
    collection = get(client, zoom=12, category="bildung")
    assert collection["count"] == 5

    hoerde = get(client, zoom=12, bbox="7.49,51.47,7.51,51.49")
    assert hoerde["count"] == 3
    assert hoerde["aggregated"] is True


def test_a_large_area_at_a_high_zoom_gets_coarser_cells(client, offers, few_markers, monkeypatch):
    monkeypatch.setattr(geojson, "MAX_CELLS", 4)

    collection = get(client, zoom=20)

    # Four cells' worth of area; the offers may straddle their borders, not more.
    assert len(collection["features"]) <= 9
    assert collection["count"] == 10


def test_the_list_gives_the_first_offers_in_title_order_and_their_number(client, offers):
    collection = get(client, limit=3, bbox="7.46,51.52,7.48,51.53")

    assert [f["properties"]["title"] for f in collection["features"]] == [
        "Angebot 00",
        "Angebot 01",
        "Angebot 02",
    ]
    assert (collection["count"], collection["count_capped"]) == (6, False)


def test_the_list_only_counts_when_too_many_are_in_view(client, offers, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_LIMIT", 4)

    collection = get(client, limit=3)

    assert collection["features"] == []
    assert (collection["count"], collection["count_capped"]) == (4, True)


@pytest.mark.parametrize(
    "query", ["zoom=21", "zoom=-1", "zoom=a", "zoom=%C2%B2", "limit=0", "limit=101", "limit=1.5"]
)
def test_bad_zoom_or_limit_gets_a_clear_400(client, offers, query):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert "must be a whole number" in json.loads(response.content)["error"]


def test_each_zoom_has_its_own_etag_and_a_repeat_needs_no_query(
    client, offers, few_markers, django_assert_num_queries
):
    first = client.get(URL, {"zoom": 11, "bbox": "7.4,51.4,7.6,51.6"})
    other = client.get(URL, {"zoom": 12, "bbox": "7.4,51.4,7.6,51.6"})
    assert first["ETag"] != other["ETag"]

    with django_assert_num_queries(0):
        again = client.get(
            URL, {"zoom": 11, "bbox": "7.4,51.4,7.6,51.6"}, headers={"If-None-Match": first["ETag"]}
        )
    assert again.status_code == 304


def test_the_map_reads_the_cells_in_a_fixed_number_of_queries(
    client, offers, few_markers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        get(client, zoom=12, lang="ar")


def test_merged_cells_keep_the_count_the_mean_position_and_the_extent():
    def cell(column, row, count, lat, lon, first):
        return queries.Cell(column, row, count, lat, lon, lon, lat, lon, lat, first)

    [one] = geojson.merged(
        [
            cell(10, 20, 1, 51.0, 7.0, 5),
            cell(11, 20, 3, 51.4, 7.4, 2),
            cell(11, 21, 4, 51.2, 7.2, 9),
        ]
    )

    assert (one.column, one.row, one.count, one.first_id) == (5, 10, 8, 2)
    assert one.latitude == pytest.approx((51.0 + 3 * 51.4 + 4 * 51.2) / 8)
    assert (one.west, one.south, one.east, one.north) == (7.0, 51.0, 7.4, 51.4)
    assert len(geojson.merged([cell(10, 20, 1, 51, 7, 1), cell(12, 20, 1, 51, 7.1, 2)])) == 2
