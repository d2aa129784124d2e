"""An organisation member fills in the offer form: what is saved, and what happens when an entry
is wrong (the form comes back with every value and a message that says what to do)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from teilhabe.core.models import Language, Organisation, TargetGroup
from teilhabe.offers.models import Category, Offer
from tests.conftest import login_verified


@pytest.fixture(autouse=True)
def english(default_language):
    # These stories read the interface in English (its msgids): reverse() now gives the /en/
    # pages. German pages are tested in tests/core/test_languages.py and the browser tests.
    translation.activate("en")


@pytest.fixture
def categories(db):
    call_command("load_reference_data", verbosity=0)
    return Category.objects.all()


def formset_management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def offer_post(organisation, category, **overrides) -> dict:
    """What the browser sends for a new offer with one weekly slot and no dates."""
    data = {
        "organisation": str(organisation.pk),
        "category": str(category.pk),
        "title": "Sprachcafé am Nordmarkt",
        "description": "Deutsch sprechen bei Kaffee und Kuchen.",
        "is_free": "on",
        "cost_note": "",
        "wheelchair_access": "yes",
        "street": "Nordmarkt 1",
        "postcode": "44145",
        "city": "Dortmund",
        "latitude": "51,5235",
        "longitude": "7.4534",
        "hours_note": "",
        "phone": "0231 123456",
        "email": "cafe@example.org",
        "website": "https://example.org/cafe",
        **formset_management("slots", 1),
        "slots-0-weekday": "0",
        "slots-0-opens": "10:00",
        "slots-0-closes": "12:00",
        **formset_management("dates", 0),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_it_saves_a_new_offer_with_hours_languages_and_the_derived_district(
    client, bob, organisation, categories, districts
):
    client.force_login(bob)
    arabic = Language.objects.get(code="ar")
    women = TargetGroup.objects.get(slug="women")
    data = offer_post(organisation, categories[0], languages=[str(arabic.pk)])
    data["target_groups"] = [str(women.pk)]

    response = client.post(reverse("offers:create"), data)

    offer = Offer.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("offers:edit", kwargs={"pk": offer.pk})
    assert offer.status == Offer.Status.DRAFT
    assert offer.organisation == organisation
    assert (offer.latitude, offer.longitude) == (51.5235, 7.4534)  # decimal comma accepted
    assert offer.district.name == "Innenstadt-Nord"
    slots = offer.weekly_slots.values_list("weekday", "opens", "closes")
    assert [(day, f"{opens:%H:%M}", f"{closes:%H:%M}") for day, opens, closes in slots] == [
        (0, "10:00", "12:00")
    ]
    assert list(offer.languages.all()) == [arabic]
    assert list(offer.target_groups.all()) == [women]


def test_it_keeps_every_value_and_says_what_to_fix_when_closing_is_before_opening(
    client, bob, organisation, categories
):
    client.force_login(bob)
    data = offer_post(organisation, categories[0], **{"slots-0-closes": "09:00"})

    response = client.post(reverse("offers:create"), data)

    assert response.status_code == 200
    assert not Offer.objects.exists()
    page = response.content.decode()
    assert "The closing time must be later than the opening time." in page
    assert "onstraint" not in page  # not the database constraint's message on top
    assert 'value="Sprachcafé am Nordmarkt"' in page
    assert "Deutsch sprechen bei Kaffee und Kuchen." in page
    assert 'value="09:00"' in page and 'value="10:00"' in page
    assert 'value="Nordmarkt 1"' in page
    assert 'aria-invalid="true"' in page
    assert 'role="alert"' in page


def test_it_asks_for_both_coordinates_and_for_the_costs_of_a_paid_offer(
    client, bob, organisation, categories
):
    client.force_login(bob)
    data = offer_post(organisation, categories[0], longitude="", is_free=None, cost_note="")

    response = client.post(reverse("offers:create"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["longitude"] == ["Enter both latitude and longitude, or neither."]
    assert "cost_note" in form.errors
    assert not Offer.objects.exists()


def test_it_refuses_coordinates_outside_the_world(client, bob, organisation, categories):
    client.force_login(bob)
    response = client.post(
        reverse("offers:create"), offer_post(organisation, categories[0], latitude="123")
    )
    assert "latitude" in response.context["form"].errors
    assert not Offer.objects.exists()


def test_an_address_without_coordinates_is_saved_as_draft_with_a_clear_message(
    client, bob, organisation, categories
):
    client.force_login(bob)
    data = offer_post(organisation, categories[0], latitude="", longitude="", send="1")

    response = client.post(reverse("offers:create"), data, follow=True)

    offer = Offer.objects.get()
    assert offer.status == Offer.Status.DRAFT  # not sent: the map needs a place
    assert offer.street == "Nordmarkt 1" and offer.latitude is None
    assert "no address lookup is configured" in response.content.decode()


def test_the_organisation_choice_holds_only_the_members_organisations(
    client, bob, organisation, categories
):
    other = Organisation.objects.create(name="Andere Initiative", slug="andere")
    client.force_login(bob)

    response = client.get(reverse("offers:create"))
    choices = list(response.context["form"].fields["organisation"].queryset)
    assert choices == [organisation]

    client.post(reverse("offers:create"), offer_post(other, categories[0]))
    assert not Offer.objects.exists()


def test_staff_enter_offers_for_any_organisation_even_one_without_accounts(
    client, alice, categories
):
    without_accounts = Organisation.objects.create(name="Moscheegemeinde", slug="moschee")
    login_verified(client, alice)

    response = client.post(reverse("offers:create"), offer_post(without_accounts, categories[0]))

    assert response.status_code == 302
    assert Offer.objects.get().organisation == without_accounts


def test_the_form_renders_in_arabic_right_to_left(client, bob, categories):
    client.force_login(bob)
    with translation.override("ar"):
        url = reverse("offers:create")
    response = client.get(url)
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_a_member_of_one_organisation_finds_it_chosen_already(client, bob, organisation):
    client.force_login(bob)
    response = client.get(reverse("offers:create"))
    assert response.context["form"]["organisation"].value() == organisation.pk
