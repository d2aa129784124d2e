"""The markers' GeoJSON: the public offers with the map's filters, titles in the visitor's
language, and conditional or repeat requests answered without a database query."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from teilhabe.offers import views
from teilhabe.offers.models import DailyViews, Offer
from tests.offers import test_public_pages as pages

# The same offers as the page tests (fixtures shared by assignment).
reference, offers, fixed_now = pages.reference, pages.offers, pages.fixed_now
NOW, PUBLIC = pages.NOW, pages.PUBLIC

URL = "/offers.geojson"


def features(response) -> list[dict]:
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    return collection["features"]


def titles(response) -> set[str]:
    return {feature["properties"]["title"] for feature in features(response)}


def test_it_has_a_feature_for_each_public_offer(client, offers):
    response = client.get(URL)

    assert response.status_code == 200
    found = features(response)
    assert {f["properties"]["title"] for f in found} == PUBLIC
    cafe = next(f for f in found if f["id"] == offers["cafe"].pk)
    assert cafe["geometry"] == {"type": "Point", "coordinates": [7.47, 51.525]}
    properties = cafe["properties"]
    assert properties["id"] == offers["cafe"].pk
    assert properties["category"] == "treffpunkte"
    assert properties["district"] == "Innenstadt-Nord"
    assert properties["url"] == reverse("offers:detail", kwargs={"pk": offers["cafe"].pk})
    assert properties["colour"].startswith("#")


def test_it_filters_like_the_map(client, offers, fixed_now):
    assert titles(client.get(f"{URL}?category=spenden")) == {"Kleiderkammer Hörde"}
    assert titles(client.get(f"{URL}?language=ar&target_group=women")) == {"Deutschkurs für Frauen"}
    assert titles(client.get(f"{URL}?open_now=1")) == {"Sprachcafé am Nordmarkt"}
    assert titles(client.get(f"{URL}?bbox=7.46,51.54,7.50,51.56")) == {"Migrationsberatung Eving"}


def test_titles_are_in_the_requested_language_where_translated(client, offers):
    arabic = client.get(f"{URL}?lang=ar")
    by_id = {f["id"]: f["properties"] for f in features(arabic)}

    assert by_id[offers["cafe"].pk]["title"] == "مقهى اللغة في نوردماركت"
    assert by_id[offers["cafe"].pk]["translated"] is True
    assert by_id[offers["clothes"].pk]["title"] == "Kleiderkammer Hörde"
    assert by_id[offers["clothes"].pk]["translated"] is False
    assert by_id[offers["cafe"].pk]["url"].startswith("/ar/offers/")


def test_the_language_comes_from_the_url_prefix_without_lang(client, offers):
    with translation.override("en"):
        url = reverse("offers:geojson")
    by_id = {f["id"]: f["properties"] for f in features(client.get(url))}

    assert url.startswith("/en/")
    assert by_id[offers["cafe"].pk]["title"] == "Language café"


def test_a_conditional_request_is_answered_with_304_without_a_database_query(
    client, offers, django_assert_num_queries
):
    first = client.get(f"{URL}?category=treffpunkte&lang=ar")
    etag = first["ETag"]

    with django_assert_num_queries(0):
        again = client.get(f"{URL}?lang=ar&category=treffpunkte", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again["ETag"] == etag
    assert "public" in again["Cache-Control"]


def test_a_repeat_request_is_served_from_the_cache_without_a_database_query(
    client, offers, django_assert_num_queries
):
    first = client.get(f"{URL}?district=eving&district=hoerde")

    with django_assert_num_queries(0):
        repeat = client.get(f"{URL}?district=eving&district=hoerde")

    assert repeat.status_code == 200
    assert repeat.content == first.content
    assert repeat["ETag"] == first["ETag"]
    assert repeat["Cache-Control"] == f"public, max-age={views.GEOJSON_MAX_AGE}"
    assert repeat["Content-Language"] == "de"


def test_the_same_filter_written_another_way_has_the_same_etag_and_answer(client, offers):
    first = client.get(f"{URL}?district=eving&district=hoerde")

    other = client.get(f"{URL}?district=hoerde&district=eving&district=eving")

    assert other.content == first.content
    assert other["ETag"] == first["ETag"]


def test_a_change_to_an_offer_changes_the_etag_and_the_answer(client, offers):
    first = client.get(URL)
    offers["clothes"].title = "Kleiderladen Hörde"
    offers["clothes"].save()

    second = client.get(URL, headers={"If-None-Match": first["ETag"]})

    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert "Kleiderladen Hörde" in titles(second)


def test_each_language_and_filter_has_its_own_etag(client, offers):
    etags = {
        client.get(f"{URL}{query}")["ETag"]
        for query in ("", "?lang=ar", "?lang=en", "?category=spenden", "?free=1")
    }

    assert len(etags) == 5


def test_open_now_answers_are_not_reused_in_the_next_minute(client, offers, monkeypatch):
    from datetime import timedelta

    monkeypatch.setattr(views, "_now", lambda: NOW)
    first = client.get(f"{URL}?open_now=1")
    monkeypatch.setattr(views, "_now", lambda: NOW + timedelta(hours=3))
    later = client.get(f"{URL}?open_now=1", headers={"If-None-Match": first["ETag"]})

    assert later.status_code == 200
    assert titles(later) == set()


@pytest.mark.parametrize(
    "query",
    ["bbox=1,2,3", "bbox=a,b,c,d", "bbox=8,52,7,51", "open_now=perhaps", "lang=xx",
     "category=%3Cscript%3E"],
)  # fmt: skip
def test_bad_values_get_a_clear_400(client, offers, query):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert json.loads(response.content)["error"]


def test_the_geojson_does_not_count_as_a_map_view(client, offers):
    client.get(URL)

    assert not DailyViews.objects.exists()


def test_only_public_offers_are_markers(client, offers):
    ids = {feature["id"] for feature in features(client.get(URL))}

    assert ids == set(Offer.objects.public().values_list("pk", flat=True))
    assert offers["draft"].pk not in ids and offers["gone"].pk not in ids
