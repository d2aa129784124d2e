"""Staff check and decide; the committee scores, compares allocation policies side by side,
adopts one, adjusts an amount and finalises with minutes; the letters go out."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from teilhabe.funding import services
from teilhabe.funding.models import (
    Allocation,
    Application,
    Decision,
    FormalCheck,
    Review,
)
from tests.conftest import login_verified
from tests.funding.conftest import (
    checked_application,
    make_committee_member,
    make_member,
    make_organisation,
    make_period,
    score_all,
    submitted_application,
)


def en(name: str, **kwargs) -> str:
    """The English page (tests read English text until the German catalogue is filled)."""
    with translation.override("de"):
        return "/en" + reverse(name, kwargs=kwargs)


@pytest.fixture
def staff(client, alice):
    login_verified(client, alice)
    return client


def test_staff_ask_for_more_information_through_the_checklist_page(
    staff, vera, treff, period, django_capture_on_commit_callbacks
):
    application = submitted_application(vera, treff, period)
    url = en("funding:staff_application", pk=application.pk)
    page = staff.get(url).content.decode()
    assert "Formal check" in page
    assert page.count('type="checkbox"') == len(services.CHECKLIST)

    # "Passed" without every tick comes back with the message.
    response = staff.post(url, {"check_complete": "on", "outcome": "passed"})
    assert "Tick every item" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            url, {"outcome": "info_requested", "note": "Bitte Satzung hochladen."}
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.INFO_REQUESTED
    assert "Satzung" in mail.outbox[-1].body


def test_staff_decide_one_application_on_the_decision_page(
    staff, vera, treff, period, alice, django_capture_on_commit_callbacks
):
    application = checked_application(vera, treff, period, alice, meeting_points=2)
    measure = application.measures.get()
    url = en("funding:decide", pk=application.pk)
    assert "Left in the budget" in staff.get(url).content.decode()

    no_reason = staff.post(url, {"outcome": "approved", "reason": ""})
    assert no_reason.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            url,
            {
                "outcome": "partially_approved",
                "reason": "Ein Treffpunkt ist schon gefördert.",
                f"units_{measure.pk}": "1",
            },
        )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.outcome, decision.granted_cents) == ("partially_approved", 200_000)
    assert mail.outbox[-1].attachments[0][0] == "bescheid.pdf"


def test_bank_details_are_shown_to_staff_only_on_their_page(staff, treff, vera, alice, period):
    application = submitted_application(vera, treff, period)
    detail = staff.get(en("funding:staff_application", pk=application.pk)).content.decode()
    assert treff.funding_profile.iban not in detail  # one click more, and it is recorded
    bank = staff.get(
        en("funding:bank_details", organisation_pk=treff.pk) + f"?application={application.pk}"
    )
    assert treff.funding_profile.iban in bank.content.decode()


@pytest.fixture
def round_of_three(vera, treff, period, alice, gerd, greta):
    """Three checked applications of three organisations, scored by two members."""
    others = []
    for slug, name, small in (("club-a", "Club A", False), ("club-b", "Club B", True)):
        organisation = make_organisation(slug, name, is_small=small)
        others.append((make_member(f"m-{slug}", organisation), organisation))
    applications = [
        checked_application(vera, treff, period, alice, meeting_points=2, title="Treff"),
        checked_application(*others[0], period, alice, meeting_points=3, title="A"),
        checked_application(*others[1], period, alice, meeting_points=1, offers=8, title="B"),
    ]
    for application, points in zip(applications, (5, 3, 4), strict=True):
        score_all(gerd, application, points)
        score_all(greta, application, points - 1, "fund_partly")
    return applications


def test_committee_members_score_through_the_review_page(client, vera, treff, period, alice, gerd):
    application = checked_application(vera, treff, period, alice)
    login_verified(client, gerd)
    url = en("funding:review", pk=application.pk)
    page = client.get(url).content.decode()
    assert "Your score" in page
    criteria = list(period.programme.criteria.all())
    incomplete = client.post(url, {"recommendation": "fund"})
    assert incomplete.status_code == 200
    assert not Review.objects.exists()
    points = {f"criterion_{c.pk}": "4" for c in criteria}
    response = client.post(url, {**points, "recommendation": "fund", "comment": "Gut."})
    assert response.status_code == 302
    assert Review.objects.get().score == 80


def test_the_period_overview_sums_requests_scores_and_recommendations(
    client, round_of_three, period, gerd
):
    login_verified(client, gerd)
    page = client.get(en("funding:committee_period", period_pk=period.pk)).content.decode()
    # 4,000 + 6,000 + 2,000 + 8 × 250 = 14,000 €
    assert "14,000.00" in page
    assert "fund in full 3" in page and "fund in part 3" in page
    assert page.count("Scored") == 3


def test_the_committee_compares_adopts_adjusts_and_finalises(
    client, round_of_three, period, gerd, django_capture_on_commit_callbacks
):
    _treff, club_a, _club_b = round_of_three
    login_verified(client, gerd)
    compare = en("funding:allocation", period_pk=period.pk)
    query = {"by_score": "on", "max_weighted": "on", "threshold_min_score": "50"}

    page = client.get(compare, query).content.decode()

    # Budget 10,000 € for 14,000 € of requests: both proposals side by side, per application.
    assert page.count('name="chosen"') == 2
    assert "(a) Best score first" in page and "(d) Best use of the budget" in page
    grants = page[page.index('id="proposal-grants"') :]
    for application in round_of_three:
        assert application.reference in grants
    assert "proven optimal" in page

    response = client.post(compare, {**query, "chosen": "1"})
    allocation = Allocation.objects.get(status="draft")
    assert response.headers["Location"].endswith(f"/allocations/{allocation.pk}/")
    assert allocation.policy == "max_weighted"
    assert [c["policy"] for c in allocation.comparison] == ["by_score", "max_weighted"]
    assert allocation.total_cents <= 1_000_000

    # Adjust club A: one meeting point only; over the budget is refused.
    entry = allocation.entries.get(application=club_a)
    measure = club_a.measures.get()
    adjust = en("funding:allocation_adjust", pk=allocation.pk, entry_pk=entry.pk)
    response = client.post(adjust, {f"units_{measure.pk}": "1", "note": "Ein Standort reicht."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.granted_cents, entry.adjusted) == (200_000, True)

    draft_url = en("funding:allocation_draft", pk=allocation.pk)
    no_minutes = client.post(draft_url, {"minutes": ""})
    assert no_minutes.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(draft_url, {"minutes": "Sitzung vom Montag, einstimmig."})
    assert response.status_code == 302

    allocation.refresh_from_db()
    assert allocation.status == "final"
    assert allocation.minutes.startswith("Sitzung")
    decisions = {d.application_id: d for d in Decision.objects.all()}
    assert set(decisions) == {a.pk for a in round_of_three}
    assert decisions[club_a.pk].outcome == "partially_approved"
    assert "Ein Standort reicht." in decisions[club_a.pk].reason
    period.refresh_from_db()
    assert period.approved_cents == sum(d.granted_cents for d in decisions.values())
    assert period.approved_cents <= period.budget_cents
    assert len(mail.outbox) >= 3
    # The final allocation shows the minutes; nothing can be adopted any more.
    final = client.get(draft_url).content.decode()
    assert "Sitzung vom Montag" in final
    assert 'name="chosen"' not in client.get(compare, query).content.decode()


def test_an_adjustment_over_the_budget_is_refused(client, round_of_three, period, gerd, komm_an):
    login_verified(client, gerd)
    services.allocation_adopt(
        user=gerd,
        period=period,
        chosen=0,
        policies=[({"policy": "by_score"}, services.alloc.ByScore())],
    )
    allocation = Allocation.objects.get()
    # Give everything to everybody: 14,000 € > 10,000 €.
    for entry in allocation.entries.all():
        units = {str(m.pk): m.units for m in entry.application.measures.all()}
        entry.units = units
        entry.granted_cents = entry.application.requested_cents
        entry.save()
    last = allocation.entries.order_by("pk").last()
    measures = {f"units_{m.pk}": str(m.units) for m in last.application.measures.all()}
    response = client.post(
        en("funding:allocation_adjust", pk=allocation.pk, entry_pk=last.pk),
        {**measures, "note": "Alles"},
    )
    assert "Not changed" in response.content.decode()
    problems = services.allocation_problems(allocation)
    assert problems  # the independent checker sees it too, and finalising is refused
    with pytest.raises(services.FundingError):
        services.allocation_finalise(user=gerd, allocation=allocation, minutes="x")
    assert not Decision.objects.exists()


def test_the_organisation_sees_its_decision_and_downloads_the_letter(
    client, vera, treff, period, alice, django_capture_on_commit_callbacks
):
    application = checked_application(vera, treff, period, alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            user=alice, application=application, outcome="approved", reason="Gut begründet."
        )
    client.force_login(vera)
    page = client.get(en("funding:application", pk=application.pk)).content.decode()
    assert "Approval" in page and "4,000.00" in page and "Gut begründet." in page
    letter = client.get(reverse("funding:letter_pdf", kwargs={"pk": application.pk}))
    assert letter.status_code == 200
    assert letter.content.startswith(b"%PDF-")
    # The letter downloaded is the one that was sent.
    sent = next(m for m in mail.outbox if m.attachments and m.attachments[0][0] == "bescheid.pdf")
    assert sent.attachments[0][1] == letter.content


def test_the_decision_letter_is_german_and_names_amounts(vera, treff, period, alice, monkeypatch):
    from teilhabe.funding import pdf

    rendered = []
    real_html = pdf.HTML
    monkeypatch.setattr(
        pdf, "HTML", lambda string: rendered.append(string) or real_html(string=string)
    )
    application = checked_application(vera, treff, period, alice, meeting_points=2)
    measure = application.measures.get()
    decision = services.application_decide(
        user=alice,
        application=application,
        outcome="partially_approved",
        reason="Ein Standort.",
        units={measure.pk: 1},
    )

    services.decision_letter_pdf(decision)

    (html,) = rendered
    assert "Zuwendungsbescheid (teilweise Bewilligung)" in html
    assert "2.000,00" in html and "4.000,00" in html  # granted, requested
    assert "Ein Standort." in html
    assert "Verwendungsnachweis" in html


def test_committee_pages_list_the_periods(client, period, komm_an, gerd):
    make_period(komm_an, name="2027")
    member = make_committee_member("gabi")
    login_verified(client, member)
    page = client.get(en("funding:committee")).content.decode()
    assert len(re.findall(r"KOMM-AN NRW 202[67]", page)) == 2
    assert FormalCheck.objects.count() == 0
