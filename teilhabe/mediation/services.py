"""Everything that changes the pool: requests, offers, confirmations, cancellations, reports,
the batch proposal, the periodic tick and anonymisation.

Lifecycle of a request: requested → offered (one open offer at a time) → confirmed → done, or
cancelled, or unfilled. An offer is an Assignment row; accepting it confirms it in the same
transaction, with the mediator's row locked and their other bookings re-checked; the database
refuses an overlapping booking as well (no_overlap.py), so no timing of clicks double-books.

Errors a user can cause raise MediationError with a message for them (translated).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.core import roles
from teilhabe.core.models import Language
from teilhabe.mediation import emails, matching, matching_data, queries, rules
from teilhabe.mediation.models import (
    Assignment,
    BatchItem,
    BatchProposal,
    Cancellation,
    Institution,
    InstitutionPlace,
    MediationRequest,
    MediatorProfile,
    MediatorRecordAccess,
    Setting,
)

OFFER_SALT = "teilhabe.mediation.offer"
MIN_ANSWER_TIME = timedelta(minutes=15)


class MediationError(ValueError):
    """A step that is not possible now; the message says why, in words for the user."""


class DoubleBookingError(MediationError):
    """The mediator already holds an overlapping appointment."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- Requests -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestInput:
    language: Language
    starts_at: datetime
    duration_minutes: int
    setting: str
    area: str
    topic: str
    dialect: str = ""
    place: InstitutionPlace | None = None
    gender_preference: str = ""
    notes: str = ""
    terms_accepted: bool = False


def earliest_day(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today + timedelta(days=settings.MEDIATION_LEAD_TIME_DAYS)


def request_create(
    *,
    user,
    data: RequestInput,
    institution: Institution | None = None,
    lead_time_override: bool = False,
    now: datetime | None = None,
) -> MediationRequest:
    """A requester asks for a mediator for their institution (staff for any institution, and
    only staff may allow a shorter lead time). With MEDIATION_AUTO_OFFER the best candidate gets
    the offer at once."""
    now = _now(now)
    staff = queries.is_staff(user)
    own = queries.institution_of(user)
    if institution is None:
        institution = own
    if institution is None or (not staff and institution != own):
        raise PermissionDenied
    if lead_time_override and not staff:
        raise PermissionDenied
    if not data.terms_accepted:
        raise MediationError(_("Please accept the terms of the mediator pool."))
    if data.starts_at <= now:
        raise MediationError(_("The appointment must be in the future."))
    if not lead_time_override and not rules.lead_time_ok(
        starts_on=timezone.localdate(data.starts_at),
        today=timezone.localdate(now),
        lead_days=settings.MEDIATION_LEAD_TIME_DAYS,
    ):
        raise MediationError(
            _(
                "Mediators need %(days)s days' notice: the earliest possible date is "
                "%(date)s. For urgent cases please call the integration centre."
            )
            % {
                "days": settings.MEDIATION_LEAD_TIME_DAYS,
                "date": earliest_day(timezone.localdate(now)).strftime("%d.%m.%Y"),
            }
        )
    place = data.place if data.setting == Setting.IN_PERSON else None
    if data.setting == Setting.IN_PERSON:
        if place is None:
            raise MediationError(_("Please choose the place of the appointment."))
        if place.institution_id != institution.pk:
            raise PermissionDenied
    with transaction.atomic():
        request = MediationRequest.objects.create(
            institution=institution,
            requested_by=user,
            language=data.language,
            dialect=data.dialect.strip(),
            starts_at=data.starts_at,
            duration_minutes=data.duration_minutes,
            ends_at=data.starts_at + timedelta(minutes=data.duration_minutes),
            setting=data.setting,
            place=place,
            area=data.area,
            topic=data.topic.strip(),
            gender_preference=data.gender_preference,
            notes=data.notes.strip(),
            terms_accepted_at=now,
            lead_time_override=lead_time_override,
        )
        emails.request_received(request)
    if settings.MEDIATION_AUTO_OFFER:
        _offer_next_or_unfilled(request.pk, now=now)
    return MediationRequest.objects.get(pk=request.pk)


# --- Candidates and offers ------------------------------------------------------------------


def candidates(request: MediationRequest) -> list[matching.Candidate]:
    """Every mediator who speaks the language, eligible first, best first, with reasons."""
    return matching.rank_candidates(
        matching_data.request_data(request),
        matching_data.mediators_data([request]),
        matching_data.config(),
    )


def offer_token(assignment: Assignment) -> str:
    """Signed token of the e-mailed accept/decline links; a new nonce voids old links."""
    return signing.dumps({"a": assignment.pk, "n": assignment.token_nonce}, salt=OFFER_SALT)


def assignment_for_token(token: str) -> Assignment:
    """Raises signing.BadSignature or Assignment.DoesNotExist. Offers expire by their answer
    deadline; the signature's own age limit is only a backstop."""
    data = signing.loads(token, salt=OFFER_SALT, max_age=timedelta(days=30))
    return Assignment.objects.select_related(
        "request__language", "request__institution", "request__place", "mediator__user"
    ).get(pk=data["a"], token_nonce=data["n"])


def _answer_deadline(request: MediationRequest, now: datetime) -> datetime:
    deadline = min(
        now + timedelta(hours=settings.MEDIATION_OFFER_ANSWER_HOURS),
        queries.fill_deadline(request),
    )
    return max(deadline, now + MIN_ANSWER_TIME)


def offer_send(
    *,
    request: MediationRequest,
    mediator: MediatorProfile | None = None,
    actor=None,
    batch: BatchProposal | None = None,
    now: datetime | None = None,
) -> Assignment | None:
    """Offer the request to `mediator` (staff's choice; must be eligible) or to the best eligible
    candidate not asked before. One open offer per request at a time. Returns None when no
    candidate is left."""
    now = _now(now)
    if actor is not None and not queries.is_staff(actor):
        raise PermissionDenied
    with transaction.atomic():
        request = (
            MediationRequest.objects.select_for_update(of=("self",))
            .select_related("language", "place", "institution")
            .get(pk=request.pk)
        )
        if request.status not in (
            MediationRequest.Status.REQUESTED,
            MediationRequest.Status.UNFILLED,
        ):
            raise MediationError(_("This request is not waiting for an offer."))
        if request.starts_at <= now:
            raise MediationError(_("The appointment has already begun."))
        ranked = candidates(request)
        if mediator is not None:
            chosen = next((c for c in ranked if c.mediator_id == mediator.pk), None)
            if chosen is None or not chosen.eligible:
                raise MediationError(
                    _("This mediator cannot take the appointment (see the reasons).")
                )
        else:
            asked = set(request.assignments.values_list("mediator_id", flat=True))
            chosen = next((c for c in ranked if c.eligible and c.mediator_id not in asked), None)
            if chosen is None:
                return None
        blocked = matching_data.blocked_interval(request)
        assignment = Assignment.objects.create(
            request=request,
            mediator_id=chosen.mediator_id,
            blocked_start=blocked.start,
            blocked_end=blocked.end,
            offered_at=now,
            answer_deadline=_answer_deadline(request, now),
            batch=batch,
            estimated_km=Decimal(str(round(chosen.travel_km, 1))),
        )
        request.status = MediationRequest.Status.OFFERED
        request.unfilled_at = None
        request.save(update_fields=["status", "unfilled_at", "updated_at"])
        assignment = Assignment.objects.select_related(
            "mediator__user", "request__language", "request__institution", "request__place"
        ).get(pk=assignment.pk)
        emails.offer_made(assignment, offer_token(assignment))
    return assignment


def _mark_unfilled(request_pk: int, now: datetime) -> None:
    with transaction.atomic():
        request = MediationRequest.objects.select_for_update().get(pk=request_pk)
        if request.status not in MediationRequest.OPEN_STATUSES:
            return
        request.status = MediationRequest.Status.UNFILLED
        request.unfilled_at = now
        request.save(update_fields=["status", "unfilled_at", "updated_at"])
        # Told once, however often the tick runs.
        first = MediationRequest.objects.filter(
            pk=request_pk, unfilled_notified_at__isnull=True
        ).update(unfilled_notified_at=now)
        if first:
            emails.unfilled(
                MediationRequest.objects.select_related(
                    "language", "institution", "requested_by"
                ).get(pk=request_pk)
            )


def _offer_next_or_unfilled(request_pk: int, *, now: datetime) -> Assignment | None:
    """After a decline, an expiry or a mediator's cancellation: the next candidate, or — when
    nobody is left — unfilled, and the requester is told at once (with the fallback advice)."""
    request = MediationRequest.objects.get(pk=request_pk)
    if request.status != MediationRequest.Status.REQUESTED:
        return None
    if now >= queries.fill_deadline(request):
        _mark_unfilled(request_pk, now)
        return None
    try:
        assignment = offer_send(request=request, now=now)
    except MediationError:
        return None
    if assignment is None:
        _mark_unfilled(request_pk, now)
    return assignment


# --- Answers: accept (= confirm) and decline ------------------------------------------------


def _locked_offer(assignment_pk: int) -> tuple[MediatorProfile, Assignment, MediationRequest]:
    """Lock order everywhere: mediator, then assignment, then request."""
    mediator_id = Assignment.objects.values_list("mediator_id", flat=True).get(pk=assignment_pk)
    mediator = MediatorProfile.objects.select_for_update().get(pk=mediator_id)
    assignment = Assignment.objects.select_for_update().get(pk=assignment_pk)
    request = MediationRequest.objects.select_for_update().get(pk=assignment.request_id)
    return mediator, assignment, request


def _check_open_offer(assignment: Assignment, now: datetime) -> None:
    if assignment.status != Assignment.Status.OFFERED:
        raise MediationError(_("This offer has already been answered or withdrawn."))
    if now > assignment.answer_deadline:
        raise MediationError(_("This offer has expired."))


def offer_accept(*, assignment: Assignment, user=None, now: datetime | None = None) -> Assignment:
    """The mediator accepts (page or e-mailed link; `user` None = the signed link), which confirms
    the appointment. Staff may accept for a mediator (after a phone call)."""
    now = _now(now)
    if user is not None and not queries.is_staff(user):
        own = queries.mediator_of(user)
        if own is None or own.pk != assignment.mediator_id:
            raise PermissionDenied
    with transaction.atomic():
        mediator, assignment, request = _locked_offer(assignment.pk)
        _check_open_offer(assignment, now)
        if not mediator.may_be_assigned:
            raise MediationError(
                _(
                    "Assignments need an active profile, the basic training and the signed "
                    "confidentiality declaration."
                )
            )
        assignment_confirm(mediator=mediator, assignment=assignment, request=request, now=now)
    assignment = Assignment.objects.select_related(
        "mediator__user",
        "request__language",
        "request__institution",
        "request__place",
        "request__requested_by",
    ).get(pk=assignment.pk)
    emails.confirmed(assignment)
    return assignment


def assignment_confirm(
    *,
    mediator: MediatorProfile,
    assignment: Assignment,
    request: MediationRequest,
    now: datetime,
) -> None:
    """Book the mediator. Call inside a transaction with the mediator row locked: the lock
    serialises concurrent confirmations of one mediator, so the re-check below sees every other
    booking; the database constraint is the last line should anything bypass this."""
    clash = (
        Assignment.objects.filter(
            mediator=mediator,
            status__in=Assignment.BOOKED_STATUSES,
            blocked_start__lt=assignment.blocked_end,
            blocked_end__gt=assignment.blocked_start,
        )
        .exclude(pk=assignment.pk)
        .exists()
    )
    if clash:
        raise DoubleBookingError(_("You already have an appointment at that time."))
    week = matching.iso_week(request.starts_at, matching.Config(timezone=settings.TIME_ZONE))
    booked_in_week = sum(
        1
        for start in Assignment.objects.filter(
            mediator=mediator,
            status__in=Assignment.BOOKED_STATUSES,
            request__starts_at__gte=request.starts_at - timedelta(days=7),
            request__starts_at__lte=request.starts_at + timedelta(days=7),
        ).values_list("request__starts_at", flat=True)
        if matching.iso_week(start, matching.Config(timezone=settings.TIME_ZONE)) == week
    )
    if booked_in_week >= mediator.max_per_week:
        raise MediationError(_("You have reached your maximum of appointments for that week."))
    if request.status != MediationRequest.Status.OFFERED:
        raise MediationError(_("This request is no longer open."))
    assignment.status = Assignment.Status.CONFIRMED
    assignment.answered_at = now
    assignment.confirmed_at = now
    try:
        with transaction.atomic():  # a savepoint: the constraint error must not poison the rest
            assignment.save(update_fields=["status", "answered_at", "confirmed_at", "updated_at"])
    except IntegrityError as error:
        raise DoubleBookingError(_("You already have an appointment at that time.")) from error
    request.status = MediationRequest.Status.CONFIRMED
    request.confirmed_at = now
    request.save(update_fields=["status", "confirmed_at", "updated_at"])


def offer_decline(*, assignment: Assignment, user=None, now: datetime | None = None) -> Assignment:
    """The mediator declines; the next candidate gets the offer (or the request is unfilled)."""
    now = _now(now)
    if user is not None and not queries.is_staff(user):
        own = queries.mediator_of(user)
        if own is None or own.pk != assignment.mediator_id:
            raise PermissionDenied
    with transaction.atomic():
        _mediator, assignment, request = _locked_offer(assignment.pk)
        _check_open_offer(assignment, now)
        assignment.status = Assignment.Status.DECLINED
        assignment.answered_at = now
        assignment.save(update_fields=["status", "answered_at", "updated_at"])
        request.status = MediationRequest.Status.REQUESTED
        request.save(update_fields=["status", "updated_at"])
    _offer_next_or_unfilled(request.pk, now=now)
    return assignment


# --- Cancellation ---------------------------------------------------------------------------


def request_cancel(
    *, request: MediationRequest, user, reason: str, now: datetime | None = None
) -> Cancellation:
    """The requester's institution or staff cancels. A confirmed appointment cancelled late
    (rules.late_cancellation) pays the mediator's travel and up to the set time."""
    now = _now(now)
    staff = queries.is_staff(user)
    if not staff and queries.institution_of(user) != request.institution:
        raise PermissionDenied
    if not reason.strip():
        raise MediationError(_("Please give a reason for the cancellation."))
    with transaction.atomic():
        holder_pk = (
            request.assignments.filter(status__in=queries.HOLDING)
            .values_list("pk", flat=True)
            .first()
        )
        if holder_pk is not None:
            _mediator, assignment, request = _locked_offer(holder_pk)
        else:
            assignment = None
            request = MediationRequest.objects.select_for_update().get(pk=request.pk)
        cancellable = (
            *MediationRequest.OPEN_STATUSES,
            MediationRequest.Status.CONFIRMED,
            MediationRequest.Status.UNFILLED,
        )
        if request.status not in cancellable:
            raise MediationError(_("This request can no longer be cancelled."))
        if now >= request.ends_at:
            raise MediationError(_("The appointment is over; it can no longer be cancelled."))
        booked = assignment is not None and assignment.status == Assignment.Status.CONFIRMED
        outcome = rules.late_cancellation(
            cancelled_at=now,
            starts_at=request.starts_at,
            planned_minutes=request.duration_minutes,
            by_institution=True,
            booked=booked,
            round_trip_km=(assignment.estimated_km * 2) if booked else Decimal(0),
            late_hours=settings.MEDIATION_LATE_CANCEL_HOURS,
            max_minutes=settings.MEDIATION_LATE_CANCEL_MAX_MINUTES,
            rate_cents_per_hour=settings.MEDIATION_RATE_CENTS_PER_HOUR,
            rate_cents_per_km=settings.MEDIATION_RATE_CENTS_PER_KM,
        )
        by = (
            Cancellation.By.REQUESTER
            if queries.institution_of(user) == request.institution
            else Cancellation.By.STAFF
        )
        cancellation = Cancellation.objects.create(
            request=request,
            assignment=assignment,
            by=by,
            by_user=user,
            at=now,
            reason=reason.strip()[:300],
            hours_before_start=outcome.hours_before_start,
            late=outcome.late,
            payable_minutes=outcome.payable_minutes,
            payable_km=outcome.payable_km,
            payable_cents=outcome.payable_cents,
        )
        if assignment is not None:
            assignment.status = Assignment.Status.CANCELLED
            assignment.save(update_fields=["status", "updated_at"])
        request.status = MediationRequest.Status.CANCELLED
        request.cancelled_at = now
        request.save(update_fields=["status", "cancelled_at", "updated_at"])
        emails.cancelled(assignment, request, cancellation)
    return cancellation


def assignment_cancel_by_mediator(
    *, assignment: Assignment, user, reason: str, now: datetime | None = None
) -> Cancellation:
    """The mediator gives back a confirmed appointment before it starts (unpaid); the request
    goes to the next candidate."""
    now = _now(now)
    if queries.mediator_of(user) is None or queries.mediator_of(user).pk != assignment.mediator_id:
        raise PermissionDenied
    if not reason.strip():
        raise MediationError(_("Please give a reason for the cancellation."))
    with transaction.atomic():
        _mediator, assignment, request = _locked_offer(assignment.pk)
        if assignment.status != Assignment.Status.CONFIRMED:
            raise MediationError(_("Only a confirmed appointment can be cancelled."))
        if now >= request.starts_at:
            raise MediationError(_("The appointment has already begun."))
        outcome = rules.late_cancellation(
            cancelled_at=now,
            starts_at=request.starts_at,
            planned_minutes=request.duration_minutes,
            by_institution=False,
            booked=True,
            round_trip_km=Decimal(0),
            late_hours=settings.MEDIATION_LATE_CANCEL_HOURS,
            max_minutes=settings.MEDIATION_LATE_CANCEL_MAX_MINUTES,
            rate_cents_per_hour=settings.MEDIATION_RATE_CENTS_PER_HOUR,
            rate_cents_per_km=settings.MEDIATION_RATE_CENTS_PER_KM,
        )
        cancellation = Cancellation.objects.create(
            request=request,
            assignment=assignment,
            by=Cancellation.By.MEDIATOR,
            by_user=user,
            at=now,
            reason=reason.strip()[:300],
            hours_before_start=outcome.hours_before_start,
        )
        assignment.status = Assignment.Status.CANCELLED
        assignment.save(update_fields=["status", "updated_at"])
        request.status = MediationRequest.Status.REQUESTED
        request.confirmed_at = None
        request.save(update_fields=["status", "confirmed_at", "updated_at"])
        emails.cancelled(assignment, request, cancellation)
    _offer_next_or_unfilled(request.pk, now=now)
    return cancellation


# --- After the appointment ------------------------------------------------------------------


def report_done(
    *,
    assignment: Assignment,
    user,
    actual_minutes: int,
    travel_km: Decimal | None = None,
    ticket_cents: int | None = None,
    now: datetime | None = None,
) -> Assignment:
    """The mediator reports the appointment done: actual time and travel (km or a ticket)."""
    now = _now(now)
    own = queries.mediator_of(user)
    if not queries.is_staff(user) and (own is None or own.pk != assignment.mediator_id):
        raise PermissionDenied
    if not 1 <= actual_minutes <= 720:
        raise MediationError(_("Please enter the actual time in minutes (1 to 720)."))
    if travel_km is not None and ticket_cents is not None:
        raise MediationError(_("Please enter either kilometres or a ticket, not both."))
    if (travel_km is not None and travel_km < 0) or (ticket_cents is not None and ticket_cents < 0):
        raise MediationError(_("Travel cannot be negative."))
    with transaction.atomic():
        _mediator, assignment, request = _locked_offer(assignment.pk)
        if assignment.status != Assignment.Status.CONFIRMED:
            raise MediationError(_("Only a confirmed appointment can be reported done."))
        if now < request.starts_at:
            raise MediationError(_("The appointment has not started yet."))
        assignment.status = Assignment.Status.DONE
        assignment.reported_at = now
        assignment.actual_minutes = actual_minutes
        assignment.travel_km = travel_km
        assignment.ticket_cents = ticket_cents
        assignment.save(
            update_fields=[
                "status",
                "reported_at",
                "actual_minutes",
                "travel_km",
                "ticket_cents",
                "updated_at",
            ]
        )
        request.status = MediationRequest.Status.DONE
        request.done_at = now
        request.save(update_fields=["status", "done_at", "updated_at"])
        emails.reported_done(
            Assignment.objects.select_related(
                "request__language", "request__institution", "request__requested_by"
            ).get(pk=assignment.pk)
        )
    return assignment


def institution_confirm(
    *, request: MediationRequest, user, now: datetime | None = None
) -> MediationRequest:
    """The institution confirms that the reported appointment took place."""
    now = _now(now)
    if not queries.is_staff(user) and queries.institution_of(user) != request.institution:
        raise PermissionDenied
    with transaction.atomic():
        request = MediationRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != MediationRequest.Status.DONE:
            raise MediationError(_("Only an appointment reported done can be confirmed."))
        if request.institution_confirmed_at is not None:
            raise MediationError(_("This appointment is already confirmed."))
        request.institution_confirmed_at = now
        request.institution_confirmed_by = user
        request.save(
            update_fields=["institution_confirmed_at", "institution_confirmed_by", "updated_at"]
        )
    return request


# --- Batch proposal -------------------------------------------------------------------------


def batch_propose(
    *, user, first_day: date, last_day: date, now: datetime | None = None
) -> BatchProposal:
    """The exact assignment of every request of the period still waiting for an offer
    (matching.solve_batch), stored for staff to review."""
    now = _now(now)
    if not queries.is_staff(user):
        raise PermissionDenied
    if last_day < first_day:
        raise MediationError(_("The end of the period must not be before its start."))
    if (last_day - first_day).days > 31:
        raise MediationError(_("Please choose a period of at most 31 days."))
    requests = list(
        MediationRequest.objects.filter(
            status__in=[MediationRequest.Status.REQUESTED, MediationRequest.Status.UNFILLED],
            starts_at__date__gte=first_day,
            starts_at__date__lte=last_day,
            starts_at__gt=now,
        ).select_related("language", "place")
    )
    request_data = [matching_data.request_data(r) for r in requests]
    mediator_data = matching_data.mediators_data(requests, now=now)
    result = matching.solve_batch(request_data, mediator_data, matching_data.config())
    problems = matching.violations(
        request_data, mediator_data, result.assignments, matching_data.config()
    )
    if problems:  # the solver and the independent checker disagree: never send such a plan
        raise MediationError("; ".join(problems))
    mediators = {m.id: m for m in mediator_data}
    requests_by_id = {r.id: r for r in request_data}
    cfg = matching_data.config()
    with transaction.atomic():
        proposal = BatchProposal.objects.create(
            period_start=first_day,
            period_end=last_day,
            created_by=user,
            solver_status=result.status,
            open_requests=len(requests),
            filled=result.filled,
            travel_km=Decimal(str(round(result.travel_km, 1))),
            max_load=result.max_load,
            solve_seconds=Decimal(str(round(result.solve_seconds, 3))),
        )
        BatchItem.objects.bulk_create(
            BatchItem(
                proposal=proposal,
                request_id=request_id,
                mediator_id=mediator_id,
                travel_km=Decimal(
                    str(
                        round(
                            matching.travel_km(
                                requests_by_id[request_id], mediators[mediator_id], cfg
                            ),
                            1,
                        )
                    )
                ),
            )
            for request_id, mediator_id in sorted(result.assignments.items())
        )
    return proposal


def batch_send(*, proposal: BatchProposal, user, now: datetime | None = None) -> tuple[int, int]:
    """Send every offer of a reviewed proposal in one action. Returns (sent, skipped): a request
    that changed since the proposal (offered, cancelled, the mediator booked) is skipped."""
    now = _now(now)
    if not queries.is_staff(user):
        raise PermissionDenied
    with transaction.atomic():
        proposal = BatchProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != BatchProposal.Status.PROPOSED:
            raise MediationError(_("The offers of this proposal have already been sent."))
        sent = skipped = 0
        for item in proposal.items.select_related("request", "mediator"):
            try:
                with transaction.atomic():
                    offer_send(
                        request=item.request,
                        mediator=item.mediator,
                        actor=user,
                        batch=proposal,
                        now=now,
                    )
                sent += 1
            except MediationError:
                skipped += 1
        proposal.status = BatchProposal.Status.SENT
        proposal.sent_at = now
        proposal.save(update_fields=["status", "sent_at", "updated_at"])
    return sent, skipped


# --- The tick: expiry, unfilled deadline, reminders -----------------------------------------


def offers_expire(*, now: datetime | None = None) -> int:
    """Unanswered offers past their deadline expire; the next candidate gets the request."""
    now = _now(now)
    expired = 0
    for pk in Assignment.objects.filter(
        status=Assignment.Status.OFFERED, answer_deadline__lt=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            _mediator, assignment, request = _locked_offer(pk)
            if assignment.status != Assignment.Status.OFFERED or assignment.answer_deadline >= now:
                continue  # answered meanwhile
            assignment.status = Assignment.Status.EXPIRED
            assignment.save(update_fields=["status", "updated_at"])
            request.status = MediationRequest.Status.REQUESTED
            request.save(update_fields=["status", "updated_at"])
            emails.offer_withdrawn(assignment)
        expired += 1
        _offer_next_or_unfilled(request.pk, now=now)
    return expired


def requests_mark_unfilled(*, now: datetime | None = None) -> int:
    """Open requests past their fill deadline become unfilled; an open offer is withdrawn."""
    now = _now(now)
    count = 0
    for request in MediationRequest.objects.filter(
        status__in=MediationRequest.OPEN_STATUSES,
        starts_at__lte=now + timedelta(hours=settings.MEDIATION_UNFILLED_DEADLINE_HOURS),
    ):
        if now < queries.fill_deadline(request):
            continue
        with transaction.atomic():
            open_offer = request.assignments.filter(status=Assignment.Status.OFFERED).first()
            if open_offer is not None:
                _mediator, open_offer, _request = _locked_offer(open_offer.pk)
                if open_offer.status == Assignment.Status.OFFERED:
                    open_offer.status = Assignment.Status.EXPIRED
                    open_offer.save(update_fields=["status", "updated_at"])
                    emails.offer_withdrawn(open_offer)
            _mark_unfilled(request.pk, now)
        count += 1
    return count


def reminders_send(*, now: datetime | None = None) -> int:
    """The day before: a reminder to both sides, once."""
    now = _now(now)
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    sent = 0
    for assignment in Assignment.objects.filter(
        status=Assignment.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        request__starts_at__date=tomorrow,
    ).select_related(
        "mediator__user",
        "request__language",
        "request__institution",
        "request__place",
        "request__requested_by",
    ):
        # The conditional update claims the reminder, so two ticks never both send it.
        claimed = Assignment.objects.filter(pk=assignment.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if claimed:
            emails.reminder(assignment)
            sent += 1
    return sent


@dataclass(frozen=True)
class TickResult:
    expired: int
    unfilled: int
    reminded: int


def tick(*, now: datetime | None = None) -> TickResult:
    now = _now(now)
    return TickResult(
        expired=offers_expire(now=now),
        unfilled=requests_mark_unfilled(now=now),
        reminded=reminders_send(now=now),
    )


# --- Mediators: leaving, anonymising, audited reads -----------------------------------------


def mediator_leave(*, mediator: MediatorProfile, user, now: datetime | None = None) -> None:
    """A mediator leaves the pool: open offers are withdrawn and coming appointments go to the
    next candidate; the profile is anonymised later (mediators_anonymise)."""
    now = _now(now)
    if not queries.is_staff(user):
        raise PermissionDenied
    for assignment in mediator.assignments.filter(status=Assignment.Status.OFFERED):
        with transaction.atomic():
            _m, assignment, request = _locked_offer(assignment.pk)
            if assignment.status != Assignment.Status.OFFERED:
                continue
            assignment.status = Assignment.Status.EXPIRED
            assignment.save(update_fields=["status", "updated_at"])
            request.status = MediationRequest.Status.REQUESTED
            request.save(update_fields=["status", "updated_at"])
    for assignment in mediator.assignments.filter(
        status=Assignment.Status.CONFIRMED, request__starts_at__gt=now
    ):
        assignment_cancel_by_mediator(
            assignment=assignment,
            user=mediator.user,
            reason=_("The mediator left the pool."),
            now=now,
        )
    MediatorProfile.objects.filter(pk=mediator.pk).update(
        status=MediatorProfile.Status.LEFT, left_at=now
    )
    for request_pk in MediationRequest.objects.filter(
        status=MediationRequest.Status.REQUESTED, assignments__mediator=mediator
    ).values_list("pk", flat=True):
        _offer_next_or_unfilled(request_pk, now=now)


def mediators_anonymise(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Mediators who left long enough ago lose every personal detail; their assignments stay
    (as "former mediator #n") so statistics and past statements still add up."""
    now = _now(now)
    due = MediatorProfile.objects.filter(
        status=MediatorProfile.Status.LEFT,
        anonymised_at__isnull=True,
        left_at__lte=now - timedelta(days=settings.MEDIATION_ANONYMISE_AFTER_DAYS),
    ).select_related("user")
    if dry_run:
        return due.count()
    count = 0
    for profile in due:
        with transaction.atomic():
            user = profile.user
            user.username = f"former-mediator-{profile.pk}"
            user.first_name = ""
            user.last_name = ""
            user.email = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
            user.groups.clear()
            profile.phone = ""
            profile.staff_notes = ""
            profile.gender = ""
            profile.anonymised_at = now
            profile.save()
            profile.windows.all().delete()
            profile.absences.all().delete()
            profile.districts.clear()
        count += 1
    return count


def mediator_record_read(*, actor, mediator: MediatorProfile, view: str) -> None:
    """Staff read a mediator's record: logged (ids and view name only)."""
    if roles.has_role(actor, roles.STAFF):
        MediatorRecordAccess.objects.create(actor=actor, mediator=mediator, view=view[:60])
