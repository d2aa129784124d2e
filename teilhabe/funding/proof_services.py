"""Proof of use (Verwendungsnachweis): the organisation reports what was done with a grant, staff
check it, and what was not used becomes a repayment claim computed by the system
(teilhabe.funding.repayment); reminders for proofs that are due or overdue.

Writes check who acts (PermissionDenied; another organisation's grant is refused here as well
as in the views), what the state allows (FundingError with a message), and run in a transaction.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.core.notifications import notify
from teilhabe.funding import payment_services, queries, repayment, uploads
from teilhabe.funding.models import (
    Application,
    Decision,
    FundingProfile,
    Measure,
    ProofCheck,
    ProofLine,
    ProofOfUse,
    ProofReceipt,
    ProofReminder,
    Repayment,
    RepaymentClaim,
)
from teilhabe.funding.money import format_euro
from teilhabe.funding.services import FundingError

# Days after the end of the measures by which the proof is due when the period names no date,
# reminder lead time and rhythm, and the time given to repay a claim. Overridable in settings.
DUE_DAYS_AFTER_END = getattr(settings, "FUNDING_PROOF_DUE_DAYS_AFTER_END", 90)
REMIND_DAYS_BEFORE = getattr(settings, "FUNDING_PROOF_REMIND_DAYS_BEFORE", 14)
REMIND_AGAIN_AFTER_DAYS = getattr(settings, "FUNDING_PROOF_REMIND_AGAIN_AFTER_DAYS", 28)
REPAY_WITHIN_DAYS = getattr(settings, "FUNDING_REPAY_WITHIN_DAYS", 30)

GRANTED = (Application.Status.APPROVED, Application.Status.PARTIALLY_APPROVED)


# --- Reads ---------------------------------------------------------------------------------


def is_granted(application: Application) -> bool:
    decision = getattr(application, "decision", None)
    return application.status in GRANTED and decision is not None and decision.granted_cents > 0


def granted_applications() -> QuerySet[Application]:
    return Application.objects.filter(status__in=GRANTED, decision__granted_cents__gt=0)


def grants_of_member(user) -> QuerySet[Application]:
    return (
        granted_applications()
        .filter(organisation__in=queries.organisations_for(user))
        .select_related("period__programme", "organisation", "decision", "proof__claim")
        .order_by("-period__applications_open", "-pk")
    )


def funded_measures(application: Application) -> list[Measure]:
    return list(
        application.measures.filter(granted_cents__gt=0)
        .select_related("measure_type")
        .order_by("sort_order", "pk")
    )


def proof_of(application: Application) -> ProofOfUse | None:
    return ProofOfUse.objects.filter(application=application).first()


def claim_of(proof: ProofOfUse | None) -> RepaymentClaim | None:
    if proof is None or proof.pk is None:
        return None
    return RepaymentClaim.objects.filter(proof=proof).first()


def due_on(application: Application) -> date | None:
    """When the proof is due: the period's date, else some weeks after the last measure ends."""
    period = application.period
    if period.proof_due_on:
        return period.proof_due_on
    ends = [m.ends_on for m in application.measures.all() if m.ends_on] or (
        [period.ends_on] if period.ends_on else []
    )
    return max(ends) + timedelta(days=DUE_DAYS_AFTER_END) if ends else None


def can_read_proof(user, application: Application) -> bool:
    return queries.acts_for(user, application.organisation_id) or queries.is_staff(user)


def staff_proofs(*, status: str | None = None) -> QuerySet[ProofOfUse]:
    proofs = ProofOfUse.objects.exclude(status=ProofOfUse.Status.DRAFT)
    if status:
        proofs = proofs.filter(status=status)
    return proofs.select_related(
        "application__organisation", "application__period__programme", "claim"
    ).order_by("-submitted_at", "-pk")


def overdue_grants(today: date | None = None) -> list[tuple[Application, date]]:
    """Grants whose proof is due and not submitted, with the due date, oldest first."""
    today = today or timezone.localdate()
    rows = []
    for application in _waiting_for_proof():
        due = due_on(application)
        if due is not None and due < today:
            rows.append((application, due))
    return sorted(rows, key=lambda row: (row[1], row[0].pk))


def _waiting_for_proof() -> QuerySet[Application]:
    return (
        granted_applications()
        .exclude(proof__status__in=[ProofOfUse.Status.SUBMITTED, ProofOfUse.Status.ACCEPTED])
        .select_related("period__programme", "organisation", "submitted_by", "created_by")
        .prefetch_related("measures")
    )


# --- The organisation's proof --------------------------------------------------------------


def _require_member(user, application: Application) -> None:
    if not queries.acts_for(user, application.organisation_id):
        raise PermissionDenied


def _locked_proof(application: Application, *, create: bool) -> ProofOfUse:
    if create:
        ProofOfUse.objects.get_or_create(application=application)
    return (
        ProofOfUse.objects.select_for_update()
        .select_related("application__period__programme", "application__organisation")
        .get(application=application)
    )


def _require_editable(user, application: Application) -> ProofOfUse:
    _require_member(user, application)
    application = Application.objects.select_related("decision").get(pk=application.pk)
    if not is_granted(application):
        raise FundingError(_("A proof of use is filed for an approved grant only."))
    proof = _locked_proof(application, create=True)
    if not proof.is_editable:
        raise FundingError(_("The proof of use has been submitted and cannot be changed now."))
    return proof


@dataclass(frozen=True, kw_only=True)
class LineData:
    """What the organisation enters for one funded measure (money in cents)."""

    units_delivered: int | None = None
    proven_cents: int | None = None
    participants: int = 0
    note: str = ""


def line_problems(measure: Measure, data: LineData) -> dict[str, str]:
    """Field → message for a line the rules refuse ({} when valid; missing figures are allowed
    in a draft and reported by submission_problems)."""
    problems: dict[str, str] = {}
    if measure.measure_type.is_flat_rate:
        granted = measure.granted_units or 0
        if data.units_delivered is not None and not 0 <= data.units_delivered <= granted:
            problems["units_delivered"] = _("Between 0 and %(max)s units (as granted).") % {
                "max": granted
            }
    elif data.proven_cents is not None and data.proven_cents < 0:
        problems["proven_cents"] = _("Costs cannot be negative.")
    if data.participants < 0:
        problems["participants"] = _("Participants cannot be negative.")
    return problems


class LinesInvalid(FundingError):
    def __init__(self, errors: dict[int, dict[str, str]]):
        super().__init__(_("Some figures need your attention."))
        self.errors = errors


@transaction.atomic
def proof_save(
    *,
    user,
    application: Application,
    report: str,
    participants: int,
    lines: dict[int, LineData],
) -> ProofOfUse:
    """Save the proof as a draft (figures may still be missing)."""
    proof = _require_editable(user, application)
    measures = funded_measures(proof.application)
    errors = {
        m.pk: problems
        for m in measures
        if (problems := line_problems(m, lines.get(m.pk, LineData())))
    }
    if errors:
        raise LinesInvalid(errors)
    proof.report = report.strip()
    proof.participants = max(participants, 0)
    proof.save(update_fields=["report", "participants", "updated_at"])
    for measure in measures:
        data = lines.get(measure.pk, LineData())
        flat = measure.measure_type.is_flat_rate
        ProofLine.objects.update_or_create(
            proof=proof,
            measure=measure,
            defaults={
                "units_delivered": data.units_delivered if flat else None,
                "proven_cents": None if flat else data.proven_cents,
                "participants": max(data.participants, 0),
                "note": data.note.strip()[:500],
            },
        )
    return proof


def submission_problems(proof: ProofOfUse) -> list[str]:
    """What keeps the proof from being submitted ([] when complete)."""
    problems = []
    if not proof.report.strip():
        problems.append(_("Describe in a few sentences what was done."))
    lines = {line.measure_id: line for line in proof.lines.all()} if proof.pk else {}
    has_cost_lines = False
    for measure in funded_measures(proof.application):
        line = lines.get(measure.pk)
        if measure.measure_type.is_flat_rate:
            if line is None or line.units_delivered is None:
                problems.append(
                    _("%(title)s: enter the units delivered.") % {"title": measure.title}
                )
        else:
            has_cost_lines = True
            if line is None or line.proven_cents is None:
                problems.append(_("%(title)s: enter the costs proven.") % {"title": measure.title})
    # Flat rates need no receipts (bürokratiearm); costs do.
    if has_cost_lines and not (proof.pk and proof.receipts.exists()):
        problems.append(_("Attach the receipts for the costs."))
    return problems


def compute_shortfall(proof: ProofOfUse) -> repayment.Shortfall:
    """The pure computation fed from the stored grant and the proof's lines."""
    measures = funded_measures(proof.application)
    funded = [
        repayment.FundedLine(
            id=m.pk,
            kind=repayment.FLAT_RATE if m.measure_type.is_flat_rate else repayment.COST,
            granted_cents=m.granted_cents or 0,
            unit_cents=m.unit_cents,
            granted_units=m.granted_units or 0,
        )
        for m in measures
    ]
    proven = [
        repayment.ProvenLine(
            id=line.measure_id,
            units_delivered=line.units_delivered,
            proven_cents=line.proven_cents,
        )
        for line in proof.lines.all()
    ]
    return repayment.shortfall(funded, proven)


@transaction.atomic
def proof_submit(*, user, application: Application, now: datetime | None = None) -> ProofOfUse:
    """Submit the proof: then locked. What was not used is computed and shown at once as a
    provisional repayment claim (confirmed when staff accept the proof)."""
    now = now or timezone.now()
    proof = _require_editable(user, application)
    if problems := submission_problems(proof):
        raise FundingError(_("The proof of use is not complete yet."), problems)
    result = compute_shortfall(proof)
    for line in result.lines:
        ProofLine.objects.filter(proof=proof, measure_id=line.id).update(
            shortfall_cents=line.shortfall_cents
        )
    claim = RepaymentClaim.objects.select_for_update().filter(proof=proof).first()
    if result.total_cents > 0:
        if claim is None:
            RepaymentClaim.objects.create(proof=proof, amount_cents=result.total_cents)
        else:
            claim.amount_cents = result.total_cents
            claim.save(update_fields=["amount_cents", "updated_at"])
    elif claim is not None:
        claim.delete()
    proof.status = ProofOfUse.Status.SUBMITTED
    proof.submitted_at = now
    proof.submitted_by = user
    proof.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    proof_id = proof.pk
    transaction.on_commit(lambda: _notify(proof_id, "proof_received"))
    return proof


@transaction.atomic
def receipt_add(*, user, application: Application, upload: UploadedFile, kind: str) -> ProofReceipt:
    """Store a PDF, PNG or JPEG receipt (judged by its content, not its name) of at most the
    configured size, under a random name in the private storage."""
    proof = _require_editable(user, application)
    if upload.size > settings.FUNDING_UPLOAD_MAX_BYTES:
        raise FundingError(
            _("The file is too large: at most %(mb)s MB.")
            % {"mb": settings.FUNDING_UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise FundingError(_("The file is empty."))
    if proof.receipts.count() >= settings.FUNDING_UPLOADS_PER_APPLICATION:
        raise FundingError(_("This proof of use has the maximum number of documents."))
    upload.seek(0)
    sniffed = uploads.sniff(upload.read(16))
    upload.seek(0)
    if sniffed is None:
        raise FundingError(_("Only PDF, PNG and JPEG files can be attached."))
    mimetype, suffix = sniffed
    receipt = ProofReceipt(
        proof=proof,
        kind=kind if kind in ProofReceipt.Kind.values else ProofReceipt.Kind.OTHER,
        original_name=uploads.safe_name(upload.name or f"beleg{suffix}"),
        content_type=mimetype,
        size=upload.size,
        uploaded_by=user,
    )
    receipt.file.save(f"beleg{suffix}", upload, save=False)
    receipt.save()
    return receipt


@transaction.atomic
def receipt_delete(*, user, receipt: ProofReceipt) -> None:
    _require_editable(user, receipt.proof.application)
    stored = receipt.file
    receipt.delete()
    # The file goes once the row is gone for good.
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


# --- Staff: check, claims, repayments ------------------------------------------------------


def _require_staff(user) -> None:
    if not queries.is_staff(user):
        raise PermissionDenied


@transaction.atomic
def proof_check(
    *, user, application: Application, outcome: str, note: str = "", today: date | None = None
) -> ProofCheck:
    """Staff accept a submitted proof (a claim becomes open: the part of it not yet paid out is
    withheld, the rest is to be repaid within REPAY_WITHIN_DAYS) or send it back for more
    information (the note says what; it is e-mailed)."""
    _require_staff(user)
    today = today or timezone.localdate()
    proof = _locked_proof(application, create=False)
    if proof.status != ProofOfUse.Status.SUBMITTED:
        raise FundingError(_("Only a submitted proof of use can be checked."))
    note = note.strip()
    if outcome == ProofCheck.Outcome.ACCEPTED:
        proof.status = ProofOfUse.Status.ACCEPTED
        claim = RepaymentClaim.objects.select_for_update().filter(proof=proof).first()
        if claim is not None:
            _claim_confirm(claim, Decision.objects.get(application=proof.application), today)
    elif outcome == ProofCheck.Outcome.RETURNED:
        if not note:
            raise FundingError(_("Say what information is needed."))
        proof.status = ProofOfUse.Status.RETURNED
    else:
        raise FundingError(_("Unknown outcome."))
    proof.staff_note = note
    proof.checked_at = timezone.now()
    proof.checked_by = user
    proof.save(update_fields=["status", "staff_note", "checked_at", "checked_by", "updated_at"])
    check = ProofCheck.objects.create(proof=proof, outcome=outcome, note=note, checked_by=user)
    proof_id = proof.pk
    transaction.on_commit(lambda: _notify(proof_id, f"proof_{outcome}"))
    return check


def _claim_confirm(claim: RepaymentClaim, decision: Decision, today: date) -> None:
    """Provisional → open: withhold what was not paid out yet; settled when nothing is left."""
    plan = payment_services.plan_of(decision)
    settlement = repayment.settle(
        claim_cents=claim.amount_cents,
        granted_cents=decision.granted_cents - plan.withheld_cents,
        paid_cents=plan.paid_cents,
    )
    withheld = payment_services.withhold(decision, settlement.withheld_cents)
    claim.withheld_cents = withheld
    claim.status = RepaymentClaim.Status.OPEN
    claim.due_on = today + timedelta(days=REPAY_WITHIN_DAYS)
    if claim.outstanding_cents == 0:
        claim.status = RepaymentClaim.Status.SETTLED
        claim.settled_at = timezone.now()
        claim.due_on = None
    claim.save()


@transaction.atomic
def repayment_record(
    *,
    user,
    claim: RepaymentClaim,
    received_on: date,
    amount_cents: int,
    reference: str = "",
    today: date | None = None,
) -> Repayment:
    """Record money paid back against an open claim; never more than is outstanding."""
    _require_staff(user)
    today = today or timezone.localdate()
    claim = RepaymentClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != RepaymentClaim.Status.OPEN:
        raise FundingError(_("Only an open repayment claim takes repayments."))
    if amount_cents <= 0:
        raise FundingError(_("Enter the amount received."))
    if received_on > today:
        raise FundingError(_("A repayment cannot be dated in the future."))
    if amount_cents > claim.outstanding_cents:
        raise FundingError(
            _("Only %(open)s are outstanding.") % {"open": format_euro(claim.outstanding_cents)}
        )
    claim.repaid_cents += amount_cents
    if claim.outstanding_cents == 0:
        claim.status = RepaymentClaim.Status.SETTLED
        claim.settled_at = timezone.now()
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as error:
        raise FundingError(_("Not saved: more than the claim.")) from error
    return Repayment.objects.create(
        claim=claim,
        received_on=received_on,
        amount_cents=amount_cents,
        reference=reference.strip()[:100],
        recorded_by=user,
    )


# --- E-mails and reminders -----------------------------------------------------------------


def recipients(application: Application) -> list[str]:
    """The funding contact, the person who submitted the application, else the organisation."""
    profile = FundingProfile.objects.filter(organisation_id=application.organisation_id).first()
    addresses = [
        profile.contact_email if profile else "",
        getattr(application.submitted_by, "email", ""),
    ]
    if not any(addresses):
        addresses.append(application.organisation.email)
    return list(dict.fromkeys(address for address in addresses if address))


def _language_of(application: Application) -> str:
    user = application.submitted_by or application.created_by
    return (getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE)[:10]


def _proof_url(application: Application) -> str:
    return settings.SITE_URL + reverse("funding:proof", kwargs={"pk": application.pk})


def _notify(proof_id: int, template: str) -> None:
    proof = ProofOfUse.objects.select_related(
        "application__organisation",
        "application__period__programme",
        "application__submitted_by",
        "application__created_by",
    ).get(pk=proof_id)
    application = proof.application
    notify(
        to=recipients(application),
        template=f"funding/proof/email/{template}",
        context={
            "application": application,
            "proof": proof,
            "claim": claim_of(proof),
            "url": _proof_url(application),
        },
        language=_language_of(application),
    )


# The order matters: a later kind supersedes the earlier ones for the same due date.
REMINDER_ORDER = (
    ProofReminder.Kind.DUE_SOON,
    ProofReminder.Kind.OVERDUE,
    ProofReminder.Kind.OVERDUE_AGAIN,
)


def reminder_kind(today: date, due: date) -> str | None:
    """Which reminder fits today for a proof due on `due` (None: none yet)."""
    if today > due + timedelta(days=REMIND_AGAIN_AFTER_DAYS):
        return ProofReminder.Kind.OVERDUE_AGAIN
    if today > due:
        return ProofReminder.Kind.OVERDUE
    if today >= due - timedelta(days=REMIND_DAYS_BEFORE):
        return ProofReminder.Kind.DUE_SOON
    return None


@dataclass(frozen=True)
class ReminderReport:
    due_soon: int = 0
    overdue: int = 0
    overdue_again: int = 0

    @property
    def sent(self) -> int:
        return self.due_soon + self.overdue + self.overdue_again


def reminders_send(*, now: datetime | None = None) -> ReminderReport:
    """E-mail the organisations whose proof of use is due soon or overdue. Safe to run every
    hour, and twice at once: each reminder (kind × grant × due date) is recorded under a unique
    constraint before its e-mail is queued in the same transaction, so it goes out once; a later
    kind is sent only when the earlier ones no longer fit (no "due soon" after "overdue")."""
    today = timezone.localdate(now or timezone.now())
    sent = {kind: 0 for kind in REMINDER_ORDER}
    sent_before: dict[int, set[tuple[str, date]]] = {}
    waiting = list(_waiting_for_proof())
    for reminder in ProofReminder.objects.filter(application__in=waiting):
        sent_before.setdefault(reminder.application_id, set()).add((reminder.kind, reminder.due_on))
    for application in waiting:
        due = due_on(application)
        kind = reminder_kind(today, due) if due else None
        if kind is None:
            continue
        later = REMINDER_ORDER[REMINDER_ORDER.index(kind) :]
        if any((k, due) in sent_before.get(application.pk, set()) for k in later):
            continue
        try:
            with transaction.atomic():
                ProofReminder.objects.create(application=application, kind=kind, due_on=due)
                notify(
                    to=recipients(application),
                    template=f"funding/proof/email/reminder_{kind}",
                    context={
                        "application": application,
                        "due_on": due,
                        "url": _proof_url(application),
                    },
                    language=_language_of(application),
                )
        except IntegrityError:  # another run sent it a moment ago
            continue
        sent[kind] += 1
    return ReminderReport(
        due_soon=sent[ProofReminder.Kind.DUE_SOON],
        overdue=sent[ProofReminder.Kind.OVERDUE],
        overdue_again=sent[ProofReminder.Kind.OVERDUE_AGAIN],
    )


def claims_open() -> QuerySet[RepaymentClaim]:
    return (
        RepaymentClaim.objects.filter(
            Q(status=RepaymentClaim.Status.OPEN) | Q(status=RepaymentClaim.Status.PROVISIONAL)
        )
        .select_related("proof__application__organisation", "proof__application__period")
        .order_by("due_on", "pk")
    )
