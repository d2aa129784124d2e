"""The language-mediator pool in a real browser at phone size.

1. A requester at a school books a Tigrinya mediator for next week; the mediator accepts from
   the e-mailed link; the requester gets the confirmation with an .ics file; the mediator reports
   the appointment done; the school confirms it.
2. A late cancellation is paid per the rules (travel + the planned time up to two hours).
axe-core finds nothing on the request form and the mediator pages, in German and Arabic.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from teilhabe.core.models import District, Language
from teilhabe.mediation import services
from teilhabe.mediation.models import Assignment, Cancellation, MediationRequest
from tests.browser.pages import assert_no_axe_violations, assert_no_horizontal_scrolling, log_in
from tests.mediation import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def school(reference_data):
    school = factories.institution("Grundschule Kleine Kielstraße")
    place = school.places.get()
    place.district = District.objects.get(number=2)  # Innenstadt-Nord
    place.save()
    return school


@pytest.fixture
def rita(school):
    return factories.requester("rita", school)


@pytest.fixture
def mira(reference_data):
    return factories.mediator(
        "mira",
        first_name="Mira",
        phone="0231 111111",
        home_district=District.objects.get(number=5),  # Scharnhorst
    )


def _check_page(page: Page, axe: Axe, path: str) -> None:
    """German at 390 and 360 px, then the same page in Arabic, right to left."""
    page.goto(path)
    assert_no_axe_violations(page, axe)
    assert_no_horizontal_scrolling(page)
    page.goto(f"/ar{path}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_no_axe_violations(page, axe)
    assert_no_horizontal_scrolling(page)


def test_a_school_books_a_tigrinya_mediator_who_accepts_by_email_and_reports(
    new_page, axe, rita, mira, school
):
    tigrinya = Language.objects.get(code="ti")
    next_week = factories.next_week_at(10).date()

    # rita opens the request form: no accessibility violations, German and Arabic.
    page = new_page()
    log_in(page, "rita", "/mediation/requests/new/")
    page.wait_for_url(re.compile(r"/mediation/requests/new/$"))
    _check_page(page, axe, "/mediation/requests/new/")

    # She books; the terms checkbox and the place are part of the form.
    page.goto("/en/mediation/requests/new/")
    page.select_option("select[name=language]", str(tigrinya.pk))
    page.fill("input[name=date]", next_week.isoformat())
    page.fill("input[name=start]", "10:00")
    page.select_option("select[name=duration_minutes]", "60")
    page.check("input[name=setting][value=in_person]")
    page.select_option("select[name=place]", str(school.places.get().pk))
    page.select_option("select[name=area]", "education")
    page.fill("input[name=topic]", "Elterngespräch Klasse 2")
    page.check("input[name=terms]")
    page.locator("#send-request").click()
    page.wait_for_url(re.compile(r"/mediation/requests/\d+/$"))
    request = MediationRequest.objects.get()
    assert request.language == tigrinya and request.status == MediationRequest.Status.OFFERED
    expect(page.locator("main")).to_contain_text("looking for a mediator")

    # mira gets the offer by e-mail; the link opens a page with one button.
    (offer_mail,) = [m for m in mail.outbox if m.to == ["mira@example.org"]]
    accept_path = re.search(r"(/[a-z]{2})?/mediation/offer/[^/\s]+/accept/", offer_mail.body).group(
        0
    )
    mira_page = new_page()
    mira_page.goto(accept_path)
    assert Assignment.objects.get().status == Assignment.Status.OFFERED  # opening changed nothing
    assert_no_axe_violations(mira_page, axe)
    expect(mira_page.locator("main button")).to_have_count(1)
    mail.outbox.clear()
    mira_page.locator("#answer-button").click()
    expect(mira_page.locator("#answer-result")).to_be_visible()
    assert Assignment.objects.get().status == Assignment.Status.CONFIRMED

    # rita gets the confirmation with an .ics file and sees Mira's first name and phone.
    (confirmation,) = [m for m in mail.outbox if m.to == ["rita@example.org"]]
    name, ics, mime = confirmation.attachments[0]
    assert name.endswith(".ics") and mime == "text/calendar"
    assert "BEGIN:VEVENT" in ics and "STATUS:CONFIRMED" in ics
    page.goto(f"/en/mediation/requests/{request.pk}/")
    expect(page.locator(".mediator-contact")).to_contain_text("Mira")
    expect(page.locator(".mediator-contact")).to_contain_text("0231 111111")
    expect(page.locator("main")).not_to_contain_text("Tesfay")

    # mira's own pages: no violations, German and Arabic.
    log_in(mira_page, "mira", "/mediation/offers/")
    mira_page.wait_for_url(re.compile(r"/mediation/offers/$"))
    for path in (
        "/mediation/offers/",
        "/mediation/assignments/",
        "/mediation/me/",
        "/mediation/me/availability/",
    ):
        _check_page(mira_page, axe, path)

    # A week later the appointment has taken place; mira reports it done.
    MediationRequest.objects.filter(pk=request.pk).update(
        starts_at=request.starts_at - timedelta(days=8), ends_at=request.ends_at - timedelta(days=8)
    )
    assignment = Assignment.objects.get()
    mira_page.goto("/en/mediation/assignments/")
    mira_page.locator(f"#report-{assignment.pk} a").click()
    mira_page.wait_for_url(re.compile(r"/report/$"))
    _check_page(mira_page, axe, f"/mediation/assignments/{assignment.pk}/report/")
    mira_page.goto(f"/en/mediation/assignments/{assignment.pk}/report/")
    mira_page.fill("input[name=actual_minutes]", "75")
    mira_page.fill("input[name=travel_km]", "14.5")
    mira_page.locator("#report-button").click()
    mira_page.wait_for_url(re.compile(r"/mediation/assignments/$"))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.actual_minutes, assignment.travel_km) == (
        "done",
        75,
        Decimal("14.5"),
    )

    # The school confirms that it took place.
    page.goto(f"/en/mediation/requests/{request.pk}/")
    page.locator("#confirm-done").click()
    expect(page.locator("main")).to_contain_text("Confirmed as done")
    assert MediationRequest.objects.get().institution_confirmed_at is not None


def test_a_late_cancellation_is_paid_per_the_rules(new_page, axe, rita, mira, school, alice):
    # Booked with staff's short-notice override: the next daytime hour at least two hours away
    # (always less than 24 hours from now, and inside mira's availability).
    starts_at = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    starts_at += timedelta(hours=3)
    while not 8 <= starts_at.hour <= 17:
        starts_at += timedelta(hours=1)
    request = services.request_create(
        user=alice,
        data=factories.request_input(school, starts_at=starts_at, duration_minutes=150),
        institution=school,
        lead_time_override=True,
    )
    offer = request.assignments.get()
    services.offer_accept(assignment=offer, user=mira.user)
    offer.refresh_from_db()
    assert offer.estimated_km > 0  # Scharnhorst to Innenstadt-Nord

    page = new_page()
    log_in(page, "rita", f"/en/mediation/requests/{request.pk}/cancel/")
    page.wait_for_url(re.compile(r"/cancel/$"))
    assert_no_axe_violations(page, axe)
    page.goto(f"/en/mediation/requests/{request.pk}/cancel/")  # English figures: 37.26
    page.fill("textarea[name=reason]", "Die Familie ist umgezogen")
    page.locator("#confirm-cancel").click()
    page.wait_for_url(re.compile(rf"/mediation/requests/{request.pk}/$"))

    # The rule: under 24 hours pays the travel there and back and the planned time up to two
    # hours, 15 € an hour and 0.30 € a kilometre.
    cancellation = Cancellation.objects.get()
    round_trip = offer.estimated_km * 2
    expected_cents = 2 * 1500 + int((round_trip * 30).quantize(Decimal(1)))
    assert cancellation.late
    assert cancellation.payable_minutes == 120
    assert cancellation.payable_km == round_trip
    assert cancellation.payable_cents == expected_cents
    expect(page.locator("main .payable")).to_contain_text(f"{expected_cents / 100:.2f} €")
    expect(page.locator("[role=status] .message")).to_contain_text(f"{expected_cents / 100:.2f}")
    assert_no_axe_violations(page, axe)
