"""The application's way through the services: drafting with amounts from the flat rates,
submitting (then locked) with a receipt and PDF, the formal check with "more information
needed", resubmission, withdrawal, reviews with conflicts of interest, single decisions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from teilhabe.funding import services
from teilhabe.funding.models import (
    Application,
    ConflictOfInterest,
    Decision,
    FormalCheck,
    Review,
)
from tests.funding.conftest import (
    checked_application,
    draft_application,
    information,
    low_threshold,
    make_period,
    meeting_point,
    score_all,
    submitted_application,
)

ALL_TICKED = {key: True for key, _label in services.CHECKLIST}


def test_it_computes_the_requested_amount_from_the_flat_rates(vera, treff, period):
    application = draft_application(vera, treff, period, meeting_points=2, offers=3)

    # 2 × 2,000 € + 3 × 250 €
    assert application.requested_cents == 2 * 200_000 + 3 * 25_000
    assert sorted(m.unit_cents for m in application.measures.all()) == [25_000, 200_000]


def test_it_computes_a_cost_based_request_as_costs_minus_own_contribution(vera, treff, period):
    application = draft_application(vera, treff, period, meeting_points=0)
    services.measure_save(
        user=vera,
        application=application,
        data=services.MeasureData(
            measure_type=information(period.programme),
            title="Infoabend Schule",
            total_cost_cents=120_000,
            own_contribution_cents=12_000,
        ),
    )
    application.refresh_from_db()
    assert application.requested_cents == 108_000


def test_it_refuses_a_measure_that_breaks_its_type(vera, treff, period):
    application = draft_application(vera, treff, period, meeting_points=0)
    too_many = services.MeasureData(
        measure_type=meeting_point(period.programme), title="Zu viele", units=4
    )
    with pytest.raises(services.MeasureInvalid) as refused:
        services.measure_save(user=vera, application=application, data=too_many)
    assert "units" in refused.value.errors

    too_little_own = services.MeasureData(
        measure_type=information(period.programme),
        title="Flyer",
        total_cost_cents=100_000,
        own_contribution_cents=5_000,  # 10 % = 10,000 cents required
    )
    with pytest.raises(services.MeasureInvalid) as refused:
        services.measure_save(user=vera, application=application, data=too_little_own)
    assert "own_contribution" in refused.value.errors
    assert application.measures.count() == 0


def test_it_refuses_a_measure_type_the_organisation_kind_is_not_eligible_for(vera, treff, period):
    treff.kind = "company"
    treff.save()
    application = draft_application(vera, treff, period, meeting_points=0)
    data = services.MeasureData(measure_type=meeting_point(period.programme), title="x", units=1)
    with pytest.raises(services.MeasureInvalid) as refused:
        services.measure_save(user=vera, application=application, data=data)
    assert "measure_type" in refused.value.errors


def test_it_submits_locks_and_sends_a_receipt_with_a_pdf(
    vera, treff, period, django_capture_on_commit_callbacks
):
    application = draft_application(vera, treff, period)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(user=vera, application=application)

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.small_organisation is True
    (receipt,) = mail.outbox
    assert set(receipt.to) == {"info@treff-nord.example.org", "vera@example.org"}
    assert application.reference in receipt.subject
    ((name, content, mimetype),) = receipt.attachments
    assert (name, mimetype) == ("antrag.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")

    # Locked: no more changes to the project, its measures or documents.
    with pytest.raises(services.FundingError):
        services.application_update(
            user=vera, application=application, title="Neu", summary="", action_fields=[]
        )
    with pytest.raises(services.FundingError):
        services.measure_save(
            user=vera,
            application=application,
            data=services.MeasureData(
                measure_type=low_threshold(period.programme), title="x", units=1
            ),
        )
    measure = application.measures.get()
    with pytest.raises(services.FundingError):
        services.measure_delete(user=vera, application=application, measure=measure)
    with pytest.raises(services.FundingError):
        services.application_submit(user=vera, application=application)


def test_an_incomplete_application_is_not_submitted_and_says_what_is_missing(vera, treff, period):
    application = services.application_start(
        user=vera, period=period, organisation=treff, title="Leer"
    )
    with pytest.raises(services.FundingError) as refused:
        services.application_submit(user=vera, application=application)
    assert len(refused.value.problems) >= 2  # no measure, no field of action, no description
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_a_closed_window_refuses_new_applications_and_first_submissions(vera, treff, komm_an):
    past = make_period(
        komm_an,
        name="2020",
        applications_open=timezone.now() - timedelta(days=60),
        applications_close=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(services.WindowClosed) as refused, translation.override("en"):
        services.application_start(user=vera, period=past, organisation=treff, title="Zu spät")
    assert "closed on" in refused.value.message

    open_period = make_period(komm_an, name="2027")
    application = draft_application(vera, treff, open_period)
    later = open_period.applications_close + timedelta(minutes=1)
    with pytest.raises(services.WindowClosed):
        services.application_submit(user=vera, application=application, now=later)


def test_more_information_goes_back_to_the_applicant_who_supplements_and_resubmits(
    vera, treff, period, alice, django_capture_on_commit_callbacks
):
    application = submitted_application(vera, treff, period)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.formal_check_record(
            user=alice,
            application=application,
            checklist={"complete": True},
            outcome=FormalCheck.Outcome.INFO_REQUESTED,
            note="Bitte den Kostenplan beifügen.",
        )
    application.refresh_from_db()
    assert application.status == Application.Status.INFO_REQUESTED
    assert application.is_editable
    (request_mail,) = mail.outbox
    assert "Kostenplan" in request_mail.body

    # Supplemented (one more low-threshold offer) and submitted again, even after the window.
    services.measure_save(
        user=vera,
        application=application,
        data=services.MeasureData(
            measure_type=low_threshold(period.programme), title="Frauencafé", units=2
        ),
    )
    services.application_submit(
        user=vera, application=application, now=period.applications_close + timedelta(days=1)
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.requested_cents == 2 * 200_000 + 2 * 25_000

    services.formal_check_record(
        user=alice, application=application, checklist=ALL_TICKED, outcome="passed"
    )
    application.refresh_from_db()
    assert application.status == Application.Status.CHECKED
    assert application.formal_checks.count() == 2


def test_the_formal_check_needs_every_item_and_a_note_for_questions(vera, treff, period, alice):
    application = submitted_application(vera, treff, period)
    with pytest.raises(services.FundingError):
        services.formal_check_record(
            user=alice, application=application, checklist={"complete": True}, outcome="passed"
        )
    with pytest.raises(services.FundingError):
        services.formal_check_record(
            user=alice, application=application, checklist={}, outcome="info_requested"
        )
    with pytest.raises(PermissionDenied):
        services.formal_check_record(
            user=vera, application=application, checklist=ALL_TICKED, outcome="passed"
        )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_an_application_can_be_withdrawn_until_it_is_decided(vera, treff, period, alice):
    application = submitted_application(vera, treff, period)
    services.application_withdraw(user=vera, application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    with pytest.raises(services.FundingError):
        services.application_withdraw(user=vera, application=application)


def test_only_members_of_the_organisation_act_for_its_applications(vera, treff, otto, period):
    application = draft_application(vera, treff, period)
    with pytest.raises(PermissionDenied):
        services.application_submit(user=otto, application=application)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(user=otto, application=application)
    with pytest.raises(PermissionDenied):
        services.application_start(user=otto, period=period, organisation=treff, title="x")


def test_committee_members_score_on_the_criteria_and_recommend(
    vera, treff, period, alice, gerd, greta
):
    application = checked_application(vera, treff, period, alice)
    criteria = list(period.programme.criteria.all())
    review = services.review_save(
        user=gerd,
        application=application,
        points={c.pk: c.max_points for c in criteria},
        recommendation=Review.Recommendation.FUND,
    )
    assert review.score == 100
    review = score_all(greta, application, 2, "fund_partly")
    assert review.score == 40  # 2 of 5 points everywhere
    with pytest.raises(services.FundingError):  # one criterion missing
        services.review_save(
            user=gerd,
            application=application,
            points={criteria[0].pk: 3},
            recommendation="fund",
        )


def test_a_committee_member_of_the_applying_organisation_cannot_score_it(
    vera, treff, period, alice, gerd
):
    from teilhabe.core.services import membership_add

    application = checked_application(vera, treff, period, alice)
    membership_add(user=gerd, organisation=treff)

    with pytest.raises(services.ConflictOfInterestError):
        score_all(gerd, application, 5)

    assert not Review.objects.exists()
    # The conflict is recorded, so the committee sees that he stood aside.
    assert ConflictOfInterest.objects.filter(application=application, member=gerd).exists()


def test_a_declared_conflict_withdraws_the_review_and_blocks_scoring(
    vera, treff, period, alice, gerd
):
    application = checked_application(vera, treff, period, alice)
    score_all(gerd, application, 4)
    services.conflict_declare(user=gerd, application=application, reason="Schwester im Vorstand")
    assert not Review.objects.exists()
    with pytest.raises(services.ConflictOfInterestError):
        score_all(gerd, application, 4)


def test_staff_decide_approval_partial_approval_and_rejection_with_reasons(
    vera, treff, period, alice, django_capture_on_commit_callbacks
):
    full = checked_application(vera, treff, period, alice, meeting_points=1, title="A")
    part = checked_application(vera, treff, period, alice, meeting_points=2, offers=4, title="B")
    none = checked_application(vera, treff, period, alice, meeting_points=1, title="C")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            user=alice, application=full, outcome="approved", reason="Passt."
        )
        flat = {m.measure_type.slug: m for m in part.measures.select_related("measure_type")}
        services.application_decide(
            user=alice,
            application=part,
            outcome="partially_approved",
            reason="Nur ein Treffpunkt.",
            units={
                flat["ankommenstreffpunkt"].pk: 1,
                flat["begleitung-orientierung"].pk: 4,
            },
        )
        services.application_decide(
            user=alice, application=none, outcome="rejected", reason="Nicht förderfähig."
        )

    outcomes = {d.application.title: (d.outcome, d.granted_cents) for d in Decision.objects.all()}
    assert outcomes == {
        "A": ("approved", 200_000),
        "B": ("partially_approved", 200_000 + 4 * 25_000),
        "C": ("rejected", 0),
    }
    period.refresh_from_db()
    assert period.approved_cents == 200_000 + 300_000
    assert {m.granted_units for m in part.measures.all()} == {1, 4}
    # One letter per decision, with the PDF.
    assert len(mail.outbox) == 3
    assert all(m.attachments[0][0] == "bescheid.pdf" for m in mail.outbox)
    assert all(d.letter and d.letter_sent_at for d in Decision.objects.all())
    part.refresh_from_db()
    assert part.status == Application.Status.PARTIALLY_APPROVED


def test_a_decision_needs_a_reason_and_a_checked_application(vera, treff, period, alice):
    submitted = submitted_application(vera, treff, period)
    with pytest.raises(services.FundingError):
        services.application_decide(
            user=alice, application=submitted, outcome="approved", reason="ok"
        )
    checked = checked_application(vera, treff, period, alice, title="Zweiter")
    with pytest.raises(services.FundingError):
        services.application_decide(user=alice, application=checked, outcome="approved", reason="")
    with pytest.raises(services.FundingError):  # a "partial" approval of everything
        services.application_decide(
            user=alice,
            application=checked,
            outcome="partially_approved",
            reason="x",
            units={m.pk: m.units for m in checked.measures.all()},
        )
    assert not Decision.objects.exists()


def test_an_approval_over_the_budget_is_refused_with_a_message(vera, treff, komm_an, alice):
    small = make_period(komm_an, name="klein", budget_cents=500_000)
    first = checked_application(vera, treff, small, alice, meeting_points=2, title="1")
    second = checked_application(vera, treff, small, alice, meeting_points=1, title="2")
    services.application_decide(user=alice, application=first, outcome="approved", reason="ok")

    with pytest.raises(services.BudgetExceeded) as refused:
        services.application_decide(user=alice, application=second, outcome="approved", reason="ok")
    assert "1.000,00" in refused.value.message or "1,000.00" in refused.value.message
    small.refresh_from_db()
    assert small.approved_cents == 400_000
    second.refresh_from_db()
    assert second.status == Application.Status.CHECKED
