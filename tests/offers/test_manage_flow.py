"""The whole story with the Django test client: bob's organisation enters an offer, sends it for
review, alice approves it; later bob changes it while the published version stays on the map,
alice rejects the change with a reason, bob fixes it, alice approves. Translations, archive,
view counts and the statistics page along the way."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from teilhabe.offers.models import Category, DailyViews, Offer
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


def form_data(response, **changes) -> dict:
    """Everything the rendered offer form would send back, with some values changed."""
    data: dict = {}
    forms = [response.context["form"]]
    for formset in (response.context["slots"], response.context["dates"]):
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if field.widget_type == "checkbox":
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list):
                data[field.html_name] = [str(item) for item in value]
            elif value is not None:
                data[field.html_name] = str(value)
    data.update(changes)
    return data


def test_it_goes_from_the_form_through_review_to_the_map_and_back_for_a_change(
    client, bob, alice, organisation, categories
):
    staff = client.__class__()
    login_verified(staff, alice)
    client.force_login(bob)

    # bob enters the offer: an empty form, then his values.
    response = client.get(reverse("offers:create"))
    data = form_data(
        response,
        organisation=str(organisation.pk),
        category=str(categories[5].pk),
        title="Sprachcafé",
        description="Deutsch üben.",
        latitude="51.5235",
        longitude="7.4534",
        **{"slots-0-weekday": "2", "slots-0-opens": "15:00", "slots-0-closes": "17:00"},
    )
    response = client.post(reverse("offers:create"), data)
    offer = Offer.objects.get()
    assert response.headers["Location"] == reverse("offers:edit", kwargs={"pk": offer.pk})
    assert "Draft" in client.get(reverse("offers:mine")).content.decode()

    # … and sends it for review; staff get an e-mail.
    mail.outbox.clear()
    response = client.post(reverse("offers:submit", kwargs={"pk": offer.pk}))
    assert response.headers["Location"] == reverse("offers:mine")
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.REVIEW
    assert [message.to for message in mail.outbox] == [[alice.email]]
    assert "In review" in client.get(reverse("offers:mine")).content.decode()
    # While in review, bob cannot change it.
    assert client.get(reverse("offers:edit", kwargs={"pk": offer.pk})).context.get("form") is None

    # alice sees it in the queue and approves it; bob's organisation is told.
    queue = staff.get(reverse("offers:review_queue")).content.decode()
    assert "Sprachcafé" in queue and "New offer" in queue
    mail.outbox.clear()
    staff.post(reverse("offers:review", kwargs={"pk": offer.pk}), {"action": "approve"})
    assert list(Offer.objects.public()) == [offer]
    assert [message.to for message in mail.outbox] == [[bob.email]]
    assert "Nothing to review" in staff.get(reverse("offers:review_queue")).content.decode()

    # bob opens "edit" for the published offer: nothing is created by looking.
    edit = reverse("offers:edit", kwargs={"pk": offer.pk})
    assert "Change this offer" in client.get(edit).content.decode()
    assert Offer.objects.count() == 1
    response = client.post(edit, {"start_change": "1"})
    change = Offer.objects.get(revision_of=offer)
    assert response.headers["Location"] == reverse("offers:edit", kwargs={"pk": change.pk})
    assert client.get(edit).headers["Location"] == reverse("offers:edit", kwargs={"pk": change.pk})

    # bob changes the title and adds a second weekly slot, then sends the change.
    change_url = reverse("offers:edit", kwargs={"pk": change.pk})
    response = client.get(change_url)
    assert "The published version stays on the map" in response.content.decode()
    data = form_data(
        response,
        title="Sprachcafé Nordmarkt",
        send="1",
        **{"slots-1-weekday": "4", "slots-1-opens": "10:00", "slots-1-closes": "11:30"},
    )
    response = client.post(change_url, data)
    assert response.headers["Location"] == reverse("offers:mine")
    assert Offer.objects.public().get().title == "Sprachcafé"  # the published version stays
    assert "change in review" in client.get(reverse("offers:mine")).content.decode()

    # The queue shows what differs from the published version.
    queue = staff.get(reverse("offers:review_queue"))
    (item,) = queue.context["items"]
    labels = {difference.label for difference in item["differences"]}
    assert labels == {"Title (German)", "Weekly opening hours"}
    assert "Sprachcafé Nordmarkt" in queue.content.decode()

    # A rejection needs a reason; without one, nothing happens.
    review = reverse("offers:review", kwargs={"pk": change.pk})
    response = staff.post(review, {"action": "reject", "reason": "  "})
    assert response.status_code == 200 and response.context["reject_form"].errors
    assert Offer.objects.get(pk=change.pk).status == Offer.Status.REVIEW
    mail.outbox.clear()
    staff.post(review, {"action": "reject", "reason": "Bitte die Hausnummer ergänzen."})
    assert Offer.objects.get(pk=change.pk).status == Offer.Status.DRAFT
    assert "Bitte die Hausnummer ergänzen." in mail.outbox[0].body
    mine = client.get(reverse("offers:mine")).content.decode()
    assert "change rejected" in mine and "Bitte die Hausnummer ergänzen." in mine

    # bob fixes it, adds an Arabic translation and sends again; alice approves.
    response = client.get(change_url)
    client.post(change_url, form_data(response, street="Nordmarkt 1"))
    translation_url = reverse("offers:translation_edit", kwargs={"pk": change.pk, "language": "ar"})
    response = client.post(
        translation_url,
        {"title": "مقهى اللغة", "description": "", "machine_translated": "on"},
    )
    assert response.headers["Location"] == change_url
    client.post(reverse("offers:submit", kwargs={"pk": change.pk}))
    staff.post(review, {"action": "approve"})

    published = Offer.objects.public().get()
    assert published.pk == offer.pk
    assert (published.title, published.street) == ("Sprachcafé Nordmarkt", "Nordmarkt 1")
    assert published.weekly_slots.count() == 2
    assert published.translations.get(language="ar").machine_translated is True
    assert Offer.objects.count() == 1
    assert "Published" in client.get(reverse("offers:mine")).content.decode()

    # Archiving takes it off the map.
    client.post(reverse("offers:archive", kwargs={"pk": offer.pk}))
    assert not Offer.objects.public().exists()


def test_a_translation_of_a_published_offer_waits_for_review(
    client, bob, alice, organisation, categories
):
    offer = Offer.objects.create(
        organisation=organisation,
        category=categories[0],
        title="Beratung",
        latitude=51.51,
        longitude=7.46,
        status=Offer.Status.PUBLISHED,
    )
    client.force_login(bob)
    url = reverse("offers:translation_edit", kwargs={"pk": offer.pk, "language": "en"})

    assert client.get(url).status_code == 200
    assert Offer.objects.count() == 1  # looking creates nothing
    client.post(url, {"title": "Counselling", "description": "Free advice."})

    change = Offer.objects.get(revision_of=offer)
    assert change.translations.get(language="en").title == "Counselling"
    assert not offer.translations.exists()
    # German is the original, not a translation; unknown languages do not exist.
    for language in ("de", "xx"):
        missing = reverse("offers:translation_edit", kwargs={"pk": offer.pk, "language": language})
        assert client.get(missing).status_code == 404


def test_an_empty_title_removes_a_translation(client, bob, organisation, categories):
    offer = Offer.objects.create(organisation=organisation, category=categories[0], title="Kurs")
    offer.translations.create(language="tr", title="Kurs")
    client.force_login(bob)

    url = reverse("offers:translation_edit", kwargs={"pk": offer.pk, "language": "tr"})
    client.post(url, {"title": "", "description": ""})

    assert not offer.translations.exists()


def test_views_are_shown_to_the_organisation_and_to_staff(
    client, bob, alice, organisation, categories
):
    offer = Offer.objects.create(
        organisation=organisation,
        category=categories[0],
        title="Kleiderkammer",
        latitude=51.51,
        longitude=7.46,
        status=Offer.Status.PUBLISHED,
    )
    today = timezone.localdate()
    DailyViews.objects.create(offer=offer, day=today, count=5)
    DailyViews.objects.create(offer=offer, day=today - timedelta(days=3), count=2)
    DailyViews.objects.create(offer=offer, day=today - timedelta(days=100), count=40)
    DailyViews.objects.create(offer=None, day=today, count=70)
    DailyViews.objects.create(offer=None, day=today - timedelta(days=1), count=30)
    DailyViews.objects.create(offer=None, day=today - timedelta(days=60), count=1000)

    client.force_login(bob)
    mine = client.get(reverse("offers:mine")).content.decode()
    assert "7 views in the last 30 days, 47 in total" in mine

    login_verified(client, alice)
    response = client.get(reverse("offers:statistics"))
    assert response.context["map_recent"] == 100
    assert response.context["map_total"] == 1100
    assert response.context["days"][0] == (today, 70)
    assert response.context["days"][1] == (today - timedelta(days=1), 30)
    assert len(response.context["days"]) == 30
    (top,) = response.context["top"]
    assert (top, top.recent, top.total) == (offer, 7, 47)
