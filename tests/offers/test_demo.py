"""The Dortmund demo fills the map: 150+ offers in every district and category, at real public
places, labelled as demo data, partly translated, and loading it again changes nothing."""

import json
import time
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from teilhabe.core.models import District
from teilhabe.offers import demo, services
from teilhabe.offers.models import Category, Offer, OfferTranslation
from teilhabe.offers.queries import OfferFilter, public_offers


@pytest.fixture
def loaded(db):
    started = time.monotonic()
    call_command("load_demo", verbosity=0)
    return time.monotonic() - started


def _next(weekday: int, hour: int, minute: int) -> datetime:
    today = timezone.localdate()
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def test_it_puts_150_offers_in_every_district_and_category(loaded):
    offers = Offer.objects.all()
    assert offers.count() >= 150
    assert not offers.filter(is_demo=False).exists()
    assert set(offers.values_list("district__name", flat=True)) == set(
        District.objects.values_list("name", flat=True)
    )
    assert District.objects.count() == 12
    assert set(offers.values_list("category", flat=True)) == set(
        Category.objects.values_list("pk", flat=True)
    )
    assert Category.objects.count() == 6
    assert public_offers().count() >= 140


def test_every_demo_record_says_it_is_not_real(loaded):
    for offer in Offer.objects.prefetch_related("translations"):
        assert offer.description.startswith(demo.DEMO_NOTE["de"]), offer.title
        for translation in offer.translations.all():
            assert translation.description.startswith(demo.DEMO_NOTE[translation.language])
        assert offer.email.endswith(".example.org")
        assert offer.phone == ""
        assert offer.website == "" or offer.website.endswith(".example.org/")
    assert Offer.objects.filter(organisation__slug__endswith="-demo").count() == (
        Offer.objects.count()
    )


def test_offers_sit_at_real_public_places_of_the_district(loaded):
    data = json.loads(
        (settings.BASE_DIR / "data" / "dortmund" / "einrichtungen.geojson").read_text("utf-8")
    )
    places = {
        (f"{p['strasse']} {p['hausnummer']}", p["stadtbezbe"])
        for p in (feature["properties"] for feature in data["features"])
    }
    for offer in Offer.objects.select_related("district"):
        assert (offer.street, offer.district.name) in places, offer.title
        assert offer.city == "Dortmund"


def test_a_good_share_is_translated_into_english_and_arabic(loaded):
    offers = Offer.objects.count()
    for language in ("en", "ar"):
        translated = OfferTranslation.objects.filter(language=language, status="published")
        assert translated.count() >= 0.4 * offers
    offer = OfferTranslation.objects.filter(language="ar").first().offer
    title, description, fell_back = offer.text_in("ar")
    assert not fell_back
    assert any("\u0600" <= ch <= "\u06ff" for ch in title)
    assert description.startswith(demo.DEMO_NOTE["ar"])


def test_some_are_open_at_typical_times(loaded):
    for weekday, hour, minute in [(1, 10, 30), (2, 16, 30), (3, 15, 0), (5, 11, 30)]:
        moment = _next(weekday, hour, minute)
        assert public_offers(OfferFilter(open_now=True), now=moment).count() >= 3, moment
    assert Offer.objects.filter(dates__isnull=False).distinct().exists()
    assert Offer.objects.filter(is_free=False).exists()
    assert Offer.objects.filter(is_free=True).count() > Offer.objects.count() / 2
    assert Offer.objects.filter(languages__code="ar").distinct().count() > 50


def test_some_wait_for_review_and_some_need_a_reminder_but_none_leave_the_map(loaded):
    assert Offer.objects.filter(status=Offer.Status.REVIEW).count() >= 3
    assert Offer.objects.filter(status=Offer.Status.DRAFT).exists()
    now = timezone.now()
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED)
    oldest = now - timedelta(days=settings.OFFERS_REMOVE_AFTER_DAYS)
    assert not published.filter(last_confirmed_at__lt=oldest + timedelta(days=7)).exists()
    report = services.stale_offers_process(now=now)
    assert report.reminded >= 3
    assert report.left_map == 0


def test_loading_again_writes_nothing_and_the_plan_is_the_same(loaded):
    assert loaded < 30  # generous on slow machines; about 3 s on a laptop
    assert demo.demo_load() == 0
    first, second = demo.demo_plan(), demo.demo_plan()
    assert [(p.uuid, p.title, p.organisation) for p in first] == [
        (p.uuid, p.title, p.organisation) for p in second
    ]


def test_loading_again_repairs_a_changed_demo_offer(loaded):
    offer = Offer.objects.filter(status=Offer.Status.PUBLISHED).first()
    offer.title = "changed"
    offer.save()
    offer.weekly_slots.all().delete()
    offer.translations.all().delete()
    assert demo.demo_load() > 0
    assert demo.demo_load() == 0
    offer.refresh_from_db()
    assert offer.title != "changed"
