"""The offer map in a real Chromium at phone size: a newcomer finds an offer in Arabic with the
map, a visitor without JavaScript finds one with the list; markers without tiles, aggregation,
"near me", accessibility (axe-core) and no horizontal scrolling."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from teilhabe.core.models import Language, Organisation, TargetGroup
from teilhabe.offers import geojson, queries, views
from teilhabe.offers import services as offer_services
from teilhabe.offers.models import Category, Offer, OfferTranslation, WeeklySlot

pytestmark = pytest.mark.browser

NOW = datetime(2025, 6, 11, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # a Wednesday
WEDNESDAY = 2
CAFE_AR = "مقهى اللغة في نوردماركت"


def _offer(organisation, title, category, lat, lon, *, slots=(), languages=(), **fields) -> Offer:
    offer = Offer(
        organisation=organisation,
        category=Category.objects.get(slug=category),
        title=title,
        latitude=lat,
        longitude=lon,
        status=Offer.Status.PUBLISHED,
        published_at=timezone.now(),
        last_confirmed_at=timezone.now(),
        **fields,
    )
    offer_services.offer_locate(offer)
    offer.save()
    offer.languages.set(Language.objects.filter(code__in=languages))
    for weekday, opens, closes in slots:
        WeeklySlot.objects.create(offer=offer, weekday=weekday, opens=opens, closes=closes)
    return offer


@pytest.fixture
def offers(reference_data, monkeypatch):
    monkeypatch.setattr(views, "_now", lambda: NOW)
    nord = Organisation.objects.create(name="Sprachcafé Nord", slug="sprachcafe-nord")
    awo = Organisation.objects.create(name="AWO Unterbezirk", slug="awo")
    cafe = _offer(
        nord,
        "Sprachcafé am Nordmarkt",
        "treffpunkte",
        51.525,
        7.47,
        slots=((WEDNESDAY, "14:00", "17:00"),),
        languages=("ar", "de"),
        description="Jeden Mittwoch Deutsch üben.",
        phone="0231 123456",
        street="Nordmarkt 1",
        postcode="44145",
        city="Dortmund",
    )
    OfferTranslation.objects.create(
        offer=cafe, language="ar", title=CAFE_AR, description="تدرب على الألمانية كل أربعاء."
    )
    _offer(awo, "Treffpunkt Eving", "treffpunkte", 51.55, 7.48, slots=((0, "09:00", "12:00"),))
    _offer(awo, "Migrationsberatung Hörde", "beratung", 51.48, 7.50, languages=("tr",))
    _offer(
        awo,
        "Kleiderkammer West",
        "spenden",
        51.5136,
        7.4653,
        slots=((WEDNESDAY, "14:00", "16:00"),),
    )
    cafe.target_groups.set(TargetGroup.objects.filter(slug="refugees"))
    return {"cafe": cafe}


@pytest.fixture
def no_tiles(settings):
    """The tile server as configured (its host is in the CSP's img-src); each test aborts the
    requests to it with block_tiles(), as if the visitor were offline or the server down."""
    assert settings.MAP_TILE_URL.startswith("http")


def block_tiles(page: Page) -> list[str]:
    aborted: list[str] = []

    def abort(route):
        aborted.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost).*"), abort)
    return aborted


def marker_total(page: Page) -> int:
    """Offers on the map: single markers plus the numbers in aggregated circles."""
    singles = page.locator(".leaflet-marker-icon .map-marker").count()
    clusters = page.locator(
        ".leaflet-marker-icon .map-cluster > span[aria-hidden]"
    ).all_inner_texts()
    return singles + sum(int(text) for text in clusters)


def test_a_newcomer_finds_an_open_offer_in_arabic_on_the_map(new_page, offers, no_tiles):
    page = new_page()
    aborted = block_tiles(page)
    page.goto("/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    assert aborted, "the map should have tried to load tiles"

    page.locator("summary", has_text=re.compile(".")).first.click()
    page.get_by_label("أماكن اللقاء").check()  # category "meeting points", by its Arabic name
    page.locator("#filter-open-now").check()
    page.locator(".filter-form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/ar/\?.*category=treffpunkte"))
    assert "open_now=1" in page.url
    expect(page.locator("[data-map-list] .offer-card")).to_have_count(1)
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    link = page.locator("[data-map-list] .offer-card a", has_text=CAFE_AR)
    link.click()

    page.wait_for_url(re.compile(r"/ar/offers/\d+/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(CAFE_AR)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert heading.evaluate("h => getComputedStyle(h).direction") == "rtl"
    expect(page.locator(".fallback-note")).to_have_count(0)
    expect(page.locator("a[href^='https://www.openstreetmap.org/directions?to=']")).to_be_visible()


def test_a_visitor_without_javascript_finds_an_offer_in_the_list(new_page, offers):
    page = new_page(java_script_enabled=False)
    page.goto("/")
    expect(page.locator(".map-section")).to_be_hidden()
    expect(page.locator("[data-server-list] .offer-card")).to_have_count(4)

    page.locator(".filters summary").click()
    page.get_by_label("Treffpunkte").check()
    page.locator("#filter-open-now").check()
    page.locator(".filter-form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/\?.*category=treffpunkte"))
    cards = page.locator("[data-server-list] .offer-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Sprachcafé am Nordmarkt")
    cards.first.get_by_role("link").click()

    page.wait_for_url(re.compile(r"/offers/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sprachcafé am Nordmarkt")
    assert page.locator("html").get_attribute("lang") == "de"
    expect(page.locator("a[href='tel:0231123456']")).to_be_visible()


def test_markers_are_drawn_although_no_tile_loads(new_page, offers, no_tiles):
    page = new_page()
    block_tiles(page)
    page.goto("/")

    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    assert marker_total(page) == 4
    # With JavaScript the list follows the map and shows the same offers.
    expect(page.locator("[data-map-list] .offer-card")).to_have_count(4)
    expect(page.locator("[data-server-list]")).to_be_hidden()


def test_crowded_markers_merge_into_a_numbered_circle_that_zooms_in(
    new_page, offers, no_tiles, reference_data
):
    organisation = Organisation.objects.get(slug="awo")
    for number in range(8):
        _offer(organisation, f"Kurs {number}", "bildung", 51.5136 + number * 0.0002, 7.4653)
    page = new_page()
    block_tiles(page)
    page.goto("/")
    cluster = page.locator(".map-cluster").first
    expect(cluster).to_be_visible()
    assert marker_total(page) == 12
    zoom_before = page.evaluate("document.querySelector('.leaflet-proxy') !== null")
    assert zoom_before is not None
    in_view_before = page.locator("[data-map-list] .offer-card").count()

    page.locator(".leaflet-marker-icon:has(.map-cluster)").first.click()

    # The map zoomed in: fewer offers in view, and the list followed it.
    expect(page.locator("[data-map-list] .offer-card")).not_to_have_count(in_view_before)
    assert page.locator("[data-map-list] .offer-card").count() < in_view_before


@pytest.fixture
def crowded(monkeypatch):
    """As if the city had thousands of offers: the server sends grid cells, not markers."""
    monkeypatch.setattr(geojson, "MARKER_LIMIT", 2)


def test_with_many_offers_the_map_shows_cells_and_the_list_comes_from_the_server(
    new_page, offers, no_tiles, crowded
):
    page = new_page(
        geolocation={"latitude": 51.5245, "longitude": 7.4702}, permissions=["geolocation"]
    )
    block_tiles(page)
    page.goto("/en/")

    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    assert marker_total(page) == 4
    expect(page.locator("[data-map-list] .offer-card")).to_have_count(4)
    expect(page.locator("[data-map-list-count]")).to_contain_text("4")
    expect(page.locator("[data-server-list]")).to_be_hidden()

    # Closer in, the server is asked again: fewer offers in view, the nearest one first.
    page.get_by_role("button", name="Near me").click()
    cards = page.locator("[data-map-list] .offer-card")
    expect(cards).not_to_have_count(4)
    expect(cards.first).to_contain_text("Sprachcafé am Nordmarkt")
    expect(cards.first.locator(".offer-card__distance")).to_contain_text("km")


def test_with_too_many_offers_in_view_the_list_asks_to_zoom_in(
    new_page, offers, no_tiles, crowded, monkeypatch
):
    monkeypatch.setattr(queries, "COUNT_LIMIT", 2)
    page = new_page()
    block_tiles(page)
    page.goto("/en/")

    expect(page.locator("[data-map-list-count]")).to_contain_text("More than 2 offers")
    expect(page.locator("[data-map-list] .offer-card")).to_have_count(0)


def test_near_me_centres_the_map_and_sorts_the_list_by_distance(new_page, offers, no_tiles):
    page = new_page(
        geolocation={"latitude": 51.549, "longitude": 7.481}, permissions=["geolocation"]
    )
    block_tiles(page)
    page.goto("/en/")
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()

    page.get_by_role("button", name="Near me").click()

    first = page.locator("[data-map-list] .offer-card").first
    expect(first).to_contain_text("Treffpunkt Eving")
    expect(first.locator(".offer-card__distance")).to_contain_text("km")
    expect(page.locator("[data-map-status]")).to_contain_text("distance")


@pytest.mark.parametrize("language", ["", "/ar"], ids=["de", "ar"])
@pytest.mark.parametrize("what", ["map", "list-without-script", "offer", "embed"])
def test_no_axe_violations_on_the_map_the_list_and_an_offer(
    new_page, offers, no_tiles, axe, language, what
):
    page = new_page()
    block_tiles(page)
    if what == "list-without-script":
        # The page as a visitor without JavaScript gets it (axe itself still needs scripts).
        page.route(re.compile(r".*/(leaflet|map)\.js$"), lambda route: route.abort())
    path = {
        "offer": f"{language}/offers/{offers['cafe'].pk}/",
        "embed": f"{language}/embed/?category=treffpunkte",
    }.get(what, f"{language}/")
    page.goto(path)
    if what in ("map", "embed"):
        expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    if what == "map":
        page.locator(".filters summary").click()

    results = axe.run(page)

    assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"


@pytest.mark.parametrize("path", ["/", "/ar/", "offer", "/ar/?category=treffpunkte"])
def test_no_horizontal_scrolling_at_360_pixels(new_page, offers, no_tiles, path):
    page = new_page(viewport={"width": 360, "height": 800})
    block_tiles(page)
    page.goto(f"/ar/offers/{offers['cafe'].pk}/" if path == "offer" else path)
    page.locator(".filters summary, h1").first.click()

    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width == 360, f"{path} is {scroll_width}px wide"


@pytest.mark.parametrize("path", ["/", "/ar/", "offer", "/embed/?category=treffpunkte"])
def test_no_content_security_policy_errors_on_the_map_pages(new_page, offers, no_tiles, path):
    page = new_page()
    block_tiles(page)
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"/offers/{offers['cafe'].pk}/" if path == "offer" else path)
    expect(page.locator(".leaflet-marker-icon").first).to_be_attached()

    assert not [text for text in console if "Content Security Policy" in text], console
    assert not errors, errors


def test_the_offer_page_shows_its_place_on_a_small_map(new_page, offers, no_tiles):
    page = new_page()
    block_tiles(page)
    page.goto(f"/offers/{offers['cafe'].pk}/")

    expect(page.locator(".offer-location .leaflet-marker-icon")).to_have_count(1)
    expect(page.locator(".coordinates")).to_contain_text("51.52500, 7.47000")
