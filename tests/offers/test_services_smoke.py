"""The offer lifecycle through the services: draft → review → published; a change to a published
offer waits in review while the old version stays public; stale offers are reminded once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from teilhabe.offers import services
from teilhabe.offers.models import Category, Offer, WeeklySlot


@pytest.fixture
def categories(db):
    call_command("load_reference_data", verbosity=0)
    return Category.objects.all()


@pytest.fixture
def draft(categories, organisation, bob):
    return Offer.objects.create(
        organisation=organisation,
        category=categories[0],
        title="Sprachcafé",
        latitude=51.52,
        longitude=7.45,
    )


def test_an_offer_goes_through_review_onto_the_map(draft, bob, alice):
    services.offer_submit(user=bob, offer=draft)
    assert not Offer.objects.public().exists()
    published = services.offer_approve(user=alice, offer=draft)
    assert list(Offer.objects.public()) == [published]
    assert published.last_confirmed_at is not None


def test_a_change_waits_in_review_while_the_old_version_stays_public(draft, bob, alice):
    services.offer_submit(user=bob, offer=draft)
    published = services.offer_approve(user=alice, offer=draft)
    WeeklySlot.objects.create(offer=published, weekday=0, opens="10:00", closes="12:00")
    change = services.offer_start_change(user=bob, offer=published)
    assert change.pk != published.pk
    assert change.weekly_slots.count() == 1
    change.title = "Sprachcafé Nord"
    change.save()
    services.offer_submit(user=bob, offer=change)
    assert Offer.objects.public().get().title == "Sprachcafé"
    services.offer_approve(user=alice, offer=change)
    assert Offer.objects.public().get().title == "Sprachcafé Nord"
    assert Offer.objects.count() == 1


def test_only_staff_approve_and_only_members_edit(draft, bob, charlie):
    with pytest.raises(PermissionDenied):
        services.offer_submit(user=charlie, offer=draft)
    services.offer_submit(user=bob, offer=draft)
    with pytest.raises(PermissionDenied):
        services.offer_approve(user=bob, offer=draft)


def test_stale_offers_are_reminded_once_then_leave_the_map(draft, bob, alice, settings):
    services.offer_submit(user=bob, offer=draft)
    services.offer_approve(user=alice, offer=draft, now=timezone.now() - timedelta(days=200))
    mail.outbox.clear()
    assert services.stale_offers_process().reminded == 1
    assert services.stale_offers_process().reminded == 0
    assert len(mail.outbox) == 1
    token = mail.outbox[0].body.split("/still-current/")[1].split("/")[0]
    later = timezone.now() + timedelta(days=80)
    assert services.stale_offers_process(now=later).left_map == 1
    assert not Offer.objects.public().exists()
    services.offer_confirm_by_token(token)
    assert Offer.objects.public().exists()
