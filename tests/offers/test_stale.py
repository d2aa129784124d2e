"""Kept current: the hourly job reminds once and takes unconfirmed offers off the map; the
"still current" link confirms only by its button (link scanners open links); staff see stale
offers and can confirm them."""

import time
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from teilhabe.offers import services
from teilhabe.offers.models import Category, Offer
from tests.conftest import login_verified


@pytest.fixture(autouse=True)
def english(default_language):
    # These stories read the interface in English (its msgids): reverse() now gives the /en/
    # pages. German pages are tested in tests/core/test_languages.py and the browser tests.
    translation.activate("en")


@pytest.fixture
def old_offer(db, organisation, bob):
    call_command("load_reference_data", verbosity=0)
    return Offer.objects.create(
        organisation=organisation,
        category=Category.objects.first(),
        title="Fahrradwerkstatt",
        latitude=51.51,
        longitude=7.46,
        status=Offer.Status.PUBLISHED,
        last_confirmed_at=timezone.now() - timedelta(days=200),
    )


def run_command() -> str:
    out = StringIO()
    call_command("remind_stale_offers", stdout=out)
    return out.getvalue()


def confirm_url_from(message) -> str:
    return "/offers/still-current/" + message.body.split("/still-current/")[1].split("/")[0] + "/"


def test_running_the_job_twice_sends_no_second_reminder(old_offer, bob):
    mail.outbox.clear()

    assert run_command().strip() == "Reminders sent: 1. Offers taken off the map: 0."
    assert run_command().strip() == "Reminders sent: 0. Offers taken off the map: 0."

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [bob.email]
    assert "/still-current/" in mail.outbox[0].body


def test_opening_the_link_changes_nothing_and_the_button_confirms(client, old_offer):
    mail.outbox.clear()
    services.stale_offers_process()
    url = confirm_url_from(mail.outbox[0])
    before = Offer.objects.get(pk=old_offer.pk)

    response = client.get(url)  # what an e-mail link scanner does

    assert response.status_code == 200
    page = response.content.decode()
    assert "Fahrradwerkstatt" in page
    after_get = Offer.objects.get(pk=old_offer.pk)
    assert after_get.last_confirmed_at == before.last_confirmed_at
    assert after_get.reminder_sent_at == before.reminder_sent_at

    response = client.post(url)

    assert response.status_code == 200
    confirmed = Offer.objects.get(pk=old_offer.pk)
    assert confirmed.last_confirmed_at > before.last_confirmed_at
    assert confirmed.reminder_sent_at is None


def test_the_confirm_page_has_exactly_one_button_for_a_visitor(client, old_offer):
    response = client.get(
        reverse("offers:confirm", kwargs={"token": services.confirmation_token(old_offer)})
    )
    main = response.content.decode().split('<main id="main"')[1].split("</main>")[0]
    assert main.count("<button") == 1
    assert "Yes, it is still current" in main


def test_confirming_brings_an_offer_back_on_the_map(client, old_offer):
    later = timezone.now() + timedelta(days=80)
    services.stale_offers_process()
    assert services.stale_offers_process(now=later).left_map == 1
    assert not Offer.objects.public().exists()

    client.post(reverse("offers:confirm", kwargs={"token": services.confirmation_token(old_offer)}))

    assert Offer.objects.public().get() == old_offer


@pytest.mark.parametrize("kind", ["forged", "expired", "other-salt"])
def test_a_bad_link_says_so_and_offers_to_log_in(client, old_offer, settings, kind):
    token = services.confirmation_token(old_offer)
    if kind == "forged":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif kind == "expired":
        sent = time.time() - (settings.OFFERS_CONFIRM_LINK_DAYS + 1) * 86400
        with mock.patch("django.core.signing.time.time", return_value=sent):
            token = services.confirmation_token(old_offer)
    else:
        token = signing.TimestampSigner(salt="something else").sign(str(old_offer.uuid))
    url = reverse("offers:confirm", kwargs={"token": token})

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        page = response.content.decode()
        assert "The link has expired or is not complete." in page
        assert f"{reverse('core:login')}?next={reverse('offers:mine')}" in page

    assert Offer.objects.get(pk=old_offer.pk).last_confirmed_at == old_offer.last_confirmed_at


def test_the_explanation_is_in_the_visitors_language(client, old_offer):
    response = client.get("/ar/offers/still-current/not-a-token/")
    assert response.status_code == 400
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    response = client.get("/offers/still-current/not-a-token/")
    assert '<html lang="de" dir="ltr">' in response.content.decode()


def test_an_archived_offer_cannot_be_confirmed(client, old_offer):
    Offer.objects.filter(pk=old_offer.pk).update(status=Offer.Status.ARCHIVED)
    url = reverse("offers:confirm", kwargs={"token": services.confirmation_token(old_offer)})
    assert client.post(url).status_code == 400
    assert Offer.objects.get(pk=old_offer.pk).status == Offer.Status.ARCHIVED


def test_staff_see_reminded_and_removed_offers_and_confirm_them(client, alice, old_offer):
    gone = Offer.objects.create(
        organisation=old_offer.organisation,
        category=old_offer.category,
        title="Kleiderkammer",
        latitude=51.5,
        longitude=7.4,
        status=Offer.Status.PUBLISHED,
        last_confirmed_at=timezone.now() - timedelta(days=300),
    )
    services.stale_offers_process()
    login_verified(client, alice)

    response = client.get(reverse("offers:stale"))

    reminded, left_map = response.context["groups"]
    assert list(reminded["offers"]) == [old_offer]
    assert list(left_map["offers"]) == [gone]
    assert reverse("offers:edit", kwargs={"pk": gone.pk}) in response.content.decode()

    client.post(reverse("offers:stale"), {"offer": str(gone.pk)})
    assert gone in Offer.objects.public()
    assert client.post(reverse("offers:stale"), {"offer": "x"}).status_code == 404


def test_the_organisation_confirms_from_my_offers(client, bob, old_offer):
    services.stale_offers_process()
    client.force_login(bob)
    assert "Yes, it is still current" in client.get(reverse("offers:mine")).content.decode()

    client.post(reverse("offers:mine"), {"confirm": str(old_offer.pk)})

    assert Offer.objects.get(pk=old_offer.pk).reminder_sent_at is None
