"""axe-core on the pool's staff pages (German and Arabic) and the requester's list and detail
pages, at phone size, with real data on them: ranked candidates with reasons, a batch proposal,
mediators."""

import re

import pytest

from teilhabe.mediation import services
from tests.browser.pages import log_in, log_in_verified
from tests.browser.test_mediation_workflow import _check_page
from tests.mediation import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def pool(reference_data, settings):
    """Two Tigrinya mediators, one waiting request, one confirmed, one batch proposal."""
    settings.MEDIATION_AUTO_OFFER = False
    school = factories.institution()
    rita = factories.requester("rita", school)
    mira = factories.mediator("mira")
    factories.mediator("omar", languages=(("ti", "fluent"),), whole_city=False)
    waiting = factories.book(rita, starts_at=factories.next_week_at(10))
    confirmed = factories.book(rita, starts_at=factories.next_week_at(14))
    services.offer_send(request=confirmed, mediator=mira)
    services.offer_accept(assignment=confirmed.assignments.get(), user=mira.user)
    return {"rita": rita, "mira": mira, "waiting": waiting, "confirmed": confirmed}


def test_staff_pages_have_no_violations(page, axe, pool, alice):
    log_in_verified(page, alice, "/mediation/staff/requests/")
    proposal = services.batch_propose(
        user=alice,
        first_day=pool["waiting"].starts_at.date(),
        last_day=pool["waiting"].starts_at.date(),
    )
    assert proposal.filled == 1
    for path in (
        "/mediation/staff/requests/",
        f"/mediation/staff/requests/{pool['waiting'].pk}/",
        "/mediation/staff/requests/new/",
        "/mediation/staff/batch/",
        f"/mediation/staff/batch/{proposal.pk}/",
        "/mediation/staff/mediators/",
        f"/mediation/staff/mediators/{pool['mira'].pk}/",
    ):
        _check_page(page, axe, path)


def test_requester_pages_have_no_violations(page, axe, pool):
    log_in(page, "rita", "/mediation/requests/")
    page.wait_for_url(re.compile(r"/mediation/requests/$"))
    confirmed = pool["confirmed"]
    for path in (
        "/mediation/requests/",
        f"/mediation/requests/{confirmed.pk}/",
        f"/mediation/requests/{confirmed.pk}/cancel/",
    ):
        _check_page(page, axe, path)
