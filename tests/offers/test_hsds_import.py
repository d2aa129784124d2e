"""Exchange with other HSDS 3.0 systems: export_hsds writes the public offers, import_hsds reads
services back as offers in review, all or nothing, and says what it could not map."""

import io
import json
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from teilhabe.core.models import Organisation
from teilhabe.offers import hsds, services
from teilhabe.offers.models import Category, Offer
from tests.offers.test_api import offers  # noqa: F401 - fixture

MAPPED = (
    "uuid",
    "title",
    "description",
    "is_free",
    "cost_note",
    "wheelchair_access",
    "street",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "by_appointment",
    "hours_note",
    "phone",
    "email",
    "website",
)


def snapshot(offer: Offer) -> dict:
    offer = Offer.objects.get(pk=offer.pk)
    return {
        **{name: getattr(offer, name) for name in MAPPED},
        "organisation": offer.organisation.uuid,
        "category": offer.category.slug,
        "district": offer.district.slug if offer.district else None,
        "languages": sorted(offer.languages.values_list("code", flat=True)),
        "target_groups": sorted(offer.target_groups.values_list("slug", flat=True)),
        "weekly": sorted(offer.weekly_slots.values_list("weekday", "opens", "closes")),
        "dates": sorted(offer.dates.values_list("date", "starts", "ends")),
    }


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_export_has_one_valid_file_per_object_type(offers, tmp_path):  # noqa: F811
    output = run("export_hsds", str(tmp_path))
    assert "services.json 2" in output
    schema_of = {
        "services.json": "service",
        "organizations.json": "organization",
        "service_at_locations.json": "service_at_location",
        "locations.json": "location",
        "taxonomies.json": "taxonomy",
        "taxonomy_terms.json": "taxonomy_term",
    }
    for name, schema in schema_of.items():
        items = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        assert isinstance(items, list)
        for item in items:
            assert hsds.validation_errors(item, schema) == [], name
    exported = json.loads((tmp_path / "services.json").read_text(encoding="utf-8"))
    assert {s["name"] for s in exported} == {"Sprachcafé am Nordmarkt", "Beratung für Frauen"}


def test_an_export_imported_again_gives_the_same_offers(offers, tmp_path, alice):  # noqa: F811
    originals = [offers["cafe"], offers["counselling"]]
    before = {o.uuid: snapshot(o) for o in originals}
    run("export_hsds", str(tmp_path))
    Offer.objects.filter(pk__in=[o.pk for o in originals]).delete()

    output = run("import_hsds", str(tmp_path))
    assert "Imported 2 offers (2 in review, 0 drafts)" in output
    imported = list(Offer.objects.filter(uuid__in=before))
    assert {o.status for o in imported} == {Offer.Status.REVIEW}
    assert not Offer.objects.public().filter(uuid__in=before).exists()
    for offer in imported:
        services.offer_approve(user=alice, offer=offer)
    after = {o.uuid: snapshot(o) for o in imported}
    assert after == before
    assert Organisation.objects.count() == 2  # found again by uuid, none created


def test_a_single_service_from_elsewhere_is_mapped_as_far_as_possible(
    db, reference_data, districts, tmp_path
):
    service = {
        "id": str(uuid.uuid4()),
        "name": "Rechtsberatung für Geflüchtete",
        "description": "Asylverfahrensberatung.",
        "status": "active",
        "email": "rat@example.org",
        "organization": {
            "id": str(uuid.uuid4()),
            "name": "Flüchtlingshilfe Eving",
            "description": "Ehrenamtliche Initiative.",
        },
        "attributes": [
            {
                "id": str(uuid.uuid4()),
                "taxonomy_term": {
                    "id": str(uuid.uuid4()),
                    "name": "Counselling",
                    "description": "x",
                },
            },
            {
                "id": str(uuid.uuid4()),
                "taxonomy_term": {"id": str(uuid.uuid4()), "name": "Legal aid", "description": "x"},
            },
        ],
        "languages": [
            {"id": str(uuid.uuid4()), "code": "ar"},
            {"id": str(uuid.uuid4()), "code": "xx"},
        ],
        "phones": [
            {"id": str(uuid.uuid4()), "number": "0231 1"},
            {"id": str(uuid.uuid4()), "number": "0231 2"},
        ],
        "schedules": [
            {
                "id": str(uuid.uuid4()),
                "freq": "WEEKLY",
                "byday": "TU,TH",
                "opens_at": "09:00:00",
                "closes_at": "12:00:00",
            },
            {
                "id": str(uuid.uuid4()),
                "freq": "MONTHLY",
                "byday": "1MO",
                "description": "Jeden ersten Montag.",
            },
        ],
        "service_at_locations": [
            {
                "id": str(uuid.uuid4()),
                "location": {
                    "id": str(uuid.uuid4()),
                    "location_type": "physical",
                    "latitude": 51.5649,
                    "longitude": 7.4795,
                    "addresses": [
                        {
                            "id": str(uuid.uuid4()),
                            "address_1": "Deutsche Straße 10",
                            "city": "Dortmund",
                            "postal_code": "44339",
                            "state_province": "NRW",
                            "country": "DE",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps(service), encoding="utf-8")
    output = run("import_hsds", str(path))
    offer = Offer.objects.get(uuid=service["id"])
    assert offer.status == Offer.Status.REVIEW
    assert offer.category.slug == "beratung"
    assert offer.organisation.name == "Flüchtlingshilfe Eving"
    assert offer.district.slug == "eving"
    assert offer.street == "Deutsche Straße 10"
    assert list(offer.languages.values_list("code", flat=True)) == ["ar"]
    assert sorted(offer.weekly_slots.values_list("weekday", flat=True)) == [1, 3]
    assert offer.hours_note == "Jeden ersten Montag."
    assert offer.phone == "0231 1"
    assert offer.is_free is False
    for said in (
        "created the organisation 'Flüchtlingshilfe Eving'",
        "'Legal aid' is not a category",
        "language 'xx' is not known",
        "only the first of several phone numbers",
        "freq MONTHLY cannot be stored",
        "no cost information",
    ):
        assert said in output


def test_pages_and_organizations_with_services_are_read(db, reference_data, tmp_path):
    def service(name):
        return {
            "id": str(uuid.uuid4()),
            "name": name,
            "status": "active",
            "cost_options": [{"id": str(uuid.uuid4()), "amount": 0}],
            "attributes": [
                {
                    "id": str(uuid.uuid4()),
                    "taxonomy_term": {
                        "id": str(uuid.uuid4()),
                        "code": "bildung",
                        "name": "x",
                        "description": "x",
                    },
                }
            ],
        }

    page = {"total_items": 1, "contents": [service("Nachhilfe")]}
    organization = {
        "id": str(uuid.uuid4()),
        "name": "Bildungsverein",
        "description": "",
        "services": [service("Alphabetisierung"), service("Deutschkurs")],
    }
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    (tmp_path / "orgs.json").write_text(json.dumps([organization]), encoding="utf-8")
    with pytest.raises(CommandError, match="is not known here and the input does not give"):
        run("import_hsds", str(tmp_path / "page.json"))
    output = run("import_hsds", str(tmp_path / "orgs.json"))
    assert "Imported 2 offers (0 in review, 2 drafts)" in output
    drafts = Offer.objects.filter(organisation__name="Bildungsverein")
    assert {o.category.slug for o in drafts} == {"bildung"}
    assert all(o.is_free for o in drafts)
    assert str(Organisation.objects.get(name="Bildungsverein").uuid) == organization["id"]


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ('{"name": "x"', "not JSON (line 1"),
        ("42", "$: expected an object or a list"),
        (
            '[{"id": "no-uuid", "name": "x", "status": "active"}]',
            "$[0].id: 'no-uuid' is not a 'uuid'",
        ),
        (
            json.dumps(
                [
                    {
                        "id": str(uuid.uuid4()),
                        "name": "x",
                        "status": "active",
                        "schedules": [{"id": 5}],
                    }
                ]
            ),
            "$[0].schedules[0].id: 5 is not of type 'string'",
        ),
        (
            json.dumps({"contents": [{"id": str(uuid.uuid4()), "status": "open", "name": "x"}]}),
            "$.contents[0].status",
        ),
    ],
)
def test_invalid_input_changes_nothing_and_says_where(
    db, reference_data, tmp_path, document, reason
):
    path = tmp_path / "bad.json"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("import_hsds", str(path))
    assert reason in str(error.value)
    assert "Nothing was changed" in str(error.value)
    assert not Offer.objects.exists()


def test_a_problem_in_the_last_service_undoes_the_first(db, reference_data, tmp_path):
    good = {
        "id": str(uuid.uuid4()),
        "name": "Gut",
        "status": "active",
        "organization": {"id": str(uuid.uuid4()), "name": "Neu e.V.", "description": ""},
        "attributes": [
            {
                "id": str(uuid.uuid4()),
                "taxonomy_term_id": str(Category.objects.get(slug="spenden").uuid),
            }
        ],
    }
    no_category = {**good, "id": str(uuid.uuid4()), "attributes": []}
    path = tmp_path / "two.json"
    path.write_text(json.dumps([good, no_category]), encoding="utf-8")
    with pytest.raises(CommandError, match=r"\$\[1\]: no taxonomy term matches a category"):
        run("import_hsds", str(path))
    assert not Offer.objects.exists()
    assert not Organisation.objects.filter(name="Neu e.V.").exists()
    output = run("import_hsds", str(path), "--default-category", "treffpunkte")
    assert "Imported 2 offers" in output
    assert Offer.objects.get(uuid=no_category["id"]).category.slug == "treffpunkte"
    again = run("import_hsds", str(path))
    assert "skipped 2" in again


def test_a_dry_run_changes_nothing(db, reference_data, tmp_path):
    service = {
        "id": str(uuid.uuid4()),
        "name": "Probe",
        "status": "active",
        "organization": {"name": "Probe e.V.", "id": str(uuid.uuid4()), "description": ""},
        "attributes": [
            {
                "id": str(uuid.uuid4()),
                "taxonomy_term": {
                    "id": str(uuid.uuid4()),
                    "code": "freizeit",
                    "name": "x",
                    "description": "x",
                },
            }
        ],
    }
    path = Path(tmp_path / "s.json")
    path.write_text(json.dumps(service), encoding="utf-8")
    assert "Would import 1 offers" in run("import_hsds", str(path), "--dry-run")
    assert not Offer.objects.exists()
