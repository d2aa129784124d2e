"""The offer workflow in a real browser at phone size: bob (organisation member) logs in, creates
and submits an offer; alice (staff) logs in with her second factor and approves it in the review
queue; the offer appears on the public map; the "still current" link from the reminder e-mail
confirms it. axe-core finds nothing on the form and the queue, in German and Arabic."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from teilhabe.offers import services
from teilhabe.offers.models import Category, Offer
from tests.browser.pages import (
    assert_no_axe_violations,
    assert_no_horizontal_scrolling,
    log_in,
    log_in_verified,
)

pytestmark = pytest.mark.browser

TITLE = "Sprachcafé am Nordmarkt"


def test_an_offer_goes_from_the_organisation_through_review_onto_the_map(
    new_page, reference_data, axe, bob, alice
):
    category = Category.objects.get(slug="treffpunkte")

    # bob logs in and opens the form; it has no accessibility violations, German and Arabic.
    bob_page = new_page()
    log_in(bob_page, "bob", "/my/offers/new/")
    bob_page.wait_for_url(re.compile(r"/my/offers/new/$"))
    assert_no_axe_violations(bob_page, axe)
    assert_no_horizontal_scrolling(bob_page)
    bob_page.goto("/ar/my/offers/new/")
    assert bob_page.locator("html").get_attribute("dir") == "rtl"
    assert_no_axe_violations(bob_page, axe)
    assert_no_horizontal_scrolling(bob_page)

    # A wrong time comes back with a message and every value kept (and still no violations).
    bob_page.goto("/my/offers/new/")
    bob_page.select_option("select[name=category]", str(category.pk))
    bob_page.fill("input[name=title]", TITLE)
    bob_page.fill("textarea[name=description]", "Deutsch sprechen bei Tee und Kuchen.")
    bob_page.fill("input[name=street]", "Nordmarkt 1")
    bob_page.fill("input[name=postcode]", "44145")
    bob_page.fill("input[name=city]", "Dortmund")
    bob_page.fill("input[name=latitude]", "51,5235")
    bob_page.fill("input[name=longitude]", "7,4534")
    bob_page.select_option("select[name=slots-0-weekday]", "2")
    bob_page.fill("input[name=slots-0-opens]", "15:00")
    bob_page.fill("input[name=slots-0-closes]", "14:00")
    bob_page.locator("button[name=send]").click()
    expect(bob_page.locator("#id_slots-0-closes_error")).to_be_visible()
    expect(bob_page.locator("input[name=title]")).to_have_value(TITLE)
    expect(bob_page.locator("input[name=latitude]")).to_have_value("51,5235")  # as typed
    assert_no_axe_violations(bob_page, axe)
    assert not Offer.objects.exists()

    # Corrected, saved and sent for review in one go.
    bob_page.fill("input[name=slots-0-closes]", "17:00")
    bob_page.locator("button[name=send]").click()
    bob_page.wait_for_url(re.compile(r"/my/offers/$"))
    offer = Offer.objects.get()
    assert offer.status == Offer.Status.REVIEW
    assert offer.district is not None
    expect(bob_page.locator("main")).to_contain_text(TITLE)
    # "My offers" with the success message showing.
    expect(bob_page.locator("[role=status] .message")).to_be_visible()
    assert_no_axe_violations(bob_page, axe)

    # alice logs in through the real forms, with her second factor.
    alice_page = new_page()
    log_in_verified(alice_page, alice, "/staff/offers/review/")
    expect(alice_page.locator("main")).to_contain_text(TITLE)
    assert_no_axe_violations(alice_page, axe)
    assert_no_horizontal_scrolling(alice_page)
    alice_page.goto("/ar/staff/offers/review/")
    assert_no_axe_violations(alice_page, axe)
    assert_no_horizontal_scrolling(alice_page)

    # She opens the offer from the queue and approves it.
    alice_page.goto("/staff/offers/review/")
    alice_page.locator(f"a.button[href='/staff/offers/{offer.pk}/review/']").click()
    assert_no_axe_violations(alice_page, axe)
    alice_page.locator("form:has(input[name=action][value=approve]) button").click()
    alice_page.wait_for_url(re.compile(r"/staff/offers/review/$"))
    assert Offer.objects.public().get() == offer

    # The offer is on the public map, in its list.
    visitor = new_page()
    visitor.goto("/")
    expect(visitor.locator("section.list-section")).to_contain_text(TITLE)

    # Months later the job sends the reminder; the link in it confirms with one button.
    mail.outbox.clear()
    later = timezone.now() + timedelta(days=200)
    assert services.stale_offers_process(now=later).reminded == 1
    (reminder,) = [message for message in mail.outbox if "/still-current/" in message.body]
    path = re.search(r"/offers/still-current/[^/\s]+/", reminder.body).group(0)
    reminded_at = Offer.objects.get().reminder_sent_at
    visitor.goto(path)
    expect(visitor.locator("main")).to_contain_text(TITLE)
    assert Offer.objects.get().reminder_sent_at == reminded_at  # opening changed nothing
    assert_no_axe_violations(visitor, axe)
    expect(visitor.locator("main button")).to_have_count(1)
    visitor.locator("main button").click()
    expect(visitor.locator("h1")).to_be_visible()
    confirmed = Offer.objects.get()
    assert confirmed.reminder_sent_at is None
    assert confirmed.last_confirmed_at > offer.updated_at
