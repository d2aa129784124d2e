"""The mediation module's JSON router (mounted at /api/v1/mediation/ by teilhabe/api.py).

For people with a log-in, authenticated by their session (as the pages): requesters create and
list their institution's requests; mediators list their open offers and accept or decline them;
staff (with their second factor passed) list requests, see the ranked candidates, send an offer
and make and send a batch proposal. Writes need the CSRF token (header X-CSRFToken), as forms do.

The endpoints are thin: they call the same services and queries as the HTML views, so the
visibility rules are the same (another institution's request or another mediator's offer is
404). Errors are JSON {"detail": "…"}: 400 bad input, 403 not logged in / not allowed, 404 not
found (or not yours), 409 the state does not allow it (answered already, double booking), 422
a value of the wrong type. Messages are in the site's default language (German): /api/ has no
language prefix. The public answer cache of teilhabe/api.py is not applied here.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from math import ceil
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import SessionAuth

from teilhabe.core import roles
from teilhabe.core.models import District, Language
from teilhabe.core.permissions import is_verified
from teilhabe.mediation import queries, reasons, services
from teilhabe.mediation.models import (
    Assignment,
    BatchProposal,
    InstitutionPlace,
    MediationRequest,
    MediatorProfile,
)


class Session(SessionAuth):
    """ninja's session authentication (with its CSRF check on writes), except that a refusal is
    403 with a reason: a cookie session has no WWW-Authenticate challenge, which a 401 answer
    must carry (RFC 9110), so, like Django REST framework's SessionAuthentication, we answer 403.
    Roles that need a second factor (staff) must have passed it in this session."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        if not user.is_authenticated:
            raise HttpError(403, _("Log in first: this API uses the session of the web pages."))
        if roles.needs_second_factor(user) and not is_verified(user):
            raise HttpError(403, _("Pass the second factor (log in on the web pages) first."))
        return user


router = Router(tags=["mediation"], auth=Session())

SettingCode = Literal["in_person", "phone", "video"]
AreaCode = Literal["health", "education", "social", "authorities", "other"]
GenderCode = Literal["", "female", "male", "diverse"]
StatusCode = Literal["requested", "offered", "confirmed", "done", "cancelled", "unfilled"]
MAX_ID = 2**63 - 1


def _require(request: HttpRequest, role: roles.Role) -> None:
    if not roles.has_role(request.user, role):
        raise HttpError(403, _("Only for the role %(role)s.") % {"role": role.name})


@contextmanager
def _service_errors(status: int = 409) -> Iterator[None]:
    """A service's refusal as JSON: its message with `status` (a double booking is always
    409); a permission refusal 403."""
    try:
        yield
    except services.DoubleBookingError as error:
        raise HttpError(409, str(error)) from error
    except services.MediationError as error:
        raise HttpError(status, str(error)) from error
    except PermissionDenied as error:
        raise HttpError(403, _("Not allowed.")) from error


# --- Schemas ---------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class PlaceOut(Schema):
    id: int
    name: str
    street: str
    postcode: str
    city: str
    district: str | None


class MediatorContactOut(Schema):
    first_name: str
    contact: str


class RequestIn(Schema):
    language: str = Field(max_length=10, description="ISO 639 code, e.g. ti, ar, fa")
    dialect: str = Field("", max_length=60, description="variety, e.g. Levantine; empty = any")
    starts_at: datetime = Field(description="start; without an offset: local time (Berlin)")
    duration_minutes: int = Field(ge=15, le=480)
    setting: SettingCode
    place_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="a place of your institution (for in person)"
    )
    area: AreaCode
    topic: str = Field(
        min_length=1, max_length=120, description="a short topic, no personal data of the client"
    )
    gender_preference: GenderCode = ""
    notes: str = Field("", max_length=1000, description="no personal data of the client")
    terms_accepted: bool = Field(
        description="voluntary service, no legal claim, not sworn interpreters, lead time"
    )


class RequestOut(Schema):
    id: int
    status: str
    institution: str
    language: str
    language_name: str
    dialect: str
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    setting: str
    place: PlaceOut | None
    area: str
    topic: str
    gender_preference: str
    notes: str
    mediator: MediatorContactOut | None = Field(
        description="first name and one contact of the confirmed mediator, shortly after the end"
    )
    created_at: datetime


class RequestPage(Schema):
    count: int
    page: int
    per_page: int
    total_pages: int
    items: list[RequestOut]


class AppointmentOut(Schema):
    id: int
    institution: str
    language: str
    language_name: str
    dialect: str
    starts_at: datetime
    ends_at: datetime
    setting: str
    place: PlaceOut | None
    area: str
    topic: str
    notes: str


class AssignmentOfferOut(Schema):
    id: int = Field(description="the offer (assignment) id, for accept and decline")
    status: str
    offered_at: datetime
    answer_deadline: datetime
    request: AppointmentOut


class HolderOut(Schema):
    assignment_id: int
    mediator_id: int
    mediator_name: str
    status: str


class StaffRequestOut(RequestOut):
    institution_id: int
    lead_time_override: bool
    holder: HolderOut | None


class StaffRequestPage(Schema):
    count: int
    page: int
    per_page: int
    total_pages: int
    items: list[StaffRequestOut]


class ReasonOut(Schema):
    code: str
    ok: bool
    hard: bool
    text: str = Field(description="in words, in the default interface language")


class CandidateOut(Schema):
    mediator_id: int
    name: str
    eligible: bool
    score: float
    travel_km: float
    asked_before: bool
    reasons: list[ReasonOut]


class OfferSendIn(Schema):
    mediator_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="staff's choice; empty = the best candidate not asked"
    )


class AssignmentOut(Schema):
    id: int
    request_id: int
    mediator_id: int
    status: str
    answer_deadline: datetime


class BatchIn(Schema):
    first_day: date
    last_day: date


class BatchItemOut(Schema):
    request_id: int
    mediator_id: int
    travel_km: float


class BatchOut(Schema):
    id: int
    period_start: date
    period_end: date
    status: str
    solver_status: str = Field(description="optimal | feasible (time limit) | greedy")
    open_requests: int
    filled: int
    travel_km: float
    max_load: int
    solve_seconds: float
    items: list[BatchItemOut]


class BatchSentOut(Schema):
    sent: int
    skipped: int = Field(description="requests or mediators that changed since the proposal")


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(50, ge=1, le=200)


class RequestFilter(Schema):
    status: StatusCode | None = None


class StaffRequestFilter(Schema):
    status: StatusCode | None = None
    language: str | None = Field(None, max_length=10, description="ISO 639 code")
    institution: int | None = Field(None, ge=1, le=MAX_ID)
    first_day: date | None = None
    last_day: date | None = None


# --- Building answers ------------------------------------------------------------------------


def _with_places(queryset):
    """The place and its district's name in the same query: a district row holds its whole
    boundary (GeoJSON), which an answer never needs."""
    prefix = "request__" if queryset.model is Assignment else ""
    return queryset.select_related(f"{prefix}place__district").defer(
        f"{prefix}place__district__geometry"
    )


def _district_name(place: InstitutionPlace) -> str | None:
    if place.district_id is None:
        return None
    if InstitutionPlace.district.is_cached(place):
        return place.district.name
    return District.objects.filter(pk=place.district_id).values_list("name", flat=True).first()


def _place(place: InstitutionPlace | None) -> dict | None:
    if place is None:
        return None
    return {
        "id": place.pk,
        "name": place.name,
        "street": place.street,
        "postcode": place.postcode,
        "city": place.city,
        "district": _district_name(place),
    }


def _appointment(request_obj: MediationRequest) -> dict:
    return {
        "id": request_obj.pk,
        "institution": request_obj.institution.name,
        "language": request_obj.language.code,
        "language_name": request_obj.language.label,
        "dialect": request_obj.dialect,
        "starts_at": request_obj.starts_at,
        "ends_at": request_obj.ends_at,
        "setting": request_obj.setting,
        "place": _place(request_obj.place),
        "area": request_obj.area,
        "topic": request_obj.topic,
        "notes": request_obj.notes,
    }


def _request_out(request_obj: MediationRequest, now: datetime) -> dict:
    mediator = queries.mediator_for_requester(request_obj, now)
    return {
        **_appointment(request_obj),
        "status": request_obj.status,
        "duration_minutes": request_obj.duration_minutes,
        "gender_preference": request_obj.gender_preference,
        "mediator": (
            {"first_name": mediator.first_name, "contact": mediator.contact} if mediator else None
        ),
        "created_at": request_obj.created_at,
    }


def _staff_request_out(request_obj: MediationRequest, now: datetime) -> dict:
    holder = queries.holder(request_obj)
    return {
        **_request_out(request_obj, now),
        "institution_id": request_obj.institution_id,
        "lead_time_override": request_obj.lead_time_override,
        "holder": (
            {
                "assignment_id": holder.pk,
                "mediator_id": holder.mediator_id,
                "mediator_name": str(holder.mediator),
                "status": holder.status,
            }
            if holder
            else None
        ),
    }


def _offer_out(assignment: Assignment) -> dict:
    return {
        "id": assignment.pk,
        "status": assignment.status,
        "offered_at": assignment.offered_at,
        "answer_deadline": assignment.answer_deadline,
        "request": _appointment(assignment.request),
    }


def _page(queryset, pagination: PageQuery, build) -> dict:
    count = queryset.count()
    start = (pagination.page - 1) * pagination.per_page
    return {
        "count": count,
        "page": pagination.page,
        "per_page": pagination.per_page,
        "total_pages": ceil(count / pagination.per_page),
        "items": [build(item) for item in queryset[start : start + pagination.per_page]],
    }


def _batch_out(proposal: BatchProposal) -> dict:
    return {
        "id": proposal.pk,
        "period_start": proposal.period_start,
        "period_end": proposal.period_end,
        "status": proposal.status,
        "solver_status": proposal.solver_status,
        "open_requests": proposal.open_requests,
        "filled": proposal.filled,
        "travel_km": float(proposal.travel_km),
        "max_load": proposal.max_load,
        "solve_seconds": float(proposal.solve_seconds),
        "items": [
            {
                "request_id": item.request_id,
                "mediator_id": item.mediator_id,
                "travel_km": float(item.travel_km),
            }
            for item in proposal.items.order_by("request_id")
        ],
    }


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# --- Requesters ------------------------------------------------------------------------------

REQUESTER_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get(
    "/requests",
    response={200: RequestPage, 403: ErrorOut},
    summary="My institution's requests (requester)",
    url_name="mediation_requests",
)
def requests_list(
    request: HttpRequest, filters: Query[RequestFilter], pagination: Query[PageQuery]
):
    _require(request, roles.REQUESTER)
    queryset = _with_places(queries.requests_for_requester(request.user)).order_by(
        "-starts_at", "-id"
    )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    now = timezone.now()
    return _page(queryset, pagination, lambda item: _request_out(item, now))


@router.post(
    "/requests",
    response={201: RequestOut, **REQUESTER_ERRORS},
    summary="Request a mediator for my institution (requester)",
    url_name="mediation_requests",  # the same path as the list: one URL name
)
def requests_create(request: HttpRequest, payload: RequestIn):
    _require(request, roles.REQUESTER)
    institution = queries.institution_of(request.user)
    if institution is None:
        raise HttpError(403, _("Your account acts for no institution yet."))
    language = Language.objects.filter(code=payload.language).first()
    if language is None:
        raise HttpError(400, _("Unknown language code: %(code)s") % {"code": payload.language})
    place = None
    if payload.place_id is not None:
        place = InstitutionPlace.objects.filter(
            pk=payload.place_id, institution=institution
        ).first()
        if place is None:
            raise HttpError(400, _("Unknown place: choose one of your institution's places."))
    data = services.RequestInput(
        language=language,
        starts_at=_aware(payload.starts_at),
        duration_minutes=payload.duration_minutes,
        setting=payload.setting,
        area=payload.area,
        topic=payload.topic,
        dialect=payload.dialect,
        place=place,
        gender_preference=payload.gender_preference,
        notes=payload.notes,
        terms_accepted=payload.terms_accepted,
    )
    with _service_errors(400):
        created = services.request_create(user=request.user, data=data)
    return Status(201, _request_out(queries.request_for(request.user, created.pk), timezone.now()))


@router.get(
    "/requests/{request_id}",
    response={200: RequestOut, 403: ErrorOut, 404: ErrorOut},
    summary="One request of my institution (requester)",
    url_name="mediation_request",
)
def requests_detail(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)):
    _require(request, roles.REQUESTER)
    request_obj = queries.requests_for_requester(request.user).filter(pk=request_id).first()
    if request_obj is None:
        raise HttpError(404, _("No such request of your institution."))
    return _request_out(request_obj, timezone.now())


# --- Mediators -------------------------------------------------------------------------------


@router.get(
    "/offers",
    response={200: list[AssignmentOfferOut], 403: ErrorOut},
    summary="My open offers (mediator)",
    url_name="mediation_offers",
)
def offers_list(request: HttpRequest):
    _require(request, roles.MEDIATOR)
    offers = _with_places(queries.open_offers(request.user))
    return [_offer_out(offer) for offer in offers.order_by("request__starts_at", "id")]


def _own_offer(request: HttpRequest, offer_id: int) -> Assignment:
    _require(request, roles.MEDIATOR)
    offer = queries.assignments_for_mediator(request.user).filter(pk=offer_id).first()
    if offer is None:
        raise HttpError(404, _("No such offer of yours."))
    return offer


@router.post(
    "/offers/{offer_id}/accept",
    response={200: AssignmentOfferOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Accept an offer: the appointment is confirmed (mediator)",
    url_name="mediation_offer_accept",
)
def offers_accept(request: HttpRequest, offer_id: int = Path(..., ge=1, le=MAX_ID)):
    offer = _own_offer(request, offer_id)
    with _service_errors(409):
        accepted = services.offer_accept(assignment=offer, user=request.user)
    return _offer_out(accepted)


@router.post(
    "/offers/{offer_id}/decline",
    response={200: AssignmentOfferOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Decline an offer; it goes to the next candidate (mediator)",
    url_name="mediation_offer_decline",
)
def offers_decline(request: HttpRequest, offer_id: int = Path(..., ge=1, le=MAX_ID)):
    offer = _own_offer(request, offer_id)
    with _service_errors(409):
        services.offer_decline(assignment=offer, user=request.user)
    return _offer_out(queries.assignment_for_mediator(request.user, offer.pk))


# --- Staff -----------------------------------------------------------------------------------


@router.get(
    "/staff/requests",
    response={200: StaffRequestPage, 403: ErrorOut},
    summary="All requests, filtered (staff)",
    url_name="mediation_staff_requests",
)
def staff_requests_list(
    request: HttpRequest, filters: Query[StaffRequestFilter], pagination: Query[PageQuery]
):
    _require(request, roles.STAFF)
    language_id = None
    if filters.language:
        language_id = Language.objects.filter(code=filters.language).values_list("pk", flat=True)
        language_id = language_id.first() or -1  # unknown code: nothing matches
    queryset = queries.staff_requests(
        status=filters.status or "",
        language_id=language_id,
        institution_id=filters.institution,
        first_day=filters.first_day,
        last_day=filters.last_day,
    )
    queryset = _with_places(queryset).order_by("starts_at", "id")
    now = timezone.now()
    return _page(queryset, pagination, lambda item: _staff_request_out(item, now))


def _staff_request(request: HttpRequest, request_id: int) -> MediationRequest:
    _require(request, roles.STAFF)
    return get_object_or_404(
        _with_places(MediationRequest.objects.select_related("language", "institution")),
        pk=request_id,
    )


@router.get(
    "/staff/requests/{request_id}/candidates",
    response={200: list[CandidateOut], 403: ErrorOut, 404: ErrorOut},
    summary="Mediators for a request, best first, with the reasons (staff)",
    url_name="mediation_candidates",
)
def staff_candidates(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)):
    request_obj = _staff_request(request, request_id)
    ranked = services.candidates(request_obj)
    profiles = MediatorProfile.objects.select_related("user").in_bulk(
        [c.mediator_id for c in ranked]
    )
    asked = set(request_obj.assignments.values_list("mediator_id", flat=True))
    return [
        {
            "mediator_id": candidate.mediator_id,
            "name": str(profiles[candidate.mediator_id]),
            "eligible": candidate.eligible,
            "score": candidate.score,
            "travel_km": candidate.travel_km,
            "asked_before": candidate.mediator_id in asked,
            "reasons": [
                {"code": reason.code, "ok": reason.ok, "hard": reason.hard, "text": text.text}
                for reason, text in zip(
                    candidate.reasons,
                    reasons.shown(candidate, request_obj.setting),
                    strict=True,
                )
            ],
        }
        for candidate in ranked
        if candidate.mediator_id in profiles
    ]


@router.post(
    "/staff/requests/{request_id}/offer",
    response={200: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Offer the request to a mediator, or to the best candidate not asked yet (staff)",
    url_name="mediation_offer_send",
)
def staff_offer_send(
    request: HttpRequest,
    payload: OfferSendIn,
    request_id: int = Path(..., ge=1, le=MAX_ID),
):
    request_obj = _staff_request(request, request_id)
    mediator = None
    if payload.mediator_id is not None:
        mediator = get_object_or_404(MediatorProfile, pk=payload.mediator_id)
    with _service_errors(409):
        assignment = services.offer_send(request=request_obj, mediator=mediator, actor=request.user)
    if assignment is None:
        raise HttpError(409, _("No eligible candidate is left for this request."))
    return {
        "id": assignment.pk,
        "request_id": assignment.request_id,
        "mediator_id": assignment.mediator_id,
        "status": assignment.status,
        "answer_deadline": assignment.answer_deadline,
    }


@router.get(
    "/staff/batches",
    response={200: list[BatchOut], 403: ErrorOut},
    summary="The latest batch proposals (staff)",
    url_name="mediation_batches",
)
def staff_batches(request: HttpRequest):
    _require(request, roles.STAFF)
    return [_batch_out(proposal) for proposal in BatchProposal.objects.all()[:10]]


@router.post(
    "/staff/batches",
    response={201: BatchOut, 400: ErrorOut, 403: ErrorOut},
    summary="Propose offers for all open requests of a period, solved exactly (staff)",
    url_name="mediation_batches",  # the same path as the list: one URL name
)
def staff_batch_propose(request: HttpRequest, payload: BatchIn):
    _require(request, roles.STAFF)
    with _service_errors(400):
        proposal = services.batch_propose(
            user=request.user, first_day=payload.first_day, last_day=payload.last_day
        )
    return Status(201, _batch_out(proposal))


@router.get(
    "/staff/batches/{batch_id}",
    response={200: BatchOut, 403: ErrorOut, 404: ErrorOut},
    summary="One batch proposal (staff)",
    url_name="mediation_batch",
)
def staff_batch(request: HttpRequest, batch_id: int = Path(..., ge=1, le=MAX_ID)):
    _require(request, roles.STAFF)
    return _batch_out(get_object_or_404(BatchProposal, pk=batch_id))


@router.post(
    "/staff/batches/{batch_id}/send",
    response={200: BatchSentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Send all offers of a proposal in one action (staff)",
    url_name="mediation_batch_send",
)
def staff_batch_send(request: HttpRequest, batch_id: int = Path(..., ge=1, le=MAX_ID)):
    _require(request, roles.STAFF)
    proposal = get_object_or_404(BatchProposal, pk=batch_id)
    with _service_errors(409):
        sent, skipped = services.batch_send(proposal=proposal, user=request.user)
    return {"sent": sent, "skipped": skipped}
