"""The text search of the map, the list, the JSON API and HSDS goes through a text index (FTS5
trigram table on SQLite, pg_trgm on PostgreSQL): it finds parts of words in any language and
any case, and follows every edit, including writes that bypass the ORM's save()."""

import pytest
from django.db import connection

from teilhabe.core.models import Organisation
from teilhabe.offers import queries, search
from teilhabe.offers.models import Category, Offer, OfferTranslation
from teilhabe.offers.queries import OfferFilter, public_offers
from teilhabe.offers.reference import categories_load


def make(organisation, title: str, description: str = "", **fields) -> Offer:
    return Offer.objects.create(
        organisation=organisation,
        category=Category.objects.get(slug=fields.pop("category", "treffpunkte")),
        title=title,
        description=description,
        latitude=51.51,
        longitude=7.46,
        status=fields.pop("status", Offer.Status.PUBLISHED),
        **fields,
    )


def found(text: str) -> set[str]:
    return set(public_offers(OfferFilter(text=text)).values_list("title", flat=True))


@pytest.fixture
def offers(db, organisation):
    categories_load()  # the six categories (all the reference data these tests need)
    awo = Organisation.objects.create(name="AWO Unterbezirk Dortmund", slug="awo")
    cafe = make(organisation, "Sprachcafé am Nordmarkt", "Jeden Mittwoch Deutsch üben.")
    clothes = make(awo, "Kleiderkammer Hörde", "Kleidung für alle, 50% günstiger.")
    OfferTranslation.objects.create(
        offer=cafe,
        language="ar",
        title="مقهى اللغة في نوردماركت",
        description="تدرب على الألمانية كل أربعاء.",
    )
    OfferTranslation.objects.create(
        offer=clothes, language="en", title="Clothes store Hörde", description="Clothes for all."
    )
    return {"cafe": cafe, "clothes": clothes}


def test_it_finds_a_part_of_a_word_in_title_or_description(offers):
    assert found("sprach") == {"Sprachcafé am Nordmarkt"}
    assert found("mittwoch deutsch") == {"Sprachcafé am Nordmarkt"}
    assert found("Kammer") == {"Kleiderkammer Hörde"}


@pytest.mark.parametrize(
    "text", ["SPRACHCAFÉ", "sprachcafé", "Sprachcafé", "ÜBEN", "üben", "hÖrde"]
)  # fmt: skip
def test_it_ignores_case_also_of_umlauts_and_accents(offers, text):
    assert len(found(text)) == 1


def test_it_finds_arabic_and_english_translations(offers):
    assert found("اللغة") == {"Sprachcafé am Nordmarkt"}
    assert found("الألمانية") == {"Sprachcafé am Nordmarkt"}
    assert found("clothes STORE") == {"Kleiderkammer Hörde"}


def test_it_finds_the_organisation_by_name(offers):
    assert found("awo") == {"Kleiderkammer Hörde"}
    assert found("Sprachcafé Nord") == {"Sprachcafé am Nordmarkt"}  # the organisation's name


def test_short_texts_and_special_characters_are_plain_text(offers):
    assert found("50%") == {"Kleiderkammer Hörde"}
    assert found("%") == {"Kleiderkammer Hörde"}
    assert found("_") == set()
    assert found('"Nord') == set()
    assert found("ü") == {"Sprachcafé am Nordmarkt", "Kleiderkammer Hörde"}  # üben, für
    assert found("  ") == found("") == {"Sprachcafé am Nordmarkt", "Kleiderkammer Hörde"}


def test_a_match_never_runs_from_the_title_into_the_description(offers):
    # "…Nordmarkt" + "Jeden…": a text across the two fields is not in either of them.
    assert found("Nordmarkt Jeden") == set()
    assert found("nordmarkt\x1fjeden") == set()


def test_it_follows_edits_of_offers_and_translations(offers):
    cafe = offers["cafe"]
    cafe.title = "Sprachtreff am Nordmarkt"
    cafe.save()
    assert found("Sprachcafé am") == set()
    assert found("Sprachtreff") == {"Sprachtreff am Nordmarkt"}

    translation = cafe.translations.get(language="ar")
    translation.title = "لقاء"
    translation.save()
    assert found("مقهى") == set()
    assert found("لقاء") == {"Sprachtreff am Nordmarkt"}

    translation.delete()
    assert found("لقاء") == set()


def test_it_follows_writes_that_bypass_save(offers, organisation):
    Offer.objects.filter(pk=offers["clothes"].pk).update(title="Möbellager Hörde")
    assert found("Kleiderkammer") == set()
    assert found("möbellager") == {"Möbellager Hörde"}

    Offer.objects.bulk_create(
        [
            Offer(
                organisation=organisation,
                category=Category.objects.get(slug="bildung"),
                title=f"Hausaufgabenhilfe {number}",
                latitude=51.5,
                longitude=7.4,
                status=Offer.Status.PUBLISHED,
            )
            for number in range(3)
        ]
    )
    assert found("aufgaben") == {f"Hausaufgabenhilfe {number}" for number in range(3)}


def test_a_deleted_offer_leaves_the_index(offers):
    offers["cafe"].delete()

    assert found("Sprachcafé am") == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")  # noqa: S608
            assert cursor.fetchone()[0] == 2  # the clothes store and its translation


def test_it_respects_the_other_filters_and_public_visibility(offers, organisation):
    make(organisation, "Sprachkurs (Entwurf)", status=Offer.Status.DRAFT)
    make(organisation, "Sprachkurs für Frauen", category="bildung")

    assert found("sprach") == {"Sprachcafé am Nordmarkt", "Sprachkurs für Frauen"}
    by_category = public_offers(OfferFilter(text="sprach", categories=("bildung",)))
    assert list(by_category.values_list("title", flat=True)) == ["Sprachkurs für Frauen"]


def test_the_index_is_rebuilt_when_a_migration_dropped_it(offers):
    """SQLite drops triggers with a rebuilt table; after migrate, ensure_index puts them back
    and refills the index (on PostgreSQL it recreates missing indexes)."""
    if connection.vendor == "postgresql":  # no index can be built while checks are pending
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    search.drop_index()
    Offer.objects.filter(pk=offers["clothes"].pk).update(title="Möbellager Hörde")

    assert search.ensure_index() is True
    assert search.ensure_index() is False  # nothing missing any more
    assert found("möbellager") == {"Möbellager Hörde"}
    assert found("اللغة") == {"Sprachcafé am Nordmarkt"}


def test_hsds_search_uses_the_same_text_search(client, offers):
    response = client.get("/api/hsds/services", {"search": "clothes store"})

    assert [item["name"] for item in response.json()["contents"]] == ["Kleiderkammer Hörde"]


def test_the_api_counts_up_to_a_limit_and_says_when_there_are_more(
    client, offers, organisation, monkeypatch
):
    for number in range(3):
        make(organisation, f"Treffpunkt {number}")
    monkeypatch.setattr(queries, "COUNT_LIMIT", 3)

    first = client.get("/api/v1/offers", {"per_page": 2}).json()
    assert (first["count"], first["count_capped"], first["total_pages"]) == (3, True, 2)
    last = client.get("/api/v1/offers", {"per_page": 2, "page": 2}).json()
    assert len(last["items"]) == 1
    exact = client.get("/api/v1/offers", {"q": "treffpunkt"}).json()
    assert (exact["count"], exact["count_capped"]) == (3, False)


def test_the_list_says_when_more_offers_match_than_it_counts(client, offers, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_LIMIT", 1)

    response = client.get("/en/")

    assert "More than 1 offers found" in response.content.decode()


def test_a_long_list_is_counted_by_the_database_and_paged_in_title_order(
    client, offers, organisation, monkeypatch
):
    for number in range(4):
        make(organisation, f"Treffpunkt {number}")
    monkeypatch.setattr(queries, "ID_BATCH", 2)  # as if thousands matched

    ids = queries.OrderedIds(public_offers(OfferFilter()))
    assert (ids.count(), ids.capped) == (6, False)
    titles = dict(Offer.objects.values_list("pk", "title"))
    assert [titles[pk] for pk in ids[0:2] + ids[2:4] + ids[4:6]] == [
        "Kleiderkammer Hörde",
        "Sprachcafé am Nordmarkt",
        *(f"Treffpunkt {number}" for number in range(4)),
    ]
    assert ids[6:8] == []
    third = client.get("/api/v1/offers", {"per_page": 2, "page": 3}).json()
    assert [item["title"] for item in third["items"]] == ["Treffpunkt 2", "Treffpunkt 3"]
