"""The public pages of the offer map: the start page with its filters and list (no JavaScript
needed), an offer's page in the visitor's language, the print view and the embeddable map."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from teilhabe.core.models import Language, Organisation, TargetGroup
from teilhabe.offers import services as offer_services
from teilhabe.offers import views
from teilhabe.offers.models import Category, DailyViews, Offer, OfferTranslation, WeeklySlot

BERLIN = ZoneInfo("Europe/Berlin")
# A Wednesday afternoon: the moment "open now" refers to in these tests.
NOW = datetime(2025, 6, 11, 15, 0, tzinfo=BERLIN)
WEDNESDAY = 2

PLACES = {
    "innenstadt-west": (51.5136, 7.4653),
    "eving": (51.55, 7.48),
    "hoerde": (51.48, 7.50),
    "innenstadt-nord": (51.525, 7.47),
}


def make_offer(
    organisation: Organisation,
    title: str,
    *,
    category: str = "beratung",
    place: str = "innenstadt-west",
    status: str = Offer.Status.PUBLISHED,
    languages: tuple[str, ...] = (),
    target_groups: tuple[str, ...] = (),
    slots: tuple[tuple[int, str, str], ...] = (),
    translations: dict[str, str] | None = None,
    **fields,
) -> Offer:
    """A published offer at a place in Dortmund (districts must be loaded for its district)."""
    lat, lon = PLACES[place]
    offer = Offer(
        organisation=organisation,
        category=Category.objects.get(slug=category),
        title=title,
        latitude=lat,
        longitude=lon,
        status=status,
        **fields,
    )
    if status == Offer.Status.PUBLISHED:
        offer.published_at = offer.last_confirmed_at = timezone.now()
    offer_services.offer_locate(offer)
    offer.save()
    offer.languages.set(Language.objects.filter(code__in=languages))
    offer.target_groups.set(TargetGroup.objects.filter(slug__in=target_groups))
    for weekday, opens, closes in slots:
        WeeklySlot.objects.create(offer=offer, weekday=weekday, opens=opens, closes=closes)
    for language, translated_title in (translations or {}).items():
        OfferTranslation.objects.create(
            offer=offer, language=language, title=translated_title, description="…"
        )
    return offer


@pytest.fixture
def reference(db, districts):
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def fixed_now(monkeypatch):
    monkeypatch.setattr(views, "_now", lambda: NOW)
    return NOW


@pytest.fixture
def offers(reference, organisation):
    """Four public offers that differ in every filter, and offers that must never show."""
    other = Organisation.objects.create(name="AWO Eving", slug="awo-eving")
    made = {
        "cafe": make_offer(
            organisation,
            "Sprachcafé am Nordmarkt",
            category="treffpunkte",
            place="innenstadt-nord",
            languages=("ar", "de"),
            target_groups=("refugees",),
            slots=((WEDNESDAY, "14:00", "17:00"),),
            translations={"ar": "مقهى اللغة في نوردماركت", "en": "Language café"},
            description="Jeden Mittwoch Deutsch üben bei Kaffee und Kuchen.",
        ),
        "advice": make_offer(
            other,
            "Migrationsberatung Eving",
            category="beratung",
            place="eving",
            languages=("tr",),
            target_groups=("families",),
            slots=((0, "09:00", "12:00"),),
            is_free=True,
        ),
        "clothes": make_offer(
            other,
            "Kleiderkammer Hörde",
            category="spenden",
            place="hoerde",
            languages=("ru",),
            target_groups=("everyone",),
            slots=((WEDNESDAY, "10:00", "12:00"),),
        ),
        "course": make_offer(
            organisation,
            "Deutschkurs für Frauen",
            category="bildung",
            place="innenstadt-west",
            languages=("fa", "ar"),
            target_groups=("women",),
            is_free=False,
            cost_note="5 € im Monat",
        ),
    }
    made["draft"] = make_offer(organisation, "Entwurf Nähcafé", status=Offer.Status.DRAFT)
    made["other_draft"] = make_offer(other, "Entwurf Fahrradwerkstatt", status=Offer.Status.REVIEW)
    made["gone"] = make_offer(other, "Alte Teestube", left_map_at=timezone.now())
    made["archived"] = make_offer(organisation, "Archiviert", status=Offer.Status.ARCHIVED)
    return made


def titles_in_list(response) -> set[str]:
    return {card.offer.title for card in response.context["cards"]}


PUBLIC = {"Sprachcafé am Nordmarkt", "Migrationsberatung Eving", "Kleiderkammer Hörde",
          "Deutschkurs für Frauen"}  # fmt: skip


# --- the map page and its list ----------------------------------------------------------------


def test_it_lists_only_public_offers_on_the_start_page(client, offers):
    response = client.get("/")

    assert response.status_code == 200
    assert titles_in_list(response) == PUBLIC
    html = response.content.decode()
    assert "Entwurf" not in html and "Alte Teestube" not in html and "Archiviert" not in html
    assert "4 offers found" in html or "4 Angebote" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=treffpunkte", {"Sprachcafé am Nordmarkt"}),
        (
            "category=treffpunkte&category=spenden",
            {"Sprachcafé am Nordmarkt", "Kleiderkammer Hörde"},
        ),
        ("district=eving", {"Migrationsberatung Eving"}),
        ("language=ar", {"Sprachcafé am Nordmarkt", "Deutschkurs für Frauen"}),
        ("target_group=women", {"Deutschkurs für Frauen"}),
        ("free=1", PUBLIC - {"Deutschkurs für Frauen"}),
        ("q=kleider", {"Kleiderkammer Hörde"}),
        ("q=language+caf%C3%A9", {"Sprachcafé am Nordmarkt"}),  # in the English translation
        ("q=awo", {"Migrationsberatung Eving", "Kleiderkammer Hörde"}),  # the organisation
        ("language=ar&category=bildung", {"Deutschkurs für Frauen"}),
        ("language=ar&district=eving", set()),
    ],
)
def test_it_filters_the_list_by_each_filter_and_by_several(client, offers, query, expected):
    response = client.get(f"/?{query}")

    assert response.status_code == 200
    assert titles_in_list(response) == expected


def test_it_shows_what_is_open_now_at_a_fixed_moment(client, offers, fixed_now):
    response = client.get("/?open_now=1")

    # Wednesday 15:00: the café (Wed 14–17) is open, the clothes room (Wed 10–12) is not.
    assert titles_in_list(response) == {"Sprachcafé am Nordmarkt"}
    assert "badge--open" in response.content.decode()


def test_it_keeps_the_filter_in_the_url_and_in_the_form(client, offers):
    response = client.get("/?category=treffpunkte&district=innenstadt-nord&open_now=1&q=caf%C3%A9")
    html = response.content.decode()

    assert 'value="treffpunkte" checked' in html
    assert 'value="innenstadt-nord" selected' in html
    assert 'id="filter-open-now" name="open_now" value="1" checked' in html
    assert 'value="café"' in html
    # The markers follow the same filter, in the page's language.
    geojson_url = response.context["geojson_url"]
    assert geojson_url.startswith(reverse("offers:geojson"))
    assert "category=treffpunkte" in geojson_url and "open_now=1" in geojson_url
    assert geojson_url.endswith("lang=de")


def test_it_explains_bad_filter_values_instead_of_failing(client, offers):
    response = client.get("/?category=nope&open_now=maybe&bbox=1,2,3&district=EVING")

    assert response.status_code == 200
    errors = " ".join(response.context["filter_errors"])
    assert "nope" in errors  # no such category
    assert "open_now" in errors
    assert "bbox" in errors
    # Known values still filter; upper case is accepted.
    assert titles_in_list(response) == {"Migrationsberatung Eving"}
    assert 'role="alert"' in response.content.decode()


def test_it_pages_the_list_and_keeps_the_filter_in_page_links(client, reference, organisation):
    for number in range(25):
        make_offer(organisation, f"Angebot {number:02d}", category="bildung")

    first = client.get("/?category=bildung")
    second = client.get("/?category=bildung&page=2")

    assert len(first.context["cards"]) == views.PAGE_SIZE
    assert len(second.context["cards"]) == 25 - views.PAGE_SIZE
    assert 'href="?category=bildung&amp;page=2"' in first.content.decode()


def test_it_counts_a_map_view_without_a_cookie(client, offers):
    response = client.get("/")
    client.get("/en/")

    assert not response.cookies
    assert DailyViews.objects.get(offer=None).count == 2


def test_it_reads_the_list_in_a_fixed_number_of_queries(
    client, reference, organisation, django_assert_max_num_queries
):
    for number in range(3):
        make_offer(
            organisation, f"A{number}", languages=("ar", "tr"), slots=((0, "9:00", "10:00"),)
        )
    with django_assert_max_num_queries(16) as few:
        client.get("/")
    for number in range(17):
        make_offer(
            organisation,
            f"B{number}",
            languages=("ar", "tr"),
            target_groups=("women",),
            slots=((1, "9:00", "10:00"),),
            translations={"en": f"B{number}"},
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/")
    assert len(response.context["cards"]) == 20


def test_the_map_page_stays_light(client, reference, organisation):
    for number in range(60):
        make_offer(organisation, f"Angebot {number:02d}")

    response = client.get("/")
    html = response.content.decode()

    assert "FeatureCollection" not in html  # markers come from the GeoJSON view, not the page
    assert len(response.content) < 60_000
    assert "leaflet/leaflet.js" in html and "offers/map.js" in html


def test_the_page_is_in_arabic_with_translated_titles_and_german_fallbacks(client, offers):
    response = client.get("/ar/")
    html = response.content.decode()

    assert 'dir="rtl"' in html
    assert "مقهى اللغة في نوردماركت" in html
    # Untranslated titles are marked as German, so screen readers pronounce them right.
    assert 'lang="de" dir="ltr">Kleiderkammer Hörde</a>' in html


# --- an offer's page ---------------------------------------------------------------------------


def test_an_offer_page_shows_everything_a_visitor_needs(client, offers, fixed_now):
    cafe = offers["cafe"]
    cafe.phone = "0231 / 50-12345"
    cafe.email = "cafe@example.org"
    cafe.website = "https://cafe.example.org/"
    cafe.street, cafe.postcode, cafe.city = "Nordmarkt 1", "44145", "Dortmund"
    cafe.wheelchair_access = Offer.Access.YES
    cafe.by_appointment = True
    cafe.hours_note = "In den Ferien geschlossen"
    cafe.save()

    response = client.get(reverse("offers:detail", kwargs={"pk": cafe.pk}))
    html = response.content.decode()

    assert response.status_code == 200
    for text in (
        "Sprachcafé am Nordmarkt",
        "Jeden Mittwoch Deutsch üben",
        "Treffpunkte",
        "Sprachcafé Nord",  # the organisation
        "Nordmarkt 1",
        "44145 Dortmund",
        "In den Ferien geschlossen",
        "Innenstadt-Nord",
        "14:00–17:00",
        'href="tel:02315012345"',
        'href="mailto:cafe@example.org"',
        'href="https://cafe.example.org/"',
        'lang="ar" dir="rtl">العربية</span>',  # languages spoken, by their own name
        "https://www.openstreetmap.org/directions?to=51.52500%2C7.47000",
        reverse("offers:print", kwargs={"pk": cafe.pk}),
        "badge--open",  # Wednesday 15:00
    ):
        assert text in html, text
    assert DailyViews.objects.get(offer=cafe).count == 1


def test_an_offer_page_is_in_the_visitors_language_where_translated(client, offers):
    with translation.override("ar"):
        url = reverse("offers:detail", kwargs={"pk": offers["cafe"].pk})
    response = client.get(url)
    html = response.content.decode()

    assert url.startswith("/ar/")
    assert "<h1>مقهى اللغة في نوردماركت</h1>" in html
    assert "fallback-note" not in html


def test_an_offer_page_says_when_it_falls_back_to_german(client, offers):
    with translation.override("ar"):
        url = reverse("offers:detail", kwargs={"pk": offers["clothes"].pk})
    response = client.get(url)
    html = response.content.decode()

    assert '<h1 lang="de" dir="ltr">Kleiderkammer Hörde</h1>' in html
    assert 'class="fallback-note"' in html


def test_a_draft_translation_is_not_shown(client, offers):
    OfferTranslation.objects.filter(offer=offers["cafe"], language="ar").update(status="draft")
    with translation.override("ar"):
        url = reverse("offers:detail", kwargs={"pk": offers["cafe"].pk})

    html = client.get(url).content.decode()

    assert '<h1 lang="de" dir="ltr">Sprachcafé am Nordmarkt</h1>' in html


@pytest.mark.parametrize("which", ["draft", "other_draft", "gone", "archived"])
def test_offers_that_are_not_public_are_not_found(client, offers, which):
    pk = offers[which].pk

    assert client.get(reverse("offers:detail", kwargs={"pk": pk})).status_code == 404
    assert client.get(reverse("offers:print", kwargs={"pk": pk})).status_code == 404


def test_a_pending_change_is_not_found_while_the_published_version_is(client, offers, bob):
    change = offer_services.offer_start_change(user=bob, offer=offers["cafe"])

    assert client.get(reverse("offers:detail", kwargs={"pk": change.pk})).status_code == 404
    assert client.get(reverse("offers:detail", kwargs={"pk": offers["cafe"].pk})).status_code == 200


def test_members_preview_their_own_unpublished_offer_but_not_other_organisations(
    client, offers, bob
):
    client.force_login(bob)

    own = client.get(reverse("offers:detail", kwargs={"pk": offers["draft"].pk}))
    others = client.get(reverse("offers:detail", kwargs={"pk": offers["other_draft"].pk}))

    assert own.status_code == 200
    assert "Preview" in own.content.decode() or "Vorschau" in own.content.decode()
    assert not DailyViews.objects.filter(offer=offers["draft"]).exists()
    assert others.status_code == 404


def test_the_offer_page_reads_in_a_fixed_number_of_queries(
    client, offers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        client.get(reverse("offers:detail", kwargs={"pk": offers["cafe"].pk}))


def test_the_print_view_has_the_offer_without_a_map(client, offers):
    response = client.get(reverse("offers:print", kwargs={"pk": offers["course"].pk}))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Deutschkurs für Frauen" in html
    assert "5 € im Monat" in html
    assert "offers/print.css" in html
    assert "leaflet.js" not in html and "data-offer-location" not in html


def test_an_unknown_offer_is_not_found(client, reference):
    assert client.get(reverse("offers:detail", kwargs={"pk": 999})).status_code == 404


# --- the embeddable map -----------------------------------------------------------------------


def test_the_embeddable_map_may_be_framed_by_partner_websites(client, offers):
    response = client.get(f"{reverse('offers:embed')}?category=treffpunkte")
    policy = response.headers["Content-Security-Policy"]

    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert titles_in_list(response) == {"Sprachcafé am Nordmarkt"}
    assert 'target="_blank"' in response.content.decode()


def test_other_pages_still_may_not_be_framed(client, offers):
    for url in ("/", reverse("offers:detail", kwargs={"pk": offers["cafe"].pk})):
        response = client.get(url)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_views_count_is_per_day(client, offers):
    url = reverse("offers:detail", kwargs={"pk": offers["cafe"].pk})
    client.get(url)
    DailyViews.objects.filter(offer=offers["cafe"]).update(
        day=timezone.localdate() - timedelta(days=1)
    )
    client.get(url)

    assert sorted(
        DailyViews.objects.filter(offer=offers["cafe"]).values_list("count", flat=True)
    ) == [1, 1]


def test_open_now_is_false_outside_the_hours(client, offers, monkeypatch):
    monkeypatch.setattr(views, "_now", lambda: datetime.combine(NOW.date(), time(20), BERLIN))

    response = client.get("/?open_now=1")

    assert titles_in_list(response) == set()
