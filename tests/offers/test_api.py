"""The open-data JSON API /api/v1/: public offers with the map's filters, a page per offer in
the visitor's language, GeoJSON for other maps; bad parameters get a 4xx with a reason."""

import json
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from teilhabe.core.models import Language, Organisation, TargetGroup
from teilhabe.offers.models import Category, Offer, OfferTranslation, OneOffDate, WeeklySlot
from teilhabe.offers.services import offer_locate


def make_offer(organisation, category_slug: str, title: str, *, public: bool = True, **fields):
    languages = fields.pop("languages", [])
    groups = fields.pop("target_groups", [])
    offer = Offer(
        organisation=organisation,
        category=Category.objects.get(slug=category_slug),
        title=title,
        status=Offer.Status.PUBLISHED if public else Offer.Status.DRAFT,
        last_confirmed_at=timezone.now() if public else None,
        published_at=timezone.now() if public else None,
        **fields,
    )
    offer_locate(offer)
    offer.save()
    offer.languages.set(Language.objects.filter(code__in=languages))
    offer.target_groups.set(TargetGroup.objects.filter(slug__in=groups))
    return offer


@pytest.fixture
def offers(reference_data, districts, organisation):
    """Two public offers in two districts, one draft, one that left the map."""
    women = Organisation.objects.create(
        name="Frauenzentrum Hörde",
        slug="frauenzentrum-hoerde",
        description="Beratung und Treffpunkt für Frauen.",
        website="https://frauenzentrum.example.org/",
        email="leitung@frauenzentrum.example.org",
        contact_name="Erika Mustermann",
    )
    cafe = make_offer(
        organisation,
        "treffpunkte",
        "Sprachcafé am Nordmarkt",
        description="Deutsch sprechen bei Kaffee und Tee.",
        latitude=51.5236,
        longitude=7.4571,
        street="Nordmarkt 1",
        postcode="44145",
        city="Dortmund",
        phone="0231 123456",
        email="cafe@example.org",
        website="https://sprachcafé.example.org/nord",
        hours_note="In den Ferien geschlossen.",
        wheelchair_access=Offer.Access.YES,
        languages=["de", "ar"],
        target_groups=["refugees", "everyone"],
    )
    WeeklySlot.objects.create(offer=cafe, weekday=0, opens=time(10), closes=time(12))
    WeeklySlot.objects.create(offer=cafe, weekday=3, opens=time(16), closes=time(18, 30))
    OfferTranslation.objects.create(
        offer=cafe, language="en", title="Language café", description="Speak German over tea."
    )
    counselling = make_offer(
        women,
        "beratung",
        "Beratung für Frauen",
        description="Vertrauliche Beratung in Farsi.",
        latitude=51.4880,
        longitude=7.5090,
        city="Dortmund",
        is_free=False,
        cost_note="5 € pro Termin",
        by_appointment=True,
        languages=["fa"],
        target_groups=["women"],
    )
    OneOffDate.objects.create(
        offer=counselling, date=timezone.localdate() + timedelta(days=3), starts=time(9)
    )
    draft = make_offer(organisation, "bildung", "Hausaufgabenhilfe", public=False)
    gone = make_offer(
        organisation,
        "freizeit",
        "Fußball am Samstag",
        latitude=51.52,
        longitude=7.46,
        left_map_at=timezone.now(),
    )
    return {"cafe": cafe, "counselling": counselling, "draft": draft, "gone": gone}


def get(client, path, **params):
    return client.get(path, params)


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


def test_it_lists_only_public_offers_in_pages(client, offers):
    response = get(client, "/api/v1/offers")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert (body["page"], body["per_page"], body["total_pages"]) == (1, 20, 1)
    assert titles(response) == ["Beratung für Frauen", "Sprachcafé am Nordmarkt"]

    second = get(client, "/api/v1/offers", per_page=1, page=2).json()
    assert (second["count"], second["total_pages"]) == (2, 2)
    assert [item["title"] for item in second["items"]] == ["Sprachcafé am Nordmarkt"]
    beyond = get(client, "/api/v1/offers", per_page=1, page=9).json()
    assert beyond["items"] == [] and beyond["count"] == 2


def test_it_filters_like_the_map(client, offers):
    def found(**params):
        return titles(get(client, "/api/v1/offers", **params))

    assert found(category="beratung") == ["Beratung für Frauen"]
    assert found(category=["beratung", "treffpunkte"]) == [
        "Beratung für Frauen",
        "Sprachcafé am Nordmarkt",
    ]
    assert found(district="innenstadt-nord") == ["Sprachcafé am Nordmarkt"]
    assert found(language=["fa", "tr"]) == ["Beratung für Frauen"]
    assert found(target_group="refugees") == ["Sprachcafé am Nordmarkt"]
    assert found(free="true") == ["Sprachcafé am Nordmarkt"]
    assert found(q="kaffee") == ["Sprachcafé am Nordmarkt"]
    assert found(q="Frauenzentrum") == ["Beratung für Frauen"]
    assert found(bbox="7.40,51.50,7.50,51.55") == ["Sprachcafé am Nordmarkt"]
    assert found(category="nothing-like-this") == []


def test_it_finds_offers_open_now(client, offers):
    assert titles(get(client, "/api/v1/offers", open_now="true")) == []
    OneOffDate.objects.create(offer=offers["cafe"], date=timezone.localdate())
    assert titles(get(client, "/api/v1/offers", open_now="true")) == ["Sprachcafé am Nordmarkt"]


def test_it_gives_the_whole_offer_in_the_asked_language(client, offers):
    cafe = offers["cafe"]
    english = get(client, f"/api/v1/offers/{cafe.pk}", lang="en").json()
    assert english["title"] == "Language café"
    assert english["fell_back_to_german"] is False
    assert english["url"] == f"{settings.SITE_URL}/en/offers/{cafe.pk}/"
    assert english["category"] == {
        "slug": "treffpunkte",
        "name": "Meeting points",
        "colour": "#00626b",
    }
    assert english["district"] == {"slug": "innenstadt-nord", "name": "Innenstadt-Nord"}
    assert english["organisation"]["name"] == "Sprachcafé Nord"
    assert english["languages"] == ["de", "ar"]
    assert english["opening_hours"] == [
        {"weekday": 0, "day": "MO", "opens": "10:00", "closes": "12:00"},
        {"weekday": 3, "day": "TH", "opens": "16:00", "closes": "18:30"},
    ]
    arabic = get(client, f"/api/v1/offers/{cafe.pk}", lang="ar").json()
    assert arabic["title"] == "Sprachcafé am Nordmarkt"
    assert arabic["fell_back_to_german"] is True
    german = get(client, f"/api/v1/offers/{cafe.pk}").json()
    assert (german["lang"], german["fell_back_to_german"]) == ("de", False)
    assert german["url"] == f"{settings.SITE_URL}/offers/{cafe.pk}/"


def test_it_hides_offers_that_are_not_public(client, offers):
    for key in ("draft", "gone"):
        response = get(client, f"/api/v1/offers/{offers[key].pk}")
        assert response.status_code == 404
        assert "No public offer" in response.json()["detail"]


def test_it_serves_geojson_with_links_to_the_public_pages(client, offers):
    response = get(client, "/api/v1/offers.geojson", category="treffpunkte", lang="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    cafe = offers["cafe"]
    assert feature["geometry"]["coordinates"] == [7.4571, 51.5236]
    properties = feature["properties"]
    assert properties["id"] == cafe.pk
    assert properties["title"] == "Language café"
    assert properties["category"] == "treffpunkte"
    assert properties["district"] == "Innenstadt-Nord"
    assert properties["url"] == f"{settings.SITE_URL}/en/offers/{cafe.pk}/"
    everything = get(client, "/api/v1/offers.geojson").json()
    assert len(everything["features"]) == 2


@pytest.mark.parametrize(
    ("path", "params", "status", "reason"),
    [
        ("/api/v1/offers", {"bbox": "7.4,51.5,7.5"}, 400, "four numbers"),
        ("/api/v1/offers", {"bbox": "7.5,51.5,7.4,51.6"}, 400, "min before max"),
        ("/api/v1/offers.geojson", {"bbox": "a,b,c,d"}, 400, "four numbers"),
        ("/api/v1/offers", {"per_page": 100000}, 422, "per_page"),
        ("/api/v1/offers", {"page": -1}, 422, "page"),
        ("/api/v1/offers", {"page": "first"}, 422, "page"),
        ("/api/v1/offers", {"lang": "xx"}, 400, "lang must be one of"),
        ("/api/v1/offers", {"q": "a\x00b"}, 400, "NUL"),
        ("/api/v1/offers/999999", {}, 404, "No public offer"),
        ("/api/v1/offers/99999999999999999999999", {}, 404, "No public offer"),
        ("/api/v1/offers/abc", {}, 422, "id"),
    ],
)
def test_it_answers_bad_parameters_with_a_reason(client, offers, path, params, status, reason):
    response = get(client, path, **params)
    assert response.status_code == status
    assert reason in str(response.json()["detail"])


def test_it_lets_caches_keep_answers_until_the_map_changes(client, offers):
    first = get(client, "/api/v1/offers")
    assert first["Cache-Control"] == "public, max-age=300"
    etag = first["ETag"]
    again = client.get("/api/v1/offers", headers={"If-None-Match": etag})
    assert again.status_code == 304
    offers["cafe"].title = "Sprachcafé am Nordmarkt (neu)"
    offers["cafe"].save()
    changed = client.get("/api/v1/offers", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert get(client, "/api/v1/offers/0")["Cache-Control"] == "no-cache"


def test_it_reads_a_page_in_a_fixed_number_of_queries(
    client, offers, django_assert_max_num_queries
):
    for number in range(10):
        make_offer(
            offers["cafe"].organisation,
            "treffpunkte",
            f"Treff {number}",
            latitude=51.51,
            longitude=7.46,
            languages=["de"],
        )
    with django_assert_max_num_queries(12):
        response = get(client, "/api/v1/offers", per_page=100)
    assert response.json()["count"] == 12


def test_it_describes_itself_in_openapi_and_docs(client, db):
    def no_duplicate_keys(pairs):  # Swagger UI refuses a description with duplicate keys
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    schema = json.loads(
        client.get("/api/openapi.json").content, object_pairs_hook=no_duplicate_keys
    )
    assert schema["info"]["title"] == "Teilhabe API"
    assert "/api/v1/offers" in schema["paths"]
    assert "/api/hsds/services" in schema["paths"]
    index = client.get("/api/").json()
    assert index["offers"] == f"{settings.SITE_URL}/api/v1/offers"
    assert index["hsds"] == f"{settings.SITE_URL}/api/hsds/"
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    # The page loads Swagger UI from this site (CSP: script-src 'self'), not from a CDN.
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content


def test_it_needs_no_login_and_no_csrf_token(client, offers, charlie):
    assert get(client, "/api/v1/offers").status_code == 200
    client.force_login(charlie)
    assert get(client, "/api/v1/offers").status_code == 200
    assert client.post("/api/v1/offers").status_code == 405


def test_it_answers_the_same_question_again_without_a_query(
    client, offers, django_assert_num_queries
):
    path = "/api/v1/offers?category=treffpunkte&q=caf"
    first = client.get(path)
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    # A change to an offer makes a new version: the stored answer is not used any more.
    offers["cafe"].title = "Sprachcafé am Nordmarkt (neu)"
    offers["cafe"].save()
    assert "(neu)" in client.get(path).content.decode()


def _properties(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema.get("properties", {})


def test_the_offer_list_is_exactly_its_published_schema(client, offers):
    """The list is encoded without pydantic (it is the hot path of the map's API): every answer
    must still validate against the OpenAPI schema and carry exactly its fields."""
    import jsonschema

    from teilhabe.api import api

    openapi = api.get_openapi_schema()
    components = openapi["components"]["schemas"]
    page_schema = {"$ref": "#/components/schemas/OfferPage", "components": {"schemas": components}}
    for params in ({}, {"lang": "ar"}, {"lang": "en", "per_page": 1, "page": 2}):
        body = get(client, "/api/v1/offers", **params).json()
        jsonschema.validate(body, page_schema, format_checker=jsonschema.FormatChecker())
        assert set(body) == set(_properties({"$ref": "#/OfferPage"}, components))
        item_fields = set(
            _properties(components["OfferPage"]["properties"]["items"]["items"], components)
        )
        assert body["items"] and all(set(item) == item_fields for item in body["items"])


def test_every_schema_name_in_the_openapi_description_is_one_class():
    """Ninja names components by class name: two schemas of one name would silently document
    one API with the other's fields."""
    from ninja import Schema

    from teilhabe.api import api

    api.get_openapi_schema()
    named: dict[str, set] = {}
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("teilhabe.") and "Query" not in cls.__name__:
            named.setdefault(cls.__name__, set()).add(
                json.dumps(cls.model_json_schema(), sort_keys=True)
            )
    assert {name for name, shapes in named.items() if len(shapes) > 1} == set()
