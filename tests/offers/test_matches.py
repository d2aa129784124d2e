"""A moving map asks the same search with another bbox, and is shown mostly the same offers:
each process keeps searches and offer records (matches.py) until the map changes, and must
answer exactly as the database would."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from teilhabe.core.models import Language, Organisation
from teilhabe.offers import matches, queries
from teilhabe.offers.cache import map_version
from teilhabe.offers.models import Offer, OfferTranslation, WeeklySlot
from teilhabe.offers.queries import OfferFilter, public_offers
from teilhabe.offers.reference import categories_load
from tests.offers.factories import offer_at

CITY = (7.30, 51.41, 7.64, 51.60)
WEST = (7.30, 51.41, 7.45, 51.60)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Nachbarschaftsverein", slug="verein")


@pytest.fixture
def offers(db, organisation):
    categories_load()
    return {
        "west": offer_at(organisation, "Sprachcafé West", 7.40),
        "east": offer_at(organisation, "Sprachcafé Ost", 7.55),
        "b_west": offer_at(organisation, "Beratung Sprachcafé", 7.35, category="beratung"),
        "draft": offer_at(organisation, "Sprachcafé Entwurf", 7.41, status=Offer.Status.DRAFT),
        "nowhere": offer_at(organisation, "Sprachcafé ohne Ort", None, status=Offer.Status.DRAFT),
        "other": offer_at(organisation, "Kleiderkammer", 7.42),
    }


def from_database(spec: OfferFilter, now=None) -> tuple[list[int], int, bool]:
    ids = queries.OrderedIds(public_offers(spec, now))
    return ids[0 : ids.count()], ids.count(), ids.capped


def remembered(spec: OfferFilter, now=None) -> tuple[list[int], int, bool]:
    ids = matches.public_ids(spec, now)
    return ids[0 : ids.count()], ids.count(), ids.capped


@pytest.mark.parametrize(
    "spec",
    [
        OfferFilter(text="sprach", bbox=CITY),
        OfferFilter(text="sprach", bbox=WEST),
        OfferFilter(text="Sprachcafé", bbox=(7.50, 51.0, 7.60, 52.0)),
        OfferFilter(text="sprach", bbox=(8.0, 52.0, 8.1, 52.1)),  # nothing there
        OfferFilter(text="sprach"),  # no bbox: offers without a place too
        OfferFilter(text="sprach", categories=("treffpunkte",), bbox=WEST),
        OfferFilter(text="nirgends", bbox=CITY),
        OfferFilter(categories=("treffpunkte",), bbox=WEST),  # no text: from the database
    ],
)
def test_a_remembered_search_answers_as_the_database_does(offers, spec):
    matches.public_ids(OfferFilter(text=spec.text, categories=spec.categories))  # remembered

    assert remembered(spec) == from_database(spec)


def test_moving_the_map_with_the_same_search_reads_nothing(offers, django_assert_num_queries):
    first = matches.public_ids(OfferFilter(text="sprach", bbox=CITY))

    with django_assert_num_queries(0):
        west = matches.public_ids(OfferFilter(text="sprach", bbox=WEST))

    assert first.count() == 3
    assert west[0:10] == [offers["b_west"].pk, offers["west"].pk]


def test_a_change_to_the_map_is_seen_by_the_next_search(offers, organisation):
    spec = OfferFilter(text="sprach", bbox=CITY)
    assert matches.public_ids(spec).count() == 3

    offers["east"].title = "Kleiderkammer Ost"
    offers["east"].save()
    offer_at(organisation, "Sprachcafé Mitte", 7.47)

    assert remembered(spec) == from_database(spec)
    assert remembered(spec)[1] == 3


def test_an_open_now_search_holds_for_its_minute(offers, django_assert_num_queries):
    WeeklySlot.objects.create(offer=offers["west"], weekday=0, opens=time(9), closes=time(10))
    spec = OfferFilter(text="sprach", open_now=True, bbox=CITY)
    monday = datetime(2026, 11, 16, 9, 59, 10, tzinfo=BERLIN)

    assert remembered(spec, monday)[0] == [offers["west"].pk]
    with django_assert_num_queries(0):
        assert remembered(spec, monday.replace(second=50))[0] == [offers["west"].pk]
    ten = datetime(2026, 11, 16, 10, 0, 5, tzinfo=BERLIN)  # closed now: asked again
    assert remembered(spec, ten) == from_database(spec, ten) == ([], 0, False)


def test_a_database_search_finding_too_many_is_counted_and_paged_by_the_database(
    offers, monkeypatch
):
    arabic = Language.objects.create(code="ar", name_en="Arabic", name_native="العربية")
    for offer in Offer.objects.all():
        offer.languages.add(arabic)
    monkeypatch.setattr(queries, "ID_BATCH", 2)
    spec = OfferFilter(text="sprach", languages=("ar",), bbox=CITY)  # not from map_texts

    ids = matches.public_ids(spec)

    assert isinstance(ids, queries.OrderedIds)
    assert remembered(spec) == from_database(spec)
    assert remembered(spec)[1] == 3


def test_the_api_and_the_list_page_answer_a_moved_map_from_a_remembered_search(
    client, offers, django_assert_num_queries
):
    client.get("/api/v1/offers", {"q": "sprach", "bbox": "7.30,51.41,7.64,51.60"})

    with django_assert_num_queries(0):  # the search and the offers it shows are kept
        moved = client.get("/api/v1/offers", {"q": "sprach", "bbox": "7.30,51.41,7.45,51.60"})

    assert [item["title"] for item in moved.json()["items"]] == [
        "Beratung Sprachcafé",
        "Sprachcafé West",
    ]
    listed = client.get("/", {"q": "sprach"}).content.decode()
    assert "Sprachcafé Ost" in listed and "Sprachcafé Entwurf" not in listed


def test_offer_records_are_read_once_per_language_until_the_map_changes(
    offers, django_assert_num_queries
):
    cafe = offers["west"]
    OfferTranslation.objects.create(offer=cafe, language="en", title="Language café West")
    ids = [cafe.pk, offers["east"].pk]
    assert matches.offer_records(ids, "en") == queries.offer_records(ids, "en")

    with django_assert_num_queries(0):
        again = matches.offer_records(ids, "en")
    assert [record["title"] for record in again] == ["Language café West", "Sprachcafé Ost"]
    assert matches.offer_records(ids, "ar")[0]["fell_back"] is True  # another language: read

    assert matches.offer_records([cafe.pk], "de")[0]["title"] == "Sprachcafé West"
    cafe.title = "Sprachcafé Westfalen"
    cafe.save()
    assert matches.offer_records([cafe.pk], "de")[0]["title"] == "Sprachcafé Westfalen"
    assert matches.offer_records([cafe.pk, 0], "de") == queries.offer_records([cafe.pk], "de")


def test_an_offer_that_leaves_the_map_as_stale_leaves_every_remembered_answer(client, offers):
    """remind_stale_offers updates rows without signals; it must still change the map."""
    Offer.objects.filter(pk=offers["east"].pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=400)
    )
    asked = {"q": "sprach", "bbox": "7.30,51.41,7.64,51.60"}
    before = [item["title"] for item in client.get("/api/v1/offers", asked).json()["items"]]
    geojson = client.get("/offers.geojson").json()
    assert "Sprachcafé Ost" in before
    assert "Sprachcafé Ost" in {feature["properties"]["title"] for feature in geojson["features"]}

    call_command("remind_stale_offers", verbosity=0)

    after = [item["title"] for item in client.get("/api/v1/offers", asked).json()["items"]]
    geojson = client.get("/offers.geojson").json()
    assert "Sprachcafé Ost" not in after
    assert "Sprachcafé Ost" not in {
        feature["properties"]["title"] for feature in geojson["features"]
    }


@pytest.mark.django_db(transaction=True)
def test_a_change_makes_a_new_map_version_again_when_it_commits(organisation):
    """An answer made between the change and its commit (from the rows before it) is kept
    under the version in between, which is never read after the commit."""
    categories_load()
    with transaction.atomic():
        offer_at(organisation, "Sprachcafé Neu", 7.46)
        during = map_version()
    assert map_version() != during
