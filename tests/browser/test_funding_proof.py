"""Proof of use in a real browser at phone size (Chromium 390 × 844).

For an approved and paid grant of two arrival-meeting-point flat rates, the association files its
proof of use with one unit undelivered; a repayment claim of 2,000 € appears for the association
and for staff, who accept the proof. axe-core finds nothing on the proof form (German and Arabic,
also with an error showing) and on the reports page (German).
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from teilhabe.funding.models import Programme, ProofOfUse, RepaymentClaim
from tests.browser.pages import assert_no_axe_violations, check_page, log_in, log_in_verified
from tests.funding.conftest import make_member, make_organisation, make_period
from tests.funding.grants import granted, meeting_point_line, paid_in_full

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.FUNDING_PRIVATE_ROOT = tmp_path / "funding-private"


@pytest.fixture
def grant(reference_data, alice):
    """Nachbarschaftstreff Nord (small association, member vera): 2 × 2,000 € granted, paid."""
    period = make_period(Programme.objects.get(slug="komm-an-nrw"), budget_cents=1_000_000)
    treff = make_organisation("treff-nord", "Nachbarschaftstreff Nord", is_small=True)
    vera = make_member("vera", treff)
    application = granted(vera, treff, period, alice)
    paid_in_full(application, alice, on=date.today())
    return application


def test_one_undelivered_meeting_point_becomes_a_claim_of_2000_euros(new_page, axe, grant, alice):
    proof_path = f"/my/funding/applications/{grant.pk}/proof/"
    measure = meeting_point_line(grant)
    units = f"input[name=units_{measure.pk}]"

    # vera opens the proof form from her grants; German and Arabic pass axe at phone size.
    vera_page = new_page()
    log_in(vera_page, "vera", "/my/funding/grants/")
    vera_page.wait_for_url(re.compile(r"/my/funding/grants/$"))
    check_page(vera_page, axe, arabic=True)
    vera_page.locator(f"a[href='{proof_path}']").click()
    vera_page.wait_for_url(re.compile(re.escape(proof_path) + "$"))
    check_page(vera_page, axe, arabic=True)

    # Three of two units: the form comes back with the error and everything typed.
    vera_page.fill(units, "3")
    vera_page.fill(f"input[name=participants_{measure.pk}]", "35")
    vera_page.fill(f"input[name=note_{measure.pk}]", "Der zweite Raum fiel weg.")
    vera_page.fill("input[name=participants]", "35")
    vera_page.fill("textarea[name=report]", "Ein Treffpunkt lief das ganze Jahr, einer nicht.")
    vera_page.locator("#submit-proof").click()
    expect(vera_page.locator(f"#id_units_{measure.pk}_error")).to_be_visible()
    expect(vera_page.locator("textarea[name=report]")).to_have_value(
        "Ein Treffpunkt lief das ganze Jahr, einer nicht."
    )
    assert_no_axe_violations(vera_page, axe)
    assert not ProofOfUse.objects.exists()

    # One unit delivered, one not: submitted, and the claim of 2,000 € appears.
    vera_page.fill(units, "1")
    vera_page.locator("#submit-proof").click()
    expect(vera_page.locator("#repayment-claim")).to_be_visible()
    expect(vera_page.locator("#claim-amount")).to_have_text(re.compile(r"2\.000,00\s€"))
    assert_no_axe_violations(vera_page, axe)
    claim = RepaymentClaim.objects.get(proof__application=grant)
    assert (claim.amount_cents, claim.status) == (200_000, "provisional")

    # alice (staff, second factor) sees the same claim and accepts the proof.
    staff_path = f"/staff/funding/applications/{grant.pk}/proof/"
    alice_page = new_page()
    log_in_verified(alice_page, alice, staff_path)
    expect(alice_page.locator("#claim-amount")).to_have_text(re.compile(r"2\.000,00\s€"))
    check_page(alice_page, axe, arabic=False)
    alice_page.locator("input[name=outcome][value=accepted]").check()
    alice_page.locator("#record-check").click()
    alice_page.wait_for_url(re.compile(re.escape(staff_path) + "$"))
    claim.refresh_from_db()
    assert (claim.status, claim.outstanding_cents) == ("open", 200_000)

    # vera sees the confirmed claim: 2,000 € to pay back (the grant was paid in full).
    vera_page.reload()
    expect(vera_page.locator("#repayment-claim")).to_contain_text("2.000,00")
    assert ProofOfUse.objects.get().status == "accepted"
    check_page(vera_page, axe, arabic=True)


def test_the_reports_page_has_no_violations(new_page, axe, grant, alice):
    page = new_page()
    log_in_verified(page, alice, f"/staff/funding/reports/?period={grant.period_id}")

    expect(page.locator("#report-approved")).to_have_text(re.compile(r"4\.000,00\s€"))
    check_page(page, axe, arabic=False)
    for path in (
        "/staff/funding/payments/",
        f"/staff/funding/applications/{grant.pk}/payments/",
        "/staff/funding/proofs/",
    ):
        page.goto(path)
        check_page(page, axe, arabic=False)
