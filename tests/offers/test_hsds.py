"""The offer map as HSDS 3.0 (/api/hsds/): every answer validates against the official schemas
shipped in data/hsds-3.0; ids are stable; only public offers are shown."""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from teilhabe.core.models import TargetGroup
from teilhabe.offers import hsds
from teilhabe.offers.models import Category, Offer
from tests.offers.test_api import offers  # noqa: F401 - fixture

PAGE_ENVELOPE = {
    "allOf": [hsds.page_schema()],
    "required": [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ],
    "properties": {"contents": {"type": "array"}},
}


def assert_valid(obj, name: str) -> None:
    assert hsds.validation_errors(obj, name) == []


def assert_page(body: dict, item_schema: str) -> list[dict]:
    Draft202012Validator(PAGE_ENVELOPE, format_checker=FormatChecker()).validate(body)
    for item in body["contents"]:
        assert_valid(item, item_schema)
    assert body["size"] == len(body["contents"])
    return body["contents"]


def hsds_get(client, path: str, **params) -> dict:
    response = client.get(f"/api/hsds{path}", params)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"].startswith("public")
    return response.json()


def test_the_shipped_schemas_are_the_official_files_with_their_licence():
    shipped = {p.name for p in hsds.SCHEMA_DIR.iterdir()}
    assert {"LICENSE", "SOURCE.md", "openapi.json", "service.json", "schedule.json"} <= shipped
    # The validator really checks: a service without a status and with a bad id fails.
    errors = hsds.validation_errors({"id": "nope", "name": "x"}, "service")
    assert any("status" in e for e in errors)
    assert any("uuid" in e for e in errors)


def test_it_tells_what_api_this_is(client, db):
    info = hsds_get(client, "/")
    assert info["version"] == "3.0"
    assert info["openapi_url"] == f"{settings.SITE_URL}/api/openapi.json"
    assert info["profile"].startswith("https://")


def test_every_service_validates_and_only_public_offers_are_there(client, offers):  # noqa: F811
    listed = assert_page(hsds_get(client, "/services"), "service")
    assert [s["name"] for s in listed] == ["Beratung für Frauen", "Sprachcafé am Nordmarkt"]
    assert "schedules" not in listed[0]  # list pages carry one-to-one fields
    full = assert_page(hsds_get(client, "/services", full="true"), "service")
    assert all("schedules" in s and "organization" in s for s in full)
    for offer in (offers["cafe"], offers["counselling"]):
        assert_valid(hsds_get(client, f"/services/{offer.uuid}"), "service")
    for key in ("draft", "gone"):
        response = client.get(f"/api/hsds/services/{offers[key].uuid}")
        assert response.status_code == 404
        assert "No public service" in response.json()["detail"]


def test_a_service_carries_the_offer(client, offers):  # noqa: F811
    cafe = offers["cafe"]
    service = hsds_get(client, f"/services/{cafe.uuid}")
    assert service["id"] == str(cafe.uuid)
    assert service["name"] == "Sprachcafé am Nordmarkt"
    assert service["status"] == "active"
    assert service["organization_id"] == str(cafe.organisation.uuid)
    assert service["url"] == "https://sprachcaf%C3%A9.example.org/nord"
    assert service["phones"][0]["number"] == "0231 123456"
    assert [(lang["code"], lang["name"]) for lang in service["languages"]] == [
        ("de", "German"),
        ("ar", "Arabic"),
    ]
    weekly = [s for s in service["schedules"] if s.get("freq") == "WEEKLY"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in weekly] == [
        ("MO", "10:00", "12:00"),
        ("TH", "16:00", "18:30"),
    ]
    assert {"description": "In den Ferien geschlossen."}.items() <= service["schedules"][-1].items()
    assert service["cost_options"][0]["amount"] == 0
    category = next(a for a in service["attributes"] if a["link_type"] == "category")
    assert category["taxonomy_term_id"] == str(Category.objects.get(slug="treffpunkte").uuid)
    groups = {a["taxonomy_term"]["code"] for a in service["attributes"][1:]}
    assert groups == {"refugees", "everyone"}
    [at_location] = service["service_at_locations"]
    location = at_location["location"]
    assert (location["latitude"], location["longitude"]) == (51.5236, 7.4571)
    assert location["addresses"][0]["address_1"] == "Nordmarkt 1"
    assert location["accessibility"][0]["details"] == "wheelchair:yes"
    # No personal contact data of the organisation leaves the system.
    assert "email" not in service["organization"]

    counselling = hsds_get(client, f"/services/{offers['counselling'].uuid}")
    assert counselling["application_process"] == "Termin nach Vereinbarung"
    assert counselling["fees_description"] == "5 € pro Termin"
    assert "cost_options" not in counselling or counselling["cost_options"] == []
    [one_off] = counselling["schedules"]
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert (one_off["valid_from"], one_off["valid_to"], one_off["opens_at"]) == (day, day, "09:00")
    assert "freq" not in one_off


def test_sub_object_ids_are_stable_and_derived_from_the_parent(client, offers):  # noqa: F811
    cafe = offers["cafe"]
    first = hsds_get(client, f"/services/{cafe.uuid}")
    cafe.save()  # a new map version: a fresh answer, not a cached one
    second = hsds_get(client, f"/services/{cafe.uuid}")
    assert first["schedules"] == second["schedules"]
    location_id = first["service_at_locations"][0]["location"]["id"]
    assert location_id == str(uuid.uuid5(cafe.uuid, "location"))
    assert first["service_at_locations"][0]["id"] == str(
        uuid.uuid5(cafe.uuid, "service_at_location")
    )


def test_services_are_filtered_the_hsds_way(client, offers):  # noqa: F811
    def names(**params):
        return [s["name"] for s in assert_page(hsds_get(client, "/services", **params), "service")]

    counselling_term = Category.objects.get(slug="beratung").uuid
    assert names(taxonomy_term_id=str(counselling_term)) == ["Beratung für Frauen"]
    refugees = hsds.target_group_term_id("refugees")
    assert names(taxonomy_term_id=refugees) == ["Sprachcafé am Nordmarkt"]
    assert names(organization_id=str(offers["cafe"].organisation.uuid)) == [
        "Sprachcafé am Nordmarkt"
    ]
    assert names(search="farsi") == ["Beratung für Frauen"]
    assert names(taxonomy_id=str(uuid.uuid4())) == []
    assert len(names(taxonomy_id=str(hsds.CATEGORY_TAXONOMY_ID))) == 2
    yesterday = (timezone.now() - timedelta(days=1)).isoformat()
    assert len(names(modified_after=yesterday)) == 2
    assert names(modified_after=(timezone.localdate() + timedelta(days=1)).isoformat()) == []


def test_it_pages_the_hsds_way(client, offers):  # noqa: F811
    first = hsds_get(client, "/services", per_page=1)
    assert_page(first, "service")
    assert (first["total_items"], first["total_pages"], first["page_number"]) == (2, 2, 1)
    assert (first["first_page"], first["last_page"], first["empty"]) == (True, False, False)
    last = hsds_get(client, "/services", per_page=1, page=2)
    assert (last["first_page"], last["last_page"], last["size"]) == (False, True, 1)
    beyond = hsds_get(client, "/services", per_page=1, page=3)
    assert (beyond["empty"], beyond["contents"]) == (True, [])


def test_organizations_validate_and_show_only_those_with_public_offers(client, offers):  # noqa: F811
    listed = assert_page(hsds_get(client, "/organizations"), "organization")
    assert [o["name"] for o in listed] == ["Frauenzentrum Hörde", "Sprachcafé Nord"]
    women = offers["counselling"].organisation
    detail = hsds_get(client, f"/organizations/{women.uuid}")
    assert_valid(detail, "organization")
    assert [s["id"] for s in detail["services"]] == [str(offers["counselling"].uuid)]
    assert "email" not in detail and "Erika" not in str(detail)
    full = hsds_get(client, f"/organizations/{women.uuid}", full_service="true")
    for service in full["services"]:
        assert_valid(service, "service")
    nested = assert_page(hsds_get(client, "/organizations", full_service="true"), "organization")
    assert all(s["schedules"] is not None for o in nested for s in o["services"])


def test_service_at_locations_validate(client, offers):  # noqa: F811
    listed = assert_page(hsds_get(client, "/service_at_locations"), "service_at_location")
    assert len(listed) == 2
    full = assert_page(
        hsds_get(client, "/service_at_locations", full="true"), "service_at_location"
    )
    for item in full:
        assert_valid(item["location"], "location")
        assert_valid(item["service"], "service")
    detail = hsds_get(client, f"/service_at_locations/{listed[0]['id']}")
    assert_valid(detail, "service_at_location")
    assert_valid(detail["service"], "service")
    assert detail["location"]["latitude"] is not None


def test_taxonomies_and_terms_validate(client, offers):  # noqa: F811
    taxonomies = assert_page(hsds_get(client, "/taxonomies"), "taxonomy")
    assert [t["name"] for t in taxonomies] == ["Teilhabe categories", "Teilhabe target groups"]
    assert_valid(hsds_get(client, f"/taxonomies/{hsds.CATEGORY_TAXONOMY_ID}"), "taxonomy")
    terms = assert_page(hsds_get(client, "/taxonomy_terms", per_page=100), "taxonomy_term")
    assert len(terms) == Category.objects.count() + TargetGroup.objects.count()
    categories = assert_page(
        hsds_get(client, "/taxonomy_terms", taxonomy_id=str(hsds.CATEGORY_TAXONOMY_ID)),
        "taxonomy_term",
    )
    assert {t["code"] for t in categories} == set(Category.objects.values_list("slug", flat=True))
    term = hsds_get(client, f"/taxonomy_terms/{Category.objects.get(slug='bildung').uuid}")
    assert_valid(term, "taxonomy_term")
    assert term["name"] == "Bildungsangebote"
    group = hsds_get(client, f"/taxonomy_terms/{hsds.target_group_term_id('women')}")
    assert_valid(group, "taxonomy_term")
    assert hsds_get(client, "/taxonomy_terms", search="frauen")["total_items"] == 0
    assert hsds_get(client, "/taxonomy_terms", search="women")["total_items"] == 1


@pytest.mark.parametrize(
    ("path", "params", "status", "reason"),
    [
        ("/services", {"modified_after": "garbage"}, 400, "modified_after"),
        ("/services", {"modified_after": "2024-13-45"}, 400, "modified_after"),
        ("/services", {"taxonomy_term_id": "beratung"}, 400, "UUID"),
        ("/services", {"organization_id": "42"}, 400, "UUID"),
        ("/services", {"per_page": 100000}, 422, "per_page"),
        ("/services", {"page": -1}, 422, "page"),
        ("/service_at_locations", {"taxonomy_id": "x"}, 400, "UUID"),
        ("/taxonomy_terms", {"taxonomy_id": "x"}, 400, "UUID"),
        (f"/services/{uuid.UUID(int=1)}", {}, 404, "No public service"),
        ("/services/not-a-uuid", {}, 404, "UUID"),
        (f"/organizations/{uuid.UUID(int=2)}", {}, 404, "No organization"),
        (f"/service_at_locations/{uuid.UUID(int=3)}", {}, 404, "No service_at_location"),
        (f"/taxonomies/{uuid.UUID(int=4)}", {}, 404, "No taxonomy"),
        (f"/taxonomy_terms/{uuid.UUID(int=5)}", {}, 404, "No taxonomy term"),
    ],
)
def test_bad_parameters_get_a_reason(client, offers, path, params, status, reason):  # noqa: F811
    response = client.get(f"/api/hsds{path}", params)
    assert response.status_code == status
    assert reason in str(response.json()["detail"])


def test_an_international_website_is_still_a_valid_uri(offers):  # noqa: F811
    offer = Offer.objects.get(pk=offers["cafe"].pk)
    offer.website = "https://bücher-café.example.org/über uns?q=ä"
    assert_valid(hsds.service(offer), "service")
