"""Every page of the later modules can be reached by following links from where each user starts:
the staff dashboard, the mediator's tabs, the organisation's funding page."""

import pytest
from django.urls import reverse

from tests.conftest import login_verified
from tests.funding.grants import granted
from tests.mediation import factories

pytestmark = pytest.mark.django_db


def _hrefs(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_staff_dashboard_links_every_staff_page_of_mediation_and_funding(client, alice):
    login_verified(client, alice)
    page = _hrefs(client.get(reverse("core:staff_dashboard")))

    for name in (
        "mediation:staff_requests",
        "mediation:batch",
        "mediation:staff_mediators",
        "mediation:staff_statements",
        "mediation:statistics",
        "funding:staff_applications",
        "funding:committee",
        "funding:payments",
        "funding:staff_proofs",
        "funding:reports",
    ):
        assert f'href="{reverse(name)}"' in page, name


def test_a_mediator_reaches_the_expense_statements_from_every_tab(client):
    mira = factories.mediator("mira")
    client.force_login(mira.user)
    for name in ("mediation:my_offers", "mediation:my_assignments", "mediation:my_profile"):
        page = _hrefs(client.get(reverse(name)))
        assert f'href="{reverse("mediation:my_statements")}"' in page, name


def test_an_organisation_reaches_its_grant_and_proof_and_staff_the_payments(
    client, vera, treff, period, alice
):
    grant = granted(vera, treff, period, alice)

    client.force_login(vera)
    assert f'href="{reverse("funding:grants")}"' in _hrefs(client.get(reverse("funding:mine")))
    application_page = _hrefs(client.get(reverse("funding:application", kwargs={"pk": grant.pk})))
    assert f'href="{reverse("funding:proof", kwargs={"pk": grant.pk})}"' in application_page

    login_verified(client, alice)
    staff_page = _hrefs(client.get(reverse("funding:staff_application", kwargs={"pk": grant.pk})))
    assert f'href="{reverse("funding:payment_plan", kwargs={"pk": grant.pk})}"' in staff_page
    assert f'href="{reverse("funding:staff_proof", kwargs={"pk": grant.pk})}"' in staff_page
