"""The life of a request through the services: requested → offered → confirmed → done, and the
steps that are refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from teilhabe.core import roles
from teilhabe.mediation import services
from teilhabe.mediation.models import Assignment, MediationRequest
from tests.conftest import make_user
from tests.mediation import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _offer(request: MediationRequest) -> Assignment:
    return request.assignments.get(status=Assignment.Status.OFFERED)


def test_a_request_goes_to_the_best_candidate_at_once(rita, mira, omar):
    request = factories.book(rita)
    assert request.status == MediationRequest.Status.OFFERED
    assert _offer(request).mediator == mira  # native before fluent
    subjects = [m.subject for m in mail.outbox]
    assert any("Request received" in s for s in subjects)
    offer_mail = next(m for m in mail.outbox if m.to == ["mira@example.org"])
    assert "/mediation/offer/" in offer_mail.body and "/accept/" in offer_mail.body


def test_the_blocked_interval_includes_the_travel_buffer(rita, mira):
    request = factories.book(rita)
    offer = _offer(request)
    assert offer.blocked_start == request.starts_at - timedelta(minutes=15)
    assert offer.blocked_end == request.ends_at + timedelta(minutes=15)
    phone = factories.book(rita, setting="phone", place=None, starts_at=factories.next_week_at(14))
    assert _offer(phone).blocked_start == phone.starts_at


def test_a_too_short_lead_time_is_refused_with_a_clear_message(rita, mira):
    with pytest.raises(services.MediationError, match="days' notice"):
        factories.book(rita, starts_at=factories.next_week_at(10, days=4))
    assert not MediationRequest.objects.exists()


def test_staff_may_allow_a_short_lead_time_requesters_may_not(rita, mira, alice, school):
    data = factories.request_input(school, starts_at=factories.next_week_at(10, days=2))
    with pytest.raises(PermissionDenied):
        services.request_create(user=rita.user, data=data, lead_time_override=True)
    request = services.request_create(
        user=alice, data=data, institution=school, lead_time_override=True
    )
    assert request.lead_time_override and request.status == MediationRequest.Status.OFFERED


def test_terms_and_a_place_are_required(rita, mira, school):
    with pytest.raises(services.MediationError, match="terms"):
        services.request_create(
            user=rita.user, data=factories.request_input(school, terms_accepted=False)
        )
    with pytest.raises(services.MediationError, match="place"):
        services.request_create(user=rita.user, data=factories.request_input(school, place=None))


def test_a_requester_cannot_use_another_institutions_place(rita, mira):
    other = factories.institution("Kita Sonnenschein")
    with pytest.raises(PermissionDenied):
        services.request_create(
            user=rita.user,
            data=factories.request_input(rita.institution, place=other.places.first()),
        )


def test_accepting_confirms_and_both_sides_get_an_ics(rita, mira):
    request = factories.book(rita)
    mail.outbox.clear()
    services.offer_accept(assignment=_offer(request), user=mira.user)
    request.refresh_from_db()
    assert request.status == MediationRequest.Status.CONFIRMED
    assert request.assignments.get().status == Assignment.Status.CONFIRMED
    by_recipient = {m.to[0]: m for m in mail.outbox}
    for address in ("mira@example.org", "rita@example.org"):
        (name, content, mime) = by_recipient[address].attachments[0]
        assert name.endswith(".ics") and mime == "text/calendar"
        assert "BEGIN:VEVENT" in content and "STATUS:CONFIRMED" in content
    # The requester learns the first name and one contact channel, not the surname.
    assert "Mira" in by_recipient["rita@example.org"].body
    assert "0231 111111" in by_recipient["rita@example.org"].body
    assert "Tesfay" not in by_recipient["rita@example.org"].body


def test_declining_moves_to_the_next_candidate(rita, mira, omar):
    request = factories.book(rita)
    services.offer_decline(assignment=_offer(request), user=mira.user)
    request.refresh_from_db()
    assert request.status == MediationRequest.Status.OFFERED
    assert _offer(request).mediator == omar


def test_when_nobody_is_left_the_request_is_unfilled_and_the_requester_told(rita, mira):
    request = factories.book(rita)
    mail.outbox.clear()
    services.offer_decline(assignment=_offer(request), user=mira.user)
    request.refresh_from_db()
    assert request.status == MediationRequest.Status.UNFILLED
    told = next(m for m in mail.outbox if m.to == ["rita@example.org"])
    assert "professional interpreting service" in told.body


def test_no_candidate_at_all_is_unfilled_at_once(rita):
    request = factories.book(rita)
    assert request.status == MediationRequest.Status.UNFILLED


def test_a_mediator_without_training_or_declaration_gets_no_offer(rita, db):
    factories.mediator("nora", training_date=None)
    factories.mediator("nadia", confidentiality_date=None)
    factories.mediator("nina", status="applicant")
    assert factories.book(rita).status == MediationRequest.Status.UNFILLED


def test_one_open_offer_per_request(rita, mira, omar, alice):
    request = factories.book(rita)
    with pytest.raises(services.MediationError):
        services.offer_send(request=request, mediator=omar, actor=alice)
    assert request.assignments.count() == 1


def test_illegal_answers_are_refused(rita, mira, omar):
    request = factories.book(rita)
    offer = _offer(request)
    services.offer_accept(assignment=offer, user=mira.user)
    with pytest.raises(services.MediationError):
        services.offer_accept(assignment=offer, user=mira.user)
    with pytest.raises(services.MediationError):
        services.offer_decline(assignment=offer, user=mira.user)
    with pytest.raises(PermissionDenied):  # omar cannot answer mira's offer
        services.offer_accept(assignment=offer, user=omar.user)


def test_an_expired_offer_cannot_be_accepted(rita, mira):
    offer = _offer(factories.book(rita))
    later = offer.answer_deadline + timedelta(minutes=1)
    with pytest.raises(services.MediationError, match="expired"):
        services.offer_accept(assignment=offer, user=mira.user, now=later)


def test_report_done_then_the_institution_confirms(rita, mira):
    request = factories.book(rita)
    offer = _offer(request)
    services.offer_accept(assignment=offer, user=mira.user)
    with pytest.raises(services.MediationError, match="not started"):
        services.report_done(assignment=offer, user=mira.user, actual_minutes=60)
    after = request.ends_at + timedelta(minutes=5)
    with pytest.raises(services.MediationError):
        services.report_done(
            assignment=offer,
            user=mira.user,
            actual_minutes=60,
            travel_km=Decimal(3),
            ticket_cents=300,
            now=after,
        )
    services.report_done(
        assignment=offer, user=mira.user, actual_minutes=75, travel_km=Decimal("8.5"), now=after
    )
    offer.refresh_from_db()
    request.refresh_from_db()
    assert offer.status == Assignment.Status.DONE and offer.actual_minutes == 75
    assert request.status == MediationRequest.Status.DONE
    with pytest.raises(services.MediationError):  # twice
        services.report_done(assignment=offer, user=mira.user, actual_minutes=75, now=after)
    services.institution_confirm(request=request, user=rita.user)
    request.refresh_from_db()
    assert request.institution_confirmed_at is not None
    with pytest.raises(services.MediationError):
        services.institution_confirm(request=request, user=rita.user)


def test_an_offered_request_cannot_be_reported_or_confirmed(rita, mira):
    request = factories.book(rita)
    with pytest.raises(services.MediationError):
        services.report_done(
            assignment=_offer(request),
            user=mira.user,
            actual_minutes=60,
            now=request.ends_at,
        )
    with pytest.raises(services.MediationError):
        services.institution_confirm(request=request, user=rita.user)


def test_the_weekly_maximum_is_rechecked_on_accepting(rita, db):
    mira = factories.mediator("mira", max_per_week=1)
    first = factories.book(rita, starts_at=factories.next_week_at(9))
    services.offer_accept(assignment=_offer(first), user=mira.user)
    second = factories.request(rita.institution, starts_at=factories.next_week_at(15))
    stale_offer = factories.assignment(second, mira)
    MediationRequest.objects.filter(pk=second.pk).update(status="offered")
    with pytest.raises(services.MediationError, match="maximum"):
        services.offer_accept(assignment=stale_offer, user=mira.user)


def test_staff_may_offer_to_a_chosen_eligible_mediator_only(rita, mira, omar, alice):
    request = factories.book(rita)
    services.offer_decline(assignment=_offer(request), user=mira.user)
    services.offer_decline(assignment=_offer(request), user=omar.user)
    request.refresh_from_db()
    assert request.status == MediationRequest.Status.UNFILLED
    # Staff re-open it after a phone call with mira.
    services.offer_send(request=request, mediator=mira, actor=alice)
    request.refresh_from_db()
    assert request.status == MediationRequest.Status.OFFERED
    outsider = factories.mediator("pia", languages=(("ar", "native"),))
    waiting = factories.request(rita.institution, starts_at=factories.next_week_at(15))
    with pytest.raises(services.MediationError, match="cannot take"):
        services.offer_send(request=waiting, mediator=outsider, actor=alice)
    with pytest.raises(PermissionDenied):
        services.offer_send(request=waiting, mediator=mira, actor=rita.user)


def test_candidates_come_with_reasons(rita, mira, omar, db):
    far = factories.mediator("fana", whole_city=False)  # goes nowhere in person
    request = factories.book(rita)
    ranked = services.candidates(request)
    assert [c.mediator_id for c in ranked][:2] == [mira.pk, omar.pk]
    fana = next(c for c in ranked if c.mediator_id == far.pk)
    assert not fana.eligible
    assert any(r.code == "district" and not r.ok for r in fana.reasons)


def test_requesters_without_an_institution_cannot_request(db, mira):
    lonely = make_user("lonely", roles.REQUESTER)
    inst = factories.institution()
    with pytest.raises(PermissionDenied):
        services.request_create(user=lonely, data=factories.request_input(inst))


def test_a_past_time_is_refused(rita, alice, school):
    data = factories.request_input(school, starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(services.MediationError, match="future"):
        services.request_create(user=alice, data=data, institution=school, lead_time_override=True)
