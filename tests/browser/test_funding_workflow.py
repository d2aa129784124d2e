"""Funding in a real browser at phone size (Chromium 390 × 844).

A small association drafts, completes and submits an application for two arrival-meeting-point
flat rates; staff ask for more information, it is supplemented; the committee scores, compares
two allocation policies and finalises; the association sees its decision and the PDF letter.
axe-core finds nothing on the application form and the organisation's pages (German and
Arabic) and on the committee pages (German).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from teilhabe.funding import services
from teilhabe.funding.models import Allocation, Application, Decision, FormalCheck
from tests.browser.pages import check_page, log_in, log_in_verified
from tests.funding.conftest import (
    checked_application,
    make_committee_member,
    make_member,
    make_organisation,
    make_period,
    score_all,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.FUNDING_PRIVATE_ROOT = tmp_path / "funding-private"


@pytest.fixture
def story(reference_data, alice):
    """KOMM-AN NRW 2026 with 5,000 € and, besides the association, a club whose application for
    twelve low-threshold offers (3,000 €) is already checked and scored lower."""
    from teilhabe.funding.models import Programme

    komm_an = Programme.objects.get(slug="komm-an-nrw")
    period = make_period(komm_an, budget_cents=500_000)
    treff = make_organisation("treff-nord", "Nachbarschaftstreff Nord", is_small=True)
    vera = make_member("vera", treff)
    gerd = make_committee_member("gerd")
    club = make_organisation("sportclub", "Sportclub Eving")
    club_member = make_member("carl", club)
    rival = checked_application(
        club_member, club, period, alice, meeting_points=0, offers=12, title="Sport verbindet"
    )
    score_all(gerd, rival, 2, "fund_partly")
    return {"period": period, "treff": treff, "vera": vera, "gerd": gerd, "rival": rival}


def test_a_small_association_applies_and_receives_its_decision(new_page, axe, story, alice):
    period, vera, gerd = story["period"], story["vera"], story["gerd"]

    # --- vera drafts the application ---------------------------------------------------
    org = new_page()
    log_in(org, "vera", "/my/funding/")
    org.wait_for_url(re.compile(r"/my/funding/$"))
    check_page(org, axe)
    org.locator(f"a[href='/my/funding/organisations/{story['treff'].pk}/profile/']").click()
    check_page(org, axe)  # the profile form, bank account masked

    org.goto("/my/funding/")
    org.locator(f"a[href='/my/funding/periods/{period.pk}/apply/']").click()
    check_page(org, axe)
    org.fill("input[name=title]", "Ankommen im Norden")
    org.locator("main form button[type=submit]").click()
    org.wait_for_url(re.compile(r"/my/funding/applications/\d+/$"))
    application = Application.objects.get(organisation=story["treff"])
    check_page(org, axe)  # the application form
    expect(org.locator("#submission-problems")).to_be_visible()

    org.fill("textarea[name=summary]", "Zwei Treffpunkte für Neuzugewanderte am Nordmarkt.")
    org.locator("input[name=action_fields]").first.check()
    org.locator("button[name=save]").click()
    expect(org.locator("[role=status] .message")).to_be_visible()

    org.locator("a", has_text="(2.000,00").click()  # "add: arrival meeting point (2.000,00 €)"
    org.wait_for_url(re.compile(r"/measures/new/\d+/$"))
    check_page(org, axe)  # the measure form
    org.fill("input[name=title]", "Treffpunkt Nordmarkt")
    org.fill("input[name=units]", "2")
    org.fill("input[name=expected_participants]", "40")
    org.locator("main form button[type=submit]").click()
    org.wait_for_url(re.compile(r"/my/funding/applications/\d+/$"))
    application.refresh_from_db()
    assert application.requested_cents == 400_000  # two flat rates of 2,000 €
    expect(org.locator("main")).to_contain_text("4.000,00")

    # --- complete: submitted, then locked ---------------------------------------------
    expect(org.locator("#submission-problems")).to_have_count(0)
    org.locator("#submit-application").click()
    org.wait_for_url(re.compile(r"/my/funding/$"))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    receipt = next(m for m in mail.outbox if application.reference in m.subject)
    assert receipt.attachments[0][0] == "antrag.pdf"

    # --- staff ask for more information -------------------------------------------------
    staff = new_page()
    log_in_verified(staff, alice, f"/staff/funding/applications/{application.pk}/")
    staff.locator("input[name=outcome][value=info_requested]").check()
    staff.fill("textarea[name=note]", "Bitte den Kosten- und Finanzierungsplan beifügen.")
    staff.locator("main form button[type=submit]").click()
    expect(staff.locator("[role=status] .message")).to_be_visible()
    application.refresh_from_db()
    assert application.status == Application.Status.INFO_REQUESTED

    # --- vera supplements and submits again ----------------------------------------------
    org.goto(f"/my/funding/applications/{application.pk}/")
    expect(org.locator("main")).to_contain_text("Kosten- und Finanzierungsplan")
    check_page(org, axe)
    org.select_option("select[name=kind]", "cost_plan")
    org.set_input_files(
        "input[name=file]",
        files=[{"name": "Finanzplan.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    org.locator("form[enctype] button[type=submit]").click()
    expect(org.locator("main")).to_contain_text("Finanzplan.pdf")
    org.locator("#submit-application").click()
    org.wait_for_url(re.compile(r"/my/funding/$"))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    # --- staff pass the formal check ---------------------------------------------------
    staff.goto(f"/staff/funding/applications/{application.pk}/")
    for key, _label in services.CHECKLIST:
        staff.locator(f"input[name=check_{key}]").check()
    staff.locator("input[name=outcome][value=passed]").check()
    staff.locator("main form button[type=submit]").click()
    expect(staff.locator("[role=status] .message")).to_be_visible()
    assert application.formal_checks.first().outcome == FormalCheck.Outcome.PASSED

    # --- the committee scores, compares two policies, finalises ----------------------
    committee = new_page()
    log_in_verified(committee, gerd, f"/committee/funding/periods/{period.pk}/")
    check_page(committee, axe, arabic=False)
    committee.locator(f"a[href='/committee/funding/applications/{application.pk}/review/']").click()
    check_page(committee, axe, arabic=False)
    for criterion in period.programme.criteria.all():
        committee.locator(f"input[name=criterion_{criterion.pk}][value='5']").check()
    committee.locator("input[name=recommendation][value=fund]").check()
    committee.locator("main form button[type=submit]").first.click()
    committee.wait_for_url(re.compile(rf"/committee/funding/periods/{period.pk}/$"))

    committee.locator(f"a[href='/committee/funding/periods/{period.pk}/allocation/']").click()
    expect(committee.locator("#proposal-totals")).to_be_visible()
    check_page(committee, axe, arabic=False)
    # Side by side: (a) leaves 1,000 € unused, (d) gives the club four of its twelve offers.
    totals = committee.locator("#proposal-totals").inner_text()
    assert "4.000,00" in totals and "5.000,00" in totals
    committee.locator("#proposal-totals button").nth(1).click()  # adopt (d)
    committee.wait_for_url(re.compile(r"/committee/funding/allocations/\d+/$"))
    check_page(committee, axe, arabic=False)
    committee.fill("textarea[name=minutes]", "Sitzung des Entscheidungsgremiums, einstimmig.")
    committee.locator("main form button[type=submit]").click()
    expect(committee.locator("[role=status] .message")).to_be_visible()
    assert Allocation.objects.get().status == Allocation.Status.FINAL

    decision = Decision.objects.get(application=application)
    assert (decision.outcome, decision.granted_cents) == ("approved", 400_000)
    rival = Decision.objects.get(application=story["rival"])
    assert (rival.outcome, rival.granted_cents) == ("partially_approved", 100_000)

    # --- vera sees the decision and downloads the letter -------------------------------
    org.goto(f"/my/funding/applications/{application.pk}/")
    expect(org.locator("#decision-heading")).to_be_visible()
    check_page(org, axe)
    with org.expect_download() as download_info:
        org.locator(f"a[href='/funding/applications/{application.pk}/bescheid.pdf']").click()
    with open(download_info.value.path(), "rb") as letter:
        assert letter.read(5) == b"%PDF-"
    assert any(
        m.attachments and m.attachments[0][0] == "bescheid.pdf" and vera.email in m.to
        for m in mail.outbox
    )
