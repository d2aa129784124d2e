"""A text nobody asked before is searched in the map's texts kept by each process
(map_texts.py): it must find what the database finds, and need no query to do it."""

import pytest

from teilhabe.core.models import District, Organisation
from teilhabe.offers import map_texts, matches, queries
from teilhabe.offers.models import Offer, OfferTranslation
from teilhabe.offers.queries import OfferFilter, public_offers
from teilhabe.offers.reference import categories_load
from tests.offers.factories import offer_at

CITY = (7.30, 51.41, 7.64, 51.60)
WEST = (7.30, 51.41, 7.45, 51.60)


def district(number: int, slug: str) -> District:
    square = [[[7.0, 51.0], [8.0, 51.0], [8.0, 52.0], [7.0, 52.0], [7.0, 51.0]]]
    return District.objects.create(
        number=number,
        name=slug.title(),
        slug=slug,
        geometry={"type": "Polygon", "coordinates": square},
        min_lon=7.0,
        min_lat=51.0,
        max_lon=8.0,
        max_lat=52.0,
    )


@pytest.fixture
def offers(db):
    categories_load()
    verein = Organisation.objects.create(name="Nachbarschaftsverein", slug="verein")
    caritas = Organisation.objects.create(name="Caritas Dortmund", slug="caritas")
    nord, hoerde = district(1, "innenstadt-nord"), district(2, "hoerde")
    cafe = offer_at(verein, "Sprachcafé Nord", 7.46, district=nord, description="Deutsch üben")
    OfferTranslation.objects.create(
        offer=cafe, language="ar", title="مقهى اللغة", description="ممارسة الألمانية"
    )
    OfferTranslation.objects.create(offer=cafe, language="en", title="Language café North")
    return {
        "cafe": cafe,
        "beratung": offer_at(
            caritas, "Migrationsberatung", 7.35, category="beratung", district=hoerde
        ),
        "costly": offer_at(verein, "Sprachkurs", 7.55, district=hoerde, is_free=False),
        "street": offer_at(caritas, "Treff an der Hauptstraße", 8.50, description="Treffpunkt"),
        "draft": offer_at(verein, "Sprachcafé Entwurf", status=Offer.Status.DRAFT),
        "other": offer_at(verein, "Kleiderkammer", 7.42, category="spenden"),
        # Last in list order but in a category seen early: lists of categories interleave.
        "last": offer_at(verein, "Zuwanderungsberatung", 7.43, category="beratung"),
    }


def from_database(spec: OfferFilter) -> tuple[list[int], int, bool]:
    ids = queries.OrderedIds(public_offers(spec))
    return ids[0 : ids.count()], ids.count(), ids.capped


def from_texts(spec: OfferFilter) -> tuple[list[int], int, bool]:
    assert map_texts.answers(spec)
    ids = matches.public_ids(spec)
    return ids[0 : ids.count()], ids.count(), ids.capped


@pytest.mark.parametrize(
    "spec",
    [
        OfferFilter(text="sprach"),
        OfferFilter(text="SPRACH", bbox=WEST),
        OfferFilter(text="sprach", bbox=CITY),  # one offer lies outside it
        OfferFilter(text="deutsch"),  # a description
        OfferFilter(text="DEUTSCH ÜBEN"),  # case beyond ASCII
        OfferFilter(text="SprachCafé"),
        OfferFilter(text="language café"),  # an English translation
        OfferFilter(text="اللغة"),  # an Arabic one
        OfferFilter(text="caritas"),  # an organisation's name
        OfferFilter(text="a"),  # shorter than a trigram
        OfferFilter(text="e", categories=("beratung", "spenden")),
        OfferFilter(text="e", districts=("hoerde",)),
        OfferFilter(text="e", districts=("innenstadt-nord", "hoerde"), free_only=True),
        OfferFilter(text="sprach", free_only=True),
        OfferFilter(text="nirgends"),
        OfferFilter(text="entwurf"),  # a draft: not public
    ],
)
def test_the_kept_texts_find_what_the_database_finds(offers, spec):
    assert from_texts(spec) == from_database(spec)


def test_the_organisation_filter_is_answered_too(offers):
    spec = OfferFilter(text="e", organisation_ids=(offers["beratung"].organisation_id,))

    assert from_texts(spec) == from_database(spec)
    assert from_texts(spec)[0] == [offers["beratung"].pk, offers["street"].pk]


def test_a_match_never_runs_from_one_field_or_offer_into_the_next(offers):
    # "…Nord" + "Deutsch…" (title, description); "…verein" + "Treff…" (one offer, the next)
    assert from_texts(OfferFilter(text="norddeutsch"))[1] == 0
    assert from_texts(OfferFilter(text="vereintreff"))[1] == 0


def test_a_new_text_needs_no_query_once_the_texts_are_kept(offers, django_assert_num_queries):
    matches.public_ids(OfferFilter(text="sprach"))

    with django_assert_num_queries(0):
        found = matches.public_ids(OfferFilter(text="kurs", bbox=CITY))

    assert found[0:10] == [offers["costly"].pk]


def test_filters_that_need_the_database_are_left_to_it(offers):
    assert not map_texts.answers(OfferFilter(text="sprach", languages=("ar",)))
    assert not map_texts.answers(OfferFilter(text="sprach", target_groups=("frauen",)))
    assert not map_texts.answers(OfferFilter(text="sprach", open_now=True))
    assert not map_texts.answers(OfferFilter(text="  ", categories=("beratung",)))
    spec = OfferFilter(text="sprach", languages=("ar",))
    assert matches.public_ids(spec)[0:10] == from_database(spec)[0] == []


def test_a_change_to_the_map_is_seen_by_the_next_search(offers):
    spec = OfferFilter(text="sprach")
    assert from_texts(spec)[1] == 2

    offers["costly"].title = "Deutschkurs"
    offers["costly"].save()
    OfferTranslation.objects.create(offer=offers["other"], language="en", title="Language wardrobe")
    offers["draft"].status = Offer.Status.PUBLISHED
    offers["draft"].save()

    assert from_texts(spec) == from_database(spec)
    assert from_texts(spec)[1] == 2
    assert from_texts(OfferFilter(text="language"))[1] == 2


def test_a_long_list_is_counted_up_to_the_limit_and_not_kept(offers, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_LIMIT", 3)
    monkeypatch.setattr(queries, "ID_BATCH", 2)
    spec = OfferFilter(text="e")

    ids, count, capped = from_texts(spec)

    assert (count, capped) == (3, True)
    assert ids == from_database(spec)[0]
    assert len(matches.searches._items) == 0  # more than ID_BATCH: searched again when asked
