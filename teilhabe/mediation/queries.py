"""Reusable reads of the pool, with the visibility rules in one place:
requesters see their institution's requests, mediators their own assignments, staff everything.
Anything outside a user's reach is "not found" (404), so its existence is not revealed."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from teilhabe.core import roles
from teilhabe.mediation.models import (
    Assignment,
    Institution,
    MediationRequest,
    MediatorProfile,
)

HOLDING = [str(s) for s in Assignment.HOLDING_STATUSES]
BOOKED = [str(s) for s in Assignment.BOOKED_STATUSES]


def is_staff(user) -> bool:
    return roles.has_role(user, roles.STAFF)


def institution_of(user) -> Institution | None:
    profile = getattr(user, "requester_profile", None) if user.is_authenticated else None
    return profile.institution if profile is not None else None


def mediator_of(user) -> MediatorProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.mediator_profile
    except MediatorProfile.DoesNotExist:
        return None


def _with_holder(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("language", "institution", "place").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(status__in=HOLDING).select_related("mediator__user"),
            to_attr="holders",
        )
    )


def requests_for_requester(user) -> QuerySet[MediationRequest]:
    """The requests of the user's institution (none without a requester profile)."""
    institution = institution_of(user)
    if institution is None:
        return MediationRequest.objects.none()
    return _with_holder(MediationRequest.objects.filter(institution=institution))


def request_for(user, pk: int) -> MediationRequest:
    """A request the user may see as requester or staff, else 404."""
    queryset = (
        _with_holder(MediationRequest.objects.all())
        if is_staff(user)
        else requests_for_requester(user)
    )
    try:
        return queryset.get(pk=pk)
    except MediationRequest.DoesNotExist:
        raise Http404 from None


def holder(request: MediationRequest) -> Assignment | None:
    """The assignment that holds the request now (an open offer or the booking)."""
    holders = getattr(request, "holders", None)
    if holders is None:
        holders = list(
            request.assignments.filter(status__in=HOLDING).select_related("mediator__user")
        )
    return holders[0] if holders else None


@dataclass(frozen=True)
class VisibleMediator:
    first_name: str
    contact: str


def mediator_for_requester(
    request: MediationRequest, now: datetime | None = None
) -> VisibleMediator | None:
    """What a requester may know of the mediator: first name and one contact channel, only for
    a confirmed (or done) appointment and only until a set time after its end."""
    now = now or timezone.now()
    assignment = holder(request)
    if assignment is None or assignment.status not in BOOKED:
        return None
    if now > request.ends_at + timedelta(hours=settings.MEDIATION_CONTACT_VISIBLE_HOURS):
        return None
    mediator = assignment.mediator
    return VisibleMediator(first_name=mediator.first_name, contact=mediator.contact())


def assignments_for_mediator(user) -> QuerySet[Assignment]:
    mediator = mediator_of(user)
    if mediator is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(mediator=mediator).select_related(
        "request__language", "request__institution", "request__place"
    )


def assignment_for_mediator(user, pk: int) -> Assignment:
    try:
        return assignments_for_mediator(user).get(pk=pk)
    except Assignment.DoesNotExist:
        raise Http404 from None


def open_offers(user) -> QuerySet[Assignment]:
    return assignments_for_mediator(user).filter(status=Assignment.Status.OFFERED)


def staff_requests(
    *,
    status: str = "",
    language_id: int | None = None,
    institution_id: int | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> QuerySet[MediationRequest]:
    queryset = _with_holder(MediationRequest.objects.all())
    if status:
        queryset = queryset.filter(status=status)
    if language_id:
        queryset = queryset.filter(language_id=language_id)
    if institution_id:
        queryset = queryset.filter(institution_id=institution_id)
    if first_day:
        queryset = queryset.filter(starts_at__date__gte=first_day)
    if last_day:
        queryset = queryset.filter(starts_at__date__lte=last_day)
    return queryset


def staff_mediators(*, status: str = "", language_id: int | None = None, q: str = ""):
    queryset = MediatorProfile.objects.select_related("user").prefetch_related(
        "languages__language"
    )
    if status:
        queryset = queryset.filter(status=status)
    if language_id:
        queryset = queryset.filter(languages__language_id=language_id).distinct()
    if q:
        queryset = queryset.filter(
            Q(user__first_name__icontains=q) | Q(user__last_name__icontains=q)
        )
    return queryset


def fill_deadline(request: MediationRequest) -> datetime:
    """When an open request becomes unfilled: a set time before the start. A request made at
    shorter notice (staff override), or given back by its mediator, keeps trying until an hour
    before: the requester is counting on it."""
    normal = request.starts_at - timedelta(hours=settings.MEDIATION_UNFILLED_DEADLINE_HOURS)
    late_start = request.created_at is None or request.created_at >= normal
    if late_start or request.cancellations.filter(by="mediator").exists():
        return request.starts_at - timedelta(hours=1)
    return normal
