"""Paying out grants: the payment schedule (in full or in instalments), payment records, money
withheld against a repayment claim, and the CSV export for the city's finance system.

Every change locks the grant's PaymentPlan row and updates its running sums in the same
transaction; the plan's check constraints (paid ≤ scheduled ≤ granted − withheld) are the last
line of defence, so no timing of clicks pays out more than was granted.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.funding import csv_de, queries
from teilhabe.funding.models import (
    BankDataRead,
    Decision,
    FundingProfile,
    Instalment,
    Payment,
    PaymentPlan,
    Period,
)
from teilhabe.funding.money import format_euro
from teilhabe.funding.repayment import split_evenly
from teilhabe.funding.services import FundingError


class PaymentError(FundingError):
    pass


def _require_staff(user) -> None:
    if not queries.is_staff(user):
        raise PermissionDenied


# --- Reads ---------------------------------------------------------------------------------


def grants(*, period_id: int | None = None) -> QuerySet[Decision]:
    """Approved grants (granted > 0) with their plan's sums, newest period first."""
    decisions = Decision.objects.filter(granted_cents__gt=0)
    if period_id:
        decisions = decisions.filter(application__period_id=period_id)
    return decisions.select_related(
        "application__organisation", "application__period__programme", "payment_plan"
    ).order_by("-application__period__applications_open", "application__organisation__name", "pk")


def plan_of(decision: Decision) -> PaymentPlan:
    """The grant's plan, or an unsaved empty one (nothing scheduled yet)."""
    try:
        return decision.payment_plan
    except PaymentPlan.DoesNotExist:
        return PaymentPlan(decision=decision, granted_cents=decision.granted_cents)


def instalments_of(plan: PaymentPlan) -> list[Instalment]:
    if plan.pk is None:
        return []
    return list(plan.instalments.prefetch_related("payments").order_by("number"))


def totals(period: Period) -> dict[str, int]:
    """Granted, scheduled, paid and withheld in a period (in the database)."""
    sums = PaymentPlan.objects.filter(decision__application__period=period).aggregate(
        scheduled=Sum("scheduled_cents"),
        paid=Sum("paid_cents"),
        withheld=Sum("withheld_cents"),
    )
    granted = Decision.objects.filter(application__period=period).aggregate(
        granted=Sum("granted_cents")
    )["granted"]
    return {"granted": granted or 0, **{key: value or 0 for key, value in sums.items()}}


# --- The schedule --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class InstalmentData:
    due_on: date
    amount_cents: int


def _locked_plan(decision: Decision) -> PaymentPlan:
    """The grant's plan, created on first use, locked for the rest of the transaction."""
    if decision.granted_cents <= 0:
        raise PaymentError(_("Only a grant with an approved amount is paid out."))
    PaymentPlan.objects.get_or_create(
        decision=decision, defaults={"granted_cents": decision.granted_cents}
    )
    return PaymentPlan.objects.select_for_update().get(decision=decision)


def _save_checked(*rows) -> None:
    """Save rows whose check constraints guard the money; a breach becomes a PaymentError."""
    try:
        with transaction.atomic():
            for row in rows:
                row.save()
    except IntegrityError as error:
        raise PaymentError(_("Not saved: it would pay out more than was granted.")) from error


def _kept(plan: PaymentPlan) -> list[Instalment]:
    # Instalments with a payment, or already sent to the finance system, are not replaced: the
    # cash office may be paying them right now.
    return list(
        plan.instalments.select_for_update()
        .filter(Q(paid_cents__gt=0) | Q(ordered_at__isnull=False))
        .order_by("number")
    )


def schedulable_cents(plan: PaymentPlan) -> int:
    """What a new schedule may distribute: the grant minus withheld money minus the instalments
    that stay (paid or sent to the finance system)."""
    if plan.pk is None:
        return plan.granted_cents
    kept = plan.instalments.filter(Q(paid_cents__gt=0) | Q(ordered_at__isnull=False)).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return plan.granted_cents - plan.withheld_cents - (kept or 0)


@transaction.atomic
def schedule_set(*, user, decision: Decision, instalments: list[InstalmentData]) -> PaymentPlan:
    """Replace the open part of a grant's schedule by the given instalments. Instalments already
    paid or sent to the finance system stay; the whole never exceeds the grant."""
    _require_staff(user)
    plan = _locked_plan(decision)
    if not instalments:
        raise PaymentError(_("Give at least one instalment with a date and an amount."))
    for item in instalments:
        if item.amount_cents <= 0:
            raise PaymentError(_("Every instalment needs an amount above zero."))
    kept = _kept(plan)
    available = plan.granted_cents - plan.withheld_cents - sum(i.amount_cents for i in kept)
    wanted = sum(item.amount_cents for item in instalments)
    if wanted > available:
        raise PaymentError(
            _("The instalments come to %(wanted)s, but only %(available)s are left to schedule.")
            % {"wanted": format_euro(wanted), "available": format_euro(available)}
        )
    plan.instalments.exclude(pk__in=[i.pk for i in kept]).delete()
    number = max((i.number for i in kept), default=0)
    new = []
    for item in sorted(instalments, key=lambda i: i.due_on):
        number += 1
        new.append(
            Instalment(plan=plan, number=number, due_on=item.due_on, amount_cents=item.amount_cents)
        )
    Instalment.objects.bulk_create(new)
    plan.scheduled_cents = sum(i.amount_cents for i in kept) + wanted
    _save_checked(plan)
    return plan


def schedule_in_full(*, user, decision: Decision, due_on: date) -> PaymentPlan:
    """Pay everything still open in one instalment."""
    plan = plan_of(decision)
    return schedule_set(
        user=user,
        decision=decision,
        instalments=[InstalmentData(due_on=due_on, amount_cents=schedulable_cents(plan))],
    )


def schedule_evenly(*, user, decision: Decision, dates: list[date]) -> PaymentPlan:
    """Everything still open in len(dates) instalments as even as cents allow."""
    if not dates:
        raise PaymentError(_("Give at least one due date."))
    plan = plan_of(decision)
    amounts = split_evenly(schedulable_cents(plan), len(dates))
    return schedule_set(
        user=user,
        decision=decision,
        instalments=[
            InstalmentData(due_on=due, amount_cents=cents)
            for due, cents in zip(sorted(dates), amounts, strict=True)
            if cents > 0
        ],
    )


# --- Payments ------------------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *,
    user,
    instalment: Instalment,
    paid_on: date,
    amount_cents: int,
    reference: str = "",
    today: date | None = None,
) -> Payment:
    """Record that (part of) an instalment was paid. Never more than the instalment's open
    amount, so never more than scheduled, so never more than granted."""
    _require_staff(user)
    today = today or timezone.localdate()
    plan = PaymentPlan.objects.select_for_update().get(pk=instalment.plan_id)
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    if amount_cents <= 0:
        raise PaymentError(_("Enter the amount paid."))
    if paid_on > today:
        raise PaymentError(_("A payment cannot be dated in the future."))
    if amount_cents > instalment.open_cents:
        raise PaymentError(
            _("Instalment %(number)s has only %(open)s left to pay.")
            % {"number": instalment.number, "open": format_euro(instalment.open_cents)}
        )
    instalment.paid_cents += amount_cents
    plan.paid_cents += amount_cents
    _save_checked(instalment, plan)
    return Payment.objects.create(
        instalment=instalment,
        paid_on=paid_on,
        amount_cents=amount_cents,
        reference=reference.strip()[:100],
        recorded_by=user,
    )


def withhold(decision: Decision, claim_cents: int) -> int:
    """Keep back up to `claim_cents` of the grant's money not yet paid out (for a repayment
    claim): first what is not scheduled, then the open instalments, latest first. Returns the
    amount withheld; the caller's transaction holds the lock."""
    plan = _locked_plan(decision)
    unpaid = plan.granted_cents - plan.withheld_cents - plan.paid_cents
    withheld = min(max(claim_cents, 0), max(unpaid, 0))
    if withheld == 0:
        return 0
    remaining = withheld - min(withheld, plan.unscheduled_cents)
    for instalment in plan.instalments.select_for_update().order_by("-due_on", "-number"):
        if remaining == 0:
            break
        cut = min(remaining, instalment.open_cents)
        if cut == 0:
            continue
        remaining -= cut
        plan.scheduled_cents -= cut
        if instalment.amount_cents - cut == 0:
            instalment.delete()
        else:
            instalment.amount_cents -= cut
            _save_checked(instalment)
    plan.withheld_cents += withheld
    _save_checked(plan)
    return withheld


# --- Export for the city's finance system --------------------------------------------------

EXPORT_HEADER = (
    "Referenz",
    "Fällig am",
    "Betrag EUR",
    "Empfänger",
    "IBAN",
    "BIC",
    "Verwendungszweck",
    "Organisation",
    "Antrag",
    "Programm",
    "Förderzeitraum",
    "Rate",
)


def export_candidates(
    *, period: Period | None, due_until: date, include_ordered: bool = False
) -> QuerySet[Instalment]:
    """Instalments not fully paid, due by `due_until` (and not yet sent, unless asked)."""
    rows = Instalment.objects.filter(due_on__lte=due_until, paid_cents__lt=F("amount_cents"))
    if period is not None:
        rows = rows.filter(plan__decision__application__period=period)
    if not include_ordered:
        rows = rows.filter(ordered_at__isnull=True)
    return rows.select_related(
        "plan__decision__application__organisation__funding_profile",
        "plan__decision__application__period__programme",
    ).order_by("due_on", "plan_id", "number")


def instalment_counts(plan_ids: set[int]) -> dict[int, int]:
    """plan id → how many instalments it has ("Rate 1/2")."""
    rows = (
        Instalment.objects.filter(plan_id__in=plan_ids)
        .values("plan_id")
        .annotate(count=Count("pk"))
        .values_list("plan_id", "count")
    )
    return dict(rows)


def _profile(instalment: Instalment) -> FundingProfile | None:
    organisation = instalment.plan.decision.application.organisation
    try:
        return organisation.funding_profile
    except FundingProfile.DoesNotExist:
        return None


def missing_bank_account(instalments: list[Instalment]) -> list[Instalment]:
    return [i for i in instalments if not ((p := _profile(i)) and p.has_bank_account)]


def purpose(instalment: Instalment, of: int) -> str:
    """The remittance text the organisation sees on its statement (SEPA allows 140 characters)."""
    application = instalment.plan.decision.application
    text = f"{application.period} {application.reference} Rate {instalment.number}/{of}"
    return text[:140]


@dataclass(frozen=True)
class Export:
    content: bytes
    count: int
    total_cents: int
    skipped: list[str]  # references of instalments left out (no bank account)


@transaction.atomic
def payments_export(
    *,
    user,
    period: Period | None,
    due_until: date,
    include_ordered: bool = False,
    now: datetime | None = None,
) -> Export:
    """The payment orders for the city's finance system as CSV (see csv_de: semicolons, decimal
    comma, UTF-8 with BOM). Exported instalments are marked as sent, so the next export does not
    order them twice; each organisation's bank data read is recorded."""
    _require_staff(user)
    now = now or timezone.now()
    instalments = list(
        export_candidates(
            period=period, due_until=due_until, include_ordered=include_ordered
        ).select_for_update(of=("self",))
    )
    missing = missing_bank_account(instalments)
    exported = [i for i in instalments if i not in missing]
    counts = instalment_counts({i.plan_id for i in exported})
    rows = []
    for instalment in exported:
        application = instalment.plan.decision.application
        profile = _profile(instalment)
        rows.append(
            (
                f"{application.reference}-{instalment.number}",
                csv_de.day(instalment.due_on),
                csv_de.amount(instalment.open_cents),
                profile.account_holder,
                profile.iban.replace(" ", ""),
                profile.bic,
                purpose(instalment, counts[instalment.plan_id]),
                application.organisation.name,
                application.reference,
                application.period.programme.name,
                application.period.name,
                f"{instalment.number}/{counts[instalment.plan_id]}",
            )
        )
    for organisation_id in sorted({i.plan.decision.application.organisation_id for i in exported}):
        BankDataRead.objects.create(
            reader=user, organisation_id=organisation_id, context="payment export (CSV)"
        )
    Instalment.objects.filter(pk__in=[i.pk for i in exported]).update(ordered_at=now)
    return Export(
        content=csv_de.to_bytes(EXPORT_HEADER, rows),
        count=len(exported),
        total_cents=sum(i.open_cents for i in exported),
        skipped=[
            f"{i.plan.decision.application.reference}-{i.number} "
            f"({i.plan.decision.application.organisation.name})"
            for i in missing
        ],
    )
