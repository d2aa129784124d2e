"""Nobody touches another organisation's offers: every maintaining URL answers 404 for an offer
of another organisation, on GET and on a direct POST, and nothing in the database changes."""

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse

from teilhabe.core import services as core_services
from teilhabe.core.models import Organisation
from teilhabe.offers.models import Category, Offer, OfferTranslation
from tests.conftest import make_user


@pytest.fixture
def foreign_offer(db):
    call_command("load_reference_data", verbosity=0)
    other = Organisation.objects.create(name="Andere Initiative", slug="andere")
    offer = Offer.objects.create(
        organisation=other,
        category=Category.objects.first(),
        title="Fremdes Angebot",
        latitude=51.51,
        longitude=7.46,
    )
    OfferTranslation.objects.create(offer=offer, language="en", title="Someone else's offer")
    return offer


def snapshot(offer: Offer) -> dict:
    offer = Offer.objects.get(pk=offer.pk)
    return {
        **model_to_dict(offer),
        "updated_at": offer.updated_at,
        "translations": list(offer.translations.values("language", "title")),
        "revisions": offer.revisions.count(),
        "offers": Offer.objects.count(),
    }


def hostile_posts(offer: Offer) -> list[tuple[str, dict]]:
    edit = {
        "organisation": str(offer.organisation_id),
        "category": str(offer.category_id),
        "title": "Übernommen",
        "start_change": "1",
        "slots-TOTAL_FORMS": "0",
        "slots-INITIAL_FORMS": "0",
        "dates-TOTAL_FORMS": "0",
        "dates-INITIAL_FORMS": "0",
    }
    return [
        (reverse("offers:edit", kwargs={"pk": offer.pk}), edit),
        (reverse("offers:submit", kwargs={"pk": offer.pk}), {}),
        (reverse("offers:archive", kwargs={"pk": offer.pk}), {}),
        (
            reverse("offers:translation_edit", kwargs={"pk": offer.pk, "language": "en"}),
            {"title": "Übernommen"},
        ),
        (reverse("offers:mine"), {"confirm": str(offer.pk)}),
    ]


@pytest.mark.parametrize("status", [Offer.Status.DRAFT, Offer.Status.PUBLISHED])
def test_a_member_of_another_organisation_gets_404_and_changes_nothing(
    client, bob, foreign_offer, status
):
    Offer.objects.filter(pk=foreign_offer.pk).update(status=status)
    before = snapshot(foreign_offer)
    client.force_login(bob)

    for url, data in hostile_posts(foreign_offer):
        if url != reverse("offers:mine"):  # the list itself opens, without the offer
            assert client.get(url).status_code in (404, 405), url
        assert client.post(url, data).status_code == 404, url

    assert snapshot(foreign_offer) == before


def test_a_former_member_loses_access_to_the_organisations_offers(client, foreign_offer):
    former = make_user("dora")
    membership = core_services.membership_add(user=former, organisation=foreign_offer.organisation)
    client.force_login(former)
    edit = reverse("offers:edit", kwargs={"pk": foreign_offer.pk})
    assert client.get(edit).status_code == 200

    membership.delete()

    assert client.get(edit).status_code == 404
    assert (
        client.post(reverse("offers:archive", kwargs={"pk": foreign_offer.pk})).status_code == 404
    )
    assert Offer.objects.get(pk=foreign_offer.pk).status == Offer.Status.DRAFT


def test_my_offers_lists_only_the_own_organisations_offers(
    client, bob, organisation, foreign_offer
):
    own = Offer.objects.create(
        organisation=organisation, category=foreign_offer.category, title="Eigenes Angebot"
    )
    client.force_login(bob)

    page = client.get(reverse("offers:mine")).content.decode()

    assert own.title in page
    assert foreign_offer.title not in page


def test_a_user_without_role_is_refused_everywhere(client, charlie, foreign_offer):
    client.force_login(charlie)
    for url, data in hostile_posts(foreign_offer):
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("offers:create")).status_code == 403
