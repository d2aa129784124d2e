"""From a done appointment to the monthly statement, in a real browser at phone size: the
mediator reports the appointment of last month done; staff create the month's statements and
approve the one with the right amount; the mediator finds it among their statements and can
download the PDF. axe-core finds nothing on the statement and statistics pages (German; the
mediator's also in Arabic, right to left), and none of them scrolls sideways at 360 px."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from teilhabe.core.models import District
from teilhabe.mediation import expenses, services
from teilhabe.mediation.expense_models import ExpenseStatement
from teilhabe.mediation.models import Assignment, MediationRequest
from tests.browser.pages import check_page, log_in, log_in_verified
from tests.mediation import factories

pytestmark = pytest.mark.browser

# 75 minutes are paid as 90 (3 × 7,50 €), 14.5 km × 0,30 € = 4,35 €.
EXPECTED_CENTS = 3 * 750 + 435


@pytest.fixture
def school(reference_data):
    school = factories.institution("Grundschule Kleine Kielstraße")
    place = school.places.get()
    place.district = District.objects.get(number=20)  # Innenstadt-Nord
    place.save()
    return school


@pytest.fixture
def last_month() -> datetime:
    """A Tuesday at 10:00 in the previous month."""
    month = expenses.previous_month(timezone.localdate())
    tuesday = month + timedelta(days=(1 - month.weekday()) % 7 + 7)
    return timezone.make_aware(datetime.combine(tuesday, time(10)))


@pytest.fixture
def confirmed_last_month(school, last_month):
    """rita's Tigrinya request, accepted by mira, that took place last month."""
    rita = factories.requester("rita", school)
    mira = factories.mediator("mira", first_name="Mira")
    request = factories.book(rita)
    offer = request.assignments.get()
    services.offer_accept(assignment=offer, user=mira.user)
    shift = last_month - request.starts_at
    MediationRequest.objects.filter(pk=request.pk).update(
        starts_at=request.starts_at + shift, ends_at=request.ends_at + shift
    )
    Assignment.objects.filter(pk=offer.pk).update(
        blocked_start=offer.blocked_start + shift, blocked_end=offer.blocked_end + shift
    )
    # And one Tigrinya request nobody could take, for the recruitment list.
    factories.request(school, starts_at=last_month + timedelta(days=1), status="unfilled")
    return offer


def test_a_done_appointment_is_on_the_months_statement_with_the_right_amount(
    new_page, axe, confirmed_last_month, last_month, alice
):
    assignment = confirmed_last_month
    month = last_month.date().replace(day=1)

    # mira reports last month's appointment done: 75 minutes, 14.5 km.
    mira_page = new_page()
    log_in(mira_page, "mira", "/en/mediation/assignments/")
    mira_page.wait_for_url(re.compile(r"/mediation/assignments/$"))
    mira_page.locator(f"#report-{assignment.pk} a").click()
    mira_page.wait_for_url(re.compile(r"/report/$"))
    mira_page.fill("input[name=actual_minutes]", "75")
    mira_page.fill("input[name=travel_km]", "14.5")
    mira_page.locator("#report-button").click()
    mira_page.wait_for_url(re.compile(r"/mediation/assignments/$"))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.travel_km) == ("done", Decimal("14.5"))

    # alice (staff, second factor) makes the month's statements on the statements page.
    staff_page = new_page()
    log_in_verified(staff_page, alice, "/mediation/staff/statements/")
    check_page(staff_page, axe, arabic=False)
    staff_page.fill("#id_month", f"{month:%Y-%m}")
    staff_page.locator("form[action$='/statements/create/'] button[type=submit]").click()
    staff_page.wait_for_url(re.compile(rf"/mediation/staff/statements/\?month={month:%Y-%m}$"))
    statement = ExpenseStatement.objects.get()
    assert (statement.month, statement.total_cents) == (month, EXPECTED_CENTS)
    expect(staff_page.locator("#summary-statements")).to_have_text("1")
    expect(staff_page.locator("#summary-total")).to_have_text("26,85 €")
    check_page(staff_page, axe, arabic=False)

    # She opens it: the line with the appointment and the amount; she approves it.
    staff_page.locator(f"a[href$='/mediation/staff/statements/{statement.pk}/']").click()
    staff_page.wait_for_url(re.compile(rf"/mediation/staff/statements/{statement.pk}/$"))
    expect(staff_page.locator(f"#line-{statement.lines.get().pk}")).to_contain_text("26,85 €")
    expect(staff_page.locator("#statement-total")).to_have_text("26,85 €")
    check_page(staff_page, axe, arabic=False)
    staff_page.locator(f"form[action$='/statements/{statement.pk}/approve/'] button").click()
    staff_page.wait_for_url(re.compile(rf"/mediation/staff/statements/{statement.pk}/$"))
    statement.refresh_from_db()
    assert statement.status == ExpenseStatement.Status.APPROVED
    check_page(staff_page, axe, arabic=False)
    pdf = staff_page.request.get(f"/mediation/statements/{statement.pk}/pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    # mira finds it among her statements, approved, with the same amount, and the PDF.
    mira_page.goto("/mediation/statements/")
    check_page(mira_page, axe, arabic=False)
    mira_page.locator(f"a[href$='/mediation/statements/{statement.pk}/']").click()
    mira_page.wait_for_url(re.compile(rf"/mediation/statements/{statement.pk}/$"))
    expect(mira_page.locator("#statement-total")).to_have_text("26,85 €")
    expect(mira_page.locator("main")).to_contain_text(statement.number)
    check_page(mira_page, axe, arabic=False)
    own_pdf = mira_page.request.get(f"/mediation/statements/{statement.pk}/pdf/")
    assert own_pdf.status == 200 and own_pdf.body().startswith(b"%PDF-")
    # Her pages right to left in Arabic, too.
    for path in ("/ar/mediation/statements/", f"/ar/mediation/statements/{statement.pk}/"):
        mira_page.goto(path)
        assert mira_page.locator("html").get_attribute("dir") == "rtl"
        check_page(mira_page, axe, arabic=False)

    # The statistics page: last month's request filled, the unfilled one on the gap list.
    staff_page.goto("/mediation/staff/statistics/")
    expect(staff_page.locator("#total-requests")).to_have_text("2")
    expect(staff_page.locator("#total-filled")).to_have_text("1")
    expect(staff_page.locator("#gaps tbody tr")).to_have_count(1)
    check_page(staff_page, axe, arabic=False)
