"""district_for_point inside each district, on a border and outside; imports all or nothing."""

import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import shape

from teilhabe.core.demo import DORTMUND_DISTRICTS
from teilhabe.core.geo import Area, AreaIndex
from teilhabe.core.models import District
from teilhabe.core.queries import district_for_point

FEATURES = json.loads(DORTMUND_DISTRICTS.read_text(encoding="utf-8"))["features"]


@pytest.mark.parametrize(
    "feature", FEATURES, ids=[f["properties"]["stadtbezirk"] for f in FEATURES]
)
def test_a_point_inside_each_district(districts, feature):
    inside = shape(feature["geometry"]).representative_point()
    district = district_for_point(inside.y, inside.x)
    assert district is not None
    assert district.number == feature["properties"]["stadtbezirk_nr"]


def test_known_places(districts):
    # Dortmund's main station lies in Innenstadt-West, Hörde's lake Phoenix-See in Hörde.
    assert district_for_point(51.5178, 7.4592).name == "Innenstadt-West"
    assert district_for_point(51.4893, 7.5040).name == "Hörde"


def test_a_point_on_the_border_belongs_to_the_lower_number(districts):
    west = shape(next(f for f in FEATURES if f["properties"]["stadtbezirk_nr"] == 10)["geometry"])
    north = shape(next(f for f in FEATURES if f["properties"]["stadtbezirk_nr"] == 20)["geometry"])
    border = west.boundary.intersection(north.boundary)
    assert not border.is_empty
    point = border.representative_point()
    district = district_for_point(point.y, point.x)
    assert district is not None
    assert district.number == 10


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(51.4818, 7.2162), (52.52, 13.405), (0.0, 0.0), (-33.9, 151.2)],
    ids=["Bochum", "Berlin", "null island", "Sydney"],
)
def test_outside_dortmund_there_is_no_district(districts, lat, lon):
    assert district_for_point(lat, lon) is None


def test_without_districts_there_is_none(db):
    assert district_for_point(51.5178, 7.4592) is None


def test_loading_districts_again_changes_nothing(districts):
    before = list(District.objects.values())
    call_command(
        "load_districts",
        str(DORTMUND_DISTRICTS),
        number_property="stadtbezirk_nr",
        name_property="stadtbezirk",
        verbosity=0,
    )
    assert list(District.objects.values()) == before


def _write(tmp_path, features):
    path = tmp_path / "districts.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_a_bad_feature_rejects_the_whole_file(db, tmp_path):
    good = {
        "type": "Feature",
        "properties": {"number": 1, "name": "Nord"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[7, 51], [7.1, 51], [7.1, 51.1], [7, 51]]],
        },
    }
    bad = {
        "type": "Feature",
        "properties": {"number": 2, "name": "Süd"},
        "geometry": {"type": "Point", "coordinates": [7, 51]},
    }
    with pytest.raises(CommandError, match=r"feature 2 \(Süd\).*Polygon.*Nothing was changed"):
        call_command("load_districts", str(_write(tmp_path, [good, bad])), verbosity=0)
    assert District.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json", "not a JSON file"), ('{"type": "Feature"}', "FeatureCollection")],
)
def test_unreadable_files_are_explained(db, tmp_path, content, message):
    path = tmp_path / "x.geojson"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("load_districts", str(path), verbosity=0)


def test_another_city_loads_its_own_file_and_replaces(districts, tmp_path):
    square = {
        "type": "Polygon",
        "coordinates": [[[6.9, 50.9], [7.0, 50.9], [7.0, 51.0], [6.9, 51.0], [6.9, 50.9]]],
    }
    path = _write(
        tmp_path,
        [{"type": "Feature", "properties": {"nr": 1, "bezirk": "Mitte"}, "geometry": square}],
    )
    call_command(
        "load_districts",
        str(path),
        number_property="nr",
        name_property="bezirk",
        replace=True,
        verbosity=0,
    )
    assert list(District.objects.values_list("name", flat=True)) == ["Mitte"]
    assert district_for_point(50.95, 6.95).name == "Mitte"
    assert district_for_point(51.5178, 7.4592) is None


# The pure index: a grid of unit squares, every point is found in the square that holds it.
GRID = [
    Area(
        key=(x, y),
        order=x * 10 + y,
        geometry={
            "type": "Polygon",
            "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]],
        },
    )
    for x in range(3)
    for y in range(3)
]
INDEX = AreaIndex(GRID)


@given(st.floats(0.001, 2.999), st.floats(0.001, 2.999))
def test_the_index_finds_the_square_that_holds_a_point(lon, lat):
    key = INDEX.locate(lat, lon)
    x, y = key
    assert x <= lon <= x + 1 and y <= lat <= y + 1
    # On a border the lower order wins; inside there is exactly one choice.
    if lon != int(lon) and lat != int(lat):
        assert key == (int(lon), int(lat))


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_the_index_finds_nothing_outside(lat, lon):
    if not (0 <= lon <= 3 and 0 <= lat <= 3):
        assert INDEX.locate(lat, lon) is None
