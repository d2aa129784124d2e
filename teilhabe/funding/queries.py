"""Reads of the funding module: who may see what, the committee's overview, allocation input."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from teilhabe.core import roles
from teilhabe.core.models import Membership, Organisation
from teilhabe.funding import allocation
from teilhabe.funding.models import (
    Allocation,
    Application,
    ConflictOfInterest,
    Decision,
    Measure,
    MeasureType,
    Period,
    Review,
)


def organisations_for(user) -> QuerySet[Organisation]:
    """The organisations the user may apply for: those they are a member of (staff apply for
    nobody; they check and decide)."""
    if not user.is_authenticated or not roles.has_role(user, roles.ORGANISATION_MEMBER):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, is_active=True)


def acts_for(user, organisation_id: int) -> bool:
    return (
        user.is_authenticated
        and roles.has_role(user, roles.ORGANISATION_MEMBER)
        and Membership.objects.filter(user=user, organisation_id=organisation_id).exists()
    )


def applications_of_member(user) -> QuerySet[Application]:
    return Application.objects.filter(organisation__in=organisations_for(user))


def is_staff(user) -> bool:
    return roles.has_role(user, roles.STAFF)


def is_committee(user) -> bool:
    return roles.has_role(user, roles.COMMITTEE_MEMBER)


def can_read_application(user, application: Application) -> bool:
    """The applying organisation, staff, and committee members (who need the documents to score;
    drafts stay with the organisation)."""
    if acts_for(user, application.organisation_id) or is_staff(user):
        return True
    return is_committee(user) and application.status != Application.Status.DRAFT


def can_read_letter(user, application: Application) -> bool:
    return acts_for(user, application.organisation_id) or is_staff(user)


def open_periods(now: datetime | None = None) -> QuerySet[Period]:
    now = now or timezone.now()
    return Period.objects.filter(
        applications_open__lte=now, applications_close__gt=now, programme__is_active=True
    ).select_related("programme")


def upcoming_and_open_periods(now: datetime | None = None) -> QuerySet[Period]:
    now = now or timezone.now()
    return (
        Period.objects.filter(applications_close__gt=now, programme__is_active=True)
        .select_related("programme")
        .prefetch_related("programme__measure_types")
        .order_by("applications_close")
    )


def eligible_measure_types(application: Application) -> list[MeasureType]:
    kind = application.organisation.kind
    return [
        measure_type
        for measure_type in application.period.programme.measure_types.filter(is_active=True)
        if measure_type.is_eligible(kind)
    ]


def with_details(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related(
        "period__programme", "organisation", "decision"
    ).prefetch_related(
        "action_fields",
        Prefetch(
            "measures",
            queryset=Measure.objects.select_related("measure_type").prefetch_related(
                "districts", "target_groups"
            ),
        ),
        "attachments",
    )


# --- Conflicts of interest ----------------------------------------------------------------


def conflict_reason(user, application: Application) -> str | None:
    """Why the user may not score the application, or None. Acting for the applying organisation
    is a conflict whether declared or not."""
    if Membership.objects.filter(user=user, organisation_id=application.organisation_id).exists():
        return "member"
    if ConflictOfInterest.objects.filter(application=application, member=user).exists():
        return "declared"
    return None


def conflicted_application_ids(user, period: Period) -> set[int]:
    own = Application.objects.filter(period=period, organisation__memberships__user=user)
    declared = ConflictOfInterest.objects.filter(application__period=period, member=user)
    return set(own.values_list("pk", flat=True)) | set(
        declared.values_list("application_id", flat=True)
    )


# --- The committee's view of a period ------------------------------------------------------


SCORABLE = (Application.Status.CHECKED, *Application.DECIDED)


@dataclass
class ApplicationRow:
    application: Application
    score: Decimal | None
    reviews: int
    recommendations: Counter
    my_review: Review | None = None
    conflicted: bool = False


@dataclass
class PeriodOverview:
    period: Period
    rows: list[ApplicationRow]
    requested_cents: int
    recommendations: Counter = field(default_factory=Counter)
    decided_cents: int = 0

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def left_after_decisions_cents(self) -> int:
        return self.period.budget_cents - self.decided_cents


def mean_score(reviews: list[Review]) -> Decimal | None:
    if not reviews:
        return None
    return (sum((review.score for review in reviews), Decimal(0)) / len(reviews)).quantize(
        Decimal("0.01")
    )


def period_overview(period: Period, user=None) -> PeriodOverview:
    """Every application that reached the committee, with requested amount, mean score and
    recommendations; totals for the period."""
    applications = list(
        Application.objects.filter(period=period, status__in=SCORABLE)
        .select_related("organisation", "decision")
        .prefetch_related("reviews")
        .order_by("pk")
    )
    conflicted = conflicted_application_ids(user, period) if user is not None else set()
    rows = []
    totals: Counter = Counter()
    for application in applications:
        reviews = list(application.reviews.all())
        recommendations = Counter(review.recommendation for review in reviews)
        totals.update(recommendations)
        mine = next((r for r in reviews if user is not None and r.reviewer_id == user.pk), None)
        rows.append(
            ApplicationRow(
                application=application,
                score=mean_score(reviews),
                reviews=len(reviews),
                recommendations=recommendations,
                my_review=mine,
                conflicted=application.pk in conflicted,
            )
        )
    rows.sort(
        key=lambda row: (-(row.score or 0), row.application.requested_cents, row.application.pk)
    )
    decided = (
        Decision.objects.filter(application__period=period).aggregate(total=Sum("granted_cents"))[
            "total"
        ]
        or 0
    )
    return PeriodOverview(
        period=period,
        rows=rows,
        requested_cents=sum(row.application.requested_cents for row in rows),
        recommendations=totals,
        decided_cents=decided,
    )


# --- Allocation input ----------------------------------------------------------------------


def allocation_candidates(period: Period) -> QuerySet[Application]:
    """Formally checked applications without a decision: what the committee splits the money
    between."""
    return (
        Application.objects.filter(period=period, status=Application.Status.CHECKED)
        .select_related("organisation")
        .prefetch_related("measures__measure_type", "reviews")
        .order_by("pk")
    )


def allocation_input(applications: list[Application]) -> list[allocation.Application]:
    """ORM rows → the allocation module's plain data. The score is the committee's mean
    (0..100; an unscored application counts 0)."""
    result = []
    for application in applications:
        lines = []
        for measure in application.measures.all():
            if measure.measure_type.is_flat_rate:
                lines.append(
                    allocation.Line(
                        id=measure.pk,
                        kind=allocation.FLAT_RATE,
                        unit_cents=measure.unit_cents,
                        units=measure.units,
                    )
                )
            else:
                lines.append(
                    allocation.Line(
                        id=measure.pk,
                        kind=allocation.COST,
                        amount_cents=measure.requested_cents,
                    )
                )
        score = mean_score(list(application.reviews.all()))
        result.append(
            allocation.Application(
                id=application.pk,
                score=float(score or 0),
                small_organisation=application.small_organisation,
                lines=tuple(lines),
            )
        )
    return result


def budget_left_cents(period: Period) -> int:
    """The period's budget minus every decision already made (re-summed from the decisions)."""
    decided = (
        Decision.objects.filter(application__period=period).aggregate(total=Sum("granted_cents"))[
            "total"
        ]
        or 0
    )
    return period.budget_cents - decided


def draft_allocation(period: Period) -> Allocation | None:
    return (
        Allocation.objects.filter(period=period, status=Allocation.Status.DRAFT)
        .order_by("-created_at")
        .first()
    )


def final_allocation(period: Period) -> Allocation | None:
    return Allocation.objects.filter(period=period, status=Allocation.Status.FINAL).first()


def staff_applications(
    *, period_id: int | None = None, status: str | None = None
) -> QuerySet[Application]:
    applications = Application.objects.exclude(status=Application.Status.DRAFT)
    if period_id:
        applications = applications.filter(period_id=period_id)
    if status:
        applications = applications.filter(status=status)
    return applications.select_related("organisation", "period__programme").order_by(
        "-submitted_at", "-pk"
    )


def staff_counts() -> dict[str, int]:
    waiting = Q(status=Application.Status.SUBMITTED)
    return {
        "to_check": Application.objects.filter(waiting).count(),
        "checked": Application.objects.filter(status=Application.Status.CHECKED).count(),
    }
